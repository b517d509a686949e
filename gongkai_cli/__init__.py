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

from gongkai_cli.onboard import cmd_discover, cmd_inspect, cmd_registry_check
from gongkai_cli.operate import (
    DEFAULT_PORT,
    HARVEST_DOES,
    REPLAY_PORT,
    cmd_demo,
    cmd_harvest,
    cmd_reparse,
    cmd_sample_replay,
    cmd_sample_serve,
    cmd_up,
)
from gongkai_cli.read import cmd_audit, cmd_coverage, cmd_evidence, cmd_sql


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
