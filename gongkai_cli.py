"""`gongkai`: the command line for data teams and auditors.

    gongkai demo                 start the sample county web, materialise every asset, print coverage
    gongkai sample serve         serve the sample county web on loopback (for `dagster dev` harvests)
    gongkai harvest              harvest the registry's sites at once (per-site progress), parse, rebuild the catalogue
    gongkai reparse              re-parse the archived harvests with the current adapters (Dagster runs, no network)
    gongkai inspect URL          which adapter applies to a page and why, and everything it extracts (--file, --json)
    gongkai coverage             print the county × requirement coverage table from the catalogue
    gongkai audit [SITE]         a county's report card (score, findings, evidence), also as Markdown and CSV
    gongkai sql "SELECT …"       run a read-only query on the catalogue (--csv for CSV)
    gongkai registry check FILE  validate a registry file
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

DEFAULT_PORT = 18700


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

    return write_registry(web, data / "sample" / "registry.yaml"), write_ground_truth(web, data / "sample" / "ground_truth.json")


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
        instance = instance_at(data / "dagster_home")
        materialise_everything(instance, sites)
    finally:
        web.stop()
    print()
    _print_coverage(data)
    print()
    _print_scores(data / "catalogue.duckdb")
    print(f"\nDone in {time.monotonic() - started:.0f} s. Outputs:")
    print(f"  catalogue (DuckDB)   {data / 'catalogue.duckdb'}")
    print(f"  Parquet lake + WARC  {data / 'lake' / 'sites'}")
    print(f"  release              {data / 'releases' / 'latest'}")
    print(f"  public site          {data / 'releases' / 'latest' / 'site' / 'index.html'}")
    print(f"  quarantine report    {data / 'quarantine'} (personal data redacted from the release; not published)")
    print(f"  sample registry      {registry}\n  ground truth         {truth}")
    print(f"  Dagster runs         DAGSTER_HOME={data / 'dagster_home'} .venv/bin/dagster dev")


def _print_coverage(data: Path) -> None:
    from schemas.taxonomy import load_taxonomy
    from warehouse.audit import coverage_table, read_coverage

    rows = read_coverage(data / "catalogue.duckdb")
    print("Coverage: counties × required categories")
    print(coverage_table(rows, [r.key for r in load_taxonomy().requirements]))


def _print_scores(catalogue: Path) -> None:
    from warehouse.audit import query

    print("County scores (out of 100; `gongkai audit SITE` for a report card with every finding and its evidence)")
    for r in query(catalogue, "SELECT * FROM county_scores"):
        print(f"  {r['rank']:>3}. {r['score']:>5}  {r['site_id']:<24} {r['name']}  "
              f"(completeness {r['completeness']}, timeliness {r['timeliness']}, "
              f"interpretation {r['interpretation']}, accuracy {r['accuracy']}; {r['findings']} findings)")


def cmd_coverage(args) -> None:
    _print_coverage(Path(args.data))


def cmd_audit(args) -> None:
    from audit.report_card import report_card, to_text, write_card
    from warehouse.audit import query

    catalogue = Path(args.data) / "catalogue.duckdb"
    if not catalogue.exists():
        sys.exit(f"gongkai: {catalogue} does not exist; run `make demo` (or the catalogue job) first")
    out = Path(args.out) if args.out else Path(args.data) / "audit" / "cards"
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


def cmd_sql(args) -> None:
    import duckdb

    path = Path(args.data) / "catalogue.duckdb"
    if not path.exists():
        sys.exit(f"gongkai: {path} does not exist; run `make demo` (or the catalogue job) first")
    with duckdb.connect(str(path), read_only=True) as con:
        try:
            rel = con.sql(args.query)
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


def _registry(args) -> tuple[Path, list]:
    """(registry file, its sites) for --registry, else $GONGKAI_REGISTRY, else the sample's; every --site must be
    in it. A bad file or site ends the command with the reason."""
    from schemas.registry import RegistryError, load_registry

    default = Path(args.data) / "sample" / "registry.yaml"
    registry = Path(args.registry or os.environ.get("GONGKAI_REGISTRY") or default).resolve()
    try:
        every = load_registry(registry)
    except RegistryError as exc:
        sys.exit(f"gongkai: {exc}")
    unknown = set(args.site) - {s.site_id for s in every}
    if unknown:
        sys.exit(f"gongkai: {registry}: no site {', '.join(sorted(unknown))}")
    return registry, every


def cmd_harvest(args) -> None:
    from harvesters.fetch import DEFAULT_CONTACT
    from harvesters.parse import parse_site
    from harvesters.runner import ProgressBoard, harvest_many
    from warehouse.catalogue import build_catalogue
    from warehouse.lake import Lake

    _, every = _registry(args)
    sites = [s for s in every if (s.site_id in args.site if args.site else s.active)]
    lake = Lake(args.data)
    board = ProgressBoard(sites)
    reports = harvest_many(sites, lake, contact=os.environ.get("GONGKAI_CONTACT") or DEFAULT_CONTACT,
                           workers=args.workers, full=args.full, progress=board)
    board.finish()
    for site, report in zip(sites, reports, strict=True):
        if lake.finished_runs(site.site_id):
            parse_site(site, lake)
        if report.status != "ok":
            print(f"{site.site_id}: {report.status}: {report.message or report.errors[0]['error']}", file=sys.stderr)
    build_catalogue(lake, every)
    print(f"{sum(r.status == 'ok' for r in reports)}/{len(reports)} sites ok; catalogue: {lake.catalogue_path}")


def cmd_reparse(args) -> None:
    from pipelines.local import ReparseFailed, instance_at, reparse_everything
    from warehouse.lake import Lake

    data = Path(args.data).resolve()
    registry, every = _registry(args)
    lake = Lake(data)
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
    print(f"Re-parsing {len(sites)} sites from the archive (no network), one reparse_job run each, then catalogue_job")
    try:
        counts = reparse_everything(instance_at(data / "dagster_home"), sites)
    except ReparseFailed as exc:
        sys.exit(f"gongkai: {exc}")
    print(f"{len(counts)} sites re-parsed, {sum(c['documents'] for c in counts.values())} documents; "
          f"catalogue: {lake.catalogue_path}")


def cmd_inspect(args) -> None:
    import json
    import tempfile
    from urllib.parse import urlsplit

    from harvesters.archive import WarcArchive
    from harvesters.errors import HarvestError
    from harvesters.fetch import PoliteClient
    from harvesters.hosts import HostGate
    from harvesters.inspect import inspect_page, render
    from schemas.registry import Site
    from warehouse.lake import Lake

    if args.file:
        try:
            body, ctype = Path(args.file).read_bytes(), args.content_type or ""
        except OSError as exc:
            sys.exit(f"gongkai: {args.file}: {exc.strerror}; pass a saved page file")
        report = inspect_page(args.url, body, ctype, args.adapter)  # files the page needs are named, not fetched
    else:
        netloc = urlsplit(args.url).netloc
        site = Site(site_id="000000-inspect", name="inspect", level="county", province="-", entry_urls=[args.url],
                    adapter=args.adapter or "generic", allowed_hosts=[netloc], allow_private_addresses=args.allow_private)
        with tempfile.TemporaryDirectory() as tmp:
            archive = WarcArchive(Path(tmp) / "inspect.warc.gz")
            client = PoliteClient(site, archive, HostGate(Lake(args.data).hosts_dir))

            def fetch(url: str):  # the files the page needs (its own scripts), as politely as the page itself
                try:
                    more = client.fetch(url)
                except HarvestError:
                    return None
                return (more.body, more.content_type) if more.ok else None
            try:
                # robots.txt first and the host limits, as every harvest has them
                got = client.fetch(args.url)
                if not got.ok:
                    sys.exit(f"gongkai: {args.url}: {got.error or f'HTTP {got.status}'}")
                report = inspect_page(args.url, got.body, got.content_type, args.adapter, fetch)
            except HarvestError as exc:
                sys.exit(f"gongkai: {exc}")
            finally:
                archive.close()
    print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else render(report))


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
        p.add_argument("--counties", type=int, default=7)
        p.add_argument("--docs", type=int, default=60, help="documents per county (approximately)")
        p.add_argument("--seed", type=int, default=7)
        p.add_argument("--latency", type=float, default=0.0, help="seconds every answer is delayed (default 0)")

    demo = sub.add_parser("demo", help="run the whole pipeline on the sample county web")
    sample_options(demo)
    demo.set_defaults(func=cmd_demo)
    sample = sub.add_parser("sample", help="the sample county web").add_subparsers(dest="action", required=True)
    serve = sample.add_parser("serve", help="serve it on loopback until Ctrl-C")
    sample_options(serve)
    serve.set_defaults(func=cmd_sample_serve)
    harvest = sub.add_parser("harvest", help="harvest sites at once with per-site progress, then parse and catalogue")
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
    sub.add_parser("coverage", help="print the coverage table from the catalogue").set_defaults(func=cmd_coverage)
    audit = sub.add_parser("audit", help="a county's report card (score, findings with evidence); Markdown and CSV too")
    audit.add_argument("site", nargs="*", help="site ids (default: every site, with the ranking)")
    audit.add_argument("--out", help="folder for the Markdown and CSV files (default: <data>/audit/cards)")
    audit.set_defaults(func=cmd_audit)
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
