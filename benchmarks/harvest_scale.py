"""Many sites at once: do 100 polite site harvests take little longer than the slowest one alone? And Scrapy?

    make bench-harvest            # = .venv/bin/python benchmarks/harvest_scale.py --write docs/benchmarks.md
    .venv/bin/python benchmarks/harvest_scale.py --sites 10 --docs 10 --delay 0.2   # a quick look

The sample web runs in its own process (`gongkai sample serve --latency`), one loopback port per county, every answer
delayed by --latency. Every site is harvested with the same politeness: --delay seconds between requests to a host,
one request in flight per host. Timed in one run, on one machine:

1. alone:  the site with the most requests (counted from a first crawl at no delay) harvested by itself;
2. all:    every site harvested at once by `harvest_many` (one thread per site, the shared host gate);
3. scrapy: every site crawled by Scrapy 2.13 with the same settings and our adapters (benchmarks/scrapy_crawl.py).

Reported: all / alone (target ≤ 1.5) and scrapy / all. Each run writes into a fresh data folder, so each is a full
sweep. With --write, the results replace the harvest-scale section of docs/benchmarks.md.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import doc_sections  # noqa: E402  (benchmarks/, the script's own folder)
from gongkai.harvesters.crawl import harvest_site  # noqa: E402
from gongkai.harvesters.runner import harvest_many  # noqa: E402
from gongkai.schemas.datafolder import DataFolder  # noqa: E402
from gongkai.schemas.registry import Politeness, dump_registry, load_registry  # noqa: E402


def serve(args, data: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "gongkai_cli", "--data", str(data), "sample", "serve", "--counties", str(args.sites),
           "--docs", str(args.docs), "--port", str(args.port), "--latency", str(args.latency)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in proc.stdout:
        if line.startswith("Serving"):
            return proc
    sys.exit(f"harvest_scale: the sample web did not start: {proc.wait()} (is port {args.port}+ free? pass --port)")


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    out = fn()
    return time.perf_counter() - started, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sites", type=int, default=100)
    ap.add_argument("--docs", type=int, default=30, help="documents per sample county (about 3 requests each)")
    ap.add_argument("--delay", type=float, default=1.0, help="seconds between two requests to one host")
    ap.add_argument("--latency", type=float, default=0.05, help="seconds every answer of the sample web is delayed")
    ap.add_argument("--port", type=int, default=18900)
    ap.add_argument("--no-scrapy", action="store_true", help="skip the Scrapy comparison")
    ap.add_argument("--write", help="markdown file whose harvest-scale section gets the results")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        tmp = Path(tmp)
        server = serve(args, tmp / "web")
        try:
            sites = load_registry(tmp / "web" / "sample" / "registry.yaml")
            for s in sites:
                s.politeness = Politeness(delay_seconds=args.delay, max_concurrency=1, timeout_seconds=20, retries=2)
            registry = tmp / "bench-registry.yaml"
            dump_registry(sites, registry)

            fast = [s.model_copy(update={"politeness": Politeness(delay_seconds=0, max_concurrency=1)}) for s in sites]
            counts = {r.site_id: r.requests for r in harvest_many(fast, DataFolder(tmp / "count"), workers=4)}
            slowest = max(sites, key=lambda s: (counts[s.site_id], s.site_id))
            print(f"{len(sites)} sites, {sum(counts.values())} requests in a full sweep; the largest site "
                  f"{slowest.site_id} needs {counts[slowest.site_id]}", flush=True)

            lake = DataFolder(tmp / "alone")
            alone, report = timed(lambda: harvest_site(slowest, lake))
            print(f"alone: {slowest.site_id} in {alone:.1f} s ({report.requests} requests)", flush=True)

            everything, reports = timed(lambda: harvest_many(sites, DataFolder(tmp / "all")))
            bad = [r for r in reports if r.status != "ok"]
            total = sum(r.requests for r in reports)
            print(f"all:   {len(sites)} sites in {everything:.1f} s ({total} requests, {len(bad)} not ok)", flush=True)

            scrapy = None
            if not args.no_scrapy:
                out = tmp / "scrapy.json"
                run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "scrapy_crawl.py"), str(registry),
                                      "--delay", str(args.delay), "--concurrency", "1", "--out", str(out)],
                                     cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
                if run.returncode == 0:
                    scrapy = json.loads(out.read_text(encoding="utf-8"))
                    print(f"scrapy: {len(sites)} sites in {scrapy['seconds']:.1f} s ({scrapy['requests']} requests)")
                else:
                    print("scrapy: failed (install the bench extra: make bench-harvest)", file=sys.stderr)
        finally:
            server.kill()  # a generated web on loopback: nothing to save
            server.wait()

    result = {
        "sites": len(sites), "docs_per_site": args.docs, "delay_s": args.delay, "latency_s": args.latency,
        "largest_site_requests": counts[slowest.site_id], "alone_s": round(alone, 1), "all_s": round(everything, 1),
        "all_requests": total, "not_ok": len(bad), "ratio_all_to_alone": round(everything / alone, 3),
        "scrapy_s": round(scrapy["seconds"], 1) if scrapy else None,
        "scrapy_requests": scrapy["requests"] if scrapy else None,
        "ratio_scrapy_to_ours": round(scrapy["seconds"] / everything, 3) if scrapy else None,
        "scrapy_version": scrapy.get("scrapy_version") if scrapy else None,
    }
    print(json.dumps(result, indent=1))
    if result["ratio_all_to_alone"] > 1.5 or bad:
        print("harvest_scale: target missed (all/alone ≤ 1.5, every site ok)", file=sys.stderr)
    if args.write:
        write_section(Path(args.write), args, result)


def write_section(path: Path, args, r: dict) -> None:
    command = " ".join(["benchmarks/harvest_scale.py", *sys.argv[1:]])
    scrapy = (f"| Scrapy {r['scrapy_version']}, same sites and settings | {r['scrapy_s']} s | "
              f"{r['scrapy_requests']} | {r['ratio_scrapy_to_ours']} × ours |\n" if r["scrapy_s"] else "")
    section = f"""## Many sites at once (issue 3)

`{command}` — {r['sites']} sample counties (≈{r['docs_per_site']} documents each) on loopback, every answer delayed
{r['latency_s'] * 1000:.0f} ms, {r['delay_s']} s between requests to a host and one request in flight per host.
Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.

| Run | Wall time | Requests | Ratio |
|---|---|---|---|
| The largest site alone ({r['largest_site_requests']} requests) | {r['alone_s']} s | {r['largest_site_requests']} | 1 |
| All {r['sites']} sites at once (`harvest_many`) | {r['all_s']} s | {r['all_requests']} | **{r['ratio_all_to_alone']} × alone** (target ≤ 1.5) |
{scrapy}
Sites not ok: {r['not_ok']}. Every run is a full sweep into a fresh data folder. At this politeness both crawlers
are bound by the per-host delay (the largest site's requests × the delay); the ratios show what running 100 sites
together costs on top of that. Per-host politeness under concurrency is not measured here but checked by
`tests/test_harvest_engine.py` against the server's own access log.
"""
    doc_sections.write_section(path, "harvest_scale", section)


if __name__ == "__main__":
    main()
