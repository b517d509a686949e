"""The Parquet lake: per-site folders written by harvest and parse; only the catalogue step writes DuckDB.

    <data>/lake/sites/<site_id>/warc/<run_id>.warc.gz      raw responses (harvest)
    <data>/lake/sites/<site_id>/runs/<run_id>/{fetch_log,harvest_runs,harvest_errors}.parquet
    <data>/lake/sites/<site_id>/runs/<run_id>/journal.jsonl  while the run is going (kept if it is killed)
    <data>/lake/sites/<site_id>/{documents,sections,attachments,list_items,tree_pages,report_figures,report_checks,
                                 captures}.parquet   (parse; replaced atomically)
"""
from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from schemas.tables import LAKE_TABLES


class LakeDamaged(RuntimeError):
    """A lake file that cannot be read; the message names it and what to do."""


class Lake:
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
