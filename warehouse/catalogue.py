"""Build the DuckDB catalogue from the Parquet lake (the only writer of the DuckDB file): in full, or by replacing
only the sites whose lake files or registry entries changed since the last build (`update_catalogue`).

Either way the new file is made beside the old one and renamed over it, so a failed build leaves the last good
catalogue and readers never see half an update. The catalogue records what it was built from (`catalogue_files`:
every lake file with its size and modification time; `catalogue_sites`: every registry entry; `catalogue_build`: a
key of the code and settings): an update is incremental only when that key is unchanged.

The warehouse knows nothing of the audit: whoever builds the catalogue passes the stages that add to it (an
`Extension`: the audit, audit.catalogue.Audit), which it installs on the new file before the rename and refreshes for
the changed sites on an update.

One writer at a time, on every machine that mounts the data folder: a build or update holds an exclusive `flock` on
`<catalogue>.lock` (a second writer waits for it, then updates from what the first wrote), which JuiceFS and NFSv4
keep across machines. Dagster also queues one catalogue run at a time (`gongkai/writer`); the lock covers the rest
(`gongkai harvest` on another machine, a benchmark, a hand-run script).
"""
from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import duckdb
import pyarrow as pa
from gongkai.schemas.datafolder import DataFolder
from gongkai.schemas.registry import Site
from gongkai.schemas.tables import LAKE_TABLES, SCHEMA_VERSION
from gongkai.warehouse.dictionary import DICTIONARY, sql_literal, write_comments
from gongkai.warehouse.rows import insert_rows

VIEWS_SQL = Path(__file__).with_name("catalogue.sql")
SITE_TABLES = ("documents", "sections", "attachments", "list_items", "tree_pages", "report_figures", "report_checks",
               "captures")
RUN_TABLES = ("fetch_log", "harvest_runs", "harvest_errors")
# the code whose change makes an incremental update unsafe (the catalogue is then built in full)
SOURCES = (Path(__file__), VIEWS_SQL, Path(__file__).parents[1] / "schemas" / "tables.py", DICTIONARY)


class Extension(Protocol):
    """A stage that adds tables and views to the catalogue (the audit). Its `materialised` views are kept as tables
    (queried like any table, in the time a scan takes); `<name>_live` is the view itself, which an update reads for the
    changed sites only, so each must be computed per site."""
    materialised: tuple[str, ...]

    def key(self) -> str: ...  # changes whenever what it adds could
    def install(self, con, sites: list[Site]) -> None: ...
    def refresh(self, con, sites: list[Site], changed: set[str]) -> None: ...


def site_files(lake: DataFolder, site_id: str) -> dict[str, list[Path]]:
    """The lake files a site contributes to each catalogue table: its parse's tables, every run's harvest_runs row
    (history), and the latest run's fetch log and errors."""
    files = {name: [p] for name in SITE_TABLES if (p := lake.site_dir(site_id) / f"{name}.parquet").exists()}
    runs = lake.site_dir(site_id) / "runs"
    files["harvest_runs"] = sorted(runs.glob("*/harvest_runs.parquet")) if runs.exists() else []
    latest = lake.latest_run(site_id)
    for name in ("fetch_log", "harvest_errors"):
        path = lake.run_dir(site_id, latest) / f"{name}.parquet" if latest else None
        files[name] = [path] if path is not None and path.exists() else []
    return files


def _file_rows(site_id: str, files: dict[str, list[Path]]) -> list[tuple]:
    return sorted((site_id, name, str(p), (st := p.stat()).st_size, st.st_mtime_ns)
                  for name, paths in files.items() for p in paths)


def _settings_key(extension: Extension | None) -> str:
    digest = hashlib.sha256(f"{SCHEMA_VERSION}|{extension.key() if extension else '-'}".encode())
    for source in SOURCES:
        digest.update(source.read_bytes())
    return digest.hexdigest()


def _record(con, key: str, sites: list[Site], files: dict[str, dict[str, list[Path]]], mode: str) -> None:
    """What this catalogue was built from, for the next update_catalogue."""
    con.execute("CREATE OR REPLACE TABLE catalogue_build (settings_key VARCHAR, mode VARCHAR, built_at TIMESTAMPTZ)")
    con.execute("INSERT INTO catalogue_build VALUES (?, ?, now())", [key, mode])
    con.execute("CREATE OR REPLACE TABLE catalogue_sites (site_id VARCHAR PRIMARY KEY, entry VARCHAR)")
    insert_rows(con, "catalogue_sites", ["site_id", "entry"],
            [(s.site_id, s.model_dump_json()) for s in sorted(sites, key=lambda s: s.site_id)])
    con.execute("""CREATE OR REPLACE TABLE catalogue_files (site_id VARCHAR, table_name VARCHAR, path VARCHAR,
                   bytes BIGINT, mtime_ns BIGINT)""")
    insert_rows(con, "catalogue_files", ["site_id", "table_name", "path", "bytes", "mtime_ns"],
            [row for sid in sorted(files) for row in _file_rows(sid, files[sid])])
    for table, text in (("catalogue_build", "How the catalogue was last built: full or incremental, when, and the key "
                                            "of the code and settings it was built with."),
                        ("catalogue_sites", "The registry entries the catalogue was built from (JSON)."),
                        ("catalogue_files", "Every lake file the catalogue was built from, with its size and "
                                            "modification time: an update replaces the sites whose files changed.")):
        con.execute(f"COMMENT ON TABLE {table} IS '{text}'")


def _load(con: duckdb.DuckDBPyConnection, name: str, files: list[Path]) -> int:
    if files:
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet(?, union_by_name = true)",
                    [[str(f) for f in files]])
    else:  # an empty lake still gets every table, with the right columns
        con.register("_empty", pa.Table.from_pylist([], schema=LAKE_TABLES[name]))
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM _empty")
        con.unregister("_empty")
    return con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]


@contextmanager
def one_writer(target: Path) -> Iterator[None]:
    """Hold the catalogue's writer lock (`<target>.lock`), waiting for another writer to finish first."""
    path = Path(target).with_suffix(".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            logging.getLogger(__name__).info("%s: another writer holds %s; waiting for it", target, path)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing drops the lock


def build_catalogue(lake: DataFolder, sites: list[Site], extension: Extension | None = None,
                    target: Path | None = None) -> dict[str, int]:
    """Build the catalogue (lake tables and views, then what `extension` adds) at `target` (default: the lake's
    catalogue path)."""
    target = Path(target or lake.catalogue_path)
    with one_writer(target):
        return _build(lake, sites, extension, target)


def _build(lake: DataFolder, sites: list[Site], extension: Extension | None, target: Path) -> dict[str, int]:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".duckdb.tmp")
    tmp.unlink(missing_ok=True)
    files = {sid: site_files(lake, sid) for sid in sorted(s.site_id for s in sites)}
    counts: dict[str, int] = {}
    con = duckdb.connect(str(tmp))
    try:
        for name in (*SITE_TABLES, *RUN_TABLES):
            counts[name] = _load(con, name, [p for sid in files for p in files[sid].get(name, [])])
        _sites_table(con, sites)
        con.execute(VIEWS_SQL.read_text(encoding="utf-8"))
        if extension:
            extension.install(con, sites)
            _materialise(con, extension.materialised)
        _record(con, _settings_key(extension), sites, files, "full")
        write_comments(con)
        counts.update(_counts(con, extension))
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tmp, target)
    return counts


def update_catalogue(lake: DataFolder, sites: list[Site], extension: Extension | None = None,
                     target: Path | None = None) -> dict[str, int]:
    """Bring the catalogue up to date with the lake and the registry: replace the rows of the sites whose lake files or
    registry entries changed (and drop those of sites no longer listed), then let `extension` refresh what depends on
    them. The result equals `build_catalogue`'s. Built in full when there is no catalogue yet, or it was built by
    other code, settings or extension. Returns the tables' row counts, `sites_updated`, and `incremental` (1 or 0)."""
    target = Path(target or lake.catalogue_path)
    with one_writer(target):
        return _update(lake, sites, extension, target)


def _update(lake: DataFolder, sites: list[Site], extension: Extension | None, target: Path) -> dict[str, int]:
    key = _settings_key(extension)
    before = _built_from(target)
    if before is None or before[0] != key:
        counts = _build(lake, sites, extension, target)
        return {**counts, "sites_updated": len(sites), "incremental": 0}
    _, entries_then, files_then = before
    files = {sid: site_files(lake, sid) for sid in sorted(s.site_id for s in sites)}
    entries = {s.site_id: s.model_dump_json() for s in sites}
    changed = {sid for sid in files if entries[sid] != entries_then.get(sid)
               or _file_rows(sid, files[sid]) != files_then.get(sid, [])}
    removed = set(entries_then) - set(entries)
    if not changed and not removed:  # nothing to replace: the catalogue stands as it is
        with duckdb.connect(str(target), read_only=True) as con:
            return {**_counts(con, extension), "sites_updated": 0, "incremental": 1}
    tmp = target.with_suffix(".duckdb.tmp")
    shutil.copyfile(target, tmp)  # the live file stays whole and readable until the rename
    con = duckdb.connect(str(tmp))
    try:
        for name in (*SITE_TABLES, *RUN_TABLES):
            con.execute(f"DELETE FROM {name} WHERE list_contains(?, site_id)", [sorted(changed | removed)])
            paths = [str(p) for sid in sorted(changed) for p in files[sid].get(name, [])]
            if paths:
                con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM read_parquet(?, union_by_name = true)", [paths])
        con.execute("DROP TABLE sites")
        _sites_table(con, sites)
        if extension:
            extension.refresh(con, sites, changed | removed)
            _refresh_materialised(con, extension.materialised, changed, removed)
        _record(con, key, sites, files, "incremental")
        write_comments(con)  # the tables an update recreates (sites, site_settings, audit_dates …) lost theirs
        counts = _counts(con, extension)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tmp, target)
    return {**counts, "sites_updated": len(changed | removed), "incremental": 1}


# Past this many changed sites, the kept audit tables are recomputed whole (one pass over every rule) rather than
# site by site (a filter on one site reaches into every rule's view; a filter on a list of sites does not).
SITE_BY_SITE = 32


def _refresh_materialised(con, materialised: tuple[str, ...], changed: set[str], removed: set[str]) -> None:
    """The materialised views again for the changed sites, in their order (a later one may read an earlier)."""
    for name in materialised:
        if len(changed) > SITE_BY_SITE:
            con.execute(f"DELETE FROM {name}")
            con.execute(f"INSERT INTO {name} SELECT * FROM {name}_live")
            continue
        con.execute(f"DELETE FROM {name} WHERE list_contains(?, site_id)", [sorted(changed | removed)])
        for site_id in sorted(changed):
            con.execute(f"INSERT INTO {name} SELECT * FROM {name}_live WHERE site_id = ?", [site_id])


def _counts(con, extension: Extension | None) -> dict[str, int]:
    return {name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
            for name in (*SITE_TABLES, *RUN_TABLES, *(extension.materialised if extension else ()))}


def _materialise(con, materialised: tuple[str, ...]) -> None:
    """Each materialised view becomes `<name>_live`, and `<name>` a table of its rows, documented as the view was."""
    for name in materialised:
        comment = con.execute("SELECT comment FROM duckdb_views() WHERE view_name = ?", [name]).fetchone()[0] or ""
        con.execute(f"ALTER VIEW {name} RENAME TO {name}_live")
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_live")
        kept = f"{comment} (Kept as a table, as of each site's last catalogue update; {name}_live computes it now.)"
        live = f"{name} computed from the tables as they are now (the rules themselves; slower than the {name} table)."
        con.execute(f"COMMENT ON TABLE {name} IS {sql_literal(kept)}")
        con.execute(f"COMMENT ON VIEW {name}_live IS {sql_literal(live)}")


def _built_from(target: Path) -> tuple[str, dict[str, str], dict[str, list[tuple]]] | None:
    """(settings key, registry entries, lake files per site) the catalogue at `target` was built from, or None."""
    if not target.exists():
        return None
    try:
        with duckdb.connect(str(target), read_only=True) as con:
            key = con.execute("SELECT settings_key FROM catalogue_build").fetchone()[0]
            entries = dict(con.execute("SELECT site_id, entry FROM catalogue_sites").fetchall())
            files: dict[str, list[tuple]] = {}
            for row in con.execute("SELECT * FROM catalogue_files").fetchall():
                files.setdefault(row[0], []).append(tuple(row))
            files = {sid: sorted(rows) for sid, rows in files.items()}
    except duckdb.Error:  # built before catalogues recorded their sources, or not a catalogue at all
        return None
    return key, entries, files


def _sites_table(con, sites: list[Site]) -> None:
    con.execute("""CREATE TABLE sites (site_id VARCHAR PRIMARY KEY, name VARCHAR, level VARCHAR, province VARCHAR,
                   adapter VARCHAR, entry_url VARCHAR, active BOOLEAN)""")
    insert_rows(con, "sites", ["site_id", "name", "level", "province", "adapter", "entry_url", "active"],
                [(s.site_id, s.name, s.level, s.province, s.adapter, s.entry_urls[0], s.active)
                 for s in sorted(sites, key=lambda s: s.site_id)])

