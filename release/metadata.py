"""A release's metadata: datapackage.json (Frictionless Data Package v2, a Table Schema per resource), the DCAT
catalogue twice (data.json in DCAT-US 1.1, catalog.jsonld in JSON-LD DCAT), SHA256SUMS, manifest.json and README.md."""
from __future__ import annotations

import hashlib
import json
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import pyarrow as pa
from gongkai.release.resources import RELEASE_SCHEMA_VERSION, RESOURCES
from gongkai.warehouse.dictionary import describe

LICENSE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
           "path": "https://creativecommons.org/licenses/by/4.0/"}
TITLE = "Gongkai: county government information disclosure (政府信息公开) catalogue and audit"
DESCRIPTION = ("Documents, columns, attachments and annual-report figures harvested from the 政府信息公开 sections of "
               "county government websites, and an audit of each county against what the 政府信息公开条例 requires: "
               "coverage, findings with evidence URLs, and scores.")
MEDIA = {"parquet": "application/vnd.apache.parquet", "csv": "text/csv", "csv.gz": "application/gzip"}
ROOT = Path(__file__).parents[1]


def field_type(t: pa.DataType) -> dict:
    """Table Schema type of a CSV column from its Arrow type (a list is written space-separated)."""
    if pa.types.is_list(t):
        return {"type": "string", "description": "space-separated list"}
    if pa.types.is_integer(t):
        return {"type": "integer"}
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        return {"type": "number"}
    if pa.types.is_boolean(t):
        return {"type": "boolean"}
    if pa.types.is_date(t):
        return {"type": "date"}
    if pa.types.is_timestamp(t):
        return {"type": "datetime"}
    return {"type": "string"}


def _described(resource: str, field: pa.Field) -> dict:
    """Type and description of a release field: the data dictionary's (schemas/dictionary.yaml), and how a list is
    written in CSV."""
    typed = field_type(field.type)
    text = describe(resource, field.name) or ""
    if "description" in typed:
        text = f"{text} ({typed['description']})" if text else typed["description"]
    return {**typed, "description": text}


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def code_version() -> str:
    """The package version and, in a git checkout, the commit (with -dirty when the tree has changes)."""
    try:
        version = metadata.version("gongkai")
    except metadata.PackageNotFoundError:
        version = "0"
    try:
        sha = subprocess.run(["git", "describe", "--always", "--dirty", "--abbrev=12"], cwd=ROOT, capture_output=True,
                             text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        sha = ""
    return f"{version}+{sha}" if sha else version


def _datapackage(day: str, files: list[dict], schemas: dict[str, pa.Schema], version: str) -> dict:
    resources = []
    for f in files:
        res = next(r for r in RESOURCES if r.name == f["resource"])
        fmt = "csv" if f["format"] == "csv" else "parquet"
        name = f"{res.name}-{fmt}"
        parts = [x for x in files if x["resource"] == res.name and x["format"] == f["format"]]
        if len(parts) > 1:  # partitioned by province: one resource per part
            name += f"-{parts.index(f) + 1}"
        entry = {"name": name, "path": f["path"], "title": res.title, "description": res.description,
                 "format": fmt, "mediatype": MEDIA["csv.gz" if f["path"].endswith(".gz") else fmt],
                 "bytes": f["bytes"], "hash": f"sha256:{f['sha256']}"}
        if fmt == "csv":  # the table, with its Table Schema (Frictionless validates every row against it)
            fields = [{"name": field.name, **_described(res.name, field)} for field in schemas[res.name]]
            entry |= {"type": "table", "encoding": "utf-8-sig", "dialect": {"header": True, "delimiter": ","},
                      "schema": {"fields": fields, "primaryKey": list(res.primary_key)}}
            if f["path"].endswith(".gz"):
                entry["compression"] = "gz"
        else:  # the same table in Parquet, which carries its own types; checked by size and hash
            entry |= {"type": "file", "gongkai:same_table_as": f"{res.name}-csv"}
        resources.append(entry)
    return {"$schema": "https://datapackage.org/profiles/2.0/datapackage.json", "name": "gongkai", "title": TITLE,
            "description": DESCRIPTION, "version": day, "created": f"{day}T00:00:00+08:00",
            "keywords": ["政府信息公开", "government information disclosure", "open government", "China", "audit"],
            "licenses": [LICENSE],
            "sources": [{"title": "County government websites, 政府信息公开 sections (harvested; see each row's url)"}],
            "contributors": [{"title": "Gongkai", "roles": ["creator", "publisher"]}],
            "gongkai": {"schema_version": RELEASE_SCHEMA_VERSION, "code_version": version},
            "resources": resources}


def _url(public_url: str | None, path: str) -> str:
    return f"{public_url.rstrip('/')}/{path}" if public_url else path


def _dcat_us(day: str, files: list[dict], public_url: str | None) -> dict:
    """data.json per DCAT-US 1.1 (Project Open Data), which CKAN's harvester reads."""
    datasets = []
    for res in RESOURCES:
        mine = [f for f in files if f["resource"] == res.name]
        datasets.append({
            "@type": "dcat:Dataset", "identifier": f"gongkai-{res.name}", "title": f"Gongkai: {res.title}",
            "description": res.description, "keyword": ["政府信息公开", "government information disclosure", res.name],
            "modified": day, "issued": day, "publisher": {"@type": "org:Organization", "name": "Gongkai"},
            "contactPoint": {"@type": "vcard:Contact", "fn": "Gongkai data team",
                             "hasEmail": "mailto:data@gongkai.invalid"},
            "accessLevel": "public", "license": LICENSE["path"], "language": ["zh-CN", "en"],
            "spatial": "China", "describedBy": _url(public_url, "datapackage.json"),
            "describedByType": "application/json",
            "distribution": [{"@type": "dcat:Distribution", "downloadURL": _url(public_url, f["path"]),
                              "mediaType": MEDIA["csv.gz" if f["path"].endswith(".gz") else f["format"]],
                              "format": f["format"].upper(), "title": f["path"],
                              "description": f"{f['rows']} rows, {f['bytes']} bytes, sha256 {f['sha256']}"}
                             for f in mine],
        })
    return {"@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld", "@type": "dcat:Catalog",
            "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
            "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json", "dataset": datasets}


def _dcat_jsonld(day: str, files: list[dict], public_url: str | None) -> dict:
    """The same catalogue in W3C DCAT (JSON-LD), with byte sizes and SPDX checksums per distribution."""
    return {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                     "spdx": "http://spdx.org/rdf/terms#", "foaf": "http://xmlns.com/foaf/0.1/",
                     "xsd": "http://www.w3.org/2001/XMLSchema#"},
        "@id": _url(public_url, "catalog.jsonld"), "@type": "dcat:Catalog", "dct:title": TITLE,
        "dct:description": DESCRIPTION, "dct:issued": {"@value": day, "@type": "xsd:date"},
        "dct:license": {"@id": LICENSE["path"]}, "dct:publisher": {"@type": "foaf:Agent", "foaf:name": "Gongkai"},
        "dcat:dataset": [{
            "@id": _url(public_url, f"#{res.name}"), "@type": "dcat:Dataset", "dct:identifier": f"gongkai-{res.name}",
            "dct:title": res.title, "dct:description": res.description, "dct:modified": {"@value": day, "@type": "xsd:date"},
            "dct:license": {"@id": LICENSE["path"]}, "dcat:keyword": ["政府信息公开", res.name],
            "dcat:distribution": [{
                "@type": "dcat:Distribution", "dcat:downloadURL": {"@id": _url(public_url, f["path"])},
                "dcat:mediaType": MEDIA["csv.gz" if f["path"].endswith(".gz") else f["format"]],
                "dcat:byteSize": {"@value": str(f["bytes"]), "@type": "xsd:decimal"},
                "spdx:checksum": {"@type": "spdx:Checksum", "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                                  "spdx:checksumValue": f["sha256"]}}
                for f in files if f["resource"] == res.name],
        } for res in RESOURCES]}


def _readme(day: str, files: list[dict], version: str, as_of: str, public_url: str | None) -> str:
    rows = "\n".join(f"| `{f['path']}` | {f['rows']} | {f['bytes']} |" for f in files)
    urls = (f"- **Download URLs** (in `data.json` and `catalog.jsonld`): under {public_url}" if public_url else
            "- ⚠ **The download URLs in data.json and catalog.jsonld are relative** to this folder: no public URL was "
            "configured\n  when it was made (`GONGKAI_RELEASE_URL`, or the `gongkai` resource's `release_url`). "
            "Catalogue harvesters\n  (data portals, CKAN) need absolute URLs: set it and make the release again.")
    return f"""# Gongkai release {day}

{DESCRIPTION}

- **License**: [CC BY 4.0]({LICENSE['path']}). Cite as "Gongkai open data, release {day}".
- **Provenance**: harvested from the county websites listed in `sites` (each row carries the source `url`); the
  audit is judged as of {as_of}. Made by Gongkai {version}; `manifest.json` names the run.
- **Personal data**: ID, mobile and bank-card numbers found in harvested text were replaced by markers such as
  〔已隐去身份证号〕 before publication (公开前审查).
- **Schema**: release schema version {RELEASE_SCHEMA_VERSION}; columns are only ever added, never renamed or retyped
  (a change that breaks this bumps the version). Field types are in `datapackage.json`.
- **Verify**: `sha256sum -c SHA256SUMS`. **Browse**: open `site/index.html`.
{urls}

| file | rows | bytes |
|---|---:|---:|
{rows}

## Read it

DuckDB:

```sql
SELECT site_id, rule, severity, subject, evidence_urls FROM 'findings.parquet' ORDER BY site_id;
SELECT * FROM read_csv('coverage.csv') WHERE verdict = 'missing';
```

pandas:

```python
import pandas as pd
docs = pd.read_parquet("documents.parquet")
coverage = pd.read_csv("coverage.csv", encoding="utf-8-sig")
```

Excel opens the CSV files directly (UTF-8 with a byte-order mark). Cells that begin with `=`, `+`, `-` or `@` are
prefixed with `'` so that a spreadsheet shows them as text instead of running them.
"""


def write_metadata(out: Path, *, day: str, files: list[dict], schemas: dict[str, pa.Schema], run_id: str | None,
                   public_url: str | None, as_of: str) -> None:
    for f in files:
        path = out / f["path"]
        f["bytes"], f["sha256"] = path.stat().st_size, sha256(path)
    version = code_version()
    docs = {
        "datapackage.json": _datapackage(day, files, schemas, version),
        "data.json": _dcat_us(day, files, public_url),
        "catalog.jsonld": _dcat_jsonld(day, files, public_url),
    }
    for name, doc in docs.items():
        (out / name).write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / "README.md").write_text(_readme(day, files, version, as_of, public_url), encoding="utf-8")
    manifest = {"release": day, "schema_version": RELEASE_SCHEMA_VERSION, "code_version": version, "run_id": run_id,
                "created_at": datetime.now(UTC).replace(microsecond=0).isoformat(), "as_of": as_of,
                "license": LICENSE["name"], "files": files}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_checksums(out: Path) -> None:
    """SHA256SUMS over every file of the release but itself and manifest.json (which records the time and run)."""
    paths = sorted(p for p in out.rglob("*") if p.is_file() and p.name not in ("SHA256SUMS", "manifest.json"))
    (out / "SHA256SUMS").write_text("".join(f"{sha256(p)}  {p.relative_to(out).as_posix()}\n" for p in paths),
                                    encoding="utf-8")
