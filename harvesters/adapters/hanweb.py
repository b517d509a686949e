"""大汉 Hanweb JCMS: a <datastore> XML list inside the column page; further records by POST to dataproxy.jsp."""
from __future__ import annotations

import math
import re
from urllib.parse import parse_qsl, urljoin, urlsplit

from harvesters.adapters.base import Adapter, ListResult, Request, next_element, parse_html

RECORD = re.compile(r"<record><!\[CDATA\[(.*?)\]\]></record>", re.DOTALL)
TOTAL = re.compile(r"<totalrecord>(\d+)</totalrecord>")
NEXTGROUP = re.compile(r"<nextgroup><!\[CDATA\[<a href=\"([^\"]+)\"", re.DOTALL)
PER_PAGE = re.compile(r"perPage\s*:\s*(\d+)")


class HanwebAdapter(Adapter):
    name = "hanweb"
    nav_selector = ".xxgk_nav"
    title_selector = "div.title"
    body_selector = "#zoom"

    def list_page(self, url: str, text: str) -> ListResult:
        records = RECORD.findall(text)
        rows = parse_html("".join(records)).css("li") if records else []
        items = self.items_from(url, rows, ".bt_time")
        more: list[Request] = []
        group, total = NEXTGROUP.search(text), TOTAL.search(text)
        if group and total:  # the static column page: ask the proxy for the remaining records
            per = int(PER_PAGE.search(text).group(1)) if PER_PAGE.search(text) else max(1, len(items))
            proxy = urljoin(url, group.group(1))
            params = dict(parse_qsl(urlsplit(proxy).query))
            form = (("col", "1"), ("appid", "1"), ("webid", params.get("webid", "")), ("path", "/"),
                    ("columnid", params.get("columnid", "")), ("sourceContentType", "1"),
                    ("unitid", params.get("unitid", "")), ("permissiontype", "0"))
            base = proxy.split("?", 1)[0]
            for page in range(1, math.ceil(int(total.group(1)) / per)):
                start = page * per + 1
                more.append(Request(f"{base}?startrecord={start}&endrecord={start + per - 1}&perpage={per}",
                                    "POST", form))
        note = None
        if not items and "<html" in text[:200].lower():
            note = self.note_in(parse_html(text))
        return ListResult(items=items, more=more, note=note)

    def metadata_pairs(self, tree):
        pairs = []
        for td in tree.css("table.xxgk_table td.label"):
            value = next_element(td, "td")
            pairs.append((td.text(deep=True), value.text(deep=True) if value is not None else ""))
        return pairs
