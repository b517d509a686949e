"""新点 Epoint: ewb- CSS classes; lists /info/iList.jsp?cat_id=…&cur_page=N with a 'p/N' page counter; metadata in a
th/td table."""
from __future__ import annotations

import re
from urllib.parse import urljoin

from gongkai.harvesters.adapters.base import Adapter, ListResult, Request, parse_html, text_of

PAGE_NUMBER = re.compile(r"(\d+)\s*/\s*(\d+)")


class EpointAdapter(Adapter):
    name = "epoint"
    # the marks its pages carry (harvesters.detect): (pattern, what it means, weight: 2 only this family's, 1 common)
    signs = (
        (r"iList\.jsp", "iList.jsp lists", 2),
        (r'class="[^"]*\bewb-', "ewb- CSS classes", 2),
    )
    nav_selector = ".ewb-xxgk-nav"
    title_selector = ".ewb-article-tt"
    body_selector = "#mainContent"
    label_selector = "table.ewb-article-info th"

    def list_page(self, url: str, text: str, request: Request | None = None) -> ListResult:
        tree = parse_html(text)
        box = tree.css_first(".ewb-list")
        if box is None:  # another template of the platform: the generic reading
            return super().list_page(url, text, request)
        items = self.items_from(url, box.css("li.ewb-list-node") if box is not None else [], ".ewb-list-date")
        more: list[Request] = []
        counter = PAGE_NUMBER.search(text_of(tree.css_first(".ewb-page-number")))
        if counter and counter.group(1) == "1":  # the first page announces every other page
            base = urljoin(url, url.split("&cur_page=", 1)[0])
            more = [Request(f"{base}&cur_page={p}") for p in range(2, int(counter.group(2)) + 1)]
        note = None if items else text_of(tree.css_first(".ewb-nodata")) or self.note_in(box or tree)
        return ListResult(items=items, more=more, note=note)
