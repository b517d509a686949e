"""What changed since the previous release (发布历史): scores, findings found and resolved, documents.

`changes(out, previous)` compares a staged release with the newest published one before it and writes
``changes.json`` beside its files; the site's history page shows it, with the list of earlier releases.
"""
from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq


def published(root: Path) -> list[Path]:
    """The published releases under releases/, oldest first (the `latest` pointer and the staging folder left out)."""
    if not root.exists():
        return []
    found = [p for p in root.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")
             and (p / "manifest.json").exists()]
    return sorted(found, key=lambda p: _order(p.name))


def _order(name: str) -> tuple[str, int]:
    day, _, n = name.partition(".")
    return day, int(n) if n.isdigit() else 1


def _table(folder: Path, resource: str, columns: list[str]) -> list[dict]:
    files = [folder / f"{resource}.parquet"] if (folder / f"{resource}.parquet").exists() else \
        sorted((folder / resource).glob("*/part-*.parquet"))
    rows = []
    for path in files:
        have = set(pq.read_schema(path).names)
        rows += pq.read_table(path, columns=[c for c in columns if c in have]).to_pylist()
    return rows


def previous_release(root: Path, day: str) -> Path | None:
    """The newest release published on or before `day` (the one a new release of `day` follows)."""
    earlier = [p for p in published(root) if _order(p.name)[0] <= day]
    return earlier[-1] if earlier else None


def _number(value):
    """A score as JSON writes it (Parquet gives sums as decimals)."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def changes(out: Path, previous: Path | None) -> dict:
    """Compare the release at `out` with `previous` (None: the first release) and write out/changes.json: the
    releases before it, the counties whose score changed, and the findings new or resolved (by finding_id), in all
    and per county."""
    now = {"scores": _table(out, "county_scores", ["site_id", "name", "score"]),
           "findings": _table(out, "findings", ["finding_id", "site_id"])}
    result: dict = {"previous": previous.name if previous else None,
                    "earlier": [p.name for p in published(previous.parent)] if previous else []}
    if previous is not None:
        before = {r["site_id"]: r for r in _table(previous, "county_scores", ["site_id", "score"])}
        then = {r["finding_id"]: r["site_id"] for r in _table(previous, "findings", ["finding_id", "site_id"])}
        found = {r["finding_id"]: r["site_id"] for r in now["findings"]}
        per_site: dict[str, dict] = {}
        for fid, sid in found.items():
            if fid not in then:
                per_site.setdefault(sid, {"site_id": sid, "new": 0, "resolved": 0})["new"] += 1
        for fid, sid in then.items():
            if fid not in found:
                per_site.setdefault(sid, {"site_id": sid, "new": 0, "resolved": 0})["resolved"] += 1
        result |= {
            "scores": [{"site_id": r["site_id"], "name": r.get("name"),
                        "before": _number(before.get(r["site_id"], {}).get("score")), "after": _number(r["score"])}
                       for r in sorted(now["scores"], key=lambda r: r["site_id"])
                       if before.get(r["site_id"], {}).get("score") != r["score"]],
            "findings_new": sum(1 for f in found if f not in then),
            "findings_resolved": sum(1 for f in then if f not in found),
            "by_site": [per_site[s] for s in sorted(per_site)],
        }
    (out / "changes.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return result
