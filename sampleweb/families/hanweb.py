"""大汉 Hanweb JCMS sample pages."""
from __future__ import annotations

import math
from html import escape

from gongkai.sampleweb.families.common import attachment_routes, dress, html_page, in_head, leaves
from gongkai.sampleweb.model import County, Doc
from gongkai.sampleweb.pages import attachment_links, body_paragraphs, head, nav_tree, related_links


class Hanweb:
    """大汉 JCMS: /col/col<id>/index.html with a <datastore> list; further pages by POST to dataproxy.jsp."""

    per_page = 10
    entry = "/col/col100/index.html"
    proxy = "/module/web/jpage/dataproxy.jsp"

    def build(self, county: County) -> dict:
        routes: dict = {}
        self.columns = {}
        for col in leaves(county):
            col.path = f"/col/col{col.col_id}/index.html"
            self.columns[str(col.col_id)] = col
            for d in col.docs:
                p = d.published
                d.path = f"/art/{p.year}/{p.month}/{p.day}/art_{col.col_id}_{county.index * 100000 + d.serial}.html"
                for k, a in enumerate(d.attachments):
                    a.path = f"/module/download/downfile.jsp?classid=0&filename={county.index}{d.serial}{k}.{a.ext}"
        for col in leaves(county):
            routes[col.path] = html_page(self.list_page(county, col))
            for d in col.docs:
                routes[d.path] = html_page(self.doc_page(county, d))
                attachment_routes(routes, d)
        routes[self.entry] = html_page(
            f"<html>{head(county, '政府信息公开')}<body><div id=\"xxgk\">"
            f"{nav_tree(county.columns, lambda c: c.path, 'xxgk_nav')}</div></body></html>")
        routes[("POST", self.proxy)] = lambda form: ("text/xml", self.proxy_page(form))
        # every JCMS page loads the platform's own script library (a mark of the family, see harvesters/detect.py)
        return in_head(dress(county, routes), '<script type="text/javascript" src="/module/jslib/jquery/jquery.js">'
                                              '</script>')

    @staticmethod
    def _records(docs) -> str:
        return "".join(f'<record><![CDATA[<li><a href="{d.path}" target="_blank" title="{escape(d.title)}">'
                       f'{escape(d.title)}</a><span class="bt_time">{d.published:%Y-%m-%d}</span></li>]]></record>'
                       for d in docs)

    def list_page(self, county, col) -> str:
        total = len(col.docs)
        pages = max(1, math.ceil(total / self.per_page))
        store = (f"<datastore><nextgroup><![CDATA[<a href=\"{self.proxy}?page=1&webid={county.index + 1}&path=/"
                 f"&columnid={col.col_id}&unitid=5{col.col_id}&permissiontype=0\"></a>]]></nextgroup>"
                 f"<totalrecord>{total}</totalrecord><totalpage>{pages}</totalpage>"
                 f"<recordset>{self._records(col.docs[:self.per_page])}</recordset></datastore>")
        note = f'<p class="lm-note">{escape(col.note)}</p>' if col.note else ""
        return (f"<html>{head(county, col.name, col.name)}<body><div class=\"bt-position\">{escape(col.name_path)}</div>"
                f'<div id="5{col.col_id}">{note}<script type="text/xml">{store}</script>'
                f'<script>$("#5{col.col_id}").jpage({{perPage: {self.per_page}, totalRecord: {total}, '
                f'proxyUrl: "{self.proxy}", webid: "{county.index + 1}", columnid: "{col.col_id}"}});</script>'
                f"</div></body></html>")

    def proxy_page(self, form: dict) -> str:
        col = self.columns.get(form.get("columnid", ""))
        if col is None:
            return "<datastore><totalrecord>0</totalrecord><recordset></recordset></datastore>"
        start, end = int(form.get("startrecord", 1)), int(form.get("endrecord", self.per_page))
        total = len(col.docs)
        return (f'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>{total}</totalrecord>'
                f"<totalpage>{max(1, math.ceil(total / self.per_page))}</totalpage>"
                f"<recordset>{self._records(col.docs[start - 1:end])}</recordset></datastore>")

    def doc_page(self, county, d: Doc) -> str:
        cells = [("索引号", d.index_no), ("公开方式", "主动公开"), ("发布机构", d.publisher), ("组配分类", d.topic),
                 ("文件编号", d.doc_no or ""), ("成文日期", f"{d.written:%Y年%m月%d日}"),
                 ("发布日期", f"{d.published:%Y年%m月%d日}"), ("有效性", d.validity or "")]
        rows = "".join(f'<tr><td class="label">{k}：</td><td>{escape(v)}</td><td class="label">{k2}：</td>'
                       f"<td>{escape(v2)}</td></tr>" for (k, v), (k2, v2) in zip(cells[::2], cells[1::2], strict=False))
        return (f"<html>{head(county, d.title, d.column.name, d)}<body><table class=\"xxgk_table\">{rows}</table>"
                f'<div class="title">{escape(d.title)}</div><div id="zoom"><!--ZJEG_RSS.content.begin-->'
                f"{body_paragraphs(d)}{d.html_extra}<!--ZJEG_RSS.content.end--></div>"
                f"{attachment_links(d)}{related_links(d, lambda r: r.path)}</body></html>")
