"""`gongkai demo | up | sample | harvest | reparse`: running the pipeline, for data teams."""
from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from gongkai.schemas.datafolder import DataFolder

from gongkai_cli.read import _print_coverage, _print_scores

DEFAULT_PORT = 18700


REPLAY_PORT = 18800


def _sample_web(args):
    from gongkai.sampleweb.server import SampleWeb

    try:
        return SampleWeb(counties=args.counties, docs_per_county=args.docs, seed=args.seed, base_port=args.port,
                         latency=args.latency).start()
    except OSError as exc:
        sys.exit(f"gongkai: cannot serve the sample web on 127.0.0.1:{args.port}+ ({exc}); "
                 "pass --port with a free port")


def _write_sample_files(web, data: Path) -> tuple[Path, Path]:
    from gongkai.sampleweb.truth import write_ground_truth, write_registry

    sample = DataFolder(data).sample_dir
    return write_registry(web, sample / "registry.yaml"), write_ground_truth(web, sample / "ground_truth.json")


def cmd_demo(args) -> None:
    from gongkai.pipelines.local import instance_at, materialise_everything
    from gongkai.schemas.registry import load_registry

    data = Path(args.data).resolve()
    folder = DataFolder(data)
    started = time.monotonic()
    web = _sample_web(args)
    try:
        registry, truth = _write_sample_files(web, data)
        os.environ["GONGKAI_DATA"], os.environ["GONGKAI_REGISTRY"] = str(data), str(registry)
        sites = load_registry(registry)
        print(f"Sample county web: {len(sites)} fictional counties on 127.0.0.1:{args.port}-{args.port + len(sites) - 1}")
        instance = instance_at(folder.dagster_home)
        materialise_everything(instance, sites)
    finally:
        web.stop()
    print()
    _print_coverage(data)
    print()
    _print_scores(folder.catalogue_path)
    print(f"\nDone in {time.monotonic() - started:.0f} s. Outputs:")
    latest = folder.releases_dir / "latest"
    print(f"  catalogue (DuckDB)   {folder.catalogue_path}")
    print(f"  Parquet lake + WARC  {folder.root / 'sites'}")
    print(f"  release              {latest}")
    print(f"  public site          {latest / 'site' / 'index.html'}")
    print(f"  quarantine report    {folder.quarantine_dir} (personal data redacted from the release; not published)")
    print(f"  sample registry      {registry}\n  ground truth         {truth}")
    print(f"  Dagster runs         DAGSTER_HOME={folder.dagster_home} .venv/bin/dagster dev")


def cmd_up(args) -> None:
    """The production stack on this machine over the sample web, until Ctrl-C (README, "Running it in production")."""
    from gongkai.pipelines.stack import Stack, StackError

    def stop(*_):
        raise KeyboardInterrupt  # a SIGTERM (a service manager, `timeout`) stops the stack as Ctrl-C does

    signal.signal(signal.SIGTERM, stop)
    data = Path(args.data).resolve()
    web = _sample_web(args)
    try:
        registry, _truth = _write_sample_files(web, data)
        stack = Stack(root=data / "stack", data=data / "shared" if args.shared_lake else data, registry=registry,
                      workers=args.workers, webserver=True, web_port=args.web_port, shared_lake=args.shared_lake)
        try:
            stack.start()
        except StackError as exc:
            sys.exit(f"gongkai up: {exc}")
        try:
            print(f"Sample county web   {len(web.sites)} counties on 127.0.0.1:{args.port}-{args.port + len(web.sites) - 1}")
            print(f"PostgreSQL          {stack.pg_url.replace(':gongkai@', ':***@')}")
            print(f"Redis (broker, gate) 127.0.0.1:{stack.redis_port}")
            if args.shared_lake:
                print(f"Object storage (S3) {stack.s3_url} (SeaweedFS), mounted by JuiceFS at {stack.data} "
                      "and once per worker")
            print(f"Data folder         {stack.data}")
            print(f"Celery workers      {args.workers} (one run each at a time)")
            print(f"Dagster UI          http://127.0.0.1:{stack.web_port}")
            print(f"Logs                {stack.root / 'logs'}")
            print("The registry sensor adds the counties as partitions within a minute and launches their harvests "
                  "(one run per politeness group at a time); the catalogue and the audit follow them (the "
                  "catalogue_automation sensor).")
            print("Ctrl-C stops everything.")
            while all(p.poll() is None for p in stack.procs.values()):
                time.sleep(1)
            dead = [name for name, p in stack.procs.items() if p.poll() is not None]
            print(f"gongkai up: {', '.join(dead)} stopped; see {stack.root / 'logs'}", file=sys.stderr)
        except KeyboardInterrupt:
            pass
        finally:
            stack.stop()
    finally:
        web.stop()


def cmd_sample_serve(args) -> None:
    data = Path(args.data)
    web = _sample_web(args)
    registry, truth = _write_sample_files(web, data)
    for s in web.sites:
        print(f"  {s.county.site_id:<22} {s.county.family:<7} {s.base_url}{s.entry}")
    print(f"registry: {registry}\nground truth: {truth}\nServing; Ctrl-C stops.")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        web.stop()


def cmd_sample_replay(args) -> None:
    from gongkai.sampleweb.replay import MirrorError, ReplayServer, open_mirror, replay_site, write_replay_registry

    try:
        mirror = open_mirror(args.dir, host=args.host, entry=args.entry)
    except MirrorError as exc:
        sys.exit(f"gongkai: {exc}")
    try:
        server = ReplayServer(mirror, port=args.port)
    except OSError as exc:
        sys.exit(f"gongkai: cannot serve on 127.0.0.1:{args.port} ({exc}); pass --port with a free port")
    try:
        plan = replay_site(mirror, server.port, entry=args.entry, site_id=args.site_id, name=args.name,
                           province=args.province)
    except MirrorError as exc:
        server.server_close()
        sys.exit(f"gongkai: {exc}")
    registry = write_replay_registry(plan.site, args.data)
    site = plan.site
    print(f"Replaying {mirror.describe()}, {mirror.file_count()} files")
    if mirror.host:
        print(f"  as http://{mirror.host}/ (host from {mirror.host_source}), served on {server.base_url}/;\n"
              f"  the registry's connect_to sends {mirror.host} there, so every URL recorded keeps the real host")
    else:
        print(f"  no original host found (pass --host): served as {server.base_url}/ itself")
    if mirror.other_hosts:
        print(f"  other hosts saved beside it (not replayed): {', '.join(mirror.other_hosts)}")
    print(f"  robots.txt: {'the saved one' if mirror.exists('/robots.txt') else 'not saved (404: everything allowed)'}")
    print(f"registry: {registry}\n  site {site.site_id} {site.name} (code from {plan.code_source}), "
          f"entry {plan.entry_url}")
    for warning in plan.warnings:
        print(f"  note: {warning}")
    data = "" if args.data == os.environ.get("GONGKAI_DATA", "data") else f" --data {args.data}"
    print(f"Next, in another terminal:\n  .venv/bin/gongkai{data} harvest --registry {registry}")
    print("Serving; Ctrl-C stops.", flush=True)
    server.start()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


def _registry(args) -> tuple[Path, list]:
    """(registry file, its sites) for --registry, else $GONGKAI_REGISTRY, else the sample's; every --site must be
    in it. A bad file or site ends the command with the reason."""
    from gongkai.schemas.registry import RegistryError, load_registry

    default = DataFolder(args.data).sample_dir / "registry.yaml"
    registry = Path(args.registry or os.environ.get("GONGKAI_REGISTRY") or default).resolve()
    try:
        every = load_registry(registry)
    except RegistryError as exc:
        sys.exit(f"gongkai: {exc}")
    unknown = set(args.site) - {s.site_id for s in every}
    if unknown:
        sys.exit(f"gongkai: {registry}: no site {', '.join(sorted(unknown))}")
    return registry, every


def _warn_if_dagster_differs(data: Path, registry: Path) -> None:
    """Say so when Dagster, started from here, would read another data folder or registry than this command (both
    read GONGKAI_DATA and GONGKAI_REGISTRY; set them once and the CLI and Dagster share one registry and one lake)."""
    from gongkai.pipelines.resources import GongkaiSettings

    dagster = GongkaiSettings()
    theirs = (dagster.data.resolve(), dagster.registry.resolve())
    if theirs != (data.resolve(), registry.resolve()):
        print(f"gongkai: note: Dagster started from here reads the data folder {theirs[0]} and the registry {theirs[1]} "
              f"(GONGKAI_DATA, GONGKAI_REGISTRY); this command uses {data.resolve()} and {registry}. Set both "
              "variables to the same paths so the CLI and Dagster share one registry and one lake.", file=sys.stderr)


HARVEST_DOES = ("harvests, parses and updates the catalogue (audit included) and records the harvests in Dagster; "
                "it does not record coverage history, run the asset checks or publish a release (the demo / Dagster do)")


def cmd_harvest(args) -> None:
    from gongkai.harvesters.runner import ProgressBoard
    from gongkai.pipelines.local import dagster_home_for, harvest_outside_dagster

    registry, every = _registry(args)
    sites = [s for s in every if (s.site_id in args.site if args.site else s.active)]
    _warn_if_dagster_differs(Path(args.data), registry)
    lake = DataFolder(args.data)
    done = harvest_outside_dagster(sites, every, lake, dagster_home_for(args.data), workers=args.workers,
                                   full=args.full, progress=ProgressBoard(sites))
    print(f"{done.ok}/{len(done.reports)} sites ok; catalogue: {lake.catalogue_path}")
    print(f"{done.recorded} harvests recorded in Dagster ({done.dagster_home}): the UI shows them as "
          "materialisations of harvested_site")
    print(f"gongkai harvest {HARVEST_DOES}.")


def cmd_reparse(args) -> None:
    from gongkai.pipelines.local import ReparseFailed, dagster_home_for, instance_at, reparse_everything

    data = Path(args.data).resolve()
    registry, every = _registry(args)
    lake = DataFolder(data)
    if args.site:
        sites = [s for s in every if s.site_id in args.site]
    else:  # every active site with an archived harvest; one never harvested has nothing to re-parse
        sites = [s for s in every if s.active and lake.finished_runs(s.site_id)]
        never = [s.site_id for s in every if s.active and not lake.finished_runs(s.site_id)]
        if never:
            print(f"skipped (no archived harvest): {', '.join(never)}")
        if not sites:
            sys.exit(f"gongkai: nothing to re-parse under {lake.root}; harvest first (gongkai harvest, or the demo)")
    os.environ["GONGKAI_DATA"], os.environ["GONGKAI_REGISTRY"] = str(data), str(registry)
    print(f"Re-parsing {len(sites)} sites from the archive (no network), one reparse_job run each, then audit_job "
          "(the catalogue rebuilt and audited; no release is published)")
    try:
        counts = reparse_everything(instance_at(dagster_home_for(data)), sites)
    except ReparseFailed as exc:
        sys.exit(f"gongkai: {exc}")
    print(f"{len(counts)} sites re-parsed, {sum(c['documents'] for c in counts.values())} documents; "
          f"catalogue: {lake.catalogue_path}")
