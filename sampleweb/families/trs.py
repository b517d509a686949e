"""TRS WCM (拓尔思) sample pages: the classic static lists, and the newer trsapi variant (page 1 static, the rest JSON)."""
from __future__ import annotations

import json
import math
from html import escape

from gongkai.sampleweb.families.common import attachment_routes, dress, html_page, leaves, list_body
from gongkai.sampleweb.model import County, Doc
from gongkai.sampleweb.pages import attachment_links, body_paragraphs, head, nav_tree, related_links


class Trs:
    """TRS WCM: static lists index.html, index_1.html … with createPageHTML; articles YYYYMM/tYYYYMMDD_<id>.html."""

    page_size = 10
    entry = "/xxgk/index.html"

    def build(self, county: County) -> dict:
        routes: dict = {}
        for col in leaves(county):
            base = f"/xxgk/{col.slug_path}/"
            col.path = base + "index.html"
            for d in col.docs:
                d.path = f"{base}{d.published:%Y%m}/t{d.published:%Y%m%d}_{county.index * 100000 + d.serial}.html"
                for k, a in enumerate(d.attachments):
                    a.path = f"{base}{d.published:%Y%m}/P0{d.published:%Y%m%d}{d.serial}{k}.{a.ext}"
        for col in leaves(county):
            self.list_routes(county, col, routes)
            for d in col.docs:
                routes[d.path] = html_page(self.doc_page(county, d))
                attachment_routes(routes, d)
        newest = sorted(county.all_docs(), key=lambda d: (d.published, d.serial), reverse=True)[:6]
        latest = "".join(f'<li><a href="{d.path}" title="{escape(d.title)}">{escape(d.title)}</a>'
                         f"<span>{d.published:%m-%d}</span></li>" for d in newest)
        routes[self.entry] = html_page(
            f"<html>{head(county, '政府信息公开')}<body><h1>{county.name}政府信息公开</h1>"
            f"{nav_tree(county.columns, lambda c: c.path)}<div class=\"zxgk\"><h3>最新公开</h3><ul>{latest}</ul></div>"
            f"<a href=\"/search/index.html\">站内搜索</a></body></html>")
        return dress(county, routes)

    def list_routes(self, county, col, routes) -> None:
        pages = max(1, math.ceil(len(col.docs) / self.page_size))
        for p in range(pages):
            name = "index.html" if p == 0 else f"index_{p}.html"
            routes[f"/xxgk/{col.slug_path}/{name}"] = html_page(self.list_page(county, col, p, pages))

    def pager(self, col, p, pages) -> str:
        return (f'<div class="page"><script type="text/javascript">var countPage = {pages};'
                f'createPageHTML(countPage, {p}, "index", "html");</script></div>')

    def list_page(self, county, col, p, pages) -> str:
        chunk = col.docs[p * self.page_size:(p + 1) * self.page_size]
        base = f"/xxgk/{col.slug_path}/"
        rows = "".join(
            f'<li><a href="./{d.path.removeprefix(base)}" title="{escape(d.title)}" target="_blank">{escape(d.title)}</a>'
            f'<span class="date">{d.published:%Y-%m-%d}</span></li>' for d in chunk)
        return (f"<html>{head(county, col.name, col.name)}<body><div class=\"crumb\">{escape(col.name_path)}</div>"
                f"<div class=\"xxgk-list\"><ul>{list_body(col, rows)}</ul></div>{self.pager(col, p, pages)}</body></html>")

    def metadata_block(self, d: Doc) -> str:
        rows = [("索引号", d.index_no), ("发布机构", d.publisher), ("名称", d.title), ("文号", d.doc_no or "无"),
                ("主题分类", d.topic), ("成文日期", f"{d.written:%Y-%m-%d}"), ("发布日期", f"{d.published:%Y-%m-%d}")]
        if d.validity:
            rows.append(("有效性", d.validity))
        return '<div class="top cf">' + "".join(f"<p><strong>{k}</strong>：{escape(v)}</p>" for k, v in rows) + "</div>"

    def doc_page(self, county, d: Doc) -> str:
        return (f"<html>{head(county, d.title, d.column.name, d)}<body>{self.metadata_block(d)}"
                f"<div class=\"article\"><h2 class=\"title\">{escape(d.title)}</h2>"
                f"<div class=\"TRS_Editor\">{body_paragraphs(d)}{d.html_extra}</div>"
                f"{attachment_links(d)}{related_links(d, lambda r: r.path)}</div></body></html>")


class TrsApi(Trs):
    """The newer TRS template: index.html shows the first page and a `trsapi` config; pages 2… come from the
    JSON search API (`/trsapi/list2.trsapi?channelid=…&page=N&pagesize=…`). Metadata in div.index_box > ul > li
    with labels spaced by &ensp; and the validity in <em>."""

    api = "/trsapi/list2.trsapi"

    def list_routes(self, county, col, routes) -> None:
        pages = max(1, math.ceil(len(col.docs) / self.page_size))
        routes[col.path] = html_page(self.list_page(county, col, 0, pages))
        for p in range(2, pages + 1):
            chunk = col.docs[(p - 1) * self.page_size:p * self.page_size]
            body = json.dumps({"total": len(col.docs), "page": p, "pageSize": self.page_size, "datas": [
                {"title": d.title, "url": d.path, "pubDate": f"{d.published:%Y-%m-%d} 09:30:00"} for d in chunk]},
                ensure_ascii=False)
            routes[f"{self.api}?channelid={col.col_id}&page={p}&pagesize={self.page_size}"] = (
                lambda b=body: ("application/json", b))

    def pager(self, col, p, pages) -> str:
        config = {"api": self.api, "channelId": str(col.col_id), "pageSize": self.page_size, "total": len(col.docs)}
        return (f'<div class="page" id="pager"></div><script type="text/javascript">var trsapi = '
                f'{json.dumps(config)};loadList(trsapi, "pager");</script>')

    def metadata_block(self, d: Doc) -> str:
        sp = "\u2002"  # &ensp; inside the labels, as the templates write them
        rows = [(f"索{sp}引{sp}号", escape(d.index_no)), ("发布机构", escape(d.publisher)),
                ("成文日期", f"{d.written:%Y年%m月%d日}"), (f"文{sp * 4}号", escape(d.doc_no or "")),
                ("主题分类", escape(d.topic)), ("发布日期", f"{d.published:%Y年%m月%d日}"),
                (f"有{sp}效{sp}性", f"<em>{escape(d.validity or '')}</em>")]
        return '<div class="index_box"><ul>' + "".join(f"<li><span>{k}：</span>{v}</li>" for k, v in rows) + "</ul></div>"
