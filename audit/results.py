"""Reading the audit out of the catalogue: coverage rows, findings, summaries, the county × requirement table and the
coverage history the `coverage_not_dropped` check compares against."""
from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from gongkai.schemas.vocabulary import GAP_FREE, VERDICTS, legend
from gongkai.warehouse.access import open_read_only

COVERAGE_DROP = 0.10  # a site's share of present requirements falling by more than this since the last audit warns
HISTORY = pa.schema([("site_id", pa.string()), ("as_of", pa.date32()), ("present_share", pa.float64()),
                     ("requirements", pa.int32()), ("audited_at", pa.timestamp("s", tz="UTC")), ("run_id", pa.string())])



def query(catalogue: Path, sql: str, params: list | None = None) -> list[dict]:
    """Rows of a query on the catalogue (read-only), as dicts."""
    if not Path(catalogue).exists():
        raise FileNotFoundError(f"{catalogue}: no catalogue yet; materialise the `catalogue` asset first")
    with open_read_only(catalogue) as con:
        cur = con.execute(sql, params or [])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=False)) for row in cur.fetchall()]


def read_coverage(catalogue: Path) -> list[dict]:
    return query(catalogue, "SELECT * FROM coverage ORDER BY site_id, requirement_key")


def findings_summary(catalogue: Path) -> dict[str, int]:
    """Findings per rule (every rule listed, 0 included)."""
    rows = query(catalogue, "SELECT r.rule, count(f.rule) AS n FROM audit_rules r LEFT JOIN findings f USING (rule) "
                            "GROUP BY r.rule ORDER BY r.rule")
    return {r["rule"]: r["n"] for r in rows}


def record_coverage_history(lake, rows: list[dict], run_id: str) -> None:
    """Append each harvested site's share of present requirements (blank_with_note counts as present) to the history."""
    per_site: dict[str, list[dict]] = {}
    for r in rows:
        per_site.setdefault(r["site_id"], []).append(r)
    now = datetime.now(UTC).replace(microsecond=0)
    new = [{"site_id": s, "as_of": rs[0]["as_of"], "requirements": len(rs), "audited_at": now, "run_id": run_id,
            "present_share": sum(r["verdict"] in GAP_FREE for r in rs) / len(rs)}
           for s, rs in sorted(per_site.items()) if not any(r["verdict"] == "not_harvested" for r in rs)]
    path = lake.coverage_history_path
    path.parent.mkdir(parents=True, exist_ok=True)
    old = pq.read_table(path).to_pylist() if path.exists() else []
    tmp = path.with_suffix(".tmp")
    pq.write_table(pa.Table.from_pylist(old + new, schema=HISTORY), tmp)
    tmp.replace(path)


def coverage_drops(lake, threshold: float = COVERAGE_DROP) -> list[dict]:
    """Sites whose present share fell by more than `threshold` between their last two audits."""
    path = lake.coverage_history_path
    if not path.exists():
        return []
    rows = duckdb.sql(f"""
        WITH h AS (SELECT *, row_number() OVER (PARTITION BY site_id ORDER BY audited_at DESC, run_id DESC) AS n
                   FROM read_parquet('{path}'))
        SELECT a.site_id, b.present_share AS before, a.present_share AS after
        FROM h a JOIN h b ON a.site_id = b.site_id AND a.n = 1 AND b.n = 2
        WHERE b.present_share - a.present_share > {threshold} ORDER BY a.site_id""").fetchall()
    return [{"site_id": s, "before": b, "after": a} for s, b, a in rows]


def coverage_summary(rows: list[dict]) -> dict[str, int]:
    return dict(sorted(Counter(r["verdict"] for r in rows).items()))


GRID_GROUPS = ("platform", "art20", "annual")  # one column each in the terminal table; other groups are summed
SUMMED = {"art21": "Art.21", "policy": "解读", "guide": "指南", "jc": "基层"}


def _short(key: str) -> str:
    if key.startswith("art20_"):
        return key[6:8]
    return {"platform_guide": "G1", "platform_rules": "G2", "platform_statutory": "G3",
            "platform_annual_reports": "G4", "annual_report": "AR"}.get(key, key[:2].upper())


def coverage_table(rows: list[dict], requirement_order: list[str]) -> str:
    """A county × requirement table for a terminal: one column per platform column, Art. 20 item and the annual report,
    then present/applicable counts for the other groups (Art. 21, 解读, 指南 parts, the 26 基层 fields), a legend, and
    the failing cells listed below it."""
    sites = sorted({r["site_id"] for r in rows})
    cell = {(r["site_id"], r["requirement_key"]): r for r in rows}
    grid = [k for k in requirement_order if k.split("_", 1)[0] in GRID_GROUPS]
    width = max(len(s) for s in sites) if sites else 8
    head = " " * width + " " + " ".join(f"{_short(k):>2}" for k in grid) + "  " + "  ".join(SUMMED.values())
    lines = [head]
    for s in sites:
        marks = [VERDICTS.get(cell[(s, k)]["verdict"], ("?",))[0] if (s, k) in cell else " " for k in grid]
        sums = []
        for group, label in SUMMED.items():
            mine = [r for (site, k), r in cell.items() if site == s and k.split("_", 1)[0] == group]
            ok = sum(r["verdict"] in GAP_FREE for r in mine)
            sums.append(f"{ok}/{len(mine)}".rjust(len(label) if label.isascii() else 2 * len(label)))
        lines.append(f"{s:<{width}} " + " ".join(f"{m:>2}" for m in marks) + "  " + "  ".join(sums))
    lines += ["", legend(), "G1-G4 platform columns (指南, 制度, 法定主动公开内容, 年报); 01-15 条例第二十条 items; "
              "AR the annual report due; then requirements met / applicable: Art.21 items, the 解读 column, "
              "the 指南's required parts, the 26 基层 fields", ""]
    gaps = [r for r in rows if r["verdict"] not in ("present",)]
    for r in gaps:
        detail = f"newest item {r['newest_item_date']}, threshold {r['threshold_days']} days" \
            if r["verdict"] == "stale" else f"report for {r['report_year']}" if r["report_year"] else r["rule"]
        lines.append(f"  {r['site_id']}  {r['requirement_key']}: {r['verdict']} ({detail})  "
                     f"{(r['evidence_urls'] or [''])[0]}")
    return "\n".join(lines)
