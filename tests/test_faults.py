"""Under each injected fault a harvest completes or reports the site failed/blocked with the reason; nothing
harvested before is lost, and a second run without the fault fills the gaps."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from gongkai.harvesters.crawl import harvest_site
from gongkai.harvesters.parse import parse_site
from gongkai.sampleweb.changes import withdraw_document
from gongkai.sampleweb.server import SampleWeb
from gongkai.sampleweb.truth import ground_truth, registry_sites
from gongkai.schemas.datafolder import DataFolder
from gongkai.schemas.registry import Politeness


@pytest.fixture(scope="module")
def web():
    with SampleWeb(counties=4, docs_per_county=25) as web:  # trs, hanweb, ucap, and a GBK trs county
        yield web


def _site(web, index):
    site = registry_sites(web)[index]
    site.politeness = Politeness(delay_seconds=0.0, max_concurrency=1, timeout_seconds=1.0, retries=2)
    return site


@contextmanager
def injected(web, index, faults):
    """Switch faults on for one site of the sample web for the length of the block."""
    web.sites[index].faults.set(faults)
    try:
        yield
    finally:
        web.sites[index].faults.set(None)


def _expected(web, site_id):
    return {d["url"]: d["title"] for d in ground_truth(web)["documents"] if d["site_id"] == site_id}


def _parsed(lake, site):
    parse_site(site, lake)
    return {d["url"]: d["title"] for d in lake.read_site_table(site.site_id, "documents") if not d["withdrawn_at"]}


RECOVERABLE = [
    ("error_burst", {"status": 503, "count": 2}, 0),
    ("retry_after", {"seconds": 1, "count": 2}, 1),
    ("reset", {"count": 2}, 2),
    ("truncate", {"count": 2}, 0),
    ("timeout", {"seconds": 2, "count": 1}, 1),
    ("slow", {"seconds": 0.01}, 2),
    ("wrong_charset", {"declared": "UTF-8"}, 3),
]


@pytest.mark.parametrize("fault,opts,index", RECOVERABLE, ids=[f[0] for f in RECOVERABLE])
def test_recoverable_faults_are_retried_through(web, tmp_path, fault, opts, index):
    site, lake = _site(web, index), DataFolder(tmp_path)
    with injected(web, index, {fault: opts}):
        report = harvest_site(site, lake)
    assert report.status == "ok", report.errors
    assert _parsed(lake, site) == _expected(web, site.site_id)


def test_redirect_loop_is_reported_and_the_rest_harvested_then_filled(web, tmp_path):
    site, lake = _site(web, 0), DataFolder(tmp_path)
    with injected(web, 0, {"redirect_loop": {"path_contains": "/gfxwj/"}}):
        report = harvest_site(site, lake)
    assert report.status == "partial"
    assert any("redirects" in e["error"] and "/gfxwj/" in e["url"] for e in report.errors)
    expected = _expected(web, site.site_id)
    first = _parsed(lake, site)
    assert first and set(first) < set(expected)
    assert harvest_site(site, lake).status == "ok"
    assert _parsed(lake, site) == expected


def test_waf_challenge_reports_blocked_and_keeps_what_was_harvested(web, tmp_path):
    site, lake = _site(web, 1), DataFolder(tmp_path)
    assert harvest_site(site, lake).status == "ok"
    before = _parsed(lake, site)
    with injected(web, 1, {"waf": {"status": 412}}):
        report = harvest_site(site, lake)
    assert report.status == "blocked" and "anti-bot" in report.message
    assert _parsed(lake, site) == before == _expected(web, site.site_id)  # nothing lost, nothing withdrawn


def test_a_200_challenge_page_is_blocked_not_an_empty_site(web, tmp_path):
    site = _site(web, 2)
    with injected(web, 2, {"waf": {"status": 200}}):
        report = harvest_site(site, DataFolder(tmp_path))
    assert report.status == "blocked"


def test_unreachable_robots_txt_means_disallowed_for_the_run(web, tmp_path):
    site = _site(web, 0)
    with injected(web, 0, {"robots_error": {"status": 503}}):
        report = harvest_site(site, DataFolder(tmp_path))
    assert report.status == "failed" and "RFC 9309" in report.message
    assert [p for _, p in web.sites[0].hits[-3:]] == ["/robots.txt"] * 3  # the first try and two retries, nothing else


def test_circuit_breaker_stops_a_failing_site_and_says_why(web, tmp_path):
    site = _site(web, 0)
    site.politeness = Politeness(delay_seconds=0.0, retries=0, timeout_seconds=1.0)
    with injected(web, 0, {"error_burst": {"status": 500, "count": None, "path_contains": "/t20"}}):
        report = harvest_site(site, DataFolder(tmp_path))
    assert report.status == "failed" and "consecutive requests failed" in report.message
    assert report.counts["document"] == 8


def test_withdrawn_documents_become_tombstones_after_a_healthy_full_sweep(tmp_path):
    with SampleWeb(counties=3, docs_per_county=25) as own:
        site, lake = _site(own, 2), DataFolder(tmp_path)
        harvest_site(site, lake)
        parse_site(site, lake)
        victim = withdraw_document(own.sites[2].county)
        own.sites[2].rebuild()
        url = own.sites[2].base_url + victim.path
        assert harvest_site(site, lake).mode == "incremental"  # an incremental run cannot tell withdrawn from unlisted
        parse_site(site, lake)
        assert {d["url"]: d for d in lake.read_site_table(site.site_id, "documents")}[url]["withdrawn_at"] is None
        report = harvest_site(site, lake, full=True)
        assert report.status == "ok" and report.mode == "full" and report.docs["withdrawn"] == 1
        parse_site(site, lake)
        docs = {d["url"]: d for d in lake.read_site_table(site.site_id, "documents")}
        assert docs[url]["withdrawn_at"] is not None and docs[url]["title"] == victim.title
        assert sum(1 for d in docs.values() if d["withdrawn_at"]) == 1


def test_a_burst_longer_than_the_retries_fails_with_the_reason_and_the_next_run_fills(web, tmp_path):
    site, lake = _site(web, 1), DataFolder(tmp_path)
    with injected(web, 1, {"error_burst": {"status": 502, "count": 3}}):
        report = harvest_site(site, lake)
    assert report.status == "failed" and "no disclosure columns" in report.message
    assert any(e["stage"] == "entry" and "HTTP 502" in e["error"] for e in report.errors)
    assert harvest_site(site, lake).status == "ok"
    assert _parsed(lake, site) == _expected(web, site.site_id)
