"""The data folder (数据目录): every path under `<data>/` is made here, and nowhere else.

    <data>/lake/sites/<site_id>/warc/<run_id>.warc.gz      raw responses (harvest)
    <data>/lake/sites/<site_id>/runs/<run_id>/{fetch_log,harvest_runs,harvest_errors}.parquet
    <data>/lake/sites/<site_id>/runs/<run_id>/journal.jsonl  while the run is going (kept if it is killed)
    <data>/lake/sites/<site_id>/{documents,sections,attachments,list_items,tree_pages,report_figures,report_checks,
                                 captures}.parquet   (parse; replaced atomically)
    <data>/hosts/                                   per-host lock files every harvest into this folder shares
    <data>/catalogue.duckdb (.lock beside it)       the catalogue (warehouse; one writer)
    <data>/audit/coverage_history.parquet           each audit's share of present requirements per site
    <data>/audit/cards/                             report cards (gongkai audit)
    <data>/releases/<day>/, releases/.staging/<day>/  published and staged releases
    <data>/quarantine/<release>.csv                 personal data the screen removed (never published)
    <data>/dagster_home/                            the local Dagster instance (when $DAGSTER_HOME is not set)
    <data>/sample/                                  the demo's registry and ground truth

Harvest and parse write the lake; only the catalogue step writes DuckDB.
"""
from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from gongkai.schemas.tables import LAKE_TABLES


class LakeDamaged(RuntimeError):
    """A lake file that cannot be read; the message names it and what to do."""


class DataFolder:
    """The folder a deployment keeps its data in (GONGKAI_DATA), and what lies where in it."""

    def __init__(self, data_dir: str | Path) -> None:
        self.data_dir = Path(data_dir)
        self.root = self.data_dir / "lake"

    def site_dir(self, site_id: str) -> Path:
        return self.root / "sites" / site_id

    def run_dir(self, site_id: str, run_id: str) -> Path:
        return self.site_dir(site_id) / "runs" / run_id

    def warc_dir(self, site_id: str) -> Path:
        """The site's WARC files, one per run (fetch-log rows name their file within it)."""
        return self.site_dir(site_id) / "warc"

    def warc_path(self, site_id: str, run_id: str) -> Path:
        return self.warc_dir(site_id) / f"{run_id}.warc.gz"

    @property
    def hosts_dir(self) -> Path:
        """Per-host lock files shared by every harvest into this data folder (see harvesters.hosts)."""
        return self.data_dir / "hosts"

    @property
    def catalogue_path(self) -> Path:
        return self.data_dir / "catalogue.duckdb"

    @property
    def coverage_history_path(self) -> Path:
        return self.data_dir / "audit" / "coverage_history.parquet"

    @property
    def cards_dir(self) -> Path:
        return self.data_dir / "audit" / "cards"

    @property
    def releases_dir(self) -> Path:
        return self.data_dir / "releases"

    def staging_dir(self, day: str) -> Path:
        """A release being written: published by renaming it to releases/<day>[.n]."""
        return self.releases_dir / ".staging" / day

    @property
    def quarantine_dir(self) -> Path:
        return self.data_dir / "quarantine"

    def quarantine_path(self, release: str) -> Path:
        return self.quarantine_dir / f"{release}.csv"

    @property
    def dagster_home(self) -> Path:
        return self.data_dir.resolve() / "dagster_home"

    @property
    def sample_dir(self) -> Path:
        return self.data_dir / "sample"

    def write(self, path: Path, table_name: str, rows: list[dict]) -> Path:
        """Write rows with the table's schema to a temporary file, then rename over `path` (a crash keeps the old)."""
        schema = LAKE_TABLES[table_name]
        table = pa.Table.from_pylist(rows, schema=schema)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".parquet.tmp")
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)
        return path

    def write_site_table(self, site_id: str, table_name: str, rows: list[dict]) -> Path:
        return self.write(self.site_dir(site_id) / f"{table_name}.parquet", table_name, rows)

    def write_run_table(self, site_id: str, run_id: str, table_name: str, rows: list[dict]) -> Path:
        return self.write(self.run_dir(site_id, run_id) / f"{table_name}.parquet", table_name, rows)

    def read_site_table(self, site_id: str, table_name: str) -> list[dict]:
        path = self.site_dir(site_id) / f"{table_name}.parquet"
        return pq.read_table(path).to_pylist() if path.exists() else []

    def finished_runs(self, site_id: str) -> list[str]:
        """Runs of a site that finished (their harvest_runs file is written last), oldest first."""
        runs = self.site_dir(site_id) / "runs"
        return sorted(p.parent.name for p in runs.glob("*/harvest_runs.parquet")) if runs.exists() else []

    def unfinished_run(self, site_id: str) -> str | None:
        """The newest run the next harvest resumes: it still has its journal, because it was killed before it finished
        (no harvest_runs file) or stopped on an unexpected error (recorded `failed`, journal kept)."""
        runs = self.site_dir(site_id) / "runs"
        left = sorted(p.parent.name for p in runs.glob("*/journal.jsonl")) if runs.exists() else []
        return left[-1] if left else None

    def latest_run(self, site_id: str) -> str | None:
        done = self.finished_runs(site_id)
        return done[-1] if done else None

    def read_run_table(self, site_id: str, run_id: str, table_name: str) -> list[dict]:
        path = self.run_dir(site_id, run_id) / f"{table_name}.parquet"
        try:
            return pq.read_table(path).to_pylist()
        except (pa.ArrowInvalid, OSError) as exc:
            raise LakeDamaged(f"{path}: not a readable Parquet file ({exc}); run {run_id} of {site_id} cannot be used. "
                              f"Move the folder {path.parent} aside (its WARC in {self.warc_dir(site_id)} "
                              "stays) and harvest the site again") from None
