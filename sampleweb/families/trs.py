"""TRS WCM (拓尔思) sample pages."""
from __future__ import annotations

import math
from html import escape

from sampleweb.families.common import attachment_routes, dress, html_page, leaves, list_body
from sampleweb.model import County, Doc
from sampleweb.pages import attachment_links, body_paragraphs, head, nav_tree, related_links


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
            pages = max(1, math.ceil(len(col.docs) / self.page_size))
            for p in range(pages):
                name = "index.html" if p == 0 else f"index_{p}.html"
                routes[f"/xxgk/{col.slug_path}/{name}"] = html_page(self.list_page(county, col, p, pages))
            for d in col.docs:
                routes[d.path] = html_page(self.doc_page(county, d))
                attachment_routes(routes, d)
        routes[self.entry] = html_page(
            f"<html>{head(county, '政府信息公开')}<body><h1>{county.name}政府信息公开</h1>"
            f"{nav_tree(county.columns, lambda c: c.path)}<a href=\"/search/index.html\">站内搜索</a></body></html>")
        return dress(county, routes)

    def list_page(self, county, col, p, pages) -> str:
        chunk = col.docs[p * self.page_size:(p + 1) * self.page_size]
        base = f"/xxgk/{col.slug_path}/"
        rows = "".join(
            f'<li><a href="./{d.path.removeprefix(base)}" title="{escape(d.title)}" target="_blank">{escape(d.title)}</a>'
            f'<span class="date">{d.published:%Y-%m-%d}</span></li>' for d in chunk)
        return (f"<html>{head(county, col.name, col.name)}<body><div class=\"crumb\">{escape(col.name_path)}</div>"
                f"<div class=\"xxgk-list\"><ul>{list_body(col, rows)}</ul></div>"
                f'<div class="page"><script type="text/javascript">var countPage = {pages};'
                f'createPageHTML(countPage, {p}, "index", "html");</script></div></body></html>')

    def doc_page(self, county, d: Doc) -> str:
        rows = [("索引号", d.index_no), ("发布机构", d.publisher), ("名称", d.title), ("文号", d.doc_no or "无"),
                ("主题分类", d.topic), ("成文日期", f"{d.written:%Y-%m-%d}"), ("发布日期", f"{d.published:%Y-%m-%d}")]
        if d.validity:
            rows.append(("有效性", d.validity))
        meta = "".join(f"<p><strong>{k}</strong>：{escape(v)}</p>" for k, v in rows)
        return (f"<html>{head(county, d.title, d.column.name, d)}<body><div class=\"top cf\">{meta}</div>"
                f"<div class=\"article\"><h2 class=\"title\">{escape(d.title)}</h2>"
                f"<div class=\"TRS_Editor\">{body_paragraphs(d)}{d.html_extra}</div>"
                f"{attachment_links(d)}{related_links(d, lambda r: r.path)}</div></body></html>")
