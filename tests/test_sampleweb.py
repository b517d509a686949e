"""The sample county web is deterministic, sized by a parameter, and its defects are all listed."""
from __future__ import annotations

import html
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from datetime import date

import pytest
from gongkai.sampleweb.county import build_county
from gongkai.sampleweb.families import ADAPTER_OF, RENDERERS
from gongkai.sampleweb.server import SampleWeb
from gongkai.sampleweb.truth import ground_truth, registry_sites

AS_OF = date(2026, 6, 1)


def test_same_seed_same_web_different_seed_different_web():
    a = ground_truth(SampleWeb(counties=3, as_of=AS_OF))
    b = ground_truth(SampleWeb(counties=3, as_of=AS_OF))
    def strip(gt):
        return [{k: v for k, v in d.items() if k not in ("url", "attachments", "related_urls")} for d in gt["documents"]]
    assert strip(a) == strip(b)
    c = ground_truth(SampleWeb(counties=3, as_of=AS_OF, seed=8))
    assert strip(a) != strip(c)


def test_size_is_a_parameter():
    small = sum(1 for _ in build_county(0, docs_per_county=60, as_of=AS_OF).all_docs())
    large = sum(1 for _ in build_county(0, docs_per_county=2000, as_of=AS_OF).all_docs())
    assert 50 <= small <= 120 and 1700 <= large <= 2300


def test_planted_defects_meet_the_brief():
    web = SampleWeb(counties=9, as_of=AS_OF)
    kinds = [d["kind"] for d in ground_truth(web)["defects"]]
    count = {k: kinds.count(k) for k in set(kinds)}
    assert count["missing"] >= 3  # two categories plus the county with no report for last year
    assert count["blank"] + count["blank_with_note"] >= 2 and count["blank_with_note"] >= 1
    assert count["stale"] >= 2 and count["late_document"] >= 3
    assert count["no_interpretation"] >= 2 and count["late_interpretation"] >= 1
    assert count["late_annual_report"] >= 1
    assert {s.county.family for s in web.sites} == set(RENDERERS)
    assert any(s.county.encoding == "gbk" for s in web.sites)


def test_late_documents_are_late_by_more_than_twenty_working_days():
    truth = ground_truth(SampleWeb(counties=6, as_of=AS_OF))
    docs = {d["url"]: d for d in truth["documents"]}
    for d in (x for x in truth["defects"] if x["kind"] == "late_document"):
        doc = docs[d["url"]]
        gap = date.fromisoformat(doc["published_date"]) - date.fromisoformat(doc["written_date"])
        assert gap.days >= 45  # ≥ 45 calendar days is > 20 working days even across Spring Festival


# -- the two families built on patterns of real county sites, fetched over HTTP --------------------------------------

@pytest.fixture(scope="module")
def web9():
    with SampleWeb(counties=9, docs_per_county=400, as_of=AS_OF) as web:  # 400: lists of several pages
        yield web


def _get(site, path: str, data: bytes | None = None) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(site.base_url + path, data=data), timeout=10) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, ""


def _family(web, family: str):
    return next(s for s in web.sites if s.county.family == family)


def _columns(site) -> dict:
    return {c.name_path: c for c in site.county.all_columns()}


def _text(html_: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", html_))


def test_aspx_is_registered_by_its_home_page_which_links_the_platform(web9):
    site = _family(web9, "aspx")
    entry = next(s for s in registry_sites(web9) if s.site_id == site.county.site_id).entry_urls
    assert entry == [site.base_url + "/"] and ADAPTER_OF["aspx"] is None
    status, home = _get(site, "/")
    assert status == 200 and '<a href="/xxgk/index.aspx" target="_blank">政府信息公开</a>' in home
    assert all(nav in home for nav in ("首页", "走进石门岭", "新闻中心", "政务公开", "政务服务", "互动交流"))
    news = re.findall(r'href="(/news/show\.aspx\?id=\d+)"', home)
    truth = {d["url"] for d in ground_truth(web9)["documents"]}
    assert len(news) >= 12 and all(_get(site, n)[0] == 200 and site.base_url + n not in truth for n in news)
    other = _family(web9, "trsprov")  # a family without a portal keeps the server's bare home page
    assert _get(other, "/")[1] == f'<html><body><a href="{other.entry}">政府信息公开</a></body></html>'


def test_aspx_menu_is_flat_and_on_every_page_with_a_breadcrumb(web9):
    site = _family(web9, "aspx")
    cols = _columns(site)
    leaf = cols["法定主动公开内容/政策文件/规范性文件"]
    for path in (site.entry, cols["法定主动公开内容"].path, leaf.path, leaf.docs[0].path):
        status, page = _get(site, path)
        menu = re.search(r'<div class="xxgk-menu">(.*?)</div></div><div class="xxgk-right">', page).group(1)
        assert status == 200 and "<ul" not in menu and "当前位置：" in page
        assert re.findall(r'<div class="menu-item"><a href="([^"]+)">([^<]+)</a></div>', menu) == [
            (c.path, c.name) for c in site.county.columns]
    crumb = _text(re.search(r'<div class="position">(.*?)</div>', _get(site, leaf.path)[1]).group(1))
    assert crumb == "当前位置：首页 > 政府信息公开 > 法定主动公开内容 > 政策文件 > 规范性文件"


def test_aspx_group_pages_list_their_children(web9):
    site = _family(web9, "aspx")
    groups = [c for c in site.county.all_columns() if c.children]
    assert len(groups) >= 6
    for group in groups:
        status, page = _get(site, f"/xxgk/group.aspx?cid={group.col_id}")
        blocks = re.findall(r'<div class="lm-block"><div class="lm-title"><a href="([^"]+)">([^<]+)</a>'
                            r'<a class="more" href="([^"]+)">更多&gt;&gt;</a></div><ul>(.*?)</ul></div>', page)
        assert status == 200 and [(b[0], b[1], b[2]) for b in blocks] == [(c.path, c.name, c.path) for c in group.children]
        for child, block in zip(group.children, blocks, strict=True):
            newest = sorted((d for c in child.walk() for d in c.docs), key=lambda d: (d.published, d.serial))[::-1][:3]
            assert re.findall(r'<a href="([^"]+)"', block[3]) == [d.path for d in newest]
            if child.children:
                assert child.path.startswith("/xxgk/group.aspx?cid=")


def test_aspx_guide_column_is_its_document(web9):
    site = _family(web9, "aspx")
    guide = _columns(site)["政府信息公开指南"]
    menu = _get(site, site.entry)[1]
    assert f'<a href="{guide.docs[0].path}">政府信息公开指南</a>' in menu and guide.path == guide.docs[0].path
    page = _get(site, guide.path)[1]
    assert '<div id="zoom">' in page and '<div class="info">发布日期：' in page and "政府信息公开指南</h1>" in page


def test_aspx_lists_have_a_real_pager_and_one_pins_an_old_item(web9):
    site = _family(web9, "aspx")
    col = _columns(site)["法定主动公开内容/政策文件/规范性文件"]
    pages = -(-len(col.docs) // 15)
    seen = []
    assert pages >= 3
    for p in range(1, pages + 1):
        page = _get(site, col.path + (f"&page={p}" if p > 1 else ""))[1]
        rows = re.findall(r'<li><a href="(/xxgk/show\.aspx\?id=\d+)" target="_blank" title="([^"]+)">[^<]+</a>'
                          r'<span class="date">\[(\d{4}-\d\d-\d\d)\]</span></li>', page)
        seen += [r[0] for r in rows]
        assert f"共 {len(col.docs)} 条 第 {p}/{pages} 页" in page
        links = dict(re.findall(r'<a href="([^"]+)">(首页|上一页|下一页|尾页)</a>', page)[::-1])
        first, last = p == 1, p == pages
        assert ('<a href="javascript:;">首页</a>' in page) == first and ('<a href="javascript:;">尾页</a>' in page) == last
        if not last:
            assert f'<a href="list.aspx?cid={col.col_id}&amp;page={p + 1}">下一页</a>' in page and links
    assert seen == [d.path for d in col.docs]
    news = _columns(site)["法定主动公开内容/工作动态"]
    page = _get(site, news.path)[1]
    first = re.search(r'<li><em class="top">\[置顶\]</em><a href="([^"]+)"', page).group(1)
    oldest = min(news.docs, key=lambda d: (d.published, d.serial))
    dates = re.findall(r'<span class="date">\[(\d{4}-\d\d-\d\d)\]</span>', page)
    assert first == oldest.path and dates != sorted(dates, reverse=True)


def test_aspx_documents_show_no_metadata_table_and_a_later_pubdate(web9):
    from gongkai.sampleweb.families.aspx import chinese_date
    assert chinese_date(date(2023, 6, 20)) == ("二○二三年", "六月二十日")
    assert chinese_date(date(2020, 10, 31), "〇") == ("二〇二〇年", "十月三十一日")
    site = _family(web9, "aspx")
    policy = next(d for d in _columns(site)["法定主动公开内容/政策文件/规范性文件"].docs
                  if d.published < AS_OF and d.related)
    page = _get(site, policy.path)[1]
    assert "索引号" not in page and "有效性" not in page and "<table" not in page.split('<div id="zoom">')[0]
    info = re.search(r'<div class="info">(.*?)</div>', page).group(1)
    assert info.startswith(f"发布日期：{policy.published:%Y-%m-%d} ") and f"来源：{policy.publisher}" in info
    assert '浏览次数：<span id="hits">' in info
    pubdate = re.search(r'<meta name="PubDate" content="([^"]+)">', page).group(1)
    assert pubdate[:10] != f"{policy.published:%Y-%m-%d}" and pubdate[:10] == AS_OF.isoformat()
    assert 'name="ArticleTitle"' not in page and 'name="ContentSource"' not in page
    zoom = page.split('<div id="zoom">')[1]
    paras = re.findall(r"<P class=MsoNormal[^>]*>(.*?)</P>", zoom)
    assert _text(paras[0]) == policy.doc_no and "align=center" in zoom.split(paras[0])[0][-80:]
    assert _text(paras[-1]) == "".join(chinese_date(policy.written, "○" if policy.serial % 2 else "〇"))
    assert _text(paras[-2]) == policy.publisher and paras[-1].count("<SPAN") >= 2
    assert '<div class="xglj"><div class="xglj-title">相关解读</div>' in page
    assert f'<a href="{policy.related[0].path}" target="_blank">' in page


def test_aspx_short_items_and_procurement_numbers(web9):
    site = _family(web9, "aspx")
    truth = {d["url"]: d for d in ground_truth(web9)["documents"]}
    item = _columns(site)["法定主动公开内容/工作动态"].docs[0]
    page = _get(site, item.path)[1]
    assert re.search(r'<div id="zoom">[^<]+。</div>', page)
    assert truth[site.base_url + item.path]["written_date"] is None
    bid = _columns(site)["法定主动公开内容/政府采购"].docs[0]
    page = _get(site, bid.path)[1]
    assert re.search(r">采购编号：ZFCG-\d{4}-\d{3}</SPAN>", page) and "文号" not in page
    assert truth[site.base_url + bid.path]["doc_no"] is None


def test_aspx_attachments_chinese_names_and_another_host(web9):
    site = _family(web9, "aspx")
    docs = list(site.county.all_docs())
    doc, att = next((d, a) for d in docs for a in d.attachments if not a.external and not a.path.isascii())
    assert f'href="{att.path}"' in _get(site, doc.path)[1]  # written raw in the page
    req = urllib.request.Request(site.base_url + urllib.parse.quote(att.path))
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 200 and r.read()
    external = [(d, a) for d in docs for a in d.attachments if a.external]
    assert len(external) == 1
    doc, att = external[0]
    assert att.path.startswith("http://www.city.example.gov.cn/") and f'href="{att.path}"' in _get(site, doc.path)[1]
    row = next(d for d in ground_truth(web9)["documents"] if d["url"] == site.base_url + doc.path)
    assert row["external_attachments"] == [att.path] and att.path not in row["attachments"] and row["attachments"]


def test_aspx_truth_hides_what_the_pages_do_not_show(web9):
    site = _family(web9, "aspx")
    truth = ground_truth(web9)
    mine = [d for d in truth["documents"] if d["site_id"] == site.county.site_id]
    assert all(d["index_no"] is None and d["validity"] is None for d in mine)
    flagged = {d["url"] for d in truth["defects"] if d["kind"] == "no_validity" and d["site_id"] == site.county.site_id}
    assert flagged == {d["url"] for d in mine if d["kind"] == "policy"}
    titles = [d["title"] for d in mine if d["column_path"] == "法定主动公开内容/政策文件/县政府文件"]
    assert len(titles) != len(set(titles))  # two notices under one title, two URLs


def _trsprov_rows(page: str) -> list[str]:
    return re.findall(r'<dd><a href="([^"]+)" title="[^"]+" target="_blank">', page)


def _api(site, col, page: int) -> dict:
    form = {"channelid": "229105", "classsql": f"chnlid={col.col_id}", "sortfield": "-docorderpri,-docreltime",
            "classcol": "publishyear", "classnum": "100", "classsort": "0", "cache": "true", "prepage": "10",
            "page": str(page)}
    status, body = _get(site, "/fjdzapp/search", urllib.parse.urlencode(form).encode())
    assert status == 200
    return json.loads(body)


def test_trsprov_entry_tree_and_static_first_pages(web9):
    site = _family(web9, "trsprov")
    entry = _get(site, site.entry)[1]
    assert site.entry == "/zwgk/zfxxgkzl/index.htm" and '<div class="gl-nav"><ul>' in entry and "xxgk-nav" not in entry
    col = _columns(site)["法定主动公开内容/政策文件/规范性文件"]
    assert f'<a href="{col.path}">规范性文件</a>' in entry and '<span class="lm">政策文件</span>' in entry
    page = _get(site, col.path)[1]
    base = col.path.removesuffix("index.htm")
    assert [base + r.removeprefix("./") for r in _trsprov_rows(page)] == [d.path for d in col.docs[:10]]
    assert re.fullmatch(r"/zwgk/zfxxgkzl/fdzdgknr/zcwj/gfxwj/\d{6}/t\d{8}_\d+\.htm", col.docs[0].path)
    assert '<dd ms-repeat="list"><a ms-attr-href="el.url"' in page and "{{el.title}}" in page
    assert "maxStaticIndex: 0, " in page and f"recordCount: '{len(col.docs)}'" in page
    assert _get(site, "/static/js/list2.trsapi.js")[0] == 200


def test_trsprov_api_pages_and_the_static_page_make_every_list(web9):
    site = _family(web9, "trsprov")
    js_only = []
    for col in (c for c in site.county.all_columns() if not c.children):
        page = _get(site, col.path)[1]
        base = col.path.removesuffix("index.htm")
        static = [base + r.removeprefix("./") for r in _trsprov_rows(page)]
        first = _api(site, col, 1)
        assert first["total"] == len(col.docs) and first["pageCount"] == -(-len(col.docs) // 10)
        listed = [d["docpuburl"] for p in range(1, first["pageCount"] + 1) for d in _api(site, col, p)["data"]]
        assert listed == [d.path for d in col.docs]
        assert set(static) | set(listed) == {d.path for d in col.docs}
        if not static and col.docs:
            js_only.append(col.name_path)
            assert "maxStaticIndex: 0" not in page and "listModel({url: '/fjdzapp/search'" in page
    assert sorted(js_only) == ["法定主动公开内容/工作动态", "法定主动公开内容/政策解读"]
    one = _api(site, _columns(site)["法定主动公开内容/政策解读"], 1)["data"][0]
    assert set(one) == {"doctitle", "docpuburl", "docreltime"} and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d",
                                                                                 one["docreltime"])


def test_trsprov_documents_carry_a_table_and_a_regeneration_pubdate(web9):
    site = _family(web9, "trsprov")
    doc = next(d for d in _columns(site)["法定主动公开内容/政策文件/规范性文件"].docs if d.published < AS_OF)
    page = _get(site, doc.path)[1]
    cells = dict(re.findall(r'<td class="t">([^<]+)</td><td(?: colspan="3")?>([^<]*)</td>', page))
    assert cells == {"索引号": doc.index_no, "发布机构": doc.publisher, "主题分类": doc.topic,
                     "成文日期": f"{doc.written:%Y年%m月%d日}", "文号": doc.doc_no, "发布日期": f"{doc.published:%Y-%m-%d}",
                     "有效性": doc.validity}
    pubdate = re.search(r'<meta name="PubDate" content="([^"]+)">', page).group(1)
    assert pubdate[:10] == AS_OF.isoformat() != cells["发布日期"]
    assert "<strong>索引号</strong>" not in page and '<div class="top cf">' not in page
    assert f'<div class="article-title"><h1>{html.escape(doc.title)}</h1></div>' in page
    assert '<div class="TRS_Editor"><div class="TRS_PreAppend"><p>' in page
