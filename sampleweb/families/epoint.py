"""新点 Epoint sample pages: ewb- CSS classes, lists at /info/iList.jsp?cat_id=…&cur_page=N."""
from __future__ import annotations

import math
from html import escape

from gongkai.sampleweb.families.common import attachment_routes, dress, html_page, leaves
from gongkai.sampleweb.model import County, Doc, _hex
from gongkai.sampleweb.pages import attachment_links, body_paragraphs, head, nav_tree, related_links


def category_codes(columns, prefix: str = "") -> dict[int, str]:
    """Epoint numbers categories by position, three digits per level: 003001002."""
    out = {}
    for i, c in enumerate(columns, 1):
        code = f"{prefix}{i:03d}"
        out[c.col_id] = code
        out.update(category_codes(c.children, code))
    return out


class Epoint:
    page_size = 15
    entry = "/xxgk/xxgk.html"

    def build(self, county: County) -> dict:
        routes: dict = {}
        codes = category_codes(county.columns, "003")
        for col in leaves(county):
            col.path = f"/info/iList.jsp?cat_id={codes[col.col_id]}"
            for d in col.docs:
                h = _hex(county.site_id, d.serial)
                d.hexid = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
                d.path = f"/xxgk/{codes[col.col_id]}/{d.published:%Y%m%d}/{d.hexid}.html"
                for k, a in enumerate(d.attachments):
                    a.path = f"/xxgk/{codes[col.col_id]}/{d.published:%Y%m%d}/{d.hexid}/{k + 1}.{a.ext}"
        for col in leaves(county):
            pages = max(1, math.ceil(len(col.docs) / self.page_size))
            for p in range(1, pages + 1):
                key = col.path if p == 1 else f"{col.path}&cur_page={p}"
                routes[key] = html_page(self.list_page(county, col, p, pages))
            for d in col.docs:
                routes[d.path] = html_page(self.doc_page(county, d))
                attachment_routes(routes, d)
        routes[self.entry] = html_page(
            f"<html>{head(county, '政府信息公开')}<body><div class=\"ewb-container\"><div class=\"ewb-xxgk-left\">"
            f"{nav_tree(county.columns, lambda c: escape(c.path), 'ewb-xxgk-nav')}</div></div></body></html>")
        return dress(county, routes)

    def list_page(self, county, col, p, pages) -> str:
        chunk = col.docs[(p - 1) * self.page_size:p * self.page_size]
        rows = "".join(f'<li class="ewb-list-node clearfix"><a href="{d.path}" title="{escape(d.title)}" '
                       f'class="ewb-list-name" target="_blank">{escape(d.title)}</a>'
                       f'<span class="ewb-list-date">{d.published:%Y-%m-%d}</span></li>' for d in chunk)
        if not rows and col.note:
            rows = f'<li class="ewb-nodata">{escape(col.note)}</li>'
        link = f"{escape(col.path)}&amp;cur_page="
        nav = (f'<li><a href="{escape(col.path)}">首页</a></li>'
               + (f'<li><a href="{link}{p - 1}">上页</a></li>' if p > 1 else "")
               + (f'<li><a class="ewb-page-next" href="{link}{p + 1}">下页</a></li>' if p < pages else "")
               + f'<li><a href="{link}{pages}">末页</a></li><li><span class="ewb-page-number">{p}/{pages}</span></li>')
        return (f"<html>{head(county, col.name, col.name)}<body><div class=\"ewb-location\">{escape(col.name_path)}</div>"
                f'<div class="ewb-list-bd"><ul class="ewb-list">{rows}</ul></div>'
                f'<div class="ewb-page"><ul class="m-pagination-page">{nav}</ul></div></body></html>')

    def doc_page(self, county, d: Doc) -> str:
        cells = [("索引号", d.index_no), ("发布机构", d.publisher), ("文号", d.doc_no or "无"), ("主题分类", d.topic),
                 ("成文日期", f"{d.written:%Y-%m-%d}"), ("发布日期", f"{d.published:%Y-%m-%d}"),
                 ("有效性", d.validity or ""), ("公开方式", "主动公开")]
        rows = "".join(f"<tr><th>{k}</th><td>{escape(v)}</td><th>{k2}</th><td>{escape(v2)}</td></tr>"
                       for (k, v), (k2, v2) in zip(cells[::2], cells[1::2], strict=True))
        return (f"<html>{head(county, d.title, d.column.name, d)}<body><div class=\"ewb-article\">"
                f"<table class=\"ewb-article-info\">{rows}</table><h2 class=\"ewb-article-tt\">{escape(d.title)}</h2>"
                f"<div class=\"ewb-article-info-content\" id=\"mainContent\">{body_paragraphs(d)}{d.html_extra}</div>"
                f"{attachment_links(d)}{related_links(d, lambda r: r.path)}</div></body></html>")
