"""The production stack at scale: a job backfill of many registry sites over few hosts, drained by 1 and 2 workers.

    make bench-stack              # = .venv/bin/python benchmarks/stack_scale.py --write docs/benchmarks.md
    .venv/bin/python benchmarks/stack_scale.py --sites 3000 --hosts 30 --workers 1 2

The sample web serves --hosts counties (each its own host, --docs documents). The synthetic registry names --sites
sites, site i on host i mod --hosts, so many sites share a host (and a politeness group): the run queue lets one run
per group go at a time. For each worker count a fresh stack (pipelines/stack.py: PostgreSQL, Redis, the daemon, the
Celery workers) on loopback gets the sites as partitions and one `dagster job backfill` of harvest_site_job over them;
measured from the backfill's submission until every run has finished:

    drain       seconds until the queue is empty, and runs per minute
    daemon CPU  CPU seconds of the daemon and its code servers
    worker RSS  the largest peak RSS of one worker process (VmHWM: a worker executes its runs in its own process)

It measures and prints; it asserts nothing. With --write, the results replace the stack-scale section of the markdown
file.
"""
from __future__ import annotations

import argparse
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


def registry(web, sites: int, path: Path) -> list:
    from gongkai.sampleweb.truth import registry_sites
    from gongkai.schemas.registry import dump_registry

    hosts = registry_sites(web)
    entries = []
    for i in range(sites):
        site = hosts[i % len(hosts)].model_copy(deep=True)
        site.site_id = f"{site.site_id[:6]}-b{i}"
        site.name = f"{site.name}{i}"
        entries.append(site)
    dump_registry(entries, path)
    return entries


def _tree(pid: int) -> set[int]:
    """`pid` and every process below it."""
    parents: dict[int, int] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            line = next(x for x in status.read_text().splitlines() if x.startswith("PPid:"))
            parents[int(status.parent.name)] = int(line.split()[1])
        except (OSError, StopIteration, ValueError):
            continue
    found, grew = {pid}, True
    while grew:
        more = {p for p, pp in parents.items() if pp in found} - found
        found |= more
        grew = bool(more)
    return found


def cpu_seconds(pids: set[int]) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) / tick  # incl. reaped children
    return total


def peak_rss_mib(pid: int) -> float:
    """The largest VmHWM among `pid` and its children (dagster-celery starts `celery` as its child)."""
    best = 0
    for p in _tree(pid):
        try:
            line = next(x for x in Path(f"/proc/{p}/status").read_text().splitlines() if x.startswith("VmHWM:"))
        except (OSError, StopIteration):
            continue
        best = max(best, int(line.split()[1]))
    return best / 1024


def drain(web, sites: int, workers: int, tmp: Path) -> dict:
    from dagster import DagsterInstance
    from gongkai.pipelines.stack import Stack

    root = tmp / f"stack-{workers}"
    root.mkdir()
    entries = registry(web, sites, root / "registry.yaml")
    stack = Stack(root=root, data=root / "data", registry=root / "registry.yaml", workers=workers)
    try:
        stack.start_servers()
        for key in ("GONGKAI_PG_URL", "GONGKAI_BROKER"):
            os.environ[key] = stack.env()[key]
        instance = DagsterInstance.from_config(str(stack.home))
        instance.add_dynamic_partitions("sites", [s.site_id for s in entries])
        stack.start_processes()
        time.sleep(20)  # the daemon and workers settle (code server loaded) before the clock starts
        daemon_before = cpu_seconds(_tree(stack.procs["daemon"].pid))
        started = time.monotonic()
        subprocess.run([str(Path(sys.executable).parent / "dagster"), "job", "backfill", "-m", "gongkai.pipelines.definitions",
                        "-j", "harvest_site_job", "--partitions", ",".join(s.site_id for s in entries), "--noprompt"],
                       cwd=ROOT, env=stack.env(), check=True, capture_output=True, timeout=600)
        daemon_peak = 0.0
        while True:
            runs = instance.get_runs()
            done = [r for r in runs if r.is_finished]
            daemon_peak = max(daemon_peak, cpu_seconds(_tree(stack.procs["daemon"].pid)))
            if len(done) >= len(entries):
                break
            time.sleep(2)
        seconds = time.monotonic() - started
        ok = sum(r.status.value == "SUCCESS" for r in runs)
        worker_mib = max(peak_rss_mib(stack.procs[f"worker{i}"].pid) for i in range(1, workers + 1))
        daemon_cpu = daemon_peak - daemon_before
    finally:
        stack.stop()
    return {"workers": workers, "seconds": seconds, "runs": len(entries), "ok": ok,
            "per_minute": len(entries) / seconds * 60, "daemon_cpu": daemon_cpu, "worker_mib": worker_mib}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sites", type=int, default=60)
    ap.add_argument("--hosts", type=int, default=6, help="sample counties (hosts) the sites share")
    ap.add_argument("--docs", type=int, default=8, help="documents per sample county")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--write", help="markdown file whose stack-scale section gets the results")
    args = ap.parse_args()
    from gongkai.sampleweb.server import SampleWeb

    results = []
    with tempfile.TemporaryDirectory(prefix="gongkai-stack-") as tmp, \
            SampleWeb(counties=args.hosts, docs_per_county=args.docs) as web:
        for workers in args.workers:
            print(f"{args.sites} sites on {args.hosts} hosts, {workers} worker(s) …", flush=True)
            results.append(drain(web, args.sites, workers, Path(tmp)))
            print(results[-1], flush=True)
    lines = [f"{args.sites} registry sites on {args.hosts} sample hosts ({args.docs} documents each; one politeness "
             f"group per host), one job backfill of harvest_site_job, on {platform.machine()} with {os.cpu_count()} "
             f"cores / Python {platform.python_version()}; PostgreSQL, Redis, the daemon and the workers all on this "
             "machine.", "",
             "| Workers | Queue drained (s) | Runs / minute | Runs succeeded | Daemon CPU (s) | Peak RSS per worker (MiB) |",
             "|---|---|---|---|---|---|"]
    lines += [f"| {r['workers']} | {r['seconds']:.0f} | {r['per_minute']:.1f} | {r['ok']}/{r['runs']} | "
              f"{r['daemon_cpu']:.0f} | {r['worker_mib']:.0f} |" for r in results]
    best = max(results, key=lambda r: r["per_minute"])
    lines += ["", f"At the best rate measured ({best['per_minute']:.1f} runs a minute), 3,000 sites would take "
              f"{3000 / best['per_minute'] / 60:.1f} h to drain: computed from this run, not measured at 3,000."]
    body = "\n".join(lines)
    print(body)
    if args.write:
        command = (f".venv/bin/python benchmarks/stack_scale.py --sites {args.sites} --hosts {args.hosts} "
                   f"--docs {args.docs} --workers {' '.join(map(str, args.workers))}")
        doc_sections.write_section(Path(args.write), "stack-scale",
                                   f"## The production stack at scale\n\n`{command} --write docs/benchmarks.md`\n\n{body}")


if __name__ == "__main__":
    main()
