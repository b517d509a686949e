"""开普云 Ucap: xxgk.shtml?code=…&temp=… lists with a 下一页 link; the meta-data <dl> block on articles."""
from __future__ import annotations

from gongkai.harvesters.adapters.base import Adapter, ListResult, Request, absolute, attr, parse_html


class UcapAdapter(Adapter):
    name = "ucap"
    # the marks its pages carry (harvesters.detect): (pattern, what it means, weight: 2 only this family's, 1 common)
    signs = (
        ("(?i)<ucap(title|content)>", "<ucaptitle>/<ucapcontent> tags", 2),
        ("UCAP-CONTENT", "UCAP-CONTENT body", 2),
        ("cmspro_", "cmspro_ scripts", 2),
        ("/doc/ucap/", "/doc/ucap/ files", 2),
        (r"""createPageHTML\(\s*['"]page_div""", "createPageHTML('page_div' pager", 2),
        (r"xxgk\.shtml\?code=", "xxgk.shtml?code= lists", 2),
        (r"/[0-9a-f]{32}\.shtml", "32-hex .shtml articles", 2),
    )
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
