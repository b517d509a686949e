"""One harvest per site at a time, and one broken site, lake file or archive never stops the others or loses data."""
from __future__ import annotations

import subprocess
import sys
import time

import pytest
from gongkai.harvesters.crawl import harvest_site
from gongkai.harvesters.parse import parse_site
from gongkai.harvesters.runner import harvest_many
from gongkai.sampleweb.server import SampleWeb
from gongkai.sampleweb.truth import registry_sites
from gongkai.schemas.datafolder import DataFolder
from gongkai.schemas.registry import Politeness


@pytest.fixture(scope="module")
def web():
    with SampleWeb(counties=2, docs_per_county=15) as web:
        yield web


def _sites(web):
    sites = registry_sites(web)
    for s in sites:
        s.politeness = Politeness(delay_seconds=0.0, max_concurrency=1, timeout_seconds=3.0, retries=0)
    return sites


def read_bodies(lake, site) -> int:
    """Documents whose page was read (their body is known)."""
    return sum(bool(d["body_text"]) for d in lake.read_site_table(site.site_id, "documents"))


def test_a_second_harvest_of_a_running_site_is_refused_naming_the_holder(web, tmp_path):
    site = _sites(web)[0]
    lake = DataFolder(tmp_path)
    lock = lake.site_dir(site.site_id) / "harvest.lock"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; sys.path.insert(0, '.')\n"
        "from pathlib import Path\nfrom harvesters.sitelock import SiteLock\n"
        f"with SiteLock(Path({str(lock)!r})):\n    print('held', flush=True); time.sleep(30)\n")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        report = harvest_site(site, lake)
        assert report.status == "busy"
        assert f"pid {holder.pid}" in report.message and "another harvest of this site is running" in report.message
        assert not (lake.site_dir(site.site_id) / "runs").exists()  # nothing of the other run touched or started
    finally:
        holder.kill()
        holder.wait()
    assert harvest_site(site, lake).status == "ok"  # a killed holder leaves no stale lock


def test_a_corrupt_lake_file_fails_its_site_only_and_says_what_to_do(web, tmp_path):
    sites = _sites(web)
    lake = DataFolder(tmp_path)
    assert [r.status for r in harvest_many(sites, lake)] == ["ok", "ok"]
    broken = lake.run_dir(sites[0].site_id, lake.latest_run(sites[0].site_id)) / "fetch_log.parquet"
    broken.write_bytes(broken.read_bytes()[:100])
    first, second = harvest_many(sites, lake)
    assert second.status == "ok"
    assert first.status == "failed" and str(broken) in first.message and "Move the folder" in first.message
    recorded = lake.read_run_table(sites[0].site_id, first.run_id, "harvest_runs")[0]
    assert recorded["status"] == "failed" and recorded["message"] == first.message


def test_a_truncated_warc_loses_only_its_tail_and_the_next_run_fetches_it_again(web, tmp_path):
    site = _sites(web)[1]
    lake = DataFolder(tmp_path)
    assert harvest_site(site, lake).status == "ok"
    parse_site(site, lake)
    whole = read_bodies(lake, site)
    verdicts = {r["path"]: r["status"] for r in lake.read_site_table(site.site_id, "sections")}
    run = lake.latest_run(site.site_id)
    warc = lake.warc_path(site.site_id, run)
    warc.write_bytes(warc.read_bytes()[: warc.stat().st_size // 2])
    parse_site(site, lake)  # what the file still holds is read; the pages past the cut keep their last parse
    docs = lake.read_site_table(site.site_id, "documents")
    assert read_bodies(lake, site) == whole and not any(d["withdrawn_at"] for d in docs)  # none taken for withdrawn
    assert {r["path"]: r["status"] for r in lake.read_site_table(site.site_id, "sections")} == verdicts
    started = time.monotonic()
    again = harvest_site(site, lake, full=True)
    assert again.status == "ok", again.message
    parse_site(site, lake)
    assert read_bodies(lake, site) == whole
    assert time.monotonic() - started < 60


def test_a_run_stopped_by_an_unexpected_error_is_recorded_failed_and_resumed_by_the_next(web, tmp_path, monkeypatch):
    from gongkai.harvesters.crawl import SiteHarvest

    site, lake = _sites(web)[0], DataFolder(tmp_path)
    real, calls = SiteHarvest._document, []

    def bug_on_the_fifth_document(self, url, column_path):  # a bug, or a page nobody foresaw
        calls.append(url)
        if len(calls) == 5:
            raise RuntimeError("an unforeseen page")
        return real(self, url, column_path)

    monkeypatch.setattr(SiteHarvest, "_document", bug_on_the_fifth_document)
    first = harvest_site(site, lake)
    assert first.status == "failed" and "RuntimeError: an unforeseen page" in first.message
    assert "resumes this run" in first.message
    assert lake.read_run_table(site.site_id, first.run_id, "harvest_runs")[0]["status"] == "failed"
    assert lake.unfinished_run(site.site_id) == first.run_id  # its journal kept
    parse_site(site, lake)
    assert read_bodies(lake, site) == 4  # what it fetched before the error is there
    hits = len(web.sites[0].hits)
    monkeypatch.setattr(SiteHarvest, "_document", real)
    second = harvest_site(site, lake)
    assert second.resumed and second.run_id == first.run_id and second.status == "ok", second.message
    fetched_again = [p for _, p in web.sites[0].hits[hits:]]
    assert not set(fetched_again) & {u.split(web.sites[0].base_url)[1] for u in calls[:4]}  # answered from the archive
    assert lake.unfinished_run(site.site_id) is None
    parse_site(site, lake)
    assert read_bodies(lake, site) == len(lake.read_site_table(site.site_id, "documents"))
