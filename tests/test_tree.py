"""The column tree as real county sites build it (harvesters.tree, harvesters.discover), over real HTTP on the
sample web's small-vendor county (aspx): a portal home page as the registry's entry, group columns whose pages are
grids of sub-columns, a guide column that is a document. A category is judged missing only when every page that
could hold it was read, and the verdict names those pages."""
from __future__ import annotations

import duckdb
import pytest
from gongkai.audit.catalogue import build_catalogue
from gongkai.harvesters.crawl import harvest_site
from gongkai.harvesters.parse import parse_site
from gongkai.sampleweb.server import SampleWeb
from gongkai.sampleweb.truth import ground_truth, registry_sites
from gongkai.schemas.datafolder import DataFolder

ASPX = 7  # county 7 of the sample web: the small vendor's ASP.NET layout


@pytest.fixture(scope="module")
def web():
    with SampleWeb(counties=ASPX + 1, docs_per_county=40) as served:
        yield served


def _harvest(web, tmp_path, site=None, runs: int = 1):
    site = site or registry_sites(web)[ASPX]
    lake = DataFolder(tmp_path)
    reports = [harvest_site(site, lake) for _ in range(runs)]
    parse_site(site, lake)
    build_catalogue(lake, [site])
    return site, lake, reports, duckdb.connect(str(lake.catalogue_path), read_only=True)


def test_the_platform_is_found_from_the_home_page_and_the_groups_are_walked(web, tmp_path):
    site, lake, (report,), con = _harvest(web, tmp_path)
    county = web.sites[ASPX]
    assert site.entry_urls == [county.base_url + "/"] and report.status == "ok"
    kinds = dict(con.execute("SELECT url, kind FROM fetch_log WHERE kind IN ('entry', 'portal')").fetchall())
    assert kinds[county.base_url + "/"] == "portal" and kinds[county.base_url + "/xxgk/index.aspx"] == "entry"
    # every column of the county is in the tree, under its path, groups included; no group is a leaf
    paths = dict(con.execute("SELECT path, status FROM sections").fetchall())
    assert {c.name_path for c in county.county.all_columns()} <= set(paths)
    groups = con.execute("SELECT column_path FROM tree_pages WHERE role = 'group' ORDER BY 1").fetchall()
    assert ("法定主动公开内容",) in groups and ("部门信息公开",) in groups
    found_on = dict(con.execute("SELECT path, found_on FROM sections").fetchall())
    assert found_on["法定主动公开内容/政策文件/规范性文件"].endswith(
        f"group.aspx?cid={next(c for c in county.county.all_columns() if c.slug == 'zcwj').col_id}")
    # the guide column links straight to the guide: the column lists that one document
    guide = next(c for c in county.county.all_columns() if c.slug == "zfxxgkzn")
    assert con.execute("SELECT item_count, status FROM sections WHERE path = '政府信息公开指南'").fetchone() == (1, "ok")
    assert con.execute("SELECT column_path FROM documents WHERE url = ?",
                       [county.base_url + guide.docs[0].path]).fetchone() == ("政府信息公开指南",)
    truth = {d["url"] for d in ground_truth(web)["documents"] if d["site_id"] == site.site_id}
    assert {u for (u,) in con.execute("SELECT url FROM documents").fetchall()} == truth


def test_a_missing_category_names_every_page_whose_menu_was_read(web, tmp_path):
    site = registry_sites(web)[ASPX]
    site.column_mapping = {"法定主动公开内容/收费项目": []}  # as if the county had no 收费项目 column
    site, lake, _, con = _harvest(web, tmp_path, site)
    verdict, rule, evidence = con.execute("SELECT verdict, rule, evidence_urls FROM coverage "
                                          "WHERE requirement_key = 'art20_08_fees'").fetchone()
    read = [u for (u,) in con.execute("SELECT url FROM tree_pages WHERE status = 'read' AND role IN ('entry', 'group') "
                                      "ORDER BY role <> 'entry', column_path").fetchall()]
    assert (verdict, rule) == ("missing", "no_column_maps")
    assert evidence == read and evidence[0].endswith("/xxgk/index.aspx") and len(evidence) >= 4


def test_a_group_page_that_cannot_be_read_makes_its_categories_unjudged_never_missing(web, tmp_path):
    county = web.sites[ASPX]
    county.faults.set({"error_burst": {"status": 503, "count": None, "path_contains": "group.aspx"}})
    try:
        site, lake, (report,), con = _harvest(web, tmp_path)
    finally:
        county.faults.set(None)
    assert report.status == "partial"
    verdicts = dict(con.execute("SELECT requirement_key, verdict FROM coverage").fetchall())
    assert "missing" not in {v for k, v in verdicts.items() if k.startswith(("art20", "art21", "jc_", "policy"))}
    rule, evidence = con.execute("SELECT rule, evidence_urls FROM coverage WHERE requirement_key = 'art20_09_procurement'"
                                 ).fetchone()
    unread = {u for (u,) in con.execute("SELECT url FROM tree_pages WHERE status = 'not_read'").fetchall()}
    assert verdicts["art20_09_procurement"] == "not_harvested" and rule == "tree_incomplete"
    assert unread and unread <= set(evidence) and all("group.aspx" in u for u in unread)
    assert verdicts["platform_guide"] == "present"  # what could be read is still judged
    assert con.execute("SELECT count(*) FROM sections WHERE status = 'blank' AND url LIKE '%group.aspx%'").fetchone() == (0,)


def test_an_incremental_run_still_walks_the_groups_and_keeps_every_document(web, tmp_path):
    site, lake, reports, con = _harvest(web, tmp_path, runs=2)  # a second run within full_sweep_days: incremental
    assert [r.mode for r in reports] == ["full", "incremental"] and all(r.status == "ok" for r in reports)
    truth = {d["url"] for d in ground_truth(web)["documents"] if d["site_id"] == site.site_id}
    assert {u for (u,) in con.execute("SELECT url FROM documents WHERE withdrawn_at IS NULL").fetchall()} == truth
    assert con.execute("SELECT count(*) FROM sections WHERE status IN ('not_read', 'blank') AND url LIKE '%group%'"
                       ).fetchone() == (0,)


def test_gongkai_discover_prints_the_platform_its_columns_and_a_registry_entry(web, capsys):
    import json

    from gongkai_cli import main

    county = web.sites[ASPX]
    main(["discover", county.base_url + "/", "--allow-private", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["platform"] == county.base_url + "/xxgk/index.aspx"
    assert [p["url"] for p in report["pages_read"]] == [county.base_url + "/", report["platform"]]
    assert all(report["platform_columns"].values())  # 指南, 制度, 法定主动公开内容, 年报
    entry = report["registry_entry"]
    assert entry["site_id"].startswith(county.county.site_id[:6]) and entry["entry_urls"] == [report["platform"]]
    assert "adapter" not in entry  # no family's marks: the generic adapter, by leaving the field out
    main(["discover", county.base_url + "/", "--allow-private"])
    text = capsys.readouterr().out
    assert "✓ 政府信息公开指南" in text and "site_id: " in text and "- " + report["platform"] in text
