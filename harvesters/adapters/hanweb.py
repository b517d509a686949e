"""大汉 Hanweb JCMS: a <datastore> XML list inside the column page; further records by POST to dataproxy.jsp."""
from __future__ import annotations

import re

from gongkai.harvesters.adapters.base import Adapter, ListResult, Request, parse_html
from gongkai.harvesters.adapters.pagers import datastore_proxy

RECORD = re.compile(r"<record><!\[CDATA\[(.*?)\]\]></record>", re.DOTALL)


class HanwebAdapter(Adapter):
    name = "hanweb"
    # the marks its pages carry (harvesters.detect): (pattern, what it means, weight: 2 only this family's, 1 common)
    # /col/col<id>/ paths alone do not make a page Hanweb: 开普云 (Ucap) platforms that took over Hanweb sites keep them
    signs = (
        ("<datastore>", "<datastore> list", 2),
        (r"dataproxy\.jsp", "dataproxy.jsp pager", 2),
        ("/module/jslib/|/module/web/jpage/", "/module/jslib scripts", 2),
        ("hanweb|jcms_files", "hanweb files", 2),
        ("ZJEG_RSS", "ZJEG_RSS body markers", 2),
        (r"/col/col\d+/", "/col/col<id>/ columns", 1),
        (r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html", "art_ links", 2),
    )
    nav_selector = ".xxgk_nav"
    title_selector = "div.title"
    body_selector = "#zoom"
    label_selector = "table.xxgk_table td.label"

    def list_page(self, url: str, text: str, request: Request | None = None) -> ListResult:
        records = RECORD.findall(text)
        if not records and "<datastore>" not in text:  # a list page of another template: the generic reading
            return super().list_page(url, text, request)
        rows = parse_html("".join(records)).css("li") if records else []
        items = self.items_from(url, rows, ".bt_time")
        more = datastore_proxy(url, text, len(items))
        note = None
        if not items and "<html" in text[:200].lower():
            note = self.note_in(parse_html(text))
        return ListResult(items=items, more=more, note=note)
