"""A small vendor's layout no adapter knows (the long tail): /c<channel>/list.html lists, /c<channel>/<date>/i<id>.html
articles, a 下一页 pager, metadata in <dl> pairs with other label variants, no ArticleTitle/PubDate meta tags."""
from __future__ import annotations

import math
from html import escape

from gongkai.sampleweb.families.common import attachment_routes, dress, html_page, leaves
from gongkai.sampleweb.model import County, Doc
from gongkai.sampleweb.pages import attachment_links, body_paragraphs, head, related_links


class Vendor:
    page_size = 12
    entry = "/zfxxgk/index.html"

    def build(self, county: County) -> dict:
        routes: dict = {}
        for col in leaves(county):
            col.path = f"/c{col.col_id}/list.html"
            for d in col.docs:
                d.path = f"/c{col.col_id}/{d.published:%Y%m%d}/i{county.index * 100000 + d.serial}.html"
                for k, a in enumerate(d.attachments):
                    a.path = f"/uploadfiles/{d.published:%Y%m}/{county.index * 100000 + d.serial}{k}.{a.ext}"
        for col in leaves(county):
            pages = max(1, math.ceil(len(col.docs) / self.page_size))
            for p in range(1, pages + 1):
                routes[self.page_url(col, p)] = html_page(self.list_page(county, col, p, pages))
            for d in col.docs:
                routes[d.path] = html_page(self.doc_page(county, d))
                attachment_routes(routes, d)

        def menu(cols) -> str:
            out = []
            for c in cols:
                label = (f'<a href="{c.path}">{escape(c.name)}</a>' if not c.children
                         else f"<strong>{escape(c.name)}</strong>")
                out.append(f"<li>{label}{'<ul>' + menu(c.children) + '</ul>' if c.children else ''}</li>")
            return "".join(out)
        routes[self.entry] = html_page(
            f"<html>{head(county, '政府信息公开')}<body><div class=\"wrap\"><div class=\"left-menu\"><h2>信息公开目录</h2>"
            f"<ul class=\"menu-list\">{menu(county.columns)}</ul></div><div class=\"right-box\"><p>欢迎访问"
            f"{escape(county.name)}政府信息公开专栏。</p></div></div></body></html>")
        return dress(county, routes)

    @staticmethod
    def page_url(col, p: int) -> str:
        return col.path if p == 1 else col.path.replace("list.html", f"list_{p}.html")

    def list_page(self, county, col, p, pages) -> str:
        chunk = col.docs[(p - 1) * self.page_size:p * self.page_size]
        rows = "".join(f'<div class="item"><a href="{d.path}" title="{escape(d.title)}">{escape(d.title)}</a>'
                       f"<em>{d.published:%Y年%m月%d日}</em></div>" for d in chunk)
        if not rows and col.note:
            rows = f'<div class="nodata">{escape(col.note)}</div>'
        links = [f'<a href="{self.page_url(col, 1)}">首页</a>']
        if p > 1:
            links.append(f'<a href="{self.page_url(col, p - 1)}">上一页</a>')
        if p < pages:
            links.append(f'<a href="{self.page_url(col, p + 1)}">下一页</a>')
        links.append(f'<a href="{self.page_url(col, pages)}">尾页</a>')
        return (f"<html>{head(county, col.name, col.name)}<body><div class=\"position\">当前位置：{escape(col.name_path)}"
                f'</div><div class="list-box">{rows}</div><div class="pages">共 {len(col.docs)} 条 第 {p}/{pages} 页 '
                f'{" ".join(links)}</div></body></html>')

    def doc_page(self, county, d: Doc) -> str:
        nb = "\u00a0"
        pairs = [(f"索{nb}引{nb}号", d.index_no), ("发文机关", d.publisher), ("成文日期", f"{d.written:%Y年%m月%d日}"),
                 ("发文字号", d.doc_no or ""), ("主题分类", d.topic), ("公开日期", f"{d.published:%Y年%m月%d日}"),
                 ("有效性", d.validity or "")]
        dl = "".join(f"<dt>{k}：</dt><dd>{escape(v)}</dd>" for k, v in pairs)
        return (f"<html>{head(county, d.title, d.column.name)}<body><div class=\"detail\"><dl class=\"attr\">{dl}</dl>"
                f"<div class=\"detail-title\"><h2>{escape(d.title)}</h2></div><div class=\"detail-content\" "
                f"id=\"content-box\">{body_paragraphs(d)}{d.html_extra}</div>{attachment_links(d)}"
                f"{related_links(d, lambda r: r.path)}</div></body></html>")
