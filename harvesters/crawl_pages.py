"""The pages a harvest reads besides its lists: the disclosure platform (政府信息公开平台) and the documents (正文).

`CrawlPages` is the part of a site's harvest (harvesters.crawl.SiteHarvest) that reads them:
- the **platform**: the entry page itself when its adapter finds a column tree there, else the page discovery reaches
  from it (a county's home page → its 政府信息公开 link; harvesters.discover); the adapter is chosen from it when the
  registry names none (harvesters.detect), and the files it needs first (support: scripts of a page built in the
  browser) are fetched;
- each **document** page: judged for content (a soft error is not a document), its content hash compared with the
  one earlier runs hold (new / changed), and its attachments (附件) on the site's hosts fetched;
- last, documents that all show one page although listed under different titles (harvesters.soft_errors).
"""
from __future__ import annotations

from gongkai.harvesters.adapters import adapter_for
from gongkai.harvesters.adapters.base import Request
from gongkai.harvesters.adapters.dom import host_of
from gongkai.harvesters.detect import detect
from gongkai.harvesters.discover import discover, judge
from gongkai.harvesters.encoding import decode_html
from gongkai.harvesters.errors import Blocked, EmptyHarvest
from gongkai.harvesters.fetch_log import FetchLog, HarvestReport
from gongkai.harvesters.soft_errors import Shown, document_has_content, repeated_pages, soft_error
from gongkai.harvesters.state import FULL, PriorState
from gongkai.harvesters.tree import entry_columns


class CrawlPages(FetchLog):
    """Reading the platform and the documents for one site's harvest; SiteHarvest's __init__ sets the state below."""

    hosts: set[str]
    mode: str
    prior: PriorState
    report: HarvestReport
    _listed_as: dict[str, set[str]]
    _shown: dict[str, Shown]
    _doc_change: dict[str, str]

    # ── the platform (政府信息公开平台) ─────────────────────────────────────────────────────────────────
    def _platform(self, url: str, text: str) -> tuple[str, str, dict[str, str]]:
        """The disclosure platform's page: the entry page itself when its adapter finds a column tree there, else the
        page discovery reaches from it (a county's home page → its 政府信息公开 link; harvesters.discover). The
        adapter is chosen from the platform's page when the registry names none."""
        if self.adapter is None:
            self._choose_adapter(url, text)
        support = self._support(url, text)
        if entry_columns(self.adapter, url, text, support) is not None and not judge(url, text)[1]:
            return url, text, support
        pages: dict[str, str] = {url: text}

        def fetch(u: str):
            got = self._get(Request(u), "portal")
            if got is None:
                return None
            pages[got.url] = decode_html(got.body, got.content_type)[0]
            return got.url, pages[got.url]
        found = discover(url, text, fetch, self.hosts)
        if found.entry is None:
            wall = soft_error(text, has_content=False)
            if wall:  # the entry page is a login wall or an error page: the site keeps us out, it is not empty
                self._mark(url, "entry", wall)
                raise Blocked(f"{url}: the entry page is {wall}; the site is not open to this crawler now (what "
                              "earlier runs archived is kept)")
            elsewhere = found.elsewhere[:3]
            hint = (f"; links that may lead to it are on other hosts: {', '.join(elsewhere)} (add the host to "
                    "allowed_hosts, or put the platform's URL in entry_urls)") if elsewhere else \
                "; put the platform's URL in entry_urls (`gongkai discover` finds it)"
            raise EmptyHarvest(f"{url}: no disclosure column tree here and none found from its links "
                               f"(read: {', '.join(u for u, _ in found.path)}){hint}")
        if found.entry != url:  # the fetch log says which page was the platform: the re-parse reads that one
            self._relabel(url, "portal")
            self._relabel(found.entry, "entry")
        if self.report.adapter_detected:
            self._choose_adapter(found.entry, pages[found.entry])
        return found.entry, pages[found.entry], self._support(found.entry, pages[found.entry])

    def _support(self, url: str, text: str) -> dict[str, str]:
        """The files the entry page needs read first (e.g. the scripts of a page built in the browser)."""
        support = {}
        for req in self.adapter.support(url, text):
            part = self._get(req, "support")
            if part is not None:
                support[part.url] = decode_html(part.body, part.content_type)[0]
        return support

    def _choose_adapter(self, url: str, text: str) -> None:
        """The registry names no adapter: the entry page's marks decide (harvesters.detect), else the generic one."""
        found = detect(text)
        self.adapter = adapter_for(found.adapter or "generic")
        self.report.adapter, self.report.adapter_detected = self.adapter.name, True
        self.progress(self.report)

    # ── documents (正文) and their attachments (附件) ───────────────────────────────────────────────────
    def _document(self, url: str, column_path: str) -> None:
        got, fields = self._fetch(Request(url), "document", column_path)
        if got is None:
            return
        fields = fields or self.adapter.document(got.url, decode_html(got.body, got.content_type)[0])
        if document_has_content(fields.body_text, fields.attachments):
            self._soft_streak = 0
        elif self._soft_page(got, "document", False, decode_html(got.body, got.content_type)[0]):
            return
        digest = fields.content_sha256
        before = self.prior.doc_hashes.get(url)
        with self._lock:
            self._shown[url] = Shown(url, frozenset(self._listed_as.get(url, ())), fields.title, digest,
                                     tuple(a.url for a in fields.attachments))
            change = "new" if before is None else "changed" if before != digest else None
            if change:
                self._doc_change[url] = change
                self.report.docs[change] += 1
        for att_url, *_ in fields.attachments:
            if host_of(att_url) not in self.hosts:
                continue  # on another host (the city's site): an external link, recorded by parse, not fetched
            if self.mode == FULL or ("GET", att_url, None) not in self.prior.known:
                self._get(Request(att_url), "attachment", column_path)

    def _repeated_pages(self) -> None:
        """Documents that all show one page although listed under different titles (harvesters.soft_errors) are
        errors of this run, not documents."""
        for url, why in repeated_pages(list(self._shown.values())).items():
            self._mark(url, "document", why)
            self._error("document", url, why)
            self._soft_docs += 1
            self._first_soft = self._first_soft or why
            if change := self._doc_change.pop(url, None):
                self.report.docs[change] -= 1
