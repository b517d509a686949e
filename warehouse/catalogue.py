"""Build the DuckDB catalogue from the Parquet lake in one step (the only writer of the DuckDB file).

The new file is built beside the old one and renamed over it, so a failed build leaves the last good catalogue.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb
import pyarrow as pa

from schemas.registry import Site
from schemas.tables import LAKE_TABLES
from schemas.taxonomy import Taxonomy, load_taxonomy
from warehouse.lake import Lake

VIEWS_SQL = Path(__file__).with_name("catalogue.sql")
SITE_TABLES = ("documents", "sections", "attachments", "list_items")
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


def build_catalogue(lake: Lake, sites: list[Site], taxonomy: Taxonomy | None = None) -> dict[str, int]:
    taxonomy = taxonomy or load_taxonomy()
    target = lake.catalogue_path
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
        _reference_tables(con, sites, taxonomy)
        con.execute(VIEWS_SQL.read_text(encoding="utf-8"))
        _matrix_view(con, taxonomy)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tmp, target)
    return counts


def _reference_tables(con, sites: list[Site], taxonomy: Taxonomy) -> None:
    con.execute("""CREATE TABLE sites (site_id VARCHAR PRIMARY KEY, name VARCHAR, level VARCHAR, province VARCHAR,
                   adapter VARCHAR, entry_url VARCHAR, active BOOLEAN)""")
    con.executemany("INSERT INTO sites VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(s.site_id, s.name, s.level, s.province, s.adapter, s.entry_urls[0], s.active)
                     for s in sorted(sites, key=lambda s: s.site_id)])
    con.execute("""CREATE TABLE requirements (key VARCHAR PRIMARY KEY, name VARCHAR, basis VARCHAR, freshness VARCHAR,
                   threshold_days INTEGER, title_pattern VARCHAR, synonyms VARCHAR[], slugs VARCHAR[])""")
    con.executemany("INSERT INTO requirements VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
        (r.key, r.name, r.basis, r.freshness, taxonomy.freshness_days.get(r.freshness), r.title_pattern,
         list(r.names), list(r.slugs)) for r in taxonomy.requirements])
    con.execute("CREATE TABLE column_mapping (site_id VARCHAR, path VARCHAR, requirement_key VARCHAR, reason VARCHAR)")
    rows = con.execute("SELECT site_id, path, name, url FROM sections ORDER BY site_id, path").fetchall()
    mapping = []
    for site_id, path, name, url in rows:
        url_path = url.split("://", 1)[-1].split("/", 1)[-1] if url else ""
        for key, reason in taxonomy.match(name, url_path):
            mapping.append((site_id, path, key, reason))
    if mapping:
        con.executemany("INSERT INTO column_mapping VALUES (?, ?, ?, ?)", mapping)
    # The audit date of a site is the Beijing-time day of its latest harvest; the annual report due by then is the
    # previous year's once March 31 has passed (条例 第五十条), else the year before.
    con.execute("""CREATE TABLE audit_dates AS
                   WITH d AS (
                       SELECT s.site_id, coalesce(max(CAST(timezone('Asia/Shanghai', f.fetched_at) AS DATE)),
                                                  CAST(timezone('Asia/Shanghai', now()) AS DATE)) AS as_of
                       FROM sites s LEFT JOIN fetch_log f USING (site_id) GROUP BY s.site_id)
                   SELECT site_id, as_of,
                          CASE WHEN as_of > make_date(year(as_of), 3, 31) THEN year(as_of) - 1
                               ELSE year(as_of) - 2 END AS report_year_due
                   FROM d ORDER BY site_id""")


def _matrix_view(con, taxonomy: Taxonomy) -> None:
    keys = [r.key for r in taxonomy.requirements]
    if not all(re.fullmatch(r"[a-z0-9_]+", k) for k in keys):
        raise ValueError(f"requirement keys must be lowercase identifiers: {keys}")
    listed = ", ".join(f"'{k}'" for k in keys)
    con.execute(f"""CREATE VIEW coverage_matrix AS
                    PIVOT (SELECT site_id, requirement_key, verdict FROM coverage)
                    ON requirement_key IN ({listed}) USING first(verdict) GROUP BY site_id ORDER BY site_id""")
    con.execute("COMMENT ON VIEW coverage_matrix IS 'One row per site, one column per requirement, each cell the verdict.'")
