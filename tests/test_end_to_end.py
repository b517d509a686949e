"""The whole pipeline over real HTTP on the sample web, checked against the sample web's ground truth."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from tests.conftest import run_pipeline

META_FIELDS = ("title", "index_no", "publisher", "doc_no", "written_date", "published_date", "validity", "column_path")
COVERAGE_KINDS = {"missing", "blank", "blank_with_note", "stale"}
# Planted defects the coverage view also shows, as the verdict they give (a guide part or the annual report missing).
VERDICT_OF_KIND = {**{k: k for k in COVERAGE_KINDS}, "guide_incomplete": "missing", "no_annual_report": "missing"}


def test_every_generated_document_is_in_the_catalogue_once_with_its_metadata(pipeline, catalogue_db):
    truth = {d["url"]: d for d in pipeline["truth"]["documents"]}
    cur = catalogue_db.execute(f"SELECT url, {', '.join(META_FIELDS)} FROM documents")
    names = [c[0] for c in cur.description]
    rows = [dict(zip(names, r, strict=False)) for r in cur.fetchall()]
    urls = [r["url"] for r in rows]
    assert len(urls) == len(set(urls)), "a document appears more than once"
    assert set(urls) == set(truth), f"missing: {sorted(set(truth) - set(urls))[:3]} extra: {sorted(set(urls) - set(truth))[:3]}"
    wrong = []
    for row in rows:
        want = truth[row["url"]]
        for f in META_FIELDS:
            got = row[f].isoformat() if f.endswith("_date") and row[f] else row[f]
            if got != want[f]:
                wrong.append((row["url"], f, got, want[f]))
    assert not wrong, f"{len(wrong)} wrong fields, e.g. {wrong[:5]}"


def test_every_family_and_the_gbk_county_are_covered(pipeline, catalogue_db):
    families = {s.county.family for s in pipeline["web"].sites}
    assert families == {"trs", "hanweb", "ucap", "epoint", "trsapi", "gkmlpt", "vendor", "aspx", "trsprov"}
    gbk = next(s.county for s in pipeline["web"].sites if s.county.encoding == "gbk")
    titles = [r[0] for r in catalogue_db.execute("SELECT title FROM documents WHERE site_id = ?", [gbk.site_id]).fetchall()]
    assert titles and all(gbk.short in t or "政策解读" in t for t in titles)
    assert not any("\ufffd" in t for t in titles), "mojibake in a GBK county's titles"


def test_coverage_finds_every_planted_gap_and_nothing_else(pipeline, catalogue_db):
    planted = {(d["site_id"], d["requirement"], VERDICT_OF_KIND[d["kind"]]) for d in pipeline["truth"]["defects"]
               if d["kind"] in VERDICT_OF_KIND}
    found = set(catalogue_db.execute(
        "SELECT site_id, requirement_key, verdict FROM coverage WHERE verdict <> 'present'").fetchall())
    true_pos = planted & found
    precision = len(true_pos) / len(found) if found else 1.0
    recall = len(true_pos) / len(planted)
    assert (precision, recall) == (1.0, 1.0), f"false: {found - planted}, missed: {planted - found}"
    kinds = {k for _, _, k in planted}
    assert kinds == COVERAGE_KINDS  # the sample plants every kind the coverage view can report
    counts = {k: sum(1 for p in planted if p[2] == k) for k in kinds}
    assert counts["missing"] >= 2 and counts["stale"] >= 2 and counts["blank"] + counts["blank_with_note"] >= 2


def test_coverage_rows_carry_evidence_and_the_rule(catalogue_db):
    rows = catalogue_db.execute("SELECT verdict, rule, evidence_urls FROM coverage").fetchall()
    assert rows and all(urls and all(u.startswith("http://127.0.0.1:") for u in urls) for _, _, urls in rows)
    stale = catalogue_db.execute("SELECT rule, newest_item_date < as_of - threshold_days FROM coverage "
                                 "WHERE verdict = 'stale'").fetchall()
    assert stale and all(rule.startswith("freshness_") and older for rule, older in stale)


def test_attachments_are_fetched_and_hashed_and_dead_links_kept(pipeline, catalogue_db):
    planted = {a for d in pipeline["truth"]["documents"] for a in d["attachments"]}
    elsewhere = {a for d in pipeline["truth"]["documents"] for a in d["external_attachments"]}
    dead = {d["attachment_url"] for d in pipeline["truth"]["defects"] if d["kind"] == "broken_attachment"}
    rows = catalogue_db.execute("SELECT url, status, bytes, sha256 FROM attachments").fetchall()
    assert {r[0] for r in rows} == planted | elsewhere and len(rows) == len(planted | elsewhere) and dead and elsewhere
    assert any("%E9%99%84%E4%BB%B6" in url for url in planted)  # 附件… written raw in the page, percent-encoded here
    assert all(status == "ok" and size > 0 and len(sha) == 64 for url, status, size, sha in rows
               if url not in dead | elsewhere)
    assert {url for url, status, _, _ in rows if status == "broken"} == dead
    # an attachment on another government host is recorded as external, never fetched, and no harvest error
    assert {url for url, status, size, _ in rows if status == "external" and size is None} == elsewhere
    # a dead link is the site's defect (the audit's attachment_broken), not a failure of our harvest
    assert catalogue_db.execute("SELECT DISTINCT status FROM harvest_runs").fetchall() == [("ok",)]


def test_robots_txt_is_honoured_and_fetched_first(pipeline):
    for site in pipeline["web"].sites:
        paths = [p for _, p in site.hits]
        assert paths[0] == "/robots.txt"
        assert not any(p.startswith("/search/") for p in paths), "fetched a path robots.txt disallows"


def test_policies_link_their_interpretations(pipeline, catalogue_db):
    want = {d["url"]: set(d["related_urls"]) for d in pipeline["truth"]["documents"] if d["kind"] == "policy"}
    got = dict(catalogue_db.execute("SELECT url, related_urls FROM documents").fetchall())
    assert all(set(got[u]) == related for u, related in want.items())


def test_raw_responses_are_archived_as_warc(pipeline, catalogue_db):
    from gongkai.harvesters.archive import read_responses

    site_id, warc = catalogue_db.execute("SELECT site_id, any_value(warc_file) FROM fetch_log GROUP BY 1 LIMIT 1").fetchone()
    path = next((pipeline["data"] / "lake" / "sites" / site_id / "warc").glob(warc))
    responses = read_responses(path)
    logged = catalogue_db.execute("SELECT count(*) FROM fetch_log WHERE site_id = ? AND warc_record_id IS NOT NULL",
                                  [site_id]).fetchone()[0]
    assert len(responses) == logged > 50


def test_release_has_parquet_csv_with_bom_and_a_datapackage(pipeline):
    release = pipeline["data"] / "releases" / "latest"
    package = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    names = {r["name"] for r in package["resources"]}
    assert {"documents-parquet", "documents-csv", "coverage-parquet", "coverage-csv"} <= names
    docs = pq.read_table(release / "documents.parquet")
    assert docs.num_rows == len(pipeline["truth"]["documents"])
    raw = (release / "documents.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(release / "documents.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == docs.num_rows and any("县人民政府" in r["title"] for r in rows)
    for res in package["resources"]:
        assert (release / res["path"]).stat().st_size == res["bytes"]


CONTENT = {  # what 'identical catalogue contents' means: the data, not the fetch timestamps of the logs
    "documents": "SELECT * EXCLUDE (first_seen, last_seen) FROM documents ORDER BY doc_id",
    "sections": "SELECT * FROM sections ORDER BY site_id, path",
    "attachments": "SELECT * FROM attachments ORDER BY url",
    "coverage": "SELECT * EXCLUDE (as_of) FROM coverage ORDER BY site_id, requirement_key",
    "column_mapping": "SELECT * FROM column_mapping ORDER BY ALL",
}


def test_running_twice_gives_identical_catalogue_contents(pipeline, tmp_path):
    def snapshot(path):
        with duckdb.connect(str(path), read_only=True) as con:
            return {name: con.execute(sql).fetchall() for name, sql in CONTENT.items()}

    first = snapshot(pipeline["catalogue"])
    again = run_pipeline(pipeline["web"], pipeline["data"])  # the same data folder: a real rerun
    second = snapshot(again)
    assert first == second
    with duckdb.connect(str(again), read_only=True) as con:
        assert con.execute("SELECT count(DISTINCT run_id) FROM harvest_runs").fetchone()[0] == 2 * len(pipeline["web"].sites)


OLD_DUCKDB = "1.1.3"  # Makefile: OLD_DUCKDB, installed beside the venv by `make test`


def test_an_older_duckdb_opens_every_table_and_view_of_the_catalogue(pipeline):
    """What an auditor's DuckDB 1.1 (CLI, R, DBeaver) sees: the file opens, and every table and view answers."""
    reader = Path(sys.executable).parents[1] / f"duckdb-{OLD_DUCKDB}"
    assert (reader / "duckdb").is_dir(), f"{reader}: missing; `make test` installs DuckDB {OLD_DUCKDB} there"
    script = """
import json, sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() UNION ALL SELECT view_name FROM "
                                   "duckdb_views() WHERE NOT internal AND schema_name = 'main'").fetchall()]
bad = {}
for name in names:
    try:
        con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
    except duckdb.Error as exc:
        bad[name] = str(exc)[:300]
print(json.dumps({"version": duckdb.__version__, "names": len(names), "bad": bad}))
"""
    env = {**os.environ, "PYTHONPATH": str(reader), "PYTHONNOUSERSITE": "1"}
    done = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(reader)!r})\n{script}",
                           str(pipeline["catalogue"])], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout)
    assert seen["version"] == OLD_DUCKDB and seen["names"] >= 50
    assert seen["bad"] == {}, f"DuckDB {OLD_DUCKDB} cannot read: {seen['bad']}"


def test_the_catalogue_is_in_a_storage_format_every_duckdb_1x_reads(pipeline):
    """DuckDB 1.x readers (the CLI, R, DBeaver's driver) open storage versions 64 to 68; DuckDB 2.0 writes a newer one
    that they refuse. The file header says which (a little-endian number after the magic bytes DUCK)."""
    header = pipeline["catalogue"].read_bytes()[:20]
    assert header[8:12] == b"DUCK"
    version = int.from_bytes(header[12:20], "little")
    assert 64 <= version <= 68, f"storage version {version}: DuckDB 1.x cannot open {pipeline['catalogue']}"
