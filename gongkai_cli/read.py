"""`gongkai coverage | audit | evidence | sql`: reading the catalogue, for auditors."""
from __future__ import annotations

import sys
from pathlib import Path

from gongkai.schemas.datafolder import DataFolder


def _print_coverage(data: Path) -> None:
    from gongkai.audit.results import coverage_table, read_coverage
    from gongkai.schemas.taxonomy import load_taxonomy

    rows = read_coverage(DataFolder(data).catalogue_path)
    print("Coverage: counties × required categories")
    print(coverage_table(rows, [r.key for r in load_taxonomy().requirements]))


def _print_scores(catalogue: Path) -> None:
    from gongkai.audit.results import query

    print("County scores (out of 100; `gongkai audit SITE` for a report card with every finding and its evidence)")
    for r in query(catalogue, "SELECT * FROM county_scores"):
        print(f"  {r['rank']:>3}. {r['score']:>5}  {r['site_id']:<24} {r['name']}  "
              f"(completeness {r['completeness']}, timeliness {r['timeliness']}, "
              f"interpretation {r['interpretation']}, accuracy {r['accuracy']}; {r['findings']} findings)")


def cmd_coverage(args) -> None:
    _print_coverage(Path(args.data))


def cmd_audit(args) -> None:
    from gongkai.audit.report_card import report_card, to_text, write_card
    from gongkai.audit.results import query

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

    from gongkai.harvesters.archive import ArchiveDamaged, ArchiveReader
    from gongkai.warehouse.access import open_read_only

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
    from gongkai.warehouse.access import QueryRefused, check_query, open_read_only

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
