"""开普云 Ucap sample pages."""
from __future__ import annotations

import math
from html import escape

from gongkai.sampleweb.families.common import attachment_routes, dress, html_page, leaves, list_body
from gongkai.sampleweb.model import County, Doc, _hex
from gongkai.sampleweb.pages import attachment_links, body_paragraphs, head, nav_tree, related_links


class Ucap:
    """开普云 Ucap: xxgk.shtml?code=<column>&temp=list lists; articles /<site>/<column>/YYYYMM/<32 hex>.shtml."""

    page_size = 10

    def build(self, county: County) -> dict:
        routes: dict = {}
        self.entry = f"/{county.slug}/xxgk/index.shtml"
        for col in leaves(county):
            code = col.slug_path.replace("/", "_")
            col.path = f"/{county.slug}/xxgk.shtml?code={code}&temp=list"
            for d in col.docs:
                d.hexid = _hex(county.site_id, d.serial)
                d.path = f"/{county.slug}/{code}/{d.published:%Y%m}/{d.hexid}.shtml"
                for k, a in enumerate(d.attachments):
                    a.path = f"/{county.slug}/{code}/{d.published:%Y%m}/{d.hexid}/files/{_hex(d.hexid, k)}.{a.ext}"
        for col in leaves(county):
            pages = max(1, math.ceil(len(col.docs) / self.page_size))
            for p in range(1, pages + 1):
                key = col.path if p == 1 else f"{col.path}&page={p}"
                routes[key] = html_page(self.list_page(county, col, p, pages))
            for d in col.docs:
                routes[d.path] = html_page(self.doc_page(county, d))
                attachment_routes(routes, d)
        routes[self.entry] = html_page(
            f"<html>{head(county, '政府信息公开')}<body><div class=\"xxgk-menu\">"
            f"{nav_tree(county.columns, lambda c: escape(c.path), 'menu-tree')}</div></body></html>")
        return dress(county, routes)

    def list_page(self, county, col, p, pages) -> str:
        chunk = col.docs[(p - 1) * self.page_size:p * self.page_size]
        rows = "".join(f'<li><a href="{d.path}" target="_blank">{escape(d.title)}</a>'
                       f'<span class="time">{d.published:%Y/%m/%d}</span></li>' for d in chunk)
        nxt = f'<a class="next" href="{escape(col.path)}&amp;page={p + 1}">下一页</a>' if p < pages else ""
        return (f"<html>{head(county, col.name, col.name)}<body><div class=\"xxgk-title\">{escape(col.name)}</div>"
                f"<ul class=\"xxgk-list\">{list_body(col, rows)}</ul>"
                f'<div class="pagination"><span>共{pages}页</span>{nxt}</div></body></html>')

    def doc_page(self, county, d: Doc) -> str:
        fields = [("IndexNo", "索\u3000引\u3000号", d.index_no), ("ReleaseMechanism", "责任部门", d.publisher),
                  ("scrq", "生成日期", f"{d.written:%Y/%m/%d}"), ("fbrq", "发布日期", f"{d.published:%Y/%m/%d}"),
                  ("wh", "文\u3000\u3000号", d.doc_no or ""), ("ztfl", "主题分类", d.topic),
                  ("gkfs", "公开方式", "主动公开"), ("yxx", "有\u00a0效\u00a0性", d.validity or "")]
        dl = "".join(f'<dd class="{c}"><label><font>{k}：</font></label><div class="display-block">{escape(v)}</div></dd>'
                     for c, k, v in fields)
        return (f"<html>{head(county, d.title, d.column.name, d)}<body><div class=\"meta-data\"><dl>{dl}</dl></div>"
                f'<h1 class="article-title"><ucaptitle>{escape(d.title)}</ucaptitle></h1>'
                f"{related_links(d, lambda r: r.path)}"
                f'<div id="zoomcon"><ucapcontent>{body_paragraphs(d)}{d.html_extra}</ucapcontent></div>'
                f"{attachment_links(d)}</body></html>")
