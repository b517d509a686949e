"""TRS WCM (拓尔思): static lists index.html, index_1.html … written by createPageHTML(pages, current, "index", "html")."""
from __future__ import annotations

import re
from urllib.parse import urljoin

from harvesters.adapters.base import Adapter, ListItem, ListResult, Request, soup_of
from harvesters.fields import clean, parse_date

PAGER = re.compile(r'createPageHTML\(\s*(\w+)\s*,\s*(\d+)\s*,\s*"(\w+)"\s*,\s*"(\w+)"\s*\)')
COUNT = re.compile(r"var\s+countPage\s*=\s*(\d+)")
CURRENT = re.compile(r"var\s+currentPage\s*=\s*(\d+)")
DATE_CELL = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")


class TrsAdapter(Adapter):
    name = "trs"
    nav_selector = ".xxgk-nav"
    title_selector = ".article .title"
    body_selector = ".TRS_Editor"

    def list_page(self, url: str, text: str) -> ListResult:
        soup = soup_of(text)
        box = soup.select_one(".xxgk-list")
        items = self.items_from(url, box.find_all("li") if box else [], ".date") if box else self.table_rows(url, soup)
        more: list[Request] = []
        m, count, current = PAGER.search(text), COUNT.search(text), CURRENT.search(text)
        if m:
            pages_token, first, stem, ext = m.groups()
            pages = int(pages_token) if pages_token.isdigit() else int(count.group(1)) if count else 1
        elif count and current:  # the pager written inline with document.write (e.g. 邯郸)
            pages, first, stem = int(count.group(1)), current.group(1), "index"
            ext = url.rsplit(".", 1)[-1] if url.rsplit("/", 1)[-1].count(".") == 1 else "html"
        if (m or (count and current)) and int(first) == 0:  # the first page announces every other page
            more = [Request(urljoin(url, f"{stem}_{i}.{ext}")) for i in range(1, pages)]
        return ListResult(items=items, more=more, note=None if items else self.note_in(box or soup))

    @staticmethod
    def table_rows(url: str, soup) -> list[ListItem]:
        """Lists laid out as a table (名称 / 索引号 / 发布机构 / 发布日期): rows with a link and a date cell."""
        items = []
        for tr in soup.find_all("tr"):
            a, cells = tr.find("a", href=True), tr.find_all("td", recursive=False)
            dated = [c for c in cells if DATE_CELL.fullmatch(clean(c.get_text()))]
            if a is not None and dated:
                items.append(ListItem(url=urljoin(url, a["href"]), title=clean(a.get("title") or a.get_text()),
                                      date=parse_date(dated[-1].get_text())))
        return items

    def metadata_pairs(self, soup):
        pairs = []
        for p in soup.select(".top p"):
            strong = p.find("strong")
            if strong:
                pairs.append((strong.get_text(), p.get_text().split("：", 1)[-1]))
        return pairs
