"""开普云 Ucap: xxgk.shtml?code=…&temp=… lists with a 下一页 link; the meta-data <dl> block on articles."""
from __future__ import annotations

from harvesters.adapters.base import Adapter, ListResult, Request, absolute, attr, parse_html


class UcapAdapter(Adapter):
    name = "ucap"
    nav_selector = ".menu-tree"
    title_selector = "h1.article-title ucaptitle"
    body_selector = "#zoomcon ucapcontent"

    def list_page(self, url: str, text: str, request: Request | None = None) -> ListResult:
        tree = parse_html(text)
        box = tree.css_first("ul.xxgk-list")
        if box is None:  # another template of the platform: the generic reading
            return super().list_page(url, text, request)
        items = self.items_from(url, box.css("li"), ".time")
        href = attr(tree.css_first(".pagination a.next"), "href")
        more = [Request(absolute(url, href))] if href else []
        return ListResult(items=items, more=more, note=None if items else self.note_in(box or tree))

    def metadata_pairs(self, tree):
        pairs = []
        for dd in tree.css(".meta-data dd"):
            label, value = dd.css_first("label"), dd.css_first(".display-block")
            if label is not None:
                pairs.append((label.text(deep=True), value.text(deep=True) if value is not None else ""))
        return pairs
