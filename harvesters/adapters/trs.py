"""TRS WCM (拓尔思): static lists index.html, index_1.html … written by createPageHTML(pages, current, "index", "html").

Newer templates render only the first list page statically and load the rest from a JSON search API (`trsapi`): the
list page then carries a `trsapi` config (channel id, page size, total); further pages are GETs of that API, whose
answers are JSON (`{"total":…, "page":…, "datas":[{"title","url","pubDate"}…]}`).
"""
from __future__ import annotations

from gongkai.harvesters.adapters.base import Adapter, ListItem, ListResult, Request, absolute, children, parse_html, text_of
from gongkai.harvesters.adapters.listing import dated_links, link_pages
from gongkai.harvesters.adapters.pagers import page_files, trs_search, trsapi
from gongkai.harvesters.errors import SiteChanged
from gongkai.harvesters.fields import FULL_DATE, clean, load_json, parse_date


class TrsAdapter(Adapter):
    name = "trs"
    # the marks its pages carry (harvesters.detect): (pattern, what it means, weight: 2 only this family's, 1 common)
    signs = (
        (r"createPageHTML\(\s*\w+\s*,", "createPageHTML pager", 2),
        ("TRS_Editor", "TRS_Editor body", 2),
        (r"/t\d{8}_\d+\.s?html?", "tYYYYMMDD_id.html article links", 2),
        (r"var\s+countPage\s*=", "countPage variable", 2),
        (r"\.trsapi\b", "trsapi list", 2),
        (r"listModel\s*\(|/fjdzapp/", "TRS platform search list", 2),
        ('class="index_box"', "index_box metadata", 1),
        (r'href="(?![^"]*/col/col\d)[^"]*/[a-z0-9_]+/index\.s?html?"', "static <column>/index.html links", 1),
    )
    nav_selector = ".xxgk-nav"
    title_selector = ".article .title"
    body_selector = ".TRS_Editor"

    def list_page(self, url: str, text: str, request: Request | None = None) -> ListResult:
        if text.lstrip().startswith("{"):
            data = text.lstrip()
            return self.api_page(url, text) if '"datas"' in data[:2000] else super().list_page(url, text, request)
        tree = parse_html(text)
        box = tree.css_first(".xxgk-list")
        items = self.items_from(url, box.css("li"), ".date") if box is not None else self.table_rows(url, tree)
        if not items and box is None:  # another template of the platform (dl/dd rows, …): the generic reading
            items = dated_links(url, tree)
        # the trsapi variant and the "动静结合" search API: page 1 static, the rest JSON
        more = trsapi(url, text) or trs_search(url, text, len(items)) or page_files(url, text)
        if not more and box is None:
            more = link_pages(url, text, tree)
        return ListResult(items=items, more=more, note=None if items else self.note_in(box or tree))

    @staticmethod
    def api_page(url: str, text: str) -> ListResult:
        try:
            rows = load_json(text)["datas"]
        except (ValueError, KeyError, TypeError) as exc:
            raise SiteChanged(f"{url}: a trsapi answer without a 'datas' list ({exc}); has the API changed?") from None
        return ListResult(items=[ListItem(url=absolute(url, r["url"]), title=clean(r.get("title")),
                                          date=parse_date(r.get("pubDate"))) for r in rows])

    @staticmethod
    def table_rows(url: str, tree) -> list[ListItem]:
        """Lists laid out as a table (名称 / 索引号 / 发布机构 / 发布日期): rows with a link and a date cell."""
        items = []
        for tr in tree.css("tr"):
            a = tr.css_first("a[href]")
            if a is None:
                continue
            dated = [c for c in children(tr, "td") if FULL_DATE.fullmatch(text_of(c))]
            if dated:
                items.append(ListItem(url=absolute(url, a.attributes["href"]),
                                      title=clean(a.attributes.get("title") or a.text(deep=True)),
                                      date=parse_date(dated[-1].text(deep=True))))
        return items

    def metadata_pairs(self, tree):
        pairs = [(strong.text(deep=True), strong.parent.text(deep=True).split("：", 1)[-1])
                 for strong in tree.css(".top p > strong")]
        if not pairs:  # the newer template: div.index_box > ul > li, labels spaced with &ensp;
            pairs = [tuple(li.text(deep=True).split("：", 1)) for li in tree.css(".index_box li")]
        return [p for p in pairs if len(p) == 2]
