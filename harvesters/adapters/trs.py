"""TRS WCM (拓尔思): static lists index.html, index_1.html … written by createPageHTML(pages, current, "index", "html")."""
from __future__ import annotations

import re
from urllib.parse import urljoin

from harvesters.adapters.base import Adapter, ListResult, Request, soup_of

PAGER = re.compile(r'createPageHTML\(\s*(\w+)\s*,\s*(\d+)\s*,\s*"(\w+)"\s*,\s*"(\w+)"\s*\)')
COUNT = re.compile(r"var\s+countPage\s*=\s*(\d+)")


class TrsAdapter(Adapter):
    name = "trs"
    nav_selector = ".xxgk-nav"
    title_selector = ".article .title"
    body_selector = ".TRS_Editor"

    def list_page(self, url: str, text: str) -> ListResult:
        soup = soup_of(text)
        box = soup.select_one(".xxgk-list")
        items = self.items_from(url, box.find_all("li") if box else [], ".date")
        more: list[Request] = []
        m = PAGER.search(text)
        if m:
            pages_token, current, stem, ext = m.groups()
            count = COUNT.search(text)
            pages = int(pages_token) if pages_token.isdigit() else int(count.group(1)) if count else 1
            if int(current) == 0:  # the first page announces every other page
                more = [Request(urljoin(url, f"{stem}_{i}.{ext}")) for i in range(1, pages)]
        return ListResult(items=items, more=more, note=None if items else self.note_in(box or soup))

    def metadata_pairs(self, soup):
        pairs = []
        for p in soup.select(".top p"):
            strong = p.find("strong")
            if strong:
                pairs.append((strong.get_text(), p.get_text().split("：", 1)[-1]))
        return pairs
