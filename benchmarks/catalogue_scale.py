"""The catalogue at scale: a full build against an incremental update, on a synthetic lake with the real schemas.

    make bench-catalogue          # = .venv/bin/python benchmarks/catalogue_scale.py --write docs/benchmarks.md
    .venv/bin/python benchmarks/catalogue_scale.py --documents 1000000 --sites 400

A sample web (one county per CMS family) is harvested and parsed once; its per-site lake tables are the template.
Each synthetic site copies one family's tables under its own site id, its documents, list items and attachments
tiled until the site holds --documents / --sites documents (each copy's URLs and ids made distinct; every doc_id
unique to its site, as the parse makes it). Then, each step in
a child process (its time and peak RSS measured):

    full       build_catalogue over every site
    unchanged  update_catalogue with nothing changed
    one site   update_catalogue after one site's documents file is rewritten (a re-parse of that site)
    queries    coverage and findings summaries from the catalogue, against a bare DuckDB group-by of the list items
               Parquet files (the least any coverage query must read)
    release    write_release (every resource streamed, screened, written as Parquet and CSV, the static site)
    scan       scan_release, the blocking privacy check, over the staged release

It measures and prints; it asserts nothing. With --write, the results replace the catalogue-scale section of the
markdown file.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import doc_sections  # noqa: E402  (benchmarks/, the script's own folder)
import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

TILED = ("documents", "list_items", "attachments")  # the tables that grow with the documents
PROVINCES = 31  # the synthetic sites are spread over as many provinces as China has (the release splits by province)


def template(folder: Path) -> list[dict[str, pa.Table]]:
    """One harvested and parsed sample county per family: {table name: table} of its site folder and latest run."""
    from gongkai.harvesters.parse import parse_site
    from gongkai.harvesters.runner import harvest_many
    from gongkai.sampleweb.server import SampleWeb
    from gongkai.sampleweb.truth import registry_sites
    from gongkai.schemas.datafolder import DataFolder
    from gongkai.warehouse.catalogue import site_files

    lake = DataFolder(folder)
    with SampleWeb(counties=9, docs_per_county=60) as web:
        sites = registry_sites(web)
        harvest_many(sites, lake)
    out = []
    for site in sites:
        parse_site(site, lake)
        out.append({name: pa.concat_tables([pq.read_table(p) for p in paths]) for name, paths
                    in site_files(lake, site.site_id).items() if paths})
    return out


def _tile(table: pa.Table, copies: int) -> pa.Table:
    """`copies` copies of a table, each copy's url and doc_id suffixed with its number (the first left as it is)."""
    parts = []
    for i in range(copies):
        part = table
        for column in ("url", "doc_id"):
            if column in part.column_names and i:
                suffix = f"?n={i}" if column == "url" else f"{i:x}"
                idx = part.column_names.index(column)
                part = part.set_column(idx, column, pc.binary_join_element_wise(part[column], suffix, ""))
        parts.append(part)
    return pa.concat_tables(parts)


def write_lake(folder: Path, families: list[dict[str, pa.Table]], sites: int, documents: int) -> list:
    """The synthetic lake under `folder` and its registry entries."""
    from gongkai.schemas.datafolder import DataFolder
    from gongkai.schemas.registry import Site

    lake, entries = DataFolder(folder), []
    per_site = max(1, documents // sites)
    for n in range(sites):
        tables = families[n % len(families)]
        site_id = f"{990000 + n % 10000:06d}-s{n}"
        copies = max(1, math.ceil(per_site / max(1, tables["documents"].num_rows)))
        run = tables["harvest_runs"]["run_id"][0].as_py() if "harvest_runs" in tables else "run"
        for name, table in tables.items():
            if name in TILED:
                table = _tile(table, copies)
                if name == "documents":
                    table = table.slice(0, per_site)
            table = table.set_column(table.column_names.index("site_id"), "site_id",
                                     pa.array([site_id] * table.num_rows, pa.string()))
            if "doc_id" in table.column_names:  # doc_id hashes the site and the URL: unique to its site, as here
                idx = table.column_names.index("doc_id")
                table = table.set_column(idx, "doc_id", pc.binary_join_element_wise(table["doc_id"], f"-s{n}", ""))
            path = (lake.run_dir(site_id, run) if name in ("fetch_log", "harvest_runs", "harvest_errors")
                    else lake.site_dir(site_id)) / f"{name}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, path, compression="zstd")
        entries.append(Site(site_id=site_id, name=f"合成县{n}", level="county", province=f"合成省{n % PROVINCES}",
                            entry_urls=[f"http://s{n}.example.gov.cn/xxgk/"], adapter="trs"))
    return entries


STEP = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
from gongkai.release.build import write_release
from gongkai.release.screen import scan_release
from gongkai.schemas.registry import load_registry
from gongkai.audit.catalogue import build_catalogue, update_catalogue
from gongkai.schemas.datafolder import DataFolder
lake, sites = DataFolder({data!r}), load_registry({registry!r})
started = time.perf_counter()
counts = {call}
counts = counts if isinstance(counts, dict) else {{"documents": None}}
print(json.dumps({{"seconds": time.perf_counter() - started, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "documents": counts.get("documents"), "incremental": counts.get("incremental"),
                  "sites_updated": counts.get("sites_updated")}}))
"""


def step(data: Path, registry: Path, call: str) -> dict:
    code = STEP.format(root=str(ROOT), data=str(data), registry=str(registry), call=call)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if out.returncode:  # the step's own error, not only its exit status
        raise SystemExit(f"the step {call!r} failed (exit {out.returncode}):\n{out.stderr[-4000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"  {call}: {result['seconds']:.1f} s, peak {result['peak_mib']:.0f} MiB", flush=True)
    return result


def queries(data: Path) -> dict:
    import duckdb
    from gongkai.schemas.datafolder import DataFolder

    lake = DataFolder(data)
    timings = {}
    with duckdb.connect(str(lake.catalogue_path), read_only=True) as con:
        for name, sql in (("coverage", "SELECT verdict, count(*) FROM coverage GROUP BY ALL"),
                          ("findings", "SELECT rule, count(*) FROM findings GROUP BY ALL"),
                          ("bare", "SELECT site_id, column_path, count(*), max(list_date) FROM "
                                   f"read_parquet('{data}/lake/sites/*/list_items.parquet') GROUP BY ALL")):
            con.execute(sql).fetchall()  # warm
            best = min(_timed(con, sql) for _ in range(3))
            timings[name] = best
    return timings


def _timed(con, sql: str) -> float:
    started = time.perf_counter()
    con.execute(sql).fetchall()
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--documents", type=int, default=100_000)
    ap.add_argument("--sites", type=int, default=100)
    ap.add_argument("--write", help="markdown file whose catalogue-scale section gets the results")
    ap.add_argument("--keep", type=Path, help="build in this (new) folder and keep it, to look into a failed step "
                                              "(default: a temporary folder, removed at the end)")
    args = ap.parse_args()
    from gongkai.schemas.registry import dump_registry

    if args.keep:
        args.keep.mkdir(parents=True)  # refuses a folder that exists: a kept lake is never written over
    with (contextlib.nullcontext(str(args.keep)) if args.keep
          else tempfile.TemporaryDirectory(prefix="gongkai-catalogue-")) as tmp:
        tmp = Path(tmp)
        print("harvesting the template (9 sample counties) …", flush=True)
        families = template(tmp / "template")
        data = tmp / "data"
        print(f"writing a synthetic lake: {args.sites} sites, {args.documents} documents …", flush=True)
        sites = write_lake(data, families, args.sites, args.documents)
        registry = tmp / "registry.yaml"
        dump_registry(sites, registry)
        results = {"full": step(data, registry, "build_catalogue(lake, sites)")}
        results["unchanged"] = step(data, registry, "update_catalogue(lake, sites)")
        one = data / "lake" / "sites" / sites[0].site_id / "documents.parquet"
        pq.write_table(pq.read_table(one), one, compression="zstd")  # the site re-parsed: a new file
        results["one_site"] = step(data, registry, "update_catalogue(lake, sites)")
        results["size_mib"] = (data / "catalogue.duckdb").stat().st_size / 2 ** 20
        results["queries"] = queries(data)
        results["release"] = step(data, registry, "write_release(lake, '2030-01-01')[1]")
        results["scan"] = step(data, registry, "scan_release(lake.staging_dir('2030-01-01'))")
        results["release_mib"] = sum(p.stat().st_size for p in (data / "releases").rglob("*") if p.is_file()) / 2 ** 20
    r, q = results, results["queries"]
    millions = r["full"]["documents"] / 1e6
    lines = [
        f"Synthetic lake: {args.sites} sites in {PROVINCES} provinces, {r['full']['documents']:,} documents (real "
        f"schemas; tiled from 9 harvested sample counties), on {platform.machine()} with {os.cpu_count()} cores / "
        f"Python {platform.python_version()}, {datetime.date.today().isoformat()}.",
        "",
        "| Step | Seconds | Peak RSS (MiB) | Sites replaced |",
        "|---|---|---|---|",
        f"| full build | {r['full']['seconds']:.1f} | {r['full']['peak_mib']:.0f} | {args.sites} |",
        f"| update, nothing changed | {r['unchanged']['seconds']:.1f} | {r['unchanged']['peak_mib']:.0f} | "
        f"{r['unchanged']['sites_updated']} |",
        f"| update, one site re-parsed | {r['one_site']['seconds']:.1f} | {r['one_site']['peak_mib']:.0f} | "
        f"{r['one_site']['sites_updated']} |",
        f"| release written (streamed) | {r['release']['seconds']:.1f} | {r['release']['peak_mib']:.0f} | – |",
        f"| release privacy scan | {r['scan']['seconds']:.1f} | {r['scan']['peak_mib']:.0f} | – |",
        "",
        f"Release: {r['release_mib']:.0f} MiB in all; written in {r['release']['seconds'] / millions:.0f} s and "
        f"scanned in {r['scan']['seconds'] / millions:.0f} s per million documents.",
        "",
        f"Catalogue file: {r['size_mib']:.0f} MiB. Queries (best of 3, warm): coverage summary "
        f"{q['coverage'] * 1e3:.1f} ms, findings summary {q['findings'] * 1e3:.1f} ms, bare group-by of the list items "
        f"Parquet {q['bare'] * 1e3:.1f} ms (coverage / bare = {q['coverage'] / q['bare']:.2f}×, findings / bare = "
        f"{q['findings'] / q['bare']:.2f}×).",
    ]
    body = "\n".join(lines)
    print(body)
    if args.write:
        command = ("make bench-catalogue" if (args.documents, args.sites) == (100_000, 100) else
                   f".venv/bin/python benchmarks/catalogue_scale.py --documents {args.documents} --sites {args.sites}")
        doc_sections.write_section(Path(args.write), f"catalogue-scale-{args.documents}",
                                   f"## Catalogue at scale ({args.documents:,} documents)\n\n`{command} --write "
                                   f"docs/benchmarks.md`\n\n{body}")


if __name__ == "__main__":
    main()
