"""Write a dated release (releases/YYYY-MM-DD/) from the catalogue: every resource as Parquet and CSV, screened for
personal data first, with datapackage.json, DCAT catalogues, SHA256SUMS, manifest.json, a README and the static site.

Each resource is streamed: read from the catalogue a run of sites at a time (about RUN_DOCUMENTS documents' worth),
in batches of BATCH_ROWS rows, screened and written batch by batch (Parquet row groups, CSV lines), so memory stays
bounded whatever the size of the catalogue.

A release is written to a staging folder (releases/.staging/<day>/); the Dagster check `release_has_no_personal_data`
re-scans it, and only then does `publish_release` move it into place and point releases/latest at it.
Same catalogue, same day → byte-identical files, except manifest.json (which records when and by which run).
"""
from __future__ import annotations

import csv
import gzip
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from gongkai.release.evidence import write_snapshots
from gongkai.release.history import changes, previous_release
from gongkai.release.metadata import sha256, write_checksums, write_metadata
from gongkai.release.resources import RESOURCES, Resource
from gongkai.release.screen import screen_table
from gongkai.schemas.clock import china_today
from gongkai.schemas.datafolder import DataFolder
from gongkai.warehouse.access import open_read_only

PARTITION_ROWS = 1_000_000      # a resource larger than this is written as Parquet partitioned by province
GZIP_BYTES = 50 * 1024 * 1024   # a CSV larger than this is gzipped
BATCH_ROWS = 20_000             # rows read, screened and written at a time
RUN_DOCUMENTS = 50_000          # documents in one run of sites a query reads (a bigger site is a run alone)
MEMORY_LIMIT = "1GB"            # DuckDB's own memory for the release's queries (it spills sorts to disk beyond it)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # cells a spreadsheet would run as a formula (CSV injection)


def staged_quarantine(lake: DataFolder, day: str) -> Path:
    """The quarantine report of the staged release, moved beside the others when the release is published."""
    return lake.staging_dir(day).with_name(f"{day}.quarantine.csv")


def csv_cell(value) -> str:
    """A CSV cell as Excel should show it: lists joined by spaces, formula-like text prefixed with ' (OWASP advice)."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = " ".join(str(v) for v in value if v is not None)
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return "'" + text if text.startswith(FORMULA_START) and not _number(text) else text


def _number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


class _CsvOut:
    """A resource's CSV, written batch by batch: UTF-8 with a BOM (Excel reads the Chinese text right), gzipped at the
    end when it grew past `gzip_bytes` (mtime 0 and no file name in the gzip header: the same data, the same bytes)."""

    def __init__(self, path: Path, columns: list[str], gzip_bytes: int) -> None:
        self.path, self.gzip_bytes = path, gzip_bytes
        self.fh = open(path, "w", encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.fh, lineterminator="\r\n")
        self.writer.writerow(columns)

    def write(self, table: pa.Table) -> None:
        columns = [c.to_pylist() for c in table.columns]
        self.writer.writerows([csv_cell(v) for v in row] for row in zip(*columns, strict=True))

    def close(self) -> Path:
        self.fh.close()
        if self.path.stat().st_size <= self.gzip_bytes:
            return self.path
        packed = self.path.with_suffix(".csv.gz")
        with open(self.path, "rb") as src, open(packed, "wb") as raw, \
                gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as fh:
            shutil.copyfileobj(src, fh, 1024 * 1024)
        self.path.unlink()
        return packed


class _ParquetOut:
    """A resource's Parquet, written batch by batch: one file, or one per province when `by_province`."""

    def __init__(self, res: Resource, out: Path, schema: pa.Schema, by_province: bool) -> None:
        self.res, self.out, self.schema, self.by_province = res, out, schema, by_province
        self.writers: dict[object, tuple[Path, pq.ParquetWriter]] = {}

    def _writer(self, province) -> pq.ParquetWriter:
        if province not in self.writers:
            path = (self.out / self.res.name / f"province={province}" / "part-0.parquet" if self.by_province
                    else self.out / f"{self.res.name}.parquet")
            path.parent.mkdir(parents=True, exist_ok=True)
            self.writers[province] = (path, pq.ParquetWriter(path, self.schema, compression="zstd"))
        return self.writers[province][1]

    def write(self, table: pa.Table) -> None:
        if not self.by_province:
            self._writer(None).write_table(table)
            return
        for province in sorted(set(table.column("province").to_pylist()), key=str):
            self._writer(province).write_table(table.filter(pc.equal(table.column("province"), province)))

    def close(self) -> list[Path]:
        if not self.writers:  # an empty resource still gets its file, with its columns
            self._writer(None).write_table(self.schema.empty_table())
        for _, writer in self.writers.values():
            writer.close()
        return sorted(path for path, _ in self.writers.values())


def _site_runs(con) -> list[tuple[str, dict]]:
    """The runs of sites a resource ordered by site is read in, as (WHERE clause, parameters): consecutive sites in
    site order holding at most RUN_DOCUMENTS documents together (a site with more is a run of its own; the documents are
    what makes a site big, and every resource's rows follow them), tiling every site id whatever table it is in, and
    last the rows without one (where ORDER BY puts them). Sized from the documents alone: counting a resource's own
    rows per site first would be the whole-table query the runs are there to avoid (the DISTINCT of `evidence` over
    10 M documents ran out of memory)."""
    bounds, held, last = [], 0, None
    for site_id, n in con.execute("SELECT site_id, count(*) FROM documents WHERE site_id IS NOT NULL GROUP BY site_id "
                                  "ORDER BY site_id").fetchall():
        if held and held + n > RUN_DOCUMENTS:
            bounds.append(last)
            held = 0
        held, last = held + n, site_id
    edges = [None, *bounds, None]
    runs = []
    for low, high in zip(edges, edges[1:], strict=False):
        where = [w for w, edge in (("site_id > $low", low), ("site_id <= $high", high)) if edge is not None]
        runs.append((" AND ".join(where) or "site_id IS NOT NULL",
                     {k: v for k, v in (("low", low), ("high", high)) if v is not None}))
    return [*runs, ("site_id IS NULL", {})]


def _batches(con, res: Resource, runs: list[tuple[str, dict]]) -> tuple[pa.Schema, int | None, Iterator[pa.RecordBatch]]:
    """(columns, rows, batches) of a resource in its order; rows are counted first only where the Parquet may be split
    by province (PARTITION_ROWS). A resource ordered by site is read a run of sites at a time (`runs`), so DuckDB
    never sorts more than about RUN_DOCUMENTS documents' worth at once: a whole-table ORDER BY of 10 M documents needed
    more than the release's memory limit. The others are small and read in one query."""
    schema = con.execute(f"SELECT * FROM ({res.sql}) LIMIT 0").to_arrow_reader().schema
    rows = con.execute(f"SELECT count(*) FROM ({res.sql})").fetchall()[0][0] if "province" in schema.names else None
    if not res.by_site:
        return schema, rows, iter(con.execute(f"SELECT * FROM ({res.sql}) ORDER BY {res.order}")
                                  .to_arrow_reader(BATCH_ROWS))

    def read() -> Iterator[pa.RecordBatch]:
        for where, params in runs:
            yield from con.execute(f"SELECT * FROM ({res.sql}) WHERE {where} ORDER BY {res.order}",
                                   params).to_arrow_reader(BATCH_ROWS)
    return schema, rows, read()


def _even(batches: Iterator[pa.RecordBatch], schema: pa.Schema) -> Iterator[pa.Table]:
    """The rows in tables of BATCH_ROWS (the last shorter), however the queries cut them: a Parquet row group per
    table, so the files do not depend on where the runs of sites end."""
    pending: list[pa.RecordBatch] = []
    held = 0
    for batch in batches:
        pending.append(batch)
        held += batch.num_rows
        while held >= BATCH_ROWS:
            table = pa.Table.from_batches(pending, schema)
            yield table.slice(0, BATCH_ROWS)
            rest = table.slice(BATCH_ROWS)
            pending, held = rest.to_batches(), rest.num_rows
    if held:
        yield pa.Table.from_batches(pending, schema)


def _write_resource(con, res: Resource, runs: list[tuple[str, dict]], out: Path, partition_rows: int, gzip_bytes: int,
                    quarantine: list[dict]) -> tuple[pa.Schema, list[dict], int]:
    """Stream one resource into its Parquet and CSV files, screened batch by batch; (schema, files, rows)."""
    schema, counted, batches = _batches(con, res, runs)
    parquet = _ParquetOut(res, out, schema, counted is not None and counted > partition_rows)
    text = _CsvOut(out / f"{res.name}.csv", schema.names, gzip_bytes)
    rows = 0
    for table in _even(batches, schema):
        table, hits = screen_table(res.name, table, res.primary_key)
        quarantine += hits
        parquet.write(table)
        text.write(table)
        rows += table.num_rows
    files = [{"path": path.relative_to(out).as_posix(), "resource": res.name, "format": "parquet",
              "rows": pq.ParquetFile(path).metadata.num_rows} for path in parquet.close()]
    files.append({"path": text.close().name, "resource": res.name, "format": "csv", "rows": rows})
    return schema, files, rows


def write_release(lake: DataFolder, day: str | None = None, *, run_id: str | None = None, public_url: str | None = None,
                  partition_rows: int = PARTITION_ROWS, gzip_bytes: int = GZIP_BYTES) -> tuple[Path, dict]:
    """Write the staged release for `day`; returns (its folder, {resource: rows, 'redacted': hits})."""
    from gongkai.release.site import build_site

    day = day or china_today().isoformat()
    out = lake.staging_dir(day)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    quarantine: list[dict] = []
    files: list[dict] = []
    counts: dict[str, int] = {}
    schemas: dict[str, pa.Schema] = {}
    with open_read_only(lake.catalogue_path, memory_limit=MEMORY_LIMIT) as con:
        as_of = con.execute("SELECT max(as_of) FROM audit_dates").fetchall()[0][0]
        runs = _site_runs(con)  # once: every resource ordered by site, and the snapshots, read the same runs
        for res in RESOURCES:
            schemas[res.name], written, counts[res.name] = _write_resource(con, res, runs, out, partition_rows,
                                                                           gzip_bytes, quarantine)
            files += written
        write_snapshots(con, lake, out, quarantine, runs)
    write_metadata(out, day=day, files=files, schemas=schemas, run_id=run_id, public_url=public_url,
                   as_of=as_of.isoformat() if as_of else day)
    changes(out, previous_release(lake.releases_dir, day))
    build_site(out)
    write_checksums(out)
    write_quarantine(staged_quarantine(lake, day), quarantine)
    return out, {**counts, "redacted": len(quarantine)}


def write_quarantine(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, ["resource", "key", "field", "kind", "masked", "source_url"])
        writer.writeheader()
        writer.writerows(rows)


def verify_release(folder: Path) -> list[str]:
    """What is wrong with a release folder, or nothing: SHA256SUMS (written last) must exist, every file it lists must
    hash as listed, and every file but SHA256SUMS and manifest.json must be listed; manifest.json must be there."""
    sums = folder / "SHA256SUMS"
    if not (folder / "manifest.json").exists():
        return [f"{folder / 'manifest.json'}: missing"]
    if not sums.exists():
        return [f"{sums}: missing; the release was not written to the end (build it again)"]
    problems, listed = [], set()
    for n, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), 1):
        digest, _, name = line.partition("  ")
        path = folder / name
        listed.add(name)
        if not path.is_file():
            problems.append(f"{sums}:{n}: {name} is missing")
        elif sha256(path) != digest:
            problems.append(f"{sums}:{n}: {name} does not match its checksum")
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if name not in listed and name not in ("SHA256SUMS", "manifest.json"):
            problems.append(f"{path}: not in SHA256SUMS")
    return problems


def publish_release(lake: DataFolder, day: str) -> Path:
    """Move the checked staging folder into releases/<day>/ (releases/<day>.2/ … when that day is already published:
    a live release is never removed) and point releases/latest at it in one step. A staging folder that does not
    verify (verify_release) is refused."""
    root = lake.releases_dir
    staged = lake.staging_dir(day)
    problems = verify_release(staged) if staged.exists() else [f"{staged}: no staged release for {day}"]
    if problems:
        raise FileNotFoundError(f"{staged}: not a complete release ({'; '.join(problems[:3])}); materialise "
                                "`release_candidate` again")
    final, n = root / day, 1
    while final.exists() or final.is_symlink():
        n += 1
        final = root / f"{day}.{n}"
    os.rename(staged, final)  # same file system: one step, and a name nothing else uses
    if staged_quarantine(lake, day).exists():  # named as the folder it belongs to: a second publication has its own
        lake.quarantine_path(final.name).parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged_quarantine(lake, day), lake.quarantine_path(final.name))
    latest = root / "latest"
    tmp = root / f".latest.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(final.name, target_is_directory=True)
    os.replace(tmp, latest)  # the pointer moves in one step
    return final


def staged_day(lake: DataFolder) -> str:
    """The day of the newest staged release."""
    days = sorted(p.name for p in lake.staging_dir("").glob("*") if (p / "SHA256SUMS").exists())
    if not days:
        raise FileNotFoundError(f"{lake.staging_dir('')}: no staged release")
    return days[-1]
