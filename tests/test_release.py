"""The open-data release: validated by frictionless, readable by DuckDB and pyarrow, Excel-safe CSV, personal data
screened out, reproducible byte for byte, and a schema that changes only with a version bump."""
from __future__ import annotations

import csv
import filecmp
import gzip
import hashlib
import json
import shutil

import duckdb
import pyarrow.parquet as pq
import pytest
from frictionless import validate
from gongkai.release import build
from gongkai.release.build import csv_cell, publish_release, verify_release, write_release
from gongkai.release.resources import RELEASE_SCHEMA_VERSION, RESOURCES, Resource
from gongkai.release.schema import release_schema, schema_problems
from gongkai.release.screen import scan_release
from gongkai.schemas.datafolder import DataFolder


@pytest.fixture(scope="module")
def release(pipeline):
    return (pipeline["data"] / "releases" / "latest").resolve()


def test_frictionless_validates_the_release(release):
    report = validate(str(release / "datapackage.json"))
    assert report.valid, [(t.name, [e.message for e in t.errors][:2]) for t in report.tasks if t.errors]
    package = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0" and package["gongkai"]["schema_version"] == RELEASE_SCHEMA_VERSION
    tables = {r["name"].removesuffix("-csv") for r in package["resources"] if r["type"] == "table"}
    assert tables == {r.name for r in RESOURCES}  # every resource has a Table Schema


def test_duckdb_and_pyarrow_read_every_file_with_the_rows_the_manifest_says(release, catalogue_db):
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["run_id"] and manifest["code_version"] and manifest["schema_version"] == RELEASE_SCHEMA_VERSION
    for f in manifest["files"]:
        path = release / f["path"]
        assert path.stat().st_size == f["bytes"] and hashlib.sha256(path.read_bytes()).hexdigest() == f["sha256"]
        if f["format"] == "parquet":
            assert pq.read_table(path).num_rows == f["rows"]
        reader = "read_parquet" if f["format"] == "parquet" else "read_csv"
        assert duckdb.sql(f"SELECT count(*) FROM {reader}('{path}')").fetchall()[0][0] == f["rows"]
    docs = catalogue_db.execute("SELECT count(*) FROM documents").fetchall()[0][0]
    assert next(f["rows"] for f in manifest["files"] if f["path"] == "documents.parquet") == docs


def test_csv_reads_back_with_chinese_as_excel_does_and_formulas_are_neutralised(pipeline, release):
    raw = (release / "documents.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(release / "documents.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    hostile = next(d for d in pipeline["truth"]["defects"] if d["kind"] == "hostile_title")
    row = next(r for r in rows if r["url"] == hostile["url"])
    assert row["title"].startswith("'=HYPERLINK(") and "<script>" in row["title"]  # text, not a formula
    assert any("县人民政府" in r["title"] for r in rows) and not any("\ufffd" in r["title"] for r in rows)
    assert (csv_cell("=1+1"), csv_cell("-5"), csv_cell("@SUM(A1)"), csv_cell(["a", "b"])) == ("'=1+1", "-5", "'@SUM(A1)", "a b")


def test_planted_personal_data_is_in_no_public_file_and_in_the_quarantine_report(pipeline, release):
    leak = next(d for d in pipeline["truth"]["defects"] if d["kind"] == "pii_leak")
    for path in (p for p in release.rglob("*") if p.is_file()):
        data = path.read_bytes()
        data = gzip.decompress(data) if path.suffix == ".gz" else data
        for value in leak["values"]:
            assert value.encode() not in data, f"{value} leaked into {path.name}"
    assert scan_release(release) == []
    docs = duckdb.sql(f"SELECT body_text FROM '{release / 'documents.parquet'}' WHERE url = '{leak['url']}'").fetchall()
    assert "〔已隐去身份证号〕" in docs[0][0] and "〔已隐去手机号〕" in docs[0][0]
    with open(DataFolder(pipeline["data"]).quarantine_path(release.resolve().name), encoding="utf-8-sig", newline="") as fh:
        listed = list(csv.DictReader(fh))
    mine = [r for r in listed if r["source_url"] == leak["url"] and r["resource"] == "documents"]
    assert sorted(r["kind"] for r in mine) == ["id_card", "id_card", "mobile", "mobile"]
    assert {r["masked"] for r in mine} >= {"330106********1236", "139****5678"}
    assert not (release / "quarantine").exists() and "quarantine" not in (release / "SHA256SUMS").read_text()


def test_checksums_and_dcat_catalogues_describe_every_file(release):
    sums = dict(line.split("  ")[::-1] for line in (release / "SHA256SUMS").read_text().splitlines())
    files = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()} - {"SHA256SUMS", "manifest.json"}
    assert set(sums) == files and all(hashlib.sha256((release / p).read_bytes()).hexdigest() == h for p, h in sums.items())
    data = json.loads((release / "data.json").read_text(encoding="utf-8"))
    assert data["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    required = {"title", "description", "keyword", "modified", "publisher", "contactPoint", "identifier", "accessLevel"}
    assert all(required <= set(d) and d["distribution"] for d in data["dataset"])
    urls = {x["downloadURL"] for d in data["dataset"] for x in d["distribution"]}
    assert {"documents.parquet", "findings.csv"} <= urls
    jsonld = json.loads((release / "catalog.jsonld").read_text(encoding="utf-8"))
    checks = {x["dcat:downloadURL"]["@id"]: x["spdx:checksum"]["spdx:checksumValue"]
              for d in jsonld["dcat:dataset"] for x in d["dcat:distribution"]}
    assert checks["documents.parquet"] == sums["documents.parquet"]


def test_two_releases_from_the_same_inputs_are_byte_identical_but_for_the_manifest(pipeline, tmp_path):
    lake = DataFolder(pipeline["data"])
    first, _ = write_release(lake, "2030-01-01", run_id="a")
    shutil.copytree(first, tmp_path / "first")
    second, _ = write_release(lake, "2030-01-01", run_id="b")
    left = sorted(p.relative_to(tmp_path / "first") for p in (tmp_path / "first").rglob("*") if p.is_file())
    right = sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert left == right and len(left) > 25
    differ = [str(p) for p in left if not filecmp.cmp(tmp_path / "first" / p, second / p, shallow=False)]
    assert differ == ["manifest.json"]
    shutil.rmtree(second)


def test_a_release_read_a_few_sites_at_a_time_is_the_same_bytes_as_one_read_whole(pipeline, tmp_path, monkeypatch):
    """Resources ordered by site are read a run of sites at a time (so 10 M documents never sort at once); the runs
    must not change a byte. RUN_DOCUMENTS of 7 makes runs of one or two sites, and sites bigger than a run."""
    lake = DataFolder(pipeline["data"])
    monkeypatch.setattr(build, "RUN_DOCUMENTS", 10 ** 9)
    whole, counts = write_release(lake, "2030-01-03", run_id="a")
    shutil.copytree(whole, tmp_path / "whole")
    monkeypatch.setattr(build, "RUN_DOCUMENTS", 7)
    with build.open_read_only(lake.catalogue_path) as con:
        runs = build._site_runs(con)
        per_site = dict(con.execute("SELECT site_id, count(*) FROM documents GROUP BY 1").fetchall())
    assert len(runs) > 3 and max(per_site.values()) > 7
    runs_release, again = write_release(lake, "2030-01-03", run_id="a")
    assert again == counts
    files = sorted(p.relative_to(runs_release) for p in runs_release.rglob("*") if p.is_file())
    assert [str(p) for p in files if not filecmp.cmp(tmp_path / "whole" / p, runs_release / p, shallow=False)] \
        == ["manifest.json"]
    shutil.rmtree(runs_release)


def test_runs_of_sites_tile_every_site_id_and_rows_without_one_come_last(monkeypatch):
    """The runs are sized by documents, but a resource may hold sites the documents do not (before the first, between,
    after the last) and rows with no site: none may be lost, and the order must be the resource's own."""
    con = duckdb.connect()
    con.execute("CREATE TABLE documents AS SELECT * FROM (VALUES ('b'), ('b'), ('d'), ('d'), ('d'), ('f')) v(site_id)")
    con.execute("CREATE TABLE t AS SELECT * FROM (VALUES ('b', 2), (NULL, 9), ('a', 1), ('c', 3), ('a', 0), "
                "(NULL, 8), ('e', 5), ('g', 6), ('d', 4)) v(site_id, x)")
    res = Resource("t", "T", "", "SELECT site_id, x FROM t", ("x",), order="site_id, x")
    monkeypatch.setattr(build, "RUN_DOCUMENTS", 2)
    runs = build._site_runs(con)
    assert [params for _, params in runs] == [{"high": "b"}, {"low": "b", "high": "d"}, {"low": "d"}, {}]
    schema, counted, batches = build._batches(con, res, runs)
    assert counted is None and schema.names == ["site_id", "x"]
    assert [(r["site_id"], r["x"]) for b in batches for r in b.to_pylist()] == \
        [("a", 0), ("a", 1), ("b", 2), ("c", 3), ("d", 4), ("e", 5), ("g", 6), (None, 8), (None, 9)]


def test_large_tables_are_partitioned_by_province_and_large_csv_gzipped(pipeline):
    lake = DataFolder(pipeline["data"])
    out, counts = write_release(lake, "2030-01-02", partition_rows=100, gzip_bytes=20_000)
    parts = sorted((out / "documents").glob("province=*/part-0.parquet"))
    assert parts and not (out / "documents.parquet").exists()
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/documents/*/*.parquet', hive_partitioning = true)"
                      ).fetchall()[0][0] == counts["documents"]
    assert (out / "documents.csv.gz").exists() and not (out / "documents.csv").exists()
    assert duckdb.sql(f"SELECT count(*) FROM read_csv('{out / 'documents.csv.gz'}')").fetchall()[0][0] == counts["documents"]
    assert validate(str(out / "datapackage.json")).valid
    shutil.rmtree(out)


def test_the_release_schema_changes_only_with_a_version_bump(release):
    schema = release_schema(release)
    assert schema_problems(schema) == []
    renamed = json.loads(json.dumps(schema))
    renamed["documents"]["doc_title"] = renamed["documents"].pop("title")
    assert any("documents.title" in p and "bump RELEASE_SCHEMA_VERSION" in p for p in schema_problems(renamed))
    history = {"1": schema, "2": {**schema, "findings": {**schema["findings"], "measured": "string"}}}
    assert any("retypes findings.measured" in p for p in schema_problems(schema, history))


def test_the_released_site_shows_the_audit_in_a_real_browser(pipeline, release, catalogue_db):
    """Headless Chromium on the sample web's own release: heatmap and county numbers as in the catalogue, search finds a
    known document, the planted hostile title renders as text."""
    from tests.test_release_site import browse

    failing = dict(catalogue_db.execute("SELECT site_id, count(*) FILTER (WHERE verdict IN ('missing', 'blank', 'stale')) "
                                        "FROM coverage GROUP BY site_id").fetchall())
    site, score, findings = catalogue_db.execute(
        "SELECT site_id, score, findings FROM county_scores ORDER BY score, site_id LIMIT 1").fetchall()[0]
    hostile = next(d for d in pipeline["truth"]["defects"] if d["kind"] == "hostile_title")
    known = next(d for d in pipeline["truth"]["documents"] if d["kind"] == "policy")
    with browse(release) as open_page:
        page = open_page("heatmap.html")
        shown = {c.get_attribute("data-site"): int(c.text_content()) for c in page.query_selector_all("tr.county td.failing")}
        assert shown == failing and sum(failing.values()) > 0
        blank = next(d for d in pipeline["truth"]["defects"] if d["kind"] == "blank")
        cell = page.query_selector(f'td.cell[data-site="{blank["site_id"]}"][data-requirement="{blank["requirement"]}"]')
        assert cell.get_attribute("data-verdict") == "blank"
        page = open_page(f"county/{site}.html")
        assert page.text_content("#score").strip() == str(score)
        assert len(page.query_selector_all("#findings tr.finding")) == findings
        assert page.query_selector_all("#findings a.evidence")
        page = open_page("search.html")
        assert page.evaluate("q => window.gongkaiSearch(q)", known["doc_no"]) >= 1
        assert known["title"] in page.text_content("#results")
        planted = sum(1 for d in pipeline["truth"]["defects"] if d["kind"] == "hostile_title")
        assert page.evaluate("q => window.gongkaiSearch(q)", "清风") == planted
        assert "<script>window.__pwned=1</script>" in page.text_content("#results")
        assert page.evaluate("typeof window.__pwned") == "undefined" and not page.query_selector("#results img")
        page = open_page(f"county/{hostile['site_id']}.html")
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert open_page.errors == []


def test_a_release_that_would_leak_is_stopped_by_the_blocking_check(pipeline, tmp_path, monkeypatch):
    """If the screen missed something, the Dagster check finds it in the staged files and open_release never runs."""
    from dagster import DagsterInstance, materialize
    from gongkai import release
    from gongkai.pipelines.release_assets import open_release, release_candidate, release_has_no_personal_data
    from gongkai.pipelines.resources import GongkaiSettings

    shutil.copytree(pipeline["data"] / "lake", tmp_path / "lake")
    shutil.copy(pipeline["data"] / "catalogue.duckdb", tmp_path / "catalogue.duckdb")
    settings = GongkaiSettings(data_dir=str(tmp_path), registry_path=str(pipeline["data"] / "sample" / "registry.yaml"))
    monkeypatch.setattr(release.build, "screen_table", lambda name, table, key: (table, []))  # a broken screen
    with DagsterInstance.ephemeral() as instance:
        result = materialize([release_candidate, open_release, release_has_no_personal_data], instance=instance,
                             resources={"gongkai": settings}, raise_on_error=False)
        evaluation = result.get_asset_check_evaluations()[0]
        assert not evaluation.passed and evaluation.metadata["leaks"].value >= 4
        done = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
        assert done == {"release_candidate"}  # staged, never published
    assert not (tmp_path / "releases" / "latest").exists()
    assert list((tmp_path / "releases" / ".staging").iterdir())


def test_a_release_whose_keys_do_not_hold_is_stopped_by_validation(pipeline, tmp_path, monkeypatch):
    """A resource whose primary key repeats (as annual_report_figures' did, before its key carried site_id) fails the
    Frictionless check, which blocks publication; the problem names the file."""
    import dataclasses

    from dagster import DagsterInstance, materialize
    from gongkai import release
    from gongkai.pipelines.release_assets import open_release, release_candidate, release_is_valid
    from gongkai.pipelines.resources import GongkaiSettings
    from gongkai.release.resources import RESOURCES as GOOD

    shutil.copytree(pipeline["data"] / "lake", tmp_path / "lake")
    shutil.copy(pipeline["data"] / "catalogue.duckdb", tmp_path / "catalogue.duckdb")
    settings = GongkaiSettings(data_dir=str(tmp_path), registry_path=str(pipeline["data"] / "sample" / "registry.yaml"))
    bad = tuple(dataclasses.replace(r, primary_key=("province",)) if r.name == "county_scores" else r for r in GOOD)
    for module in (release.build, release.metadata):
        monkeypatch.setattr(module, "RESOURCES", bad)
    with DagsterInstance.ephemeral() as instance:
        result = materialize([release_candidate, open_release, release_is_valid], instance=instance,
                             resources={"gongkai": settings}, raise_on_error=False)
        evaluation = result.get_asset_check_evaluations()[0]
        assert not evaluation.passed
        examples = evaluation.metadata["examples"].value
        assert any("county_scores" in e and "primary key" in e.lower() for e in examples), examples
        assert {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()} == {"release_candidate"}
    assert not (tmp_path / "releases" / "latest").exists()


def test_dcat_urls_are_absolute_with_a_public_url_and_the_readme_warns_without(pipeline, tmp_path):
    from gongkai.release.validate import validate_release

    shutil.copytree(pipeline["data"] / "lake", tmp_path / "lake")
    shutil.copy(pipeline["data"] / "catalogue.duckdb", tmp_path / "catalogue.duckdb")
    lake = DataFolder(tmp_path)
    relative, _ = write_release(lake, "2030-04-01", run_id="a")
    assert "download URLs in data.json and catalog.jsonld are relative" in (relative / "README.md").read_text()
    assert validate_release(relative) == []
    absolute, _ = write_release(lake, "2030-04-02", run_id="b", public_url="https://data.example.org/gongkai/2030-04-02/")
    urls = {x["downloadURL"] for d in json.loads((absolute / "data.json").read_text())["dataset"] for x in d["distribution"]}
    assert urls and all(u.startswith("https://data.example.org/gongkai/2030-04-02/") for u in urls)
    readme = (absolute / "README.md").read_text()
    assert "relative" not in readme and "https://data.example.org/gongkai/2030-04-02/" in readme


def test_publishing_a_day_twice_keeps_the_live_release_and_moves_latest_in_one_step(pipeline, tmp_path):
    shutil.copytree(pipeline["data"] / "lake", tmp_path / "lake")
    shutil.copy(pipeline["data"] / "catalogue.duckdb", tmp_path / "catalogue.duckdb")
    lake = DataFolder(tmp_path)
    write_release(lake, "2030-02-01", run_id="a")
    first = publish_release(lake, "2030-02-01")
    live = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    write_release(lake, "2030-02-01", run_id="b")
    second = publish_release(lake, "2030-02-01")
    assert (first.name, second.name) == ("2030-02-01", "2030-02-01.2")
    assert sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file()) == live  # untouched
    assert (tmp_path / "releases" / "latest").resolve() == second.resolve()
    assert verify_release(first) == [] and verify_release(second) == []
    # each publication keeps its own quarantine report, named as its folder
    assert lake.quarantine_path("2030-02-01").exists() and lake.quarantine_path("2030-02-01.2").exists()


def test_a_release_says_what_changed_since_the_previous_one(pipeline, tmp_path):
    """A finding resolved between two releases: changes.json and the downloads page name the previous release, the
    finding resolved and the county's new score."""
    shutil.copytree(pipeline["data"] / "lake", tmp_path / "lake")
    shutil.copy(pipeline["data"] / "catalogue.duckdb", tmp_path / "catalogue.duckdb")
    lake = DataFolder(tmp_path)
    write_release(lake, "2030-05-01", run_id="a")
    first = publish_release(lake, "2030-05-01")
    assert json.loads((first / "changes.json").read_text())["previous"] is None
    with duckdb.connect(str(lake.catalogue_path)) as con:  # the county published its document on time after all
        site_id, finding_id = con.execute("SELECT site_id, finding_id FROM findings WHERE rule = 'late_publication' "
                                          "ORDER BY finding_id LIMIT 1").fetchone()
        before = con.execute("SELECT score FROM county_scores WHERE site_id = ?", [site_id]).fetchone()[0]
        con.execute("DELETE FROM findings WHERE finding_id = ?", [finding_id])
        after = con.execute("SELECT score FROM county_scores WHERE site_id = ?", [site_id]).fetchone()[0]
    assert after > before
    second, _ = write_release(lake, "2030-05-02", run_id="b")
    changes = json.loads((second / "changes.json").read_text(encoding="utf-8"))
    assert (changes["previous"], changes["earlier"]) == ("2030-05-01", ["2030-05-01"])
    assert (changes["findings_new"], changes["findings_resolved"]) == (0, 1)
    assert changes["by_site"] == [{"site_id": site_id, "new": 0, "resolved": 1}]
    assert [(c["site_id"], c["before"], c["after"]) for c in changes["scores"]] == [(site_id, before, after)]
    page = (second / "site" / "downloads.html").read_text(encoding="utf-8")
    assert 'id="previous">2030-05-01<' in page and 'id="findings-resolved">1<' in page
    assert f'class="score-change" data-site="{site_id}"' in page


def test_a_half_written_or_altered_staging_folder_is_never_published(pipeline, tmp_path):
    shutil.copytree(pipeline["data"] / "lake", tmp_path / "lake")
    shutil.copy(pipeline["data"] / "catalogue.duckdb", tmp_path / "catalogue.duckdb")
    lake = DataFolder(tmp_path)
    staged, _ = write_release(lake, "2030-03-01", run_id="a")
    (staged / "documents.csv").write_text("tampered\n", encoding="utf-8")
    assert any("documents.csv does not match its checksum" in p for p in verify_release(staged))
    with pytest.raises(FileNotFoundError, match="not a complete release"):
        publish_release(lake, "2030-03-01")
    (staged / "SHA256SUMS").unlink()  # killed before the last file was written
    assert "SHA256SUMS: missing" in verify_release(staged)[0]
    with pytest.raises(FileNotFoundError, match="not a complete release"):
        publish_release(lake, "2030-03-01")
    assert not (tmp_path / "releases" / "latest").exists() and not (tmp_path / "releases" / "2030-03-01").exists()
