"""The open-data release (first cut): documents and coverage as Parquet and CSV, described by datapackage.json.

CSV files are UTF-8 with a BOM so that Excel opens Chinese text correctly.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from schemas.clock import china_today
from schemas.tables import SCHEMA_VERSION
from warehouse.lake import Lake

RESOURCES = {
    "documents": ("SELECT doc_id, site_id, url, column_path, title, index_no, index_no_raw, doc_no, publisher, "
                  "written_date, published_date, validity, topic, first_seen, last_seen, withdrawn_at FROM documents "
                  "ORDER BY site_id, doc_id", "Documents (文件) found in county disclosure sections, with metadata."),
    "coverage": ("SELECT site_id, requirement_key, requirement_name, verdict, rule, columns, items, newest_item_date, "
                 "threshold_days, as_of, report_year, array_to_string(evidence_urls, ' ') AS evidence_urls "
                 "FROM coverage ORDER BY site_id, requirement_key",
                 "County × requirement coverage verdicts with evidence URLs."),
}
_TYPES = {"string": "string", "large_string": "string", "date32[day]": "date", "int32": "integer", "int64": "integer",
          "int128": "integer", "bool": "boolean", "double": "number"}


def _field_type(arrow_type) -> str:
    return _TYPES.get(str(arrow_type), "string")


def write_release(lake: Lake, day: str | None = None) -> tuple[Path, dict[str, int]]:
    """Write releases/<day>/ from the catalogue and point releases/latest at it; returns (path, rows per resource)."""
    day = day or china_today().isoformat()
    root = lake.data_dir / "releases"
    out = root / day
    tmp = root / f".{day}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    resources, rows = [], {}
    with duckdb.connect(str(lake.catalogue_path), read_only=True) as con:
        for name, (sql, title) in RESOURCES.items():
            table = con.sql(sql).to_arrow_table()
            pq.write_table(table, tmp / f"{name}.parquet", compression="zstd")
            with open(tmp / f"{name}.csv", "w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(table.column_names)
                for rec in table.to_pylist():
                    writer.writerow(["" if v is None else v for v in rec.values()])
            rows[name] = table.num_rows
            fields = [{"name": f.name, "type": _field_type(f.type)} for f in table.schema]
            for fmt in ("parquet", "csv"):
                path = tmp / f"{name}.{fmt}"
                res = {"name": f"{name}-{fmt}", "path": path.name, "title": title, "format": fmt,
                       "bytes": path.stat().st_size, "hash": "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()}
                if fmt == "csv":
                    res |= {"mediatype": "text/csv", "encoding": "utf-8-sig", "schema": {"fields": fields}}
                resources.append(res)
    package = {"$schema": "https://datapackage.org/profiles/2.0/datapackage.json", "name": "gongkai",
               "title": "Gongkai: county government information disclosure (政府信息公开) catalogue and audit",
               "version": day, "schema_version": SCHEMA_VERSION,
               "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
               "resources": resources}
    (tmp / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    os.replace(tmp, out)
    latest = root / "latest"
    if latest.is_symlink() or latest.exists():
        latest.unlink()
    latest.symlink_to(day, target_is_directory=True)
    return out, rows
