"""Build the DuckDB catalogue from the Parquet lake in one step (the only writer of the DuckDB file).

The new file is built beside the old one and renamed over it, so a failed build leaves the last good catalogue.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb
import pyarrow as pa

from audit.build import RULES_SQL, SCORE_SQL, prepare_audit
from audit.config import AuditConfig, load_audit_config
from schemas.registry import Site
from schemas.tables import LAKE_TABLES
from schemas.taxonomy import Taxonomy, load_taxonomy
from warehouse.lake import Lake

VIEWS_SQL = Path(__file__).with_name("catalogue.sql")
SITE_TABLES = ("documents", "sections", "attachments", "list_items", "tree_pages", "report_figures", "report_checks")
RUN_TABLES = ("fetch_log", "harvest_runs", "harvest_errors")


def _load(con: duckdb.DuckDBPyConnection, name: str, files: list[Path]) -> int:
    if files:
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet(?, union_by_name = true)",
                    [[str(f) for f in files]])
    else:  # an empty lake still gets every table, with the right columns
        con.register("_empty", pa.Table.from_pylist([], schema=LAKE_TABLES[name]))
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM _empty")
        con.unregister("_empty")
    return con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]


def build_catalogue(lake: Lake, sites: list[Site], taxonomy: Taxonomy | None = None,
                    config: AuditConfig | None = None, target: Path | None = None) -> dict[str, int]:
    """Build the catalogue (lake tables, audit tables and views) at `target` (default: the lake's catalogue path)."""
    taxonomy = taxonomy or load_taxonomy()
    target = Path(target or lake.catalogue_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".duckdb.tmp")
    tmp.unlink(missing_ok=True)
    ids = sorted(s.site_id for s in sites)
    latest = {sid: lake.latest_run(sid) for sid in ids}
    counts: dict[str, int] = {}
    con = duckdb.connect(str(tmp))
    try:
        for name in SITE_TABLES:
            files = [lake.site_dir(sid) / f"{name}.parquet" for sid in ids]
            counts[name] = _load(con, name, [f for f in files if f.exists()])
        for name in RUN_TABLES:
            if name == "harvest_runs":  # every run, for history
                files = sorted(p for sid in ids for p in (lake.site_dir(sid) / "runs").glob(f"*/{name}.parquet"))
            else:  # the latest run of each site
                files = [lake.run_dir(sid, rid) / f"{name}.parquet" for sid, rid in latest.items() if rid]
            counts[name] = _load(con, name, files)
        _sites_table(con, sites)
        prepare_audit(con, sites, taxonomy, config or load_audit_config())
        for sql in (VIEWS_SQL, RULES_SQL, SCORE_SQL):
            con.execute(sql.read_text(encoding="utf-8"))
        _matrix_view(con, taxonomy)
        counts["findings"] = con.execute("SELECT count(*) FROM findings").fetchone()[0]
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tmp, target)
    return counts


def _sites_table(con, sites: list[Site]) -> None:
    con.execute("""CREATE TABLE sites (site_id VARCHAR PRIMARY KEY, name VARCHAR, level VARCHAR, province VARCHAR,
                   adapter VARCHAR, entry_url VARCHAR, active BOOLEAN)""")
    con.executemany("INSERT INTO sites VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(s.site_id, s.name, s.level, s.province, s.adapter, s.entry_urls[0], s.active)
                     for s in sorted(sites, key=lambda s: s.site_id)])


def _matrix_view(con, taxonomy: Taxonomy) -> None:
    keys = [r.key for r in taxonomy.requirements]
    if not all(re.fullmatch(r"[a-z0-9_]+", k) for k in keys):
        raise ValueError(f"requirement keys must be lowercase identifiers: {keys}")
    listed = ", ".join(f"'{k}'" for k in keys)
    con.execute(f"""CREATE VIEW coverage_matrix AS
                    PIVOT (SELECT site_id, requirement_key, verdict FROM coverage)
                    ON requirement_key IN ({listed}) USING first(verdict) GROUP BY site_id ORDER BY site_id""")
    con.execute("COMMENT ON VIEW coverage_matrix IS 'One row per site, one column per requirement, each cell the verdict.'")
