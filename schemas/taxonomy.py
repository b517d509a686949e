"""The taxonomy of required categories (法定主动公开 requirements) and the column-name matcher."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

TAXONOMY_FILE = Path(__file__).with_name("taxonomy.yaml")

# Prefixes a county puts before a column name that do not change what it is (县政府文件 → 政府文件 is kept as a synonym).
_NOISE = re.compile(r"[\s\u3000（）()【】\[\]·:：]")


def normalise_name(name: str) -> str:
    """Column name as compared: NFKC (full-width → half-width), no spaces or brackets."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", name))


@dataclass(frozen=True)
class Requirement:
    key: str
    name: str
    basis: str
    applies_to: tuple[str, ...]
    freshness: str
    names: tuple[str, ...]
    slugs: tuple[str, ...]
    title_pattern: str | None = None


@dataclass(frozen=True)
class Taxonomy:
    requirements: tuple[Requirement, ...]
    freshness_days: dict[str, int | None]

    def match(self, column_name: str, url_path: str = "") -> list[tuple[str, str]]:
        """Requirement keys a column maps to, each with the reason (which synonym or slug matched)."""
        norm = normalise_name(column_name)
        segments = {s for s in url_path.lower().split("/") if s}
        found: list[tuple[str, str]] = []
        for req in self.requirements:
            if req.title_pattern:  # matched on items, not columns
                continue
            hit = next((n for n in req.names if normalise_name(n) == norm), None)
            if hit:
                found.append((req.key, f"name={hit}"))
                continue
            slug = next((s for s in req.slugs if s in segments), None)
            if slug:
                found.append((req.key, f"slug={slug}"))
        return found

    def get(self, key: str) -> Requirement:
        return next(r for r in self.requirements if r.key == key)


@lru_cache(maxsize=4)
def load_taxonomy(path: str | Path = TAXONOMY_FILE) -> Taxonomy:
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    reqs = tuple(
        Requirement(
            key=r["key"], name=r["name"], basis=r["basis"], applies_to=tuple(r["applies_to"]),
            freshness=r["freshness"], names=tuple(r["names"]), slugs=tuple(r.get("slugs", [])),
            title_pattern=r.get("title_pattern"),
        )
        for r in doc["requirements"]
    )
    keys = [r.key for r in reqs]
    dupes = {k for k in keys if keys.count(k) > 1}
    if dupes:
        raise ValueError(f"{path}: requirement keys repeat: {sorted(dupes)}")
    for r in reqs:
        if r.freshness not in doc["freshness_days"]:
            raise ValueError(f"{path}: {r.key}: freshness {r.freshness!r} is not one of {list(doc['freshness_days'])}")
    return Taxonomy(requirements=reqs, freshness_days=dict(doc["freshness_days"]))
