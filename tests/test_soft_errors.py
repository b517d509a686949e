"""Soft-error pages (a login wall, a captcha, "not found" or the site's bare frame answered with HTTP 200) are errors
of the run, never documents: the earlier content stays, and a run made of them is `blocked`, not healthy."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from gongkai.harvesters.crawl import harvest_site
from gongkai.harvesters.parse import parse_site
from gongkai.harvesters.soft_errors import Shown, repeated_pages, soft_error
from gongkai.sampleweb.faults import SOFT_PAGES
from gongkai.sampleweb.server import SampleWeb
from gongkai.schemas.datafolder import DataFolder
from test_faults import _expected, _parsed, _site, injected


@pytest.fixture(scope="module")
def web():
    with SampleWeb(counties=1, docs_per_county=25) as web:
        yield web


FRAME = "".join(f"<a href='/c{i}/'>栏目{i}</a>" for i in range(60))


@pytest.mark.parametrize("page", sorted(SOFT_PAGES.keys() - {"chrome"}))
def test_walls_captchas_and_not_found_pages_are_named(page):
    assert soft_error(SOFT_PAGES[page], has_content=False)


@pytest.mark.parametrize("html", [
    "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>",
    "<html><head><title>提示信息</title></head><body><div>该信息已删除或不存在</div></body></html>",
    "<html><head><title>用户登录_某县人民政府</title></head><body>" + FRAME + "<form></form></body></html>",
])
def test_other_spellings_of_a_wall_or_missing_page_are_named(html):
    assert soft_error(html, has_content=False)


@pytest.mark.parametrize("html,has_content", [
    # a real notice a county must publish: 政府信息不存在告知书 (it is content, however it is worded)
    ("<html><head><title>政府信息不存在告知书</title></head><body><h1>政府信息不存在告知书</h1><p>经查，您申请公开的"
     "信息不存在。</p></body></html>", False),
    # a document about the 统一身份认证 platform, with its text
    ("<html><head><title>关于推进统一身份认证平台建设的通知</title></head><body>" + "各乡镇人民政府：" * 40 + "</body></html>",
     True),
    # a column page whose top bar carries a login form, among a long frame
    ("<html><head><title>政策文件_某县人民政府</title></head><body><div>用户登录 <input type=password></div>"
     + FRAME * 3 + "</body></html>", False),
    # the bare frame of a site (no mark of a wall or error): not named on its own (the repetition test decides)
    (SOFT_PAGES["chrome"], False),
])
def test_content_and_long_pages_are_not_named(html, has_content):
    assert soft_error(html, has_content) is None


def _shown(url, listed, title="某县人民政府", text="x", files=()):
    return Shown(url, frozenset([listed]), title, text, tuple(files))


def test_one_page_behind_many_listed_titles_is_named_and_real_repeats_are_not():
    wall = [_shown(f"/d{i}", f"通知{i}") for i in range(3)]
    assert set(repeated_pages(wall)) == {"/d0", "/d1", "/d2"}
    assert repeated_pages(wall[:2]) == {}  # two alike are not enough
    attachments_only = [_shown(f"/a{i}", f"公告{i}", text="详见附件", files=[f"/f{i}.pdf"]) for i in range(5)]
    assert repeated_pages(attachments_only) == {}
    same_notice = [_shown(f"/n{i}", t, title="关于做好防汛工作的通知") for i, t in
                   enumerate(["关于做好防汛工作的通知", "防汛通知", "转发：关于做好防汛工作的通知"])]
    assert repeated_pages(same_notice) == {}


def test_a_login_wall_on_every_document_is_blocked_and_loses_nothing(web, tmp_path):
    site, lake = _site(web, 0), DataFolder(tmp_path)
    assert harvest_site(site, lake).status == "ok"
    before = _parsed(lake, site)
    with injected(web, 0, {"soft_page": {"page": "login", "path_contains": "/t20"}}):
        report = harvest_site(site, lake, full=True)
    assert report.status == "blocked", report.message
    assert "not the pages asked for" in report.message and "login wall" in report.message
    assert _parsed(lake, site) == before == _expected(web, site.site_id)  # no document became the wall
    errors = lake.read_run_table(site.site_id, report.run_id, "harvest_errors")
    assert any("login wall" in e["error"] and "/t20" in e["url"] for e in errors)
    assert harvest_site(site, lake).status == "ok"  # the wall gone: a healthy run again, nothing to fill
    assert _parsed(lake, site) == before


def test_a_login_wall_on_the_entry_page_is_blocked_and_parse_keeps_the_site(web, tmp_path):
    site, lake = _site(web, 0), DataFolder(tmp_path)
    assert harvest_site(site, lake).status == "ok"
    before = _parsed(lake, site)
    with injected(web, 0, {"soft_page": {"page": "login", "path_contains": "/xxgk/index.html"}}):
        report = harvest_site(site, lake)
    assert report.status == "blocked" and "entry page is a login wall" in report.message
    assert _parsed(lake, site) == before


def test_a_document_not_found_with_200_is_an_error_not_a_document(web, tmp_path):
    site, lake = _site(web, 0), DataFolder(tmp_path)
    expected = _expected(web, site.site_id)
    # a document the sample county has today (its documents are dated from the day it is generated)
    missing = urlsplit(sorted(u for u in expected if "/gfxwj/" in u)[0]).path
    with injected(web, 0, {"soft_page": {"page": "not_found", "path_contains": missing}}):
        report = harvest_site(site, lake)
    assert report.status == "partial"
    assert [e["url"] for e in report.errors if "页面不存在" in e["error"]] == [site.entry_urls[0].split("/xxgk")[0] + missing]
    first = _parsed(lake, site)
    assert set(expected) - set(first) == {u for u in expected if u.endswith(missing)}
    assert first == {u: t for u, t in expected.items() if not u.endswith(missing)}
    assert harvest_site(site, lake).status == "ok"  # a run that was not healthy is followed by a full sweep
    assert _parsed(lake, site) == expected


def test_one_frame_served_for_every_document_is_blocked(web, tmp_path):
    site, lake = _site(web, 0), DataFolder(tmp_path)
    with injected(web, 0, {"soft_page": {"page": "chrome", "path_contains": "/t20"}}):
        report = harvest_site(site, lake)
    assert report.status == "blocked", report.message
    assert any("served for" in e["error"] for e in report.errors)
    parse_site(site, lake)
    assert lake.read_site_table(site.site_id, "documents") == []  # no document took the frame's title


def test_a_login_wall_on_a_column_page_leaves_the_column_not_read_never_blank(web, tmp_path):
    site, lake = _site(web, 0), DataFolder(tmp_path)
    column = "/xxgk/fdzdgknr/zcwj/gfxwj/index.html"
    with injected(web, 0, {"soft_page": {"page": "login", "path_contains": column}}):
        report = harvest_site(site, lake)
    assert report.status == "partial"
    parse_site(site, lake)
    sections = {s["url"]: s["status"] for s in lake.read_site_table(site.site_id, "sections") if s["url"]}
    assert sections[site.entry_urls[0].split("/xxgk")[0] + column] == "not_read"


def test_no_real_page_is_taken_for_a_soft_error():
    """Real county pages (the shared reference-pages folder) are content, even read as if they carried none."""
    from conftest import REFERENCE_CANDIDATES, reference_pages
    from gongkai.harvesters.encoding import decode_html

    folder = reference_pages()
    if folder is None:
        pytest.skip(f"the shared reference-pages folder ({REFERENCE_CANDIDATES[0]}) is absent; real pages are never "
                    "committed to the repo")
    pages = sorted(p for p in folder.iterdir() if p.suffix in (".html", ".htm"))
    assert pages
    named = {p.name: soft_error(decode_html(p.read_bytes(), "")[0], has_content=False) for p in pages}
    assert {name: why for name, why in named.items() if why} == {}
