"""大汉 Hanweb JCMS: a <datastore> XML list inside the column page; further records by POST to dataproxy.jsp."""
from __future__ import annotations

import re

from harvesters.adapters.base import Adapter, ListResult, Request, parse_html
from harvesters.adapters.pagers import datastore_proxy

RECORD = re.compile(r"<record><!\[CDATA\[(.*?)\]\]></record>", re.DOTALL)


class HanwebAdapter(Adapter):
    name = "hanweb"
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
