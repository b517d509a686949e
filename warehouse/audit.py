"""Reading the audit out of the catalogue: coverage rows, summaries and the county × requirement table."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb

SYMBOLS = {"present": "✓", "blank_with_note": "n", "blank": "B", "stale": "S", "missing": "M", "not_harvested": "?"}
LEGEND = "✓ present   M missing   B blank   n blank with an explanatory note (passes)   S stale   ? not harvested"


def read_coverage(catalogue: Path) -> list[dict]:
    if not Path(catalogue).exists():
        raise FileNotFoundError(f"{catalogue}: no catalogue yet; materialise the `catalogue` asset first")
    with duckdb.connect(str(catalogue), read_only=True) as con:
        cur = con.execute("SELECT * FROM coverage ORDER BY site_id, requirement_key")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=False)) for row in cur.fetchall()]


def coverage_summary(rows: list[dict]) -> dict[str, int]:
    return dict(sorted(Counter(r["verdict"] for r in rows).items()))


def _short(key: str) -> str:
    if key.startswith("art20_"):
        return key[6:8]
    return {"platform_guide": "G1", "platform_rules": "G2", "platform_statutory": "G3",
            "platform_annual_reports": "G4", "annual_report": "AR"}.get(key, key[:2].upper())


def coverage_table(rows: list[dict], requirement_order: list[str]) -> str:
    """A county × requirement table for a terminal, with a legend and the failing cells listed below it."""
    sites = sorted({r["site_id"] for r in rows})
    cell = {(r["site_id"], r["requirement_key"]): r for r in rows}
    width = max(len(s) for s in sites) if sites else 8
    head = " " * width + " " + " ".join(f"{_short(k):>2}" for k in requirement_order)
    lines = [head]
    for s in sites:
        marks = [SYMBOLS.get(cell[(s, k)]["verdict"], "?") if (s, k) in cell else " " for k in requirement_order]
        lines.append(f"{s:<{width}} " + " ".join(f"{m:>2}" for m in marks))
    lines += ["", LEGEND, "G1-G4 platform columns (指南, 制度, 法定主动公开内容, 年报); 01-15 条例第二十条 items; "
              "AR the annual report due", ""]
    gaps = [r for r in rows if r["verdict"] not in ("present",)]
    for r in gaps:
        detail = f"newest item {r['newest_item_date']}, threshold {r['threshold_days']} days" \
            if r["verdict"] == "stale" else f"report for {r['report_year']}" if r["report_year"] else r["rule"]
        lines.append(f"  {r['site_id']}  {r['requirement_key']}: {r['verdict']} ({detail})  "
                     f"{(r['evidence_urls'] or [''])[0]}")
    return "\n".join(lines)
