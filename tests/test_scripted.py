"""Catalogues built in the browser, read by the generic adapter (harvesters/adapters/scripted.py).

The sample web's gkmlpt county is one such page (benchmarks/generic_coverage.py, tests/test_generic.py). Here is a
second, written in another style on purpose: a single-page app with its tree under other keys (code / title / sub),
its list address in a template literal with other parameter names (pageNo, a site code from the config), and JSON
answers under other keys (docTitle / docUrl / publishTime, totalCount). It is served on loopback and harvested with no
adapter named, as a county on an unknown platform would be.
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from gongkai.harvesters.adapters.generic import GenericAdapter
from gongkai.harvesters.crawl import harvest_site
from gongkai.harvesters.errors import SiteChanged
from gongkai.harvesters.parse import parse_site
from gongkai.schemas.datafolder import DataFolder
from gongkai.schemas.registry import Politeness, Site

MENUS = [
    {"code": "zn", "title": "政府信息公开指南", "sub": []},
    {"code": "zd", "title": "政府信息公开制度"},
    {"code": "fd", "title": "法定主动公开内容", "sub": [
        {"code": "zcwj", "title": "政策文件"},
        {"code": "czyjs", "title": "财政预决算"},
    ]},
    {"code": "nb", "title": "政府信息公开年报"},
]
ENTRY = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>政府信息公开</title></head><body>"
         "<div id=\"app\"><noscript>请启用 JavaScript</noscript></div>"
         f"<script>window.__SITE__ = {json.dumps({'siteCode': 'hx01', 'menus': MENUS}, ensure_ascii=False)};</script>"
         "<script src=\"/static/js/vue.runtime.min.js\"></script>"
         "<script src=\"/static/js/app.3f2a9c.js\"></script>"
         "<script src=\"https://stats.example.org/count.js\"></script></body></html>")
APP_JS = r"""
import { h, createApp } from "vue";
const SITE = window.__SITE__;
const detail = (id) => `/open/doc/${id}.html`;
const listOf = (code, pageNo) =>
  fetch(`/open/api/menus/${code}/docs?pageNo=${pageNo}&size=15&site=${window.__SITE__.siteCode}`).then((r) => r.json());
createApp({ data: () => ({ menus: SITE.menus, rows: [] }) }).mount("#app");
"""
PER_PAGE = 15
DOCS = {"zcwj": 31, "czyjs": 4, "zn": 1, "zd": 2, "nb": 0}  # documents per leaf column


def list_answer(code: str, page: int) -> dict:
    rows = [{"docId": f"{code}{i}", "docTitle": f"{code} 文件 {i}", "docUrl": f"/open/doc/{code}{i}.html",
             "publishTime": f"2024-03-{1 + i % 28:02d} 10:00:00"} for i in range(DOCS[code])]
    return {"code": 0, "data": {"records": rows[(page - 1) * PER_PAGE:page * PER_PAGE], "totalCount": len(rows)}}


def document(code: str, i: int) -> str:
    return (f"<html><head><title>{code} 文件 {i}</title></head><body><h1>{code} 文件 {i}</h1><table>"
            f"<tr><td>索引号：</td><td>hx01-2024-{code}{i:03d}</td><td>发布机构：</td><td>华西县人民政府办公室</td></tr>"
            f"<tr><td>成文日期：</td><td>2024年02月{1 + i % 28:02d}日</td><td>发布日期：</td><td>2024-03-{1 + i % 28:02d}</td></tr>"
            f"</table><div class=\"content\"><p>为进一步做好{code}工作，现将有关事项通知如下。</p>"
            f"<p>一、各乡镇、各部门要高度重视，认真组织实施第{i}项工作。</p></div></body></html>")


def routes() -> dict[str, tuple[str, str]]:
    out = {"/xxgk/": ("text/html; charset=utf-8", ENTRY),
           "/static/js/app.3f2a9c.js": ("application/javascript", APP_JS),
           "/robots.txt": ("text/plain", "User-agent: *\nAllow: /\n")}
    for code, n in DOCS.items():
        for page in range(1, max(1, -(-n // PER_PAGE)) + 1):
            out[f"/open/api/menus/{code}/docs?pageNo={page}&size=15&site=hx01"] = (
                "application/json", json.dumps(list_answer(code, page), ensure_ascii=False))
        for i in range(n):
            out[f"/open/doc/{code}{i}.html"] = ("text/html; charset=utf-8", document(code, i))
    return out


@pytest.fixture
def spa_site():
    table, hits = routes(), []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            hits.append(self.path)
            ctype, body = table.get(self.path, ("text/plain", None))
            data = (body or "not found").encode("utf-8")
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


def test_the_tree_and_list_addresses_come_from_the_config_and_the_apps_own_script():
    url = "http://spa.test/xxgk/"
    g = GenericAdapter()
    assert [r.url for r in g.support(url, ENTRY)] == ["http://spa.test/static/js/app.3f2a9c.js"]  # no library, no other host
    cols = {c.path: c.url for c in g.columns(url, ENTRY, {"http://spa.test/static/js/app.3f2a9c.js": APP_JS})}
    assert cols == {
        "政府信息公开指南": "http://spa.test/open/api/menus/zn/docs?pageNo=1&size=15&site=hx01",
        "政府信息公开制度": "http://spa.test/open/api/menus/zd/docs?pageNo=1&size=15&site=hx01",
        "法定主动公开内容": None,
        "法定主动公开内容/政策文件": "http://spa.test/open/api/menus/zcwj/docs?pageNo=1&size=15&site=hx01",
        "法定主动公开内容/财政预决算": "http://spa.test/open/api/menus/czyjs/docs?pageNo=1&size=15&site=hx01",
        "政府信息公开年报": "http://spa.test/open/api/menus/nb/docs?pageNo=1&size=15&site=hx01",
    }


def test_a_json_answer_under_other_keys_gives_items_dates_and_further_pages():
    url = "http://spa.test/open/api/menus/zcwj/docs?pageNo=1&size=15&site=hx01"
    result = GenericAdapter().list_page(url, json.dumps(list_answer("zcwj", 1), ensure_ascii=False))
    assert len(result.items) == 15
    assert result.items[0].url == "http://spa.test/open/doc/zcwj0.html" and result.items[0].title == "zcwj 文件 0"
    assert result.items[0].date.isoformat() == "2024-03-01"
    assert [r.url for r in result.more] == [url.replace("pageNo=1", f"pageNo={p}") for p in (2, 3)]


def test_without_the_script_files_or_with_an_address_it_cannot_place_it_says_which_scripts_it_read():
    url = "http://spa.test/xxgk/"
    with pytest.raises(SiteChanged, match=r"not read: http://spa.test/static/js/app.3f2a9c.js"):
        GenericAdapter().columns(url, ENTRY)  # e.g. a saved page given to `gongkai inspect`
    unplaceable = "fetch('/open/api/list?menu=' + menuKey + '&page=' + page)"  # menuKey: neither id, page nor config
    with pytest.raises(SiteChanged, match=r"no list address for its columns.*read: http://spa.test/a.js"):
        GenericAdapter().columns(url, ENTRY, {"http://spa.test/a.js": unplaceable})


def test_nodes_that_carry_their_own_list_address_need_no_script():
    menus = [{"id": 1, "name": "政府信息公开指南", "url": "/gk/zn/list.json"},
             {"id": 2, "name": "政府信息公开制度", "url": "/gk/zd/list.json"},
             {"id": 3, "name": "法定主动公开内容", "children": [{"id": 4, "name": "政策文件", "url": "/gk/zc/list.json"}]}]
    page = f"<html><body><script>var cfg = {json.dumps({'tree': menus}, ensure_ascii=False)};</script></body></html>"
    g = GenericAdapter()
    assert g.support("http://x.test/gk/", page) == []
    assert [(c.path, c.url) for c in g.columns("http://x.test/gk/", page)] == [
        ("政府信息公开指南", "http://x.test/gk/zn/list.json"), ("政府信息公开制度", "http://x.test/gk/zd/list.json"),
        ("法定主动公开内容", None), ("法定主动公开内容/政策文件", "http://x.test/gk/zc/list.json")]


def test_an_unknown_single_page_app_is_harvested_and_reparsed_from_the_archive(spa_site, tmp_path):
    base, hits = spa_site
    host = base.removeprefix("http://")
    site = Site(site_id="999001-spa", name="华西县", level="county", province="测试省", entry_urls=[base + "/xxgk/"],
                allowed_hosts=[host], allow_private_addresses=True,
                politeness=Politeness(delay_seconds=0.0, max_concurrency=2, retries=0))
    lake = DataFolder(tmp_path)
    report = harvest_site(site, lake)
    assert (report.status, report.adapter, report.adapter_detected) == ("ok", "generic", True)
    assert "/static/js/app.3f2a9c.js" in hits and "/static/js/vue.runtime.min.js" not in hits
    log = lake.read_run_table(site.site_id, report.run_id, "fetch_log")
    assert [r["url"] for r in log if r["kind"] == "support"] == [base + "/static/js/app.3f2a9c.js"]

    parse_site(site, lake)
    docs = {d["url"]: d for d in lake.read_site_table(site.site_id, "documents")}
    assert len(docs) == sum(DOCS.values())  # every page of every list, the 31 policy files over 3 pages included
    d = docs[base + "/open/doc/zcwj30.html"]
    assert (d["column_path"], d["index_no"], d["publisher"], d["written_date"].isoformat()) == (
        "法定主动公开内容/政策文件", "hx01-2024-zcwj030", "华西县人民政府办公室", "2024-02-03")
    sections = {s["path"]: s for s in lake.read_site_table(site.site_id, "sections")}
    assert sections["法定主动公开内容"]["item_count"] == 35 and sections["政府信息公开年报"]["status"] == "blank"

    # a re-parse reads the script from the archive, never from the site
    hits.clear()
    parse_site(site, lake)
    assert hits == [] and len(lake.read_site_table(site.site_id, "sections")) == len(sections)
