"""Write a dated release (releases/YYYY-MM-DD/) from the catalogue: every resource as Parquet and CSV, screened for
personal data first, with datapackage.json, DCAT catalogues, SHA256SUMS, manifest.json, a README and the static site.

A release is written to a staging folder (releases/.staging/<day>/); the Dagster check `release_has_no_personal_data`
re-scans it, and only then does `publish_release` move it into place and point releases/latest at it.
Same catalogue, same day → byte-identical files, except manifest.json (which records when and by which run).
"""
from __future__ import annotations

import csv
import gzip
import io
import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from release.metadata import sha256, write_checksums, write_metadata
from release.resources import RESOURCES, Resource
from release.screen import screen_table
from schemas.clock import china_today
from warehouse.access import open_read_only
from warehouse.lake import Lake

PARTITION_ROWS = 1_000_000      # a resource larger than this is written as Parquet partitioned by province
GZIP_BYTES = 50 * 1024 * 1024   # a CSV larger than this is gzipped
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # cells a spreadsheet would run as a formula (CSV injection)


def staging_dir(lake: Lake, day: str) -> Path:
    return lake.data_dir / "releases" / ".staging" / day


def quarantine_path(lake: Lake, release: str) -> Path:
    """The data team's list of the personal data redacted from a published release (named as its folder: <day> or
    <day>.2 …): beside the releases, never inside one."""
    return lake.data_dir / "quarantine" / f"{release}.csv"


def staged_quarantine(lake: Lake, day: str) -> Path:
    """The quarantine report of the staged release, moved beside the others when the release is published."""
    return staging_dir(lake, day).with_name(f"{day}.quarantine.csv")


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


def _write_csv(table: pa.Table, path: Path, gzip_bytes: int) -> Path:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(table.column_names)
    columns = [c.to_pylist() for c in table.columns]
    for row in zip(*columns, strict=True):
        writer.writerow([csv_cell(v) for v in row])
    data = ("\ufeff" + buf.getvalue()).encode("utf-8")  # UTF-8 with BOM: Excel reads the Chinese text right
    if len(data) > gzip_bytes:
        path = path.with_suffix(".csv.gz")
        with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as fh:
            fh.write(data)  # mtime 0 and no file name: the same data gives the same bytes
    else:
        path.write_bytes(data)
    return path


def _write_parquet(res: Resource, table: pa.Table, out: Path, partition_rows: int) -> list[Path]:
    if table.num_rows > partition_rows and "province" in table.column_names:
        paths = []
        for province in sorted(set(table.column("province").to_pylist()), key=str):
            part = table.filter(pc.equal(table.column("province"), province))
            path = out / res.name / f"province={province}" / "part-0.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(part, path, compression="zstd")
            paths.append(path)
        return paths
    path = out / f"{res.name}.parquet"
    pq.write_table(table, path, compression="zstd")
    return [path]


def write_release(lake: Lake, day: str | None = None, *, run_id: str | None = None, public_url: str | None = None,
                  partition_rows: int = PARTITION_ROWS, gzip_bytes: int = GZIP_BYTES) -> tuple[Path, dict]:
    """Write the staged release for `day`; returns (its folder, {resource: rows, 'redacted': hits})."""
    from release.site import build_site

    day = day or china_today().isoformat()
    out = staging_dir(lake, day)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    quarantine: list[dict] = []
    files: list[dict] = []
    counts: dict[str, int] = {}
    with open_read_only(lake.catalogue_path) as con:
        as_of = con.execute("SELECT max(as_of) FROM audit_dates").fetchall()[0][0]
        tables = {}
        for res in RESOURCES:
            table, hits = screen_table(res.name, con.sql(res.sql).to_arrow_table(), res.primary_key)
            quarantine += hits
            tables[res.name] = table
            counts[res.name] = table.num_rows
            for path in _write_parquet(res, table, out, partition_rows):
                files.append({"path": path.relative_to(out).as_posix(), "resource": res.name, "format": "parquet",
                              "rows": pq.ParquetFile(path).metadata.num_rows})
            path = _write_csv(table, out / f"{res.name}.csv", gzip_bytes)
            files.append({"path": path.name, "resource": res.name, "format": "csv", "rows": table.num_rows})
    write_metadata(out, day=day, files=files, tables=tables, run_id=run_id, public_url=public_url,
                   as_of=as_of.isoformat() if as_of else day)
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


def publish_release(lake: Lake, day: str) -> Path:
    """Move the checked staging folder into releases/<day>/ (releases/<day>.2/ … when that day is already published:
    a live release is never removed) and point releases/latest at it in one step. A staging folder that does not
    verify (verify_release) is refused."""
    root = lake.data_dir / "releases"
    staged = staging_dir(lake, day)
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
        quarantine_path(lake, final.name).parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged_quarantine(lake, day), quarantine_path(lake, final.name))
    latest = root / "latest"
    tmp = root / f".latest.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(final.name, target_is_directory=True)
    os.replace(tmp, latest)  # the pointer moves in one step
    return final


def staged_day(lake: Lake) -> str:
    """The day of the newest staged release."""
    days = sorted(p.name for p in (lake.data_dir / "releases" / ".staging").glob("*") if (p / "SHA256SUMS").exists())
    if not days:
        raise FileNotFoundError(f"{lake.data_dir / 'releases' / '.staging'}: no staged release")
    return days[-1]
