"""URL layout and page markup of the three CMS families the sample web imitates (see shared/domain/site-patterns.md).

Each renderer fills in `Column.path`, `Doc.path` and `Attachment.path` and returns the site's route table:
``{path_with_query: page}`` where a page is a callable returning (content type, body text or bytes).
"""
from __future__ import annotations

import math
from html import escape

from sampleweb.model import County, Doc, _hex
from sampleweb.pages import attachment_bytes, attachment_links, body_paragraphs, head, nav_tree, related_links


def _html(text: str):
    return lambda: ("text/html", text)


def _attachment_routes(routes: dict, doc: Doc) -> None:
    for a in doc.attachments:
        mime = {"pdf": "application/pdf"}.get(a.ext, "application/octet-stream")
        routes[a.path] = (lambda d=doc, a=a, m=mime: (m, attachment_bytes(d.serial, a.size, a.ext)))


def _leaves(county: County):
    return [c for c in county.all_columns() if not c.children and c.kind != "container"]


def _list_body(col, items_html: str) -> str:
    if items_html:
        return items_html
    return f'<p class="lm-note">{escape(col.note)}</p>' if col.note else ""


class Trs:
    """TRS WCM: static lists index.html, index_1.html … with createPageHTML; articles YYYYMM/tYYYYMMDD_<id>.html."""

    page_size = 10
    entry = "/xxgk/index.html"

    def build(self, county: County) -> dict:
        routes: dict = {}
        for col in _leaves(county):
            base = f"/xxgk/{col.slug_path}/"
            col.path = base + "index.html"
            for d in col.docs:
                d.path = f"{base}{d.published:%Y%m}/t{d.published:%Y%m%d}_{county.index * 100000 + d.serial}.html"
                for k, a in enumerate(d.attachments):
                    a.path = f"{base}{d.published:%Y%m}/P0{d.published:%Y%m%d}{d.serial}{k}.{a.ext}"
        for col in _leaves(county):
            pages = max(1, math.ceil(len(col.docs) / self.page_size))
            for p in range(pages):
                name = "index.html" if p == 0 else f"index_{p}.html"
                routes[f"/xxgk/{col.slug_path}/{name}"] = _html(self.list_page(county, col, p, pages))
            for d in col.docs:
                routes[d.path] = _html(self.doc_page(county, d))
                _attachment_routes(routes, d)
        routes[self.entry] = _html(
            f"<html>{head(county, '政府信息公开')}<body><h1>{county.name}政府信息公开</h1>"
            f"{nav_tree(county.columns, lambda c: c.path)}<a href=\"/search/index.html\">站内搜索</a></body></html>")
        return routes

    def list_page(self, county, col, p, pages) -> str:
        chunk = col.docs[p * self.page_size:(p + 1) * self.page_size]
        base = f"/xxgk/{col.slug_path}/"
        rows = "".join(
            f'<li><a href="./{d.path.removeprefix(base)}" title="{escape(d.title)}" target="_blank">{escape(d.title)}</a>'
            f'<span class="date">{d.published:%Y-%m-%d}</span></li>' for d in chunk)
        return (f"<html>{head(county, col.name, col.name)}<body><div class=\"crumb\">{escape(col.name_path)}</div>"
                f"<div class=\"xxgk-list\"><ul>{_list_body(col, rows)}</ul></div>"
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


class Hanweb:
    """大汉 JCMS: /col/col<id>/index.html with a <datastore> list; further pages by POST to dataproxy.jsp."""

    per_page = 10
    entry = "/col/col100/index.html"
    proxy = "/module/web/jpage/dataproxy.jsp"

    def build(self, county: County) -> dict:
        routes: dict = {}
        self.columns = {}
        for col in _leaves(county):
            col.path = f"/col/col{col.col_id}/index.html"
            self.columns[str(col.col_id)] = col
            for d in col.docs:
                p = d.published
                d.path = f"/art/{p.year}/{p.month}/{p.day}/art_{col.col_id}_{county.index * 100000 + d.serial}.html"
                for k, a in enumerate(d.attachments):
                    a.path = f"/module/download/downfile.jsp?classid=0&filename={county.index}{d.serial}{k}.{a.ext}"
        for col in _leaves(county):
            routes[col.path] = _html(self.list_page(county, col))
            for d in col.docs:
                routes[d.path] = _html(self.doc_page(county, d))
                _attachment_routes(routes, d)
        routes[self.entry] = _html(
            f"<html>{head(county, '政府信息公开')}<body><div id=\"xxgk\">"
            f"{nav_tree(county.columns, lambda c: c.path, 'xxgk_nav')}</div></body></html>")
        routes[("POST", self.proxy)] = lambda form: ("text/xml", self.proxy_page(form))
        return routes

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


class Ucap:
    """开普云 Ucap: xxgk.shtml?code=<column>&temp=list lists; articles /<site>/<column>/YYYYMM/<32 hex>.shtml."""

    page_size = 10

    def build(self, county: County) -> dict:
        routes: dict = {}
        self.entry = f"/{county.slug}/xxgk/index.shtml"
        for col in _leaves(county):
            code = col.slug_path.replace("/", "_")
            col.path = f"/{county.slug}/xxgk.shtml?code={code}&temp=list"
            for d in col.docs:
                d.hexid = _hex(county.site_id, d.serial)
                d.path = f"/{county.slug}/{code}/{d.published:%Y%m}/{d.hexid}.shtml"
                for k, a in enumerate(d.attachments):
                    a.path = f"/{county.slug}/{code}/{d.published:%Y%m}/{d.hexid}/files/{_hex(d.hexid, k)}.{a.ext}"
        for col in _leaves(county):
            pages = max(1, math.ceil(len(col.docs) / self.page_size))
            for p in range(1, pages + 1):
                key = col.path if p == 1 else f"{col.path}&page={p}"
                routes[key] = _html(self.list_page(county, col, p, pages))
            for d in col.docs:
                routes[d.path] = _html(self.doc_page(county, d))
                _attachment_routes(routes, d)
        routes[self.entry] = _html(
            f"<html>{head(county, '政府信息公开')}<body><div class=\"xxgk-menu\">"
            f"{nav_tree(county.columns, lambda c: escape(c.path), 'menu-tree')}</div></body></html>")
        return routes

    def list_page(self, county, col, p, pages) -> str:
        chunk = col.docs[(p - 1) * self.page_size:p * self.page_size]
        rows = "".join(f'<li><a href="{d.path}" target="_blank">{escape(d.title)}</a>'
                       f'<span class="time">{d.published:%Y/%m/%d}</span></li>' for d in chunk)
        nxt = f'<a class="next" href="{escape(col.path)}&amp;page={p + 1}">下一页</a>' if p < pages else ""
        return (f"<html>{head(county, col.name, col.name)}<body><div class=\"xxgk-title\">{escape(col.name)}</div>"
                f"<ul class=\"xxgk-list\">{_list_body(col, rows)}</ul>"
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


RENDERERS = {"trs": Trs, "hanweb": Hanweb, "ucap": Ucap}
