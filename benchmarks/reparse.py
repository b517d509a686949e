"""Re-parse speed: our adapters over archived pages against a bare lexbor parse of the same pages, per core.

    make bench-reparse            # = .venv/bin/python benchmarks/reparse.py --write docs/benchmarks.md
    .venv/bin/python benchmarks/reparse.py --quick                # 3 counties × 60 documents, well under 30 s

A sample web (--counties × --docs, in this process, on loopback ports the OS picks) is harvested into a temporary
data folder (`harvest_many`, no Dagster). Every archived HTML / XML / JSON answer of kind entry, list or document
(2xx with a body; 304s skipped) is read from the WARC files into memory with its site's adapter, so no I/O is timed.
Then, single-threaded in this one process (pinned to one CPU where the OS allows), best of --repeat passes:

    ours:  decode_html(body) → adapter.columns / list_page / document (everything extracted, as parse does)
    bare:  decode_html(body) → selectolax.lexbor.LexborHTMLParser(text) (a parse, nothing extracted)

Reported: pages/s per core for both, per page kind and in total, the ratio ours / bare throughput (target ≥ 0.4), and
the same ratio per adapter. The script measures and prints; it asserts nothing. With --write, the results replace the
reparse section of the markdown file (appended if it has none); other sections are left as they are.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import doc_sections  # noqa: E402  (benchmarks/, the script's own folder)
from selectolax.lexbor import LexborHTMLParser  # noqa: E402

from harvesters.adapters import adapter_for  # noqa: E402
from harvesters.archive import ArchiveReader  # noqa: E402
from harvesters.encoding import decode_html  # noqa: E402
from harvesters.runner import harvest_many  # noqa: E402
from sampleweb.server import SampleWeb  # noqa: E402
from sampleweb.truth import registry_sites  # noqa: E402
from warehouse.lake import Lake  # noqa: E402

KINDS = ("entry", "list", "document")
TEXT_TYPES = ("html", "xml", "json")
TARGET = 0.4


def build_archive(args, data: Path) -> tuple[Lake, dict[str, str], int]:
    """Serve the sample web, harvest every county into `data`; (lake, site id → adapter name, requests)."""
    with SampleWeb(counties=args.counties, docs_per_county=args.docs, seed=args.seed) as web:
        sites = registry_sites(web)
        lake = Lake(data)
        reports = harvest_many(sites, lake, workers=args.workers)
    bad = [f"{r.site_id}: {r.status}" for r in reports if r.status != "ok"]
    if bad:
        print(f"reparse: some harvests were not ok ({'; '.join(bad)}); timing what was archived", file=sys.stderr)
    # the adapter each crawl used: the registry's, or the one detected from the entry page (the small-vendor county)
    return lake, {r.site_id: r.adapter for r in reports}, sum(r.requests for r in reports)


def load_pages(lake: Lake, adapters: dict[str, str]) -> list[tuple[str, str, str, bytes, str]]:
    """(adapter name, kind, url, body, content type) of every archived text page of kind entry / list / document."""
    pages = []
    for site_id, adapter in adapters.items():
        for run_id in lake.finished_runs(site_id):
            with ArchiveReader(lake.warc_path(site_id, run_id).parent) as reader:
                for row in lake.read_run_table(site_id, run_id, "fetch_log"):
                    if row["kind"] not in KINDS or not row["body_warc"] or not 200 <= row["status"] < 300:
                        continue  # 304s and failures carry no body of their own
                    _, headers, body = reader.read_at(row["body_warc"], row["body_offset"])
                    ctype = row["content_type"] or next((v for k, v in headers if k.lower() == "content-type"), "")
                    if body and any(t in ctype.lower() for t in TEXT_TYPES):
                        pages.append((adapter, row["kind"], row["url"], body, ctype))
    return pages


def ours(adapter, kind: str, url: str, body: bytes, ctype: str) -> None:
    text, _ = decode_html(body, ctype)
    if kind == "entry":
        adapter.columns(url, text)
    elif kind == "list":
        adapter.list_page(url, text)
    else:
        adapter.document(url, text)


def bare(adapter, kind: str, url: str, body: bytes, ctype: str) -> None:
    text, _ = decode_html(body, ctype)
    LexborHTMLParser(text)


def one_pass(fn, pages, adapters: dict) -> tuple[dict[tuple[str, str], float], list[str]]:
    """Seconds per (adapter, kind) for one pass over every page, and the errors raised (timed like the rest)."""
    spent: dict[tuple[str, str], float] = defaultdict(float)
    errors = []
    clock = time.perf_counter
    for name, kind, url, body, ctype in pages:
        started = clock()
        try:
            fn(adapters[name], kind, url, body, ctype)
        except Exception as exc:  # a page an adapter cannot read is reported, not fatal: this is a speed benchmark
            errors.append(f"{name} {kind} {url}: {type(exc).__name__}: {exc}")
        spent[(name, kind)] += clock() - started
    return spent, errors


def best_of(fn, pages, adapters, repeat: int) -> tuple[dict, list[str]]:
    """Per (adapter, kind) and per group, the best (lowest) time over `repeat` passes."""
    passes = []
    errors: list[str] = []
    for _ in range(repeat):
        spent, errors = one_pass(fn, pages, adapters)
        passes.append(spent)
    groups = {**{("total", "total"): lambda k: True}, **{("kind", kind): (lambda k, kind=kind: k[1] == kind) for kind in KINDS},
              **{("adapter", a): (lambda k, a=a: k[0] == a) for a in adapters},
              **{("cell", f"{a}/{kind}"): (lambda k, a=a, kind=kind: k == (a, kind)) for a in adapters for kind in KINDS}}
    return {g: min(sum(v for k, v in p.items() if keep(k)) for p in passes) for g, keep in groups.items()}, errors


def pin_one_cpu() -> str:
    try:
        cpu = sorted(os.sched_getaffinity(0))[0]
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError):
        return "not pinned (no sched_setaffinity)"


def revision(folder: str) -> str:
    """The last commit that changed `folder`, and whether it has uncommitted changes now (numbers move with both)."""
    try:
        last = subprocess.run(["git", "log", "-1", "--format=%h", "--", folder], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", folder], cwd=ROOT, capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "an unknown revision"
    return f"commit {last}" + (" plus uncommitted changes" if dirty else "")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--counties", type=int, default=12, help="sample counties (the families rotate trs, hanweb, ucap)")
    ap.add_argument("--docs", type=int, default=200, help="documents per county (approximately)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3, help="timed passes; the best is reported")
    ap.add_argument("--workers", type=int, default=None, help="sites harvested at once while building the archive")
    ap.add_argument("--quick", action="store_true", help="3 counties × 60 documents: a quick look")
    ap.add_argument("--write", help="markdown file whose reparse section gets the results")
    args = ap.parse_args()
    if args.quick:
        args.counties, args.docs = 3, 60

    with tempfile.TemporaryDirectory(prefix="gongkai-bench-reparse-") as tmp:
        started = time.perf_counter()
        lake, site_adapters, requests = build_archive(args, Path(tmp))
        pages = load_pages(lake, site_adapters)
        print(f"archive: {len(site_adapters)} sites, {requests} requests harvested in "
              f"{time.perf_counter() - started:.1f} s; {len(pages)} pages ({sum(len(p[3]) for p in pages) / 1e6:.1f} MB) "
              f"loaded into memory", flush=True)
    names = sorted({p[0] for p in pages})
    adapters = {n: adapter_for(n) for n in names}
    pinned = pin_one_cpu()
    print(f"timing, single-threaded, {pinned}, best of {args.repeat}", flush=True)
    ours_t, errors = best_of(ours, pages, adapters, args.repeat)
    bare_t, _ = best_of(bare, pages, adapters, args.repeat)
    counts: dict = defaultdict(int)
    for name, kind, *_ in pages:
        for g in (("total", "total"), ("kind", kind), ("adapter", name), ("cell", f"{name}/{kind}")):
            counts[g] += 1

    def row(g) -> dict:
        n = counts[g]
        return {"pages": n, "ours_pages_s": round(n / ours_t[g], 1) if ours_t[g] else None,
                "bare_pages_s": round(n / bare_t[g], 1) if bare_t[g] else None,
                "ratio": round(bare_t[g] / ours_t[g], 3) if ours_t[g] else None}

    result = {
        "counties": args.counties, "docs_per_county": args.docs, "repeat": args.repeat,
        "machine": platform.machine(), "cores": os.cpu_count(), "python": platform.python_version(),
        "adapters_at": revision("harvesters"), "sample_web_at": revision("sampleweb"),
        "total": row(("total", "total")), "kinds": {k: row(("kind", k)) for k in KINDS if counts[("kind", k)]},
        "adapters": {a: row(("adapter", a)) for a in names},
        "cells": {c: row(("cell", c)) for _, c in sorted(g for g in counts if g[0] == "cell")},
        "errors": len(errors),
    }
    print_result(result)
    if errors:
        print(f"{len(errors)} pages raised in our adapters (timed all the same), first: {errors[0]}", file=sys.stderr)
    if args.write:
        write_section(Path(args.write), result)


def print_result(r: dict) -> None:
    def line(label: str, x: dict) -> str:
        return f"{label:<16} {x['pages']:>6} {x['ours_pages_s']:>12} {x['bare_pages_s']:>12} {x['ratio']:>8}"

    print(f"\n{'pages/s per core':<16} {'pages':>6} {'ours':>12} {'bare lexbor':>12} {'ratio':>8}")
    for kind, x in r["kinds"].items():
        print(line(kind, x))
    print(line("total", r["total"]))
    print()
    for name, x in r["adapters"].items():
        print(line(f"adapter {name}", x))
    for cell, x in r["cells"].items():
        print(line(f"  {cell}", x))
    print(f"\nours / bare throughput: {r['total']['ratio']} (target ≥ {TARGET})"
          + ("" if r["total"]["ratio"] >= TARGET else "  — below target"))
    print(json.dumps(r, indent=1, ensure_ascii=False))


def write_section(path: Path, r: dict) -> None:
    command = " ".join(["benchmarks/reparse.py", *sys.argv[1:]])

    def cells(x: dict) -> str:
        return f"{x['pages']} | {x['ours_pages_s']:,.0f} | {x['bare_pages_s']:,.0f} | {x['ratio']} ×"

    kinds = "\n".join(f"| {kind} | {cells(x)} |" for kind, x in r["kinds"].items())
    per_adapter = "\n".join(f"| {name} | {cells(x)} |" for name, x in r["adapters"].items())
    verdict = (f"Ours reaches {r['total']['ratio']} × the bare parse's throughput: "
               + ("at or above" if r["total"]["ratio"] >= TARGET else "below") + f" the target of {TARGET} ×.")
    errors = f" {r['errors']} pages raised in our adapters (timed all the same)." if r["errors"] else ""
    section = f"""## Re-parse speed: our adapters against a bare lexbor parse

`{command}` — {r['counties']} sample counties (≈{r['docs_per_county']} documents each) harvested into a temporary
archive; every archived HTML / XML / JSON page of kind entry, list or document is read into memory first (no I/O is
timed). Then, single-threaded in one process, best of {r['repeat']} passes: *ours* is `decode_html` and then the
adapter's `columns` / `list_page` / `document`, with every field extracted; *bare* is `decode_html` and then
`selectolax.lexbor.LexborHTMLParser(text)`, with nothing extracted. Machine: {r['machine']}, {r['cores']} cores
(one used), Python {r['python']}. Code: harvesters/ at {r['adapters_at']}; sampleweb/ at {r['sample_web_at']}.{errors}
{verdict}

| Page kind | Pages | Ours (pages/s per core) | Bare lexbor (pages/s per core) | Ours / bare |
|---|---|---|---|---|
{kinds}
| **total** | {r['total']['pages']} | {r['total']['ours_pages_s']:,.0f} | {r['total']['bare_pages_s']:,.0f} | **{r['total']['ratio']} ×** (target ≥ {TARGET}) |

| Adapter | Pages | Ours (pages/s per core) | Bare lexbor (pages/s per core) | Ours / bare |
|---|---|---|---|---|
{per_adapter}
"""
    doc_sections.write_section(path, "reparse", section)


if __name__ == "__main__":
    main()
