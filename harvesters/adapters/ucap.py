"""开普云 Ucap: xxgk.shtml?code=…&temp=… lists with a 下一页 link; the meta-data <dl> block on articles."""
from __future__ import annotations

from urllib.parse import urljoin

from harvesters.adapters.base import Adapter, ListResult, Request, soup_of


class UcapAdapter(Adapter):
    name = "ucap"
    nav_selector = ".menu-tree"
    title_selector = "h1.article-title ucaptitle"
    body_selector = "#zoomcon ucapcontent"

    def list_page(self, url: str, text: str) -> ListResult:
        soup = soup_of(text)
        box = soup.select_one("ul.xxgk-list")
        items = self.items_from(url, box.find_all("li") if box else [], ".time")
        nxt = soup.select_one(".pagination a.next")
        more = [Request(urljoin(url, nxt["href"]))] if nxt and nxt.get("href") else []
        return ListResult(items=items, more=more, note=None if items else self.note_in(box or soup))

    def metadata_pairs(self, soup):
        pairs = []
        for dd in soup.select(".meta-data dd"):
            label, value = dd.select_one("label"), dd.select_one(".display-block")
            if label is not None:
                pairs.append((label.get_text(), value.get_text() if value else ""))
        return pairs
