"""The column tree (栏目树) as a harvest discovers it: read the same way by the crawl and by the re-parse.

The entry page gives the first columns. Each column's own page (fetch-log kind `column`) is then read three ways:
- as the column's first **list** page;
- for **sub-columns**: a group column's page shows its sub-columns instead of documents (政府信息公开目录 → 政府文件,
  统计数据 …). They join the tree under the column, or under the column the page's own menu places them in, and are
  walked in turn. A group is never a leaf, and never "blank" while it has sub-columns;
- as a **document**, when it shows neither items nor sub-columns nor a note but a dated title and a body (a 指南 column
  linking straight to the guide): the column then lists that one document.

A column is walked once (by address); the tree grows at most MAX_DEPTH levels below the entry's columns and to
MAX_COLUMNS columns; columns on hosts outside the site's are recorded (status `external`), not fetched.
"""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from html import unescape

from gongkai.harvesters.adapters.base import Adapter, ColumnLink, ListItem, ListResult, Request
from gongkai.harvesters.adapters.dom import absolute, host_of, parse_html, same_page
from gongkai.harvesters.adapters.navigation import MIN_TREE, is_column_name, links
from gongkai.harvesters.errors import SiteChanged

HREF = re.compile(r"""<a\b[^>]*?\shref\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
ASSET = re.compile(r"\.(css|js|ico|png|jpe?g|gif|svg|pdf|docx?|xlsx?|wps|ofd|zip|rar)(\?|$)", re.IGNORECASE)
SCRIPT = re.compile(r"<script\b.*?</script\s*>", re.IGNORECASE | re.DOTALL)
PAGE_PARAM = re.compile(r"(?<=[?&])(page|pageno|pagenum|pageindex|curpage|cur_page|currentpage|startrecord|endrecord|"
                        r"perpage|pagesize)=\d*&?", re.IGNORECASE)
MAX_DEPTH = 4
MAX_COLUMNS = 1500


def entry_columns(adapter: Adapter, url: str, text: str, support: dict[str, str] | None = None) -> list[ColumnLink] | None:
    """The page's columns when it is a disclosure platform's page (its tree carries MIN_TREE statutory names), else
    None (a portal page: the crawl looks for the platform from it, and the re-parse passes it by)."""
    try:
        found = adapter.columns(url, text, support or {})
    except SiteChanged:
        return None
    return found if sum(1 for c in found if is_column_name(c.name)) >= MIN_TREE else None


@dataclass
class ColumnPage:
    result: ListResult
    columns: list[ColumnLink]   # sub-columns the page added to the tree
    is_document: bool = False


class Tree:
    def __init__(self, adapter: Adapter, hosts: Collection[str]) -> None:
        self.adapter = adapter
        self.hosts = {h.lower() for h in hosts}
        self.columns: list[ColumnLink] = []
        self.paths: dict[str, ColumnLink] = {}
        self.urls: dict[str, str] = {}   # a column's address → its path
        self.seen: set[str] = set()      # every link address on the entry pages (their chrome included)
        self.found_on: dict[str, str] = {}  # a column's path → the page that showed it
        self.entries: set[str] = set()      # the entry pages' addresses
        self.pages: set[str] = set()        # every column's and entry page's address, index files read as folders
        self.linked: set[str] = set()       # the entry pages' links and the columns, as `_page_free` reads them
        self._hrefs: dict[str, str] = {}    # a root-relative or absolute href → its `_page_free` address (chrome repeats)

    def external(self, col: ColumnLink) -> bool:
        return bool(col.url) and host_of(col.url) not in self.hosts

    def add_entry(self, url: str, text: str, support: dict[str, str] | None = None) -> list[ColumnLink]:
        """The entry page's columns (SiteChanged when it has none); the columns new to the tree are returned."""
        found = entry_columns(self.adapter, url, text, support)
        if found is None:
            raise SiteChanged(f"{url}: no disclosure column tree with at least {MIN_TREE} statutory column names; "
                              "is this the disclosure entry page? (`gongkai inspect` shows what is read from it)")
        self.seen |= {link.url for link in links(url, parse_html(text)) if link.url}
        self.seen.add(url)
        self.linked |= {_page_free(u) for u in self.seen}
        self.entries.add(url)
        self.pages.add(same_page(url))
        return [c for c in (self._add(c.path, c.name, c.url, url) for c in found if c.url != url) if c is not None]

    def _add(self, path: str, name: str, url: str | None, page: str) -> ColumnLink | None:
        if path in self.paths or (url and same_page(url) in self.pages) or len(self.columns) >= MAX_COLUMNS:
            return None
        parent = path.rsplit("/", 1)[0] if "/" in path else None
        if parent and parent not in self.paths:  # a label the page groups columns under: a container column
            self._add(parent, parent.rsplit("/", 1)[-1], None, page)
        col = ColumnLink(path=path, name=name, url=url, depth=path.count("/"))
        self.columns.append(col)
        self.paths[path] = col
        self.found_on[path] = page
        if url:
            self.urls[url] = path
            self.pages.add(same_page(url))
            self.linked.add(_page_free(url))
        return col

    def ensure(self, path: str, url: str) -> ColumnLink:
        """The column a fetch-log row names (one an earlier run found and this one no longer does)."""
        return self.paths.get(path) or self._add(path, path.rsplit("/", 1)[-1], None if url in self.urls else url, url) \
            or self.paths[path]

    def column_page(self, col: ColumnLink, url: str, text: str, request: Request | None = None) -> ColumnPage:
        """A column's own page read as its first list page, for its sub-columns and as a document (see above)."""
        result = self.adapter.list_page(url, text, request)
        if text.lstrip()[:1] in ("{", "["):
            return ColumnPage(result, [])
        added: list[ColumnLink] = []
        if col.depth < MAX_DEPTH and self._may_show_columns(url, text, result):
            added = self._attach(col, url, self.adapter.subcolumns(url, text, frozenset(self.seen)))
        if result.items or added or result.note or result.more:
            return ColumnPage(result, added)
        doc = self.adapter.document(url, text)
        dated = doc.published_date is not None and doc.sources.get("published_date") != "meta_tag"
        if doc.title and dated and len(doc.body_text) >= 20:
            result.items = [ListItem(url=url, title=doc.title, date=doc.published_date)]
            return ColumnPage(result, [], is_document=True)
        return ColumnPage(result, [])

    def _may_show_columns(self, url: str, text: str, result: ListResult) -> bool:
        """Whether the page links anywhere the entry pages, the tree, its own list items and pager do not: only then
        can it show sub-columns (most column pages are plain lists, and this raw scan is far cheaper than reading
        their menus)."""
        here = {_page_free(u) for u in (*(i.url for i in result.items), *(r.url for r in result.more), url)}
        for href in dict.fromkeys(HREF.findall(SCRIPT.sub("", text))):
            if href.startswith(("javascript", "mailto:", "#")) or ASSET.search(href):
                continue
            target = self._hrefs.get(href)
            if target is None:
                target = _page_free(absolute(url, unescape(href)))
                if href.startswith(("/", "http")) and not href.startswith("//"):
                    self._hrefs[href] = target
            if target not in self.linked and target not in here:
                return True
        return False

    def _attach(self, col: ColumnLink, page_url: str, found: list[ColumnLink]) -> list[ColumnLink]:
        """Place the page's columns in the tree: under the deepest column the page's own arrangement puts them in
        that the tree already knows (by address), else under `col`."""
        on_page = {c.path: c for c in found}
        lineage = {same_page(u) for u in [col.url, page_url, *(self.paths[p].url for p in self._ancestors(col.path)
                                                                   if p in self.paths)] if u}
        named = {p.rsplit("/", 1)[-1]: p for p in [*self._ancestors(col.path), col.path]}  # this column and its parents
        added: list[ColumnLink] = []
        for c in found:
            if not c.url or same_page(c.url) in self.pages or same_page(c.url) in lineage:
                continue
            base, rest = col.path, c.path
            parts = c.path.split("/")
            for cut in range(len(parts) - 1, 0, -1):  # the deepest on-page ancestor the tree knows
                above = on_page.get("/".join(parts[:cut]))
                known = self.urls.get(above.url) if above is not None and above.url else None
                if known is None and parts[cut - 1] in named:  # a heading naming this column or one of its parents
                    known = named[parts[cut - 1]]
                if known is not None:
                    base, rest = known, "/".join(parts[cut:])
                    break
            new = self._add(f"{base}/{rest}", c.name, c.url, page_url)
            if new is not None:
                added.append(new)
        return added

    @staticmethod
    def _ancestors(path: str) -> list[str]:
        parts = path.split("/")
        return ["/".join(parts[:i]) for i in range(1, len(parts))]


def _page_free(url: str) -> str:
    """The URL without its page parameters (cur_page=1 …) and index file: a pager's link is the list itself."""
    return same_page(PAGE_PARAM.sub("", url).rstrip("?&") if "?" in url else url)
