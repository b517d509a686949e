"""Crawler traps and budgets over real HTTP: a pager that never ends, a calendar paging into the future, a pager
announcing a billion pages, and a run's request budget. Each walk stops, says why, and keeps what it read."""
from __future__ import annotations

import re
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from gongkai.harvesters.adapters.pagers import MAX_PAGES, page_files
from gongkai.harvesters.crawl import harvest_site
from gongkai.harvesters.parse import parse_site
from gongkai.harvesters.traps import STALE_PAGES, ListWalk, calendar_trap
from gongkai.schemas.datafolder import DataFolder
from gongkai.schemas.registry import HarvestPolicy, Politeness, Site

COLUMNS = {"zn": "政府信息公开指南", "zd": "政府信息公开制度", "zcwj": "政策文件", "ghjh": "规划计划", "dt": "工作动态",
           "tjxx": "统计信息"}


def _list(items: list[tuple[str, str, str]], pager: str = "") -> str:
    rows = "".join(f"<li><a href='{u}' title='{t}'>{t}</a><span>{d}</span></li>" for u, t, d in items)
    return ("<html><head><title>列表</title></head><body><div class='nav'>"
            + "".join(f"<a href='/xxgk/{k}/index.html'>{v}</a>" for k, v in COLUMNS.items())
            + f"</div><div class='list'><ul>{rows}</ul></div><div class='page'>{pager}</div></body></html>")


def page(path: str, query: dict[str, list[str]]) -> str | None:
    """The trap site: zcwj's pager never ends (every page the same two items), dt's calendar pages into the future,
    ghjh announces a billion pages; the other columns are plain."""
    m = re.fullmatch(r"/xxgk/(\w+)/(index(?:_(\d+))?\.html|t(\d+)_(\d+)\.html)", path)
    if path == "/xxgk/index.html":
        return _list([])
    if not m or m[1] not in COLUMNS:
        return None
    col = m[1]
    if m[4]:  # a document
        return (f"<html><head><title>文件{m[5]}</title></head><body><h1>{COLUMNS[col]}文件{m[5]}</h1>"
                f"<p>发布日期：{m[4][:4]}-{m[4][4:6]}-{m[4][6:]}</p><div class='content'><p>正文{m[5]}。</p></div></body></html>")
    n = int(m[3] or 0)
    if col == "zcwj":
        p = int(query.get("page", ["1"])[0])
        return _list([(f"/xxgk/zcwj/t20260101_{i}.html", f"政策文件{i}", "2026-01-01") for i in (1, 2)],
                     f"<a href='/xxgk/zcwj/index.html?page={p + 1}'>下一页</a>")
    if col == "dt":
        year, month = int(query.get("year", ["2026"])[0]), int(query.get("month", ["11"])[0])
        nxt = (year + month // 12, month % 12 + 1)
        day = f"{min(year, 2026)}{month:02d}01"
        return _list([(f"/xxgk/dt/t{day}_{year}{month:02d}.html", f"动态{year}年{month}月", f"{min(year, 2026)}-{month:02d}-01")],
                     f"<a href='/xxgk/dt/index.html?year={nxt[0]}&month={nxt[1]}'>下一页</a>")
    if col == "ghjh":
        return _list([(f"/xxgk/ghjh/t20250101_{n}.html", f"规划{n}", "2025-01-01")],
                     f"<script>createPageHTML(1000000000, {n}, \"index\", \"html\");</script>")
    return _list([(f"/xxgk/{col}/t20260105_1.html", f"{COLUMNS[col]}一", "2026-01-05")])


class TrapSite:
    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                if parts.path == "/robots.txt":
                    body, status = b"", 200
                else:
                    text = page(parts.path, parse_qs(parts.query))
                    body, status = (text or "not found").encode(), 200 if text else 404
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.host = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def site(self, **harvest) -> Site:
        return Site(site_id="990001-traps", name="陷阱县", level="county", province="测试省",
                    entry_urls=[f"http://{self.host}/xxgk/index.html"], adapter="generic", allowed_hosts=[self.host],
                    allow_private_addresses=True, politeness=Politeness(delay_seconds=0.0, retries=0),
                    harvest=HarvestPolicy(**harvest))


@pytest.fixture(scope="module")
def trap_site():
    served = TrapSite()
    yield served
    served.server.shutdown()


def test_traps_are_walked_only_so_far_and_say_why(trap_site, tmp_path):
    site, lake = trap_site.site(max_list_pages=20), DataFolder(tmp_path)
    report = harvest_site(site, lake)
    assert report.status == "partial"  # the traps are errors of the run: it is not taken for a healthy sweep
    why = {e["url"].split("/")[4]: e["error"] for e in report.errors}
    assert "no item not seen before" in why["zcwj"] and "pagination trap" in why["zcwj"]
    assert "calendar page for the year 2028" in why["dt"]
    assert "walked 20 list pages" in why["ghjh"] and "max_list_pages" in why["ghjh"]
    rows = lake.read_run_table(site.site_id, report.run_id, "fetch_log")
    walked = {col: sum(1 for r in rows if r["kind"] in ("column", "list") and f"/xxgk/{col}/" in r["url"])
              for col in ("zcwj", "dt", "ghjh")}
    assert walked == {"zcwj": 1 + STALE_PAGES, "dt": 14, "ghjh": 20}  # Nov 2026 … Dec 2027 is 14 calendar pages
    parse_site(site, lake)
    urls = {d["url"].split("/xxgk")[1] for d in lake.read_site_table(site.site_id, "documents")}
    assert {"/zcwj/t20260101_1.html", "/zcwj/t20260101_2.html", "/dt/t20261201_202712.html",
            "/ghjh/t20250101_19.html"} <= urls  # what the walks read is kept


def test_a_run_stops_at_its_request_budget_and_keeps_what_it_fetched(trap_site, tmp_path):
    site, lake = trap_site.site(max_requests=12), DataFolder(tmp_path)
    report = harvest_site(site, lake)
    assert report.status == "partial" and "harvest.max_requests" in report.message
    assert report.requests == 12
    assert len(lake.read_run_table(site.site_id, report.run_id, "fetch_log")) == 12


def test_an_announced_billion_pages_builds_only_a_bounded_walk():
    pages = page_files("http://x/xxgk/ghjh/index.html", 'createPageHTML(1000000000, 0, "index", "html")')
    assert len(pages) == MAX_PAGES - 1


def test_calendar_years_outside_the_possible_are_traps_and_real_dates_are_not():
    today = date(2026, 12, 3)
    assert calendar_trap("http://x/list?year=2028&month=1", today)
    assert calendar_trap("http://x/list?date=1900-01", today)
    assert calendar_trap("http://x/list?year=2027&month=1", today) is None
    assert calendar_trap("http://x/t20281231_1.html?page=2", today) is None  # only date parameters, not ids
    walk = ListWalk(budget=100)
    for urls in (["a", "b"], ["a", "b"], [], ["b"]):
        walk.page(urls)
    assert walk.stop("next", queued=1) and walk.stop("next", queued=0) is None  # the end of a list is no trap
