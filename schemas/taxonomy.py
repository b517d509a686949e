"""The taxonomy of required categories (法定主动公开 requirements) and the column matcher (栏目 → requirement).

`schemas/taxonomy.yaml` lists every requirement with its legal basis, whom it applies to and how it is recognised;
thresholds live in `schemas/audit.yaml` (see audit.config).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

TAXONOMY_FILE = Path(__file__).with_name("taxonomy.yaml")
KINDS = ("column", "report", "guide_field")
APPLIES_TO = ("county", "department", "township")
FRESHNESS = ("news", "notices_policy", "personnel_plans", "none")
# Registry levels (schemas.registry) → whom a requirement applies to.
LEVEL_CLASS = {"county": "county", "county_city": "county", "district": "county", "banner": "county",
               "autonomous_county": "county", "department": "department", "township": "township"}
# Share of a column's list items whose titles must match a requirement's title pattern for the column to map.
TITLE_SHARE = 0.6
# A column whose name contains a synonym of four characters or more maps too (县政府文件汇编, 2018年财政预决算公开,
# 重点领域信息公开（财政资金）): a county's own wording must not make a category it has look missing. Not these,
# which other columns' names contain without meaning them (法治政府建设年度报告 is no 信息公开 report).
CONTAINED_MIN = 4
NOT_CONTAINED = frozenset({"年度报告", "其他信息", "公开目录", "信息公开目录", "工作计划", "公共服务"})

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
    kind: str = "column"
    freshness: str = "none"
    names: tuple[str, ...] = ()
    slugs: tuple[str, ...] = ()
    title_patterns: tuple[str, ...] = ()
    within: tuple[str, ...] = ()        # only under a parent column whose name contains one of these
    title_pattern: str | None = None    # kind report: the report's title; {previous_year} is the year due
    text_pattern: str | None = None     # kind guide_field: the part's pattern in the guide's text

    @property
    def group(self) -> str:
        """platform, art20, art21, art21t (townships), policy, annual, guide or jc (the 26 基层 fields)."""
        return self.key.split("_", 1)[0]


@dataclass(frozen=True)
class Taxonomy:
    requirements: tuple[Requirement, ...]

    def match(self, column_name: str, url_path: str = "", ancestors: tuple[str, ...] = (),
              item_titles: tuple[str, ...] = ()) -> list[tuple[str, str]]:
        """Requirement keys a column maps to, each with the reason: which synonym, slug or title rule matched.

        `ancestors` are the names of the column's parents (for requirements recognised only `within` a section);
        `item_titles` the titles of its list items (a title rule needs TITLE_SHARE of them to match)."""
        norm = normalise_name(column_name)
        segments = {s for s in url_path.lower().split("/") if s}
        found: list[tuple[str, str]] = []
        for req in self.requirements:
            if req.kind != "column":
                continue
            if req.within and not any(w in a for a in ancestors for w in req.within):
                continue
            hit = next((n for n in req.names if normalise_name(n) == norm), None)
            if hit:
                found.append((req.key, f"name={hit}"))
                continue
            inside = next((n for n in req.names if len(n) >= CONTAINED_MIN and n not in NOT_CONTAINED
                           and normalise_name(n) in norm), None)
            if inside:
                found.append((req.key, f"name~={inside}"))
                continue
            slug = next((s for s in req.slugs if s in segments), None)
            if slug:
                found.append((req.key, f"slug={slug}"))
                continue
            for pattern in req.title_patterns:
                hits = sum(1 for t in item_titles if re.search(pattern, t))
                if item_titles and hits >= TITLE_SHARE * len(item_titles):
                    found.append((req.key, f"titles={pattern} ({hits} of {len(item_titles)})"))
                    break
        return found

    def get(self, key: str) -> Requirement:
        return next(r for r in self.requirements if r.key == key)


@lru_cache(maxsize=4)
def load_taxonomy(path: str | Path = TAXONOMY_FILE) -> Taxonomy:
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    fields = set(Requirement.__dataclass_fields__)
    reqs = []
    for i, r in enumerate(doc["requirements"]):
        where = f"{path}: requirements[{i}] ({r.get('key', '?')})"
        unknown = set(r) - fields
        if unknown:
            raise ValueError(f"{where}: unknown fields {sorted(unknown)} (allowed: {sorted(fields)})")
        req = Requirement(**{k: tuple(v) if isinstance(v, list) else v for k, v in r.items()})
        if req.kind not in KINDS:
            raise ValueError(f"{where}: kind {req.kind!r} is not one of {KINDS}")
        if req.freshness not in FRESHNESS:
            raise ValueError(f"{where}: freshness {req.freshness!r} is not one of {FRESHNESS}")
        if set(req.applies_to) - set(APPLIES_TO):
            raise ValueError(f"{where}: applies_to {list(req.applies_to)} must be among {APPLIES_TO}")
        if req.kind == "report" and not req.title_pattern or req.kind == "guide_field" and not req.text_pattern:
            raise ValueError(f"{where}: a {req.kind} requirement needs its "
                             f"{'title_pattern' if req.kind == 'report' else 'text_pattern'}")
        for pattern in (*req.title_patterns, req.text_pattern or ""):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{where}: pattern {pattern!r} is not a valid regular expression: {exc}") from exc
        reqs.append(req)
    keys = [r.key for r in reqs]
    dupes = {k for k in keys if keys.count(k) > 1}
    if dupes:
        raise ValueError(f"{path}: requirement keys repeat: {sorted(dupes)}")
    return Taxonomy(requirements=tuple(reqs))
