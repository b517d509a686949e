"""The harvester engine against the sample web's own access log: politeness per host across concurrent sites,
incremental runs, resuming a killed run, size caps."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from gongkai.audit.catalogue import build_catalogue
from gongkai.harvesters.crawl import harvest_site
from gongkai.harvesters.parse import parse_site
from gongkai.harvesters.runner import harvest_many
from gongkai.sampleweb.changes import add_documents, edit_documents
from gongkai.sampleweb.server import SampleWeb, shortest_span
from gongkai.sampleweb.truth import ground_truth, registry_sites, write_registry
from gongkai.schemas.datafolder import DataFolder
from gongkai.schemas.registry import Politeness, dump_registry

ROOT = Path(__file__).resolve().parents[1]
# The rate is checked over every run of WINDOW consecutive requests (sampleweb.server.shortest_span); SLACK is how
# late the server may stamp an arrival while the same process runs the harvest's threads, whose parsers hold the GIL
# (23 ms and 53 ms seen on clean-clone runs of a two-core machine). Unthrottled, WINDOW requests take milliseconds.
WINDOW, SLACK = 5, 0.06


def _shortest_span(site) -> float:
    return shortest_span(site.times, WINDOW)


def _documents(lake: DataFolder, site_id: str) -> dict[str, dict]:
    return {d["url"]: d for d in lake.read_site_table(site_id, "documents") if d["withdrawn_at"] is None}


# ── politeness ──────────────────────────────────────────────────────────────────────────────────────────────

def test_no_host_gets_more_than_its_rate_or_concurrency_while_sites_run_at_once(tmp_path):
    with SampleWeb(counties=4, docs_per_county=20) as web:
        sites = registry_sites(web)
        limits = {0: (0.08, 1), 1: (0.05, 2), 2: (0.05, 3), 3: (0.0, 2)}
        for i, site in enumerate(sites):
            site.politeness = Politeness(delay_seconds=limits[i][0], max_concurrency=limits[i][1], retries=1)
        # A second registry site on county 0's host (as on a provincial platform): the host's limit is shared.
        twin = sites[0].model_copy(update={"site_id": "990199-twin", "name": "同主机站点"}, deep=True)
        web.sites[1].latency = web.sites[2].latency = 0.12  # answers slower than the delay: requests overlap
        web.sites[3].robots = "User-agent: *\nCrawl-delay: 0.1\nDisallow: /search/\n"
        reports = harvest_many([*sites, twin], DataFolder(tmp_path))
        assert [r.status for r in reports] == ["ok"] * 5
        for i, (delay, concurrency) in limits.items():
            site = web.sites[i]
            delay = max(delay, 0.1 if i == 3 else 0)  # robots.txt's Crawl-delay wins when it is longer
            assert _shortest_span(site) >= WINDOW * delay - SLACK, (i, _shortest_span(site))
            assert site.max_in_flight <= concurrency, (i, site.max_in_flight)
        assert web.sites[2].max_in_flight >= 2  # the per-site concurrency is used, not only allowed
        assert len(web.sites[0].hits) == reports[0].requests + reports[4].requests  # both sites went through host 0


# ── incremental harvests ────────────────────────────────────────────────────────────────────────────────────

@pytest.fixture(scope="module")
def big_web():
    with SampleWeb(counties=3, docs_per_county=1000, seed=11) as web:  # trs (ETag), hanweb (Last-Modified), ucap (none)
        yield web


def test_unchanged_web_costs_at_most_five_percent_of_the_first_harvest(big_web, tmp_path):
    lake = DataFolder(tmp_path)
    for web_site, site in zip(big_web.sites, registry_sites(big_web), strict=True):
        site.politeness.max_concurrency = 1
        first = harvest_site(site, lake)
        parse_site(site, lake)
        before = _documents(lake, site.site_id)
        web_site.reset_log()
        second = harvest_site(site, lake)
        parse_site(site, lake)
        assert (first.mode, second.mode, second.status) == ("full", "incremental", "ok")
        assert len(web_site.hits) == second.requests <= 0.05 * first.requests, (site.adapter, second.requests)
        assert second.docs == {"new": 0, "changed": 0, "unchanged": len(before), "withdrawn": 0}
        if site.adapter in ("trs", "hanweb"):  # servers with validators answer 304; ucap pages are compared by hash
            assert second.not_modified >= second.requests - 2
        else:
            assert second.not_modified == 0
        after = _documents(lake, site.site_id)
        strip = ("first_seen", "last_seen")
        assert {u: {k: v for k, v in d.items() if k not in strip} for u, d in after.items()} == \
               {u: {k: v for k, v in d.items() if k not in strip} for u, d in before.items()}
        # Three new items on top of a long column: its walk stops once `stop_after_known` (10) known items follow
        # them, on page 2 with ten items a page, instead of walking every page.
        news = add_documents(web_site.county, 3)
        web_site.rebuild()
        third = harvest_site(site, lake)
        assert third.docs["new"] == 3 and third.docs["changed"] == 0
        log = lake.read_run_table(site.site_id, third.run_id, "fetch_log")
        column = news[0].column.name_path
        assert len(news[0].column.docs) > 40  # the column has more than 4 pages
        assert sum(1 for r in log if r["kind"] == "list" and r["column_path"] == column) <= 2
        assert {r["url"] for r in log if r["kind"] == "document"} == {web_site.base_url + d.path for d in news}


def test_added_and_edited_documents_are_found(tmp_path):
    with SampleWeb(counties=3, docs_per_county=60, seed=5) as web:
        lake = DataFolder(tmp_path)
        sites = registry_sites(web)
        for site in sites:
            harvest_site(site, lake)
            parse_site(site, lake)
        for s in web.sites:
            add_documents(s.county, 4)
            edit_documents(s.county, 3, visible=True)
            s.rebuild()
        for site in sites:
            report = harvest_site(site, lake)
            assert report.mode == "incremental"
            assert (report.docs["new"], report.docs["changed"]) == (4, 3), site.adapter
        quiet = {s.county.site_id: edit_documents(s.county, 2, visible=False, seed=2) for s in web.sites}
        for s in web.sites:
            s.rebuild()
        for site in sites:  # a body-only edit leaves every list as it was: the next full sweep finds it
            assert harvest_site(site, lake).docs["changed"] == 0
            report = harvest_site(site, lake, full=True)
            assert (report.mode, report.docs["changed"], report.docs["new"]) == ("full", 2, 0)
            parse_site(site, lake)
        truth = {d["url"]: d["title"] for d in ground_truth(web)["documents"]}
        for site in sites:
            docs = _documents(lake, site.site_id)
            assert {u: d["title"] for u, d in docs.items()} == {u: t for u, t in truth.items() if u in docs}
            assert len(docs) == sum(1 for d in ground_truth(web)["documents"] if d["site_id"] == site.site_id)
            base = next(s.base_url for s in web.sites if s.county.site_id == site.site_id)
            for doc in quiet[site.site_id]:
                assert "本文已于发布后更正" in docs[base + doc.path]["body_text"]


# ── resume after SIGKILL ────────────────────────────────────────────────────────────────────────────────────

KILLED = """
import sys
from gongkai.harvesters.crawl import harvest_site
from gongkai.schemas.registry import load_registry
from gongkai.schemas.datafolder import DataFolder
site = load_registry(sys.argv[1])[0]
harvest_site(site, DataFolder(sys.argv[2]))
"""


def _catalogue_rows(lake: DataFolder, sites) -> dict[str, list]:
    build_catalogue(lake, sites)
    with duckdb.connect(str(lake.catalogue_path), read_only=True) as con:
        return {
            "documents": con.sql("SELECT * EXCLUDE (first_seen, last_seen) FROM documents ORDER BY doc_id").fetchall(),
            "sections": con.sql("SELECT * FROM sections ORDER BY site_id, path").fetchall(),
            "attachments": con.sql("SELECT * FROM attachments ORDER BY doc_id, url").fetchall(),
            "coverage": con.sql("SELECT * EXCLUDE (as_of) FROM coverage ORDER BY ALL").fetchall(),
        }


def test_a_harvest_killed_mid_run_resumes_without_refetching_and_ends_with_the_same_catalogue(tmp_path):
    with SampleWeb(counties=1, docs_per_county=60, seed=3) as web:
        site = registry_sites(web)[0]
        site.politeness = Politeness(delay_seconds=0.01, max_concurrency=1, retries=1)
        registry = tmp_path / "registry.yaml"
        dump_registry([site], registry)
        killed_lake = DataFolder(tmp_path / "killed")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen([sys.executable, "-c", KILLED, str(registry), str(killed_lake.data_dir)], env=env)
        deadline = time.monotonic() + 60
        while len(web.sites[0].hits) < 50 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert killed_lake.unfinished_run(site.site_id) and not killed_lake.finished_runs(site.site_id)
        before_kill = list(web.sites[0].hits)

        report = harvest_site(site, killed_lake)
        assert report.resumed and report.status == "ok" and report.mode == "full"
        after_kill = web.sites[0].hits[len(before_kill):]
        # Only the request in flight when the process died may be sent twice.
        assert len(set(before_kill) & set(after_kill)) <= 1
        assert len(killed_lake.finished_runs(site.site_id)) == 1
        log = killed_lake.read_run_table(site.site_id, report.run_id, "fetch_log")
        keys = [(r["method"], r["url"], r["post_data"]) for r in log if r["status"] == 200]
        assert len(keys) == len(set(keys))  # no duplicate rows in the fetch log
        parse_site(site, killed_lake)

        clean_lake = DataFolder(tmp_path / "clean")
        assert harvest_site(site, clean_lake).status == "ok"
        parse_site(site, clean_lake)
        assert _catalogue_rows(killed_lake, [site]) == _catalogue_rows(clean_lake, [site])


# ── size caps ───────────────────────────────────────────────────────────────────────────────────────────────

def test_responses_over_the_size_cap_are_skipped_once_with_the_reason(tmp_path):
    with SampleWeb(counties=1, docs_per_county=40, seed=4) as web:
        site = registry_sites(web)[0]
        site.harvest.max_attachment_bytes = 2048
        lake = DataFolder(tmp_path)
        report = harvest_site(site, lake)
        county = web.sites[0]
        big = {county.base_url + a.path for d in county.county.all_docs() for a in d.attachments
               if not a.broken and len(county.routes[a.path]()[1]) > 2048}
        assert big and report.status == "partial"
        capped = {e["url"] for e in report.errors if "2048-byte cap" in e["error"]}
        assert capped == big
        for url in big:  # not retried: one request each
            assert sum(1 for _, path in web.sites[0].hits if web.sites[0].base_url + path == url) == 1
        parse_site(site, lake)
        statuses = {a["url"]: a["status"] for a in lake.read_site_table(site.site_id, "attachments")}
        dead = {county.base_url + a.path for d in county.county.all_docs() for a in d.attachments if a.broken}
        assert {u for u, s in statuses.items() if s == "not_fetched"} == big
        assert {u for u, s in statuses.items() if s == "broken"} == dead


def test_the_cli_harvests_every_site_and_prints_one_line_per_site(tmp_path):
    with SampleWeb(counties=2, docs_per_county=20) as web:
        registry = write_registry(web, tmp_path / "registry.yaml")
        env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}  # (set by in-process tests before)
        out = subprocess.run([sys.executable, "-m", "gongkai_cli", "--data", str(tmp_path), "harvest",
                              "--registry", str(registry)], capture_output=True, text=True, cwd=ROOT, timeout=120,
                             env=env)
        assert out.returncode == 0, out.stderr
        lines = [line for line in out.stderr.splitlines() if line.startswith("99")]
        assert sorted(line.split()[0] for line in lines) == sorted(s.county.site_id for s in web.sites)
        assert all(" ok " in line and " full " in line for line in lines)
        assert "2/2 sites ok" in out.stdout and (tmp_path / "catalogue.duckdb").exists()
        assert "Dagster started from here reads the data folder" in out.stderr  # GONGKAI_DATA is not this --data
        # what it does not do, said plainly (the demo and Dagster's own runs do those)
        assert "it does not record coverage history, run the asset checks or publish a release" in out.stdout
    # the harvests are recorded in Dagster, per site partition, with their health
    from dagster import AssetCheckKey, AssetKey, AssetRecordsFilter, DagsterInstance

    assert "2 harvests recorded in Dagster" in out.stdout
    with DagsterInstance.from_config(str(tmp_path / "dagster_home")) as instance:
        assert sorted(instance.get_dynamic_partitions("sites")) == sorted(s.county.site_id for s in web.sites)
        for county in web.sites:
            found = instance.fetch_materializations(
                AssetRecordsFilter(AssetKey("harvested_site"), [county.county.site_id]), limit=1).records
            meta = {k: v.value for k, v in found[0].asset_materialization.metadata.items()}
            assert (meta["status"], meta["launched_by"]) == ("ok", "gongkai harvest")
            parsed = instance.fetch_materializations(
                AssetRecordsFilter(AssetKey("parsed_site"), [county.county.site_id]), limit=1).records
            assert parsed[0].asset_materialization.metadata["dagster/row_count"].value == len(list(county.county.all_docs()))
        check = instance.get_latest_asset_check_evaluation_record(
            AssetCheckKey(AssetKey("harvested_site"), "harvest_healthy"))
        assert check.event.dagster_event.event_specific_data.passed

    # with DAGSTER_HOME set (a deployment's instance), the CLI records there, as the dagster commands do
    deployment = tmp_path / "deployment_home"
    deployment.mkdir()
    (deployment / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    with SampleWeb(counties=1, docs_per_county=5) as web:
        registry = write_registry(web, tmp_path / "one.yaml")
        again = subprocess.run([sys.executable, "-m", "gongkai_cli", "--data", str(tmp_path / "d2"), "harvest",
                                "--registry", str(registry)], capture_output=True, text=True, cwd=ROOT, timeout=120,
                               env={**env, "DAGSTER_HOME": str(deployment)})
        assert again.returncode == 0, again.stderr
    assert f"recorded in Dagster ({deployment})" in again.stdout and not (tmp_path / "d2" / "dagster_home").exists()
    with DagsterInstance.from_config(str(deployment)) as instance:
        assert instance.get_dynamic_partitions("sites") == [web.sites[0].county.site_id]


def test_the_harvest_command_says_what_it_leaves_to_the_demo_and_dagster(capsys):
    from gongkai_cli import main

    with pytest.raises(SystemExit) as done:
        main(["harvest", "--help"])
    assert done.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert ("harvests, parses and updates the catalogue (audit included) and records the harvests in Dagster; it "
            "does not record coverage history, run the asset checks or publish a release") in text


def test_a_column_that_had_items_and_now_lists_none_is_reported_as_a_layout_change(tmp_path):
    with SampleWeb(counties=1, docs_per_county=30, seed=6) as web:
        site, lake, county = registry_sites(web)[0], DataFolder(tmp_path), web.sites[0]
        harvest_site(site, lake)
        parse_site(site, lake)
        column = next(c for c in county.county.all_columns() if c.slug == "gzdt")
        page = column.path
        county.routes[page] = lambda: ("text/html", "<html><body><table class='new-layout'></table></body></html>")
        report = harvest_site(site, lake)
        assert report.status == "partial"
        assert any("SiteChanged" in e["error"] and e["url"].endswith(page) for e in report.errors)
        parse_site(site, lake)  # a partial run is merged: the column's earlier items are kept
        items = [i for i in lake.read_site_table(site.site_id, "list_items") if i["column_path"] == column.name_path]
        assert len(items) == len(column.docs)


def test_only_answers_that_say_the_file_is_gone_make_an_attachment_broken():
    """An attachment is `broken` (a finding against the county) only on 400, 401, 403, 404 or 410; a 429 or 408 is
    the harvest's trouble (rate limit, timeout), so it stays not_fetched."""
    from gongkai.harvesters.parse import _attachment_status

    assert [_attachment_status({"status": s}) for s in (404, 410, 403, 429, 408, 500, 200, 304)] == \
        ["broken", "broken", "broken", "not_fetched", "not_fetched", "not_fetched", "ok", "ok"]
    assert _attachment_status(None) == "not_fetched" and _attachment_status({"status": 404}, external=True) == "external"
