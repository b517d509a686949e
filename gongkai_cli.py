"""`gongkai`: the command line for data teams and auditors.

    gongkai demo                 start the sample county web, materialise every asset, print coverage
    gongkai sample serve         serve the sample county web on loopback (for `dagster dev` harvests)
    gongkai sample replay DIR    serve a saved mirror of a real site (wget -m / wget -r -p -k -E / HTTrack) on
                                 loopback under its real URLs, and write <data>/replay/registry.yaml to harvest it
    gongkai harvest              harvest the registry's sites at once (per-site progress), parse, update the catalogue
                                 (audit included), record the harvests in Dagster; no coverage history, asset checks
                                 or release (the demo / Dagster do those)
    gongkai reparse              re-parse the archived harvests with the current adapters (Dagster runs, no network)
    gongkai inspect URL          which adapter applies to a page and why, and everything it extracts (--file, --json)
    gongkai discover URL         a county's disclosure platform from its home page, and a registry entry for it
    gongkai coverage             print the county × requirement coverage table from the catalogue
    gongkai audit [SITE]         a county's report card (score, findings, evidence), also as Markdown and CSV
    gongkai sql "SELECT …"       run a read-only query on the catalogue (--csv for CSV)
    gongkai registry check FILE  validate a registry file
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

from schemas.datafolder import DataFolder

DEFAULT_PORT = 18700
REPLAY_PORT = 18800


def _sample_web(args):
    from sampleweb.server import SampleWeb

    try:
        return SampleWeb(counties=args.counties, docs_per_county=args.docs, seed=args.seed, base_port=args.port,
                         latency=args.latency).start()
    except OSError as exc:
        sys.exit(f"gongkai: cannot serve the sample web on 127.0.0.1:{args.port}+ ({exc}); "
                 "pass --port with a free port")


def _write_sample_files(web, data: Path) -> tuple[Path, Path]:
    from sampleweb.truth import write_ground_truth, write_registry

    sample = DataFolder(data).sample_dir
    return write_registry(web, sample / "registry.yaml"), write_ground_truth(web, sample / "ground_truth.json")


def cmd_demo(args) -> None:
    from pipelines.local import instance_at, materialise_everything
    from schemas.registry import load_registry

    data = Path(args.data).resolve()
    started = time.monotonic()
    web = _sample_web(args)
    try:
        registry, truth = _write_sample_files(web, data)
        os.environ["GONGKAI_DATA"], os.environ["GONGKAI_REGISTRY"] = str(data), str(registry)
        sites = load_registry(registry)
        print(f"Sample county web: {len(sites)} fictional counties on 127.0.0.1:{args.port}-{args.port + len(sites) - 1}")
        instance = instance_at(DataFolder(data).dagster_home)
        materialise_everything(instance, sites)
    finally:
        web.stop()
    print()
    _print_coverage(data)
    print()
    _print_scores(DataFolder(data).catalogue_path)
    print(f"\nDone in {time.monotonic() - started:.0f} s. Outputs:")
    print(f"  catalogue (DuckDB)   {data / 'catalogue.duckdb'}")
    print(f"  Parquet lake + WARC  {data / 'lake' / 'sites'}")
    print(f"  release              {data / 'releases' / 'latest'}")
    print(f"  public site          {data / 'releases' / 'latest' / 'site' / 'index.html'}")
    print(f"  quarantine report    {data / 'quarantine'} (personal data redacted from the release; not published)")
    print(f"  sample registry      {registry}\n  ground truth         {truth}")
    print(f"  Dagster runs         DAGSTER_HOME={data / 'dagster_home'} .venv/bin/dagster dev")


def cmd_up(args) -> None:
    """The production stack on this machine over the sample web, until Ctrl-C (README, "Running it in production")."""
    from pipelines.stack import Stack, StackError

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


def _print_coverage(data: Path) -> None:
    from audit.results import coverage_table, read_coverage
    from schemas.taxonomy import load_taxonomy

    rows = read_coverage(DataFolder(data).catalogue_path)
    print("Coverage: counties × required categories")
    print(coverage_table(rows, [r.key for r in load_taxonomy().requirements]))


def _print_scores(catalogue: Path) -> None:
    from audit.results import query

    print("County scores (out of 100; `gongkai audit SITE` for a report card with every finding and its evidence)")
    for r in query(catalogue, "SELECT * FROM county_scores"):
        print(f"  {r['rank']:>3}. {r['score']:>5}  {r['site_id']:<24} {r['name']}  "
              f"(completeness {r['completeness']}, timeliness {r['timeliness']}, "
              f"interpretation {r['interpretation']}, accuracy {r['accuracy']}; {r['findings']} findings)")


def cmd_coverage(args) -> None:
    _print_coverage(Path(args.data))


def cmd_audit(args) -> None:
    from audit.report_card import report_card, to_text, write_card
    from audit.results import query

    catalogue = DataFolder(args.data).catalogue_path
    if not catalogue.exists():
        sys.exit(f"gongkai: {catalogue} does not exist; run `make demo` (or the catalogue job) first")
    out = Path(args.out) if args.out else DataFolder(args.data).cards_dir
    sites = args.site or [r["site_id"] for r in query(catalogue, "SELECT site_id FROM sites ORDER BY 1")]
    if not args.site:
        _print_scores(catalogue)
    for sid in sites:
        try:
            card = report_card(catalogue, sid)
        except KeyError as exc:
            sys.exit(f"gongkai: {exc.args[0]}")
        if args.site:
            print(to_text(card))
        written = write_card(card, out)
        if args.site:
            print("written: " + ", ".join(str(p) for p in written))
    if not args.site:
        print(f"report cards (Markdown + CSV) for {len(sites)} sites in {out}")


def cmd_evidence(args) -> None:
    """The archived copies of the pages a finding (or a coverage verdict, or a URL) rests on: where each is in the
    WARC files, its digest checked, and with --extract the page as the server sent it."""
    import hashlib

    from harvesters.archive import ArchiveDamaged, ArchiveReader
    from warehouse.access import open_read_only

    lake = DataFolder(args.data)
    if not lake.catalogue_path.exists():
        sys.exit(f"gongkai: {lake.catalogue_path} does not exist; run `make demo` (or the catalogue job) first")
    with open_read_only(lake.catalogue_path) as con:
        rows = con.execute("""SELECT DISTINCT site_id, url, captured_at, warc_file, warc_offset, sha256, snapshot
                              FROM evidence WHERE cited_id = ? OR url = ? ORDER BY site_id, url""",
                           [args.cited, args.cited]).fetchall()
    if not rows:
        sys.exit(f"gongkai: no evidence for {args.cited!r}: give a finding_id (`gongkai sql \"SELECT finding_id, "
                 "subject FROM findings\"`), a requirement key or a cited URL")
    out = Path(args.extract) if args.extract else None
    bad = 0
    for site_id, url, captured_at, warc_file, offset, digest, _snapshot in rows:
        print(url)
        if warc_file is None:
            print("  not archived (the page was never read: an attachment that answered 4xx, a page on another host)")
            continue
        print(f"  captured {captured_at:%Y-%m-%d %H:%M:%S} UTC · {lake.warc_dir(site_id) / warc_file} @ {offset}")
        with ArchiveReader(lake.warc_dir(site_id)) as reader:
            try:
                _, _, body = reader.read_at(warc_file, offset)
            except ArchiveDamaged as exc:
                print(f"  unreadable: {exc}")
                bad += 1
                continue
        ok = hashlib.sha256(body).hexdigest() == digest
        bad += not ok
        print(f"  sha256 {digest} {'(matches the archived body)' if ok else '(DOES NOT MATCH the archived body)'}")
        if out:
            out.mkdir(parents=True, exist_ok=True)
            path = out / f"{site_id}-{hashlib.sha256(url.encode()).hexdigest()[:16]}.html"
            path.write_bytes(body)
            print(f"  written: {path}")
    if bad:
        sys.exit(f"gongkai: {bad} archived cop{'y' if bad == 1 else 'ies'} unreadable or altered")


def cmd_sql(args) -> None:
    import duckdb

    from warehouse.access import QueryRefused, check_query, open_read_only

    path = DataFolder(args.data).catalogue_path
    if not path.exists():
        sys.exit(f"gongkai: {path} does not exist; run `make demo` (or the catalogue job) first")
    try:
        check_query(args.query)
    except QueryRefused as exc:
        sys.exit(f"gongkai: query refused: {exc}")
    with open_read_only(path) as con:
        try:
            rel = con.sql(args.query)
        except duckdb.PermissionException as exc:
            sys.exit(f"gongkai: query refused: {exc} (queries read the catalogue only: no files, no network, no "
                     "extensions)")
        except duckdb.Error as exc:
            sys.exit(f"gongkai: query failed: {exc}")
        if rel is None:
            return
        if args.csv:
            import csv

            writer = csv.writer(sys.stdout)
            writer.writerow(rel.columns)
            writer.writerows(rel.fetchall())
        else:
            rel.show(max_width=200, max_rows=args.max_rows)


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
    from sampleweb.replay import MirrorError, ReplayServer, open_mirror, replay_site, write_replay_registry

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
    from schemas.registry import RegistryError, load_registry

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
    from pipelines.resources import GongkaiSettings

    dagster = GongkaiSettings()
    theirs = (dagster.data.resolve(), dagster.registry.resolve())
    if theirs != (data.resolve(), registry.resolve()):
        print(f"gongkai: note: Dagster started from here reads the data folder {theirs[0]} and the registry {theirs[1]} "
              f"(GONGKAI_DATA, GONGKAI_REGISTRY); this command uses {data.resolve()} and {registry}. Set both "
              "variables to the same paths so the CLI and Dagster share one registry and one lake.", file=sys.stderr)


HARVEST_DOES = ("harvests, parses and updates the catalogue (audit included) and records the harvests in Dagster; "
                "it does not record coverage history, run the asset checks or publish a release (the demo / Dagster do)")


def cmd_harvest(args) -> None:
    from harvesters.runner import ProgressBoard
    from pipelines.local import dagster_home_for, harvest_outside_dagster

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
    from pipelines.local import ReparseFailed, dagster_home_for, instance_at, reparse_everything

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


def cmd_inspect(args) -> None:
    import json

    from harvesters.inspect import inspect_url, render
    from harvesters.look import LookFailed

    try:
        report = inspect_url(args.url, DataFolder(args.data).hosts_dir, file=args.file, content_type=args.content_type or "",
                             adapter=args.adapter, allow_private=args.allow_private)
    except LookFailed as exc:
        sys.exit(f"gongkai: {exc}")
    print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else render(report))


def cmd_discover(args) -> None:
    import json

    from harvesters.inspect import discover_platform, render_discovery
    from harvesters.look import LookFailed

    try:
        report = discover_platform(args.url, DataFolder(args.data).hosts_dir, file=args.file, allow_private=args.allow_private)
    except LookFailed as exc:
        sys.exit(f"gongkai: {exc}")
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return
    print(render_discovery(report))
    if not report["platform"]:
        sys.exit(1)


def cmd_registry_check(args) -> None:
    from schemas.registry import RegistryError, load_registry

    try:
        sites = load_registry(args.file)
    except RegistryError as exc:
        sys.exit(f"gongkai: {exc}")
    print(f"{args.file}: {len(sites)} sites OK")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="gongkai", description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--data", default=os.environ.get("GONGKAI_DATA", "data"), help="data folder (default: data)")
    sub = parser.add_subparsers(dest="command", required=True)

    def sample_options(p):
        p.add_argument("--port", type=int, default=int(os.environ.get("GONGKAI_SAMPLE_PORT", DEFAULT_PORT)),
                       help=f"first port of the sample web (default {DEFAULT_PORT}; one port per county)")
        p.add_argument("--counties", type=int, default=9, help="sample counties (default 9: one per family or layout)")
        p.add_argument("--docs", type=int, default=60, help="documents per county (approximately)")
        p.add_argument("--seed", type=int, default=7)
        p.add_argument("--latency", type=float, default=0.0, help="seconds every answer is delayed (default 0)")

    demo = sub.add_parser("demo", help="run the whole pipeline on the sample county web")
    sample_options(demo)
    demo.set_defaults(func=cmd_demo)
    up = sub.add_parser("up", help="the production stack on this machine (PostgreSQL, Redis, the Dagster daemon and "
                                   "UI, Celery workers) over the sample county web, until Ctrl-C")
    sample_options(up)
    up.add_argument("--workers", type=int, default=2, help="Celery worker processes (default 2)")
    up.add_argument("--web-port", type=int, default=3000, help="the Dagster UI's port (default 3000)")
    up.add_argument("--shared-lake", action="store_true",
                    help="keep the lake on object storage (SeaweedFS's S3, mounted by JuiceFS at <data>/shared and once "
                         "per worker), as a deployment over several machines does")
    up.set_defaults(func=cmd_up)
    sample = sub.add_parser("sample", help="the sample county web").add_subparsers(dest="action", required=True)
    serve = sample.add_parser("serve", help="serve it on loopback until Ctrl-C")
    sample_options(serve)
    serve.set_defaults(func=cmd_sample_serve)
    replay = sample.add_parser("replay", help="serve a saved mirror of a real site on loopback under its real URLs "
                                              "and write <data>/replay/registry.yaml to harvest it")
    replay.add_argument("dir", help="the folder wget (-m, or -r -p -k -E) or HTTrack saved the site into")
    replay.add_argument("--port", type=int, default=REPLAY_PORT, help=f"loopback port (default {REPLAY_PORT})")
    replay.add_argument("--host", help="the site's real host[:port] (default: the host folder's name, HTTrack's "
                                       "'Mirrored from' comments, or the commonest host of the pages' links)")
    replay.add_argument("--entry", help="the page to start from, a path or a real URL (default: the home page /)")
    replay.add_argument("--site-id", help="registry site id (default: SiteIDCode meta's 6-digit code + '-' + a slug)")
    replay.add_argument("--name", help="site name (default: the SiteName meta, else the host)")
    replay.add_argument("--province", help="province (default: 未知)")
    replay.set_defaults(func=cmd_sample_replay)
    harvest = sub.add_parser("harvest", help=f"harvest sites at once with per-site progress: it {HARVEST_DOES}",
                             description=f"Harvest the registry's sites at once, with per-site progress. gongkai harvest "
                                         f"{HARVEST_DOES}.")
    harvest.add_argument("--registry", help="registry file (default: $GONGKAI_REGISTRY, else <data>/sample/registry.yaml)")
    harvest.add_argument("--site", action="append", default=[], help="only this site id (repeatable)")
    harvest.add_argument("--full", action="store_true", help="a full sweep even if an incremental run is due")
    harvest.add_argument("--workers", type=int, default=None, help="sites harvested at once (default: all, up to 128)")
    harvest.set_defaults(func=cmd_harvest)
    reparse = sub.add_parser("reparse", help="re-parse the archived harvests with the current adapters through "
                                             "Dagster (no network), then rebuild the catalogue")
    reparse.add_argument("--registry", help="registry file (default: $GONGKAI_REGISTRY, else <data>/sample/registry.yaml)")
    reparse.add_argument("--site", action="append", default=[],
                         help="only this site id (repeatable; default: every active site with a harvest)")
    reparse.set_defaults(func=cmd_reparse)
    inspect = sub.add_parser("inspect", help="what an adapter extracts from one page (fetched politely, or --file)")
    inspect.add_argument("url", help="the page's URL (with --file: the URL it was saved from)")
    inspect.add_argument("--file", help="a saved page instead of fetching the URL")
    inspect.add_argument("--content-type", help="with --file: the Content-Type header it came with")
    inspect.add_argument("--adapter", help="use this adapter instead of detecting one")
    inspect.add_argument("--json", action="store_true", help="print JSON instead of a table")
    inspect.add_argument("--allow-private", action="store_true", help="allow a loopback/private address (the sample web)")
    inspect.set_defaults(func=cmd_inspect)
    disc = sub.add_parser("discover", help="find a county's disclosure platform from its home page, its CMS family and "
                                           "61号 columns, and print a registry entry")
    disc.add_argument("url", help="the county's home page (or its 政府信息公开 page); with --file, the URL it was saved from")
    disc.add_argument("--file", help="a saved page instead of fetching the URL (its links are not followed)")
    disc.add_argument("--json", action="store_true", help="print JSON instead of a report")
    disc.add_argument("--allow-private", action="store_true", help="allow a loopback/private address (the sample web)")
    disc.set_defaults(func=cmd_discover)
    sub.add_parser("coverage", help="print the coverage table from the catalogue").set_defaults(func=cmd_coverage)
    audit = sub.add_parser("audit", help="a county's report card (score, findings with evidence); Markdown and CSV too")
    audit.add_argument("site", nargs="*", help="site ids (default: every site, with the ranking)")
    audit.add_argument("--out", help="folder for the Markdown and CSV files (default: <data>/audit/cards)")
    audit.set_defaults(func=cmd_audit)
    evidence = sub.add_parser("evidence", help="the archived copies of the pages a finding rests on: capture time, WARC "
                                               "record, digest checked; --extract writes them")
    evidence.add_argument("cited", help="a finding_id, a requirement key (coverage) or a cited URL")
    evidence.add_argument("--extract", metavar="DIR", help="write each archived page, as the server sent it, into DIR")
    evidence.set_defaults(func=cmd_evidence)
    sql = sub.add_parser("sql", help="run a read-only SQL query on the catalogue")
    sql.add_argument("query")
    sql.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    sql.add_argument("--max-rows", type=int, default=100)
    sql.set_defaults(func=cmd_sql)
    reg = sub.add_parser("registry", help="registry tools").add_subparsers(dest="action", required=True)
    check = reg.add_parser("check", help="validate a registry file")
    check.add_argument("file")
    check.set_defaults(func=cmd_registry_check)
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
