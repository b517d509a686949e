"""Harvest one site: robots.txt → disclosure entry → column tree → paginated lists → documents → attachments.

Every response is archived (WARC) as it arrives and journaled; the fetch log says what each response was (its kind and
column). A run is a *full sweep* (every list page walked, every document revalidated with a conditional GET) or
*incremental* (each column's list walked only until `stop_after_known` consecutive items are ones we hold unchanged;
only new or relisted documents fetched); `harvesters.state.choose_mode` decides which. A run killed mid-way is picked
up again by the next harvest of the site. Parsing the archive into documents is a separate step (`harvesters.parse`).

This module holds the run and its frontier: which columns (栏目) and list pages (分页) are walked, which documents
fetched, by how many workers, and the run's record. Its requests and fetch log are in harvesters.fetch_log, the
platform and document pages it reads in harvesters.crawl_pages.
"""
from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from gongkai.harvesters.adapters import adapter_for
from gongkai.harvesters.adapters.base import ColumnLink, Request
from gongkai.harvesters.adapters.dom import host_of
from gongkai.harvesters.archive import ArchiveReader, WarcArchive
from gongkai.harvesters.crawl_pages import CrawlPages
from gongkai.harvesters.encoding import decode_html
from gongkai.harvesters.errors import Blocked, BudgetSpent, EmptyHarvest, HarvestError
from gongkai.harvesters.fetch import DEFAULT_CONTACT, PoliteClient
from gongkai.harvesters.fetch_log import HarvestReport
from gongkai.harvesters.hosts import HostGate, SharedHostGate, open_gate
from gongkai.harvesters.journal import NAME as JOURNAL
from gongkai.harvesters.journal import Journal
from gongkai.harvesters.sitelock import SiteBusy, SiteLock
from gongkai.harvesters.soft_errors import REPEATED, Shown
from gongkai.harvesters.state import FULL, INCREMENTAL, PriorState, choose_mode
from gongkai.harvesters.traps import ListWalk, calendar_trap
from gongkai.harvesters.tree import Tree
from gongkai.schemas.datafolder import DataFolder
from gongkai.schemas.registry import Site

log = logging.getLogger(__name__)


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


class SiteHarvest(CrawlPages):
    """One run of one site's harvest (`run`): its state, set up here (a new run, or the killed run it resumes), and
    its crawl. Requests and fetch log: FetchLog (harvesters.fetch_log); platform and documents: CrawlPages."""

    def __init__(self, site: Site, lake: DataFolder, contact: str = DEFAULT_CONTACT, progress=None,
                 gate: HostGate | SharedHostGate | None = None, full: bool = False) -> None:
        self.site, self.lake = site, lake
        self.hosts = {h.lower() for h in site.allowed_hosts}
        sid = site.site_id
        # None until the entry page is read when the registry names no adapter (see _choose_adapter)
        self.adapter = adapter_for(site.adapter) if site.adapter else None
        resumed = lake.unfinished_run(sid)
        self.prior = PriorState.load(lake, sid, skip=resumed)
        self.rows: list[dict] = []
        if resumed:
            self.run_id = resumed
            head, self.rows = Journal.load(lake.run_dir(sid, resumed) / JOURNAL)
            self.mode = head.get("mode", FULL)
            self.started = datetime.fromisoformat(head["started_at"]) if "started_at" in head else datetime.now(UTC)
        else:
            self.run_id, self.mode = new_run_id(), choose_mode(site, self.prior, force_full=full)
            self.started = datetime.now(UTC)
        ends = [r["warc_end"] for r in self.rows if r.get("warc_end")]
        warc = lake.warc_path(sid, self.run_id)
        self.archive = WarcArchive(warc, keep_bytes=max(ends) if ends else (0 if resumed else None))
        self.reader = ArchiveReader(warc.parent)
        # A killed run's definite answers (not network failures or 5xx) are taken from its archive, not refetched.
        replay = {(r["method"], r["url"], r["post_data"]): r for r in self.rows
                  if r.get("warc_record_id") and r["status"] < 500}
        self.client = PoliteClient(site, self.archive, gate or open_gate(lake.hosts_dir), contact, reader=self.reader,
                                   known=self.prior.known, replay=replay)
        self.journal = Journal(lake.run_dir(sid, self.run_id) / JOURNAL, header={"mode": self.mode, "started_at": self.started})
        self.report = HarvestReport(sid, self.run_id, mode=self.mode, resumed=bool(resumed), adapter=site.adapter)
        for row in self.rows:
            self._count(row)
        self._lock = threading.Lock()
        self._consecutive_failures = 0
        self._stop: HarvestError | None = None
        # soft errors (harvesters.soft_errors): the list titles each document was listed under, what each fetched
        # document showed, whether it counted as new or changed, and how many documents were not the page asked for
        self._listed_as: dict[str, set[str]] = {}
        self._shown: dict[str, Shown] = {}
        self._doc_change: dict[str, str] = {}
        self._soft_docs = 0
        self._soft_streak = 0      # soft errors in a row (the request itself succeeded, so _fetch reset the breaker)
        self._first_soft = ""
        self.progress = progress or (lambda report: None)

    # ── the crawl ───────────────────────────────────────────────────────────────────────────────────────
    def run(self) -> HarvestReport:
        crashed = False
        try:
            self._crawl()
        except HarvestError as exc:
            self.report.status = ("blocked" if isinstance(exc, Blocked) else "partial" if isinstance(exc, BudgetSpent)
                                  else "failed")
            self.report.message = str(exc)
            self._error("site", self.site.entry_urls[0], str(exc))
        except Exception as exc:  # noqa: BLE001  a bug or a page nobody foresaw fails this site, never the others
            # recorded failed, its journal kept: the next harvest resumes it (once; a resumed run that stops on an
            # error again is closed, so the one after starts afresh)
            crashed = not self.report.resumed
            self.report.status = "failed"
            self.report.message = crash_message(self.site, exc, resumable=crashed)
            self._error("site", self.site.entry_urls[0], self.report.message)
        finally:
            self.archive.close()
            self.reader.close()
            self._write(keep_journal=crashed)
        self.progress(self.report)
        return self.report

    def _crawl(self) -> None:
        tree = Tree(self.adapter, self.site.allowed_hosts) if self.adapter else None
        for entry in self.site.entry_urls:
            got = self._get(Request(entry), "entry")
            if got is None:
                continue
            text = decode_html(got.body, got.content_type)[0]
            url, text, support = self._platform(got.url, text)
            if tree is None:
                tree = Tree(self.adapter, self.site.allowed_hosts)
            tree.add_entry(url, text, support)
        if tree is None:  # no entry page could be fetched: say why, not "no columns found"
            why = "; ".join(e["error"] for e in self.report.errors if e["stage"] == "entry")
            raise HarvestError(why or f"{self.site.entry_urls[0]}: the entry page could not be fetched")
        if not tree.columns:
            raise EmptyHarvest(f"{self.site.entry_urls[0]}: no disclosure columns found; the site may be blocked or "
                               f"its layout may not be {self.adapter.name if self.adapter else self.site.adapter!r} "
                               "(check with `gongkai inspect <entry URL>`)")
        listed: dict[str, str] = {}   # every document URL the walked lists show → its column (the deepest listing it)
        wanted: dict[str, str] = {}   # those this run fetches
        queue = list(tree.columns)
        while queue:
            col = queue.pop(0)
            if not col.url or tree.external(col):
                continue
            for url, fetch in self._walk_list(tree, col, queue):
                if url not in listed or listed[url].count("/") < col.path.count("/"):
                    listed[url] = col.path
                    if fetch and host_of(url) in tree.hosts:
                        wanted[url] = col.path
        workers = max(1, self.site.politeness.max_concurrency)
        if workers == 1:
            for url, column_path in wanted.items():
                self._document(url, column_path)
        else:
            with ThreadPoolExecutor(workers, thread_name_prefix=f"harvest-{self.site.site_id}") as pool:
                for fut in [pool.submit(self._document, url, path) for url, path in wanted.items()]:
                    fut.result()
        if self._stop is not None:
            raise self._stop
        self._repeated_pages()
        fetched = self.report.counts.get("document", 0)
        if self._soft_docs >= REPEATED and 2 * self._soft_docs >= fetched:
            raise Blocked(f"{self.site.entry_urls[0]}: {self._soft_docs} of {fetched} document pages were not the pages "
                          f"asked for (first: {self._first_soft}; see harvest_errors); the site is blocking this "
                          "crawler or has changed. What earlier runs archived is kept")
        self.report.status = "partial" if self.report.errors else "ok"
        if self.mode == FULL and self.report.status == "ok":
            self.report.docs["withdrawn"] = len(set(self.prior.doc_hashes) - set(listed))
        d = self.report.docs
        d["unchanged"] = len(self.prior.doc_hashes) - d["changed"] - d["withdrawn"]

    # ── a column's list and its pages (分页) ────────────────────────────────────────────────────────────
    def _walk_list(self, tree: Tree, col: ColumnLink, queue: list[ColumnLink]) -> list[tuple[str, bool]]:
        """(item URL, whether to fetch it) for a column's list, following its pager; stops on a page seen before
        (a pager loop). The column's own page (kind `column`) is also read for sub-columns, which join `queue`, and
        as a document when it is one (harvesters.tree). An incremental run stops at an unchanged first page (its
        sub-columns still walked) or after `stop_after_known` consecutive items it holds unchanged."""
        incremental, stop_after = self.mode == INCREMENTAL, self.site.harvest.stop_after_known
        first = Request(col.url)
        pending, seen_req, seen_hash, items, streak = [first], set(), set(), [], 0
        walk = ListWalk(self.site.harvest.max_list_pages)
        while pending:
            req = pending.pop(0)
            if req in seen_req:
                continue
            trap = walk.stop(req.url, len(pending) + 1) or (None if req == first else calendar_trap(req.url))
            if trap:
                self._error("list", req.url, trap)
                break
            seen_req.add(req)
            got = self._get(req, "column" if req == first else "list", col.path)
            if got is None:
                continue
            digest = got.sha256
            text = decode_html(got.body, got.content_type)[0]
            if req == first:
                page = tree.column_page(col, got.url, text, req)
                result = page.result
                # its sub-columns alone do not make it content: a login wall's 注册 / 忘记密码 links read like a menu
                if self._soft_page(got, "column", bool(result.items or result.note or page.is_document), text):
                    return items
                queue += page.columns
                if incremental and self.prior.page_unchanged(got.key, digest, got.not_modified):
                    return items  # the newest page is as it was: nothing new in this column
            else:
                result = self.adapter.list_page(got.url, text, req)
                if self._soft_page(got, "list", bool(result.items or result.note), text):
                    continue
            if digest in seen_hash:
                self._error("list", req.url, "list page repeats an earlier page (pager loop); stopped paging")
                walk.page([])
                continue
            seen_hash.add(digest)
            held_before = len(self.prior.listed.get(col.path, {}))
            if req == first and not result.items and not result.note and held_before and not page.columns:
                self._error("list", req.url, f"SiteChanged: this column listed {held_before} items before and none now, "
                                             "with no 无此类信息 note; has its list layout changed? (earlier items are kept)")
            for item in result.items:
                self._listed_as.setdefault(item.url, set()).add(item.title)
                held = incremental and self.prior.known_unchanged(col.path, item.url, item.title, item.date)
                streak = streak + 1 if held else 0
                items.append((item.url, not held))
            walk.page([item.url for item in result.items])
            if incremental and streak >= stop_after:
                return items
            pending += [r for r in result.more if r not in seen_req]
        return items

    def _write(self, keep_journal: bool = False) -> None:
        self.report.duration_s = round(time.monotonic() - self.report.started, 3)
        write_run(self.lake, self.report, self.started, self.rows)
        if keep_journal:
            self.journal.close()
        else:
            self.journal.remove()


def write_run(lake: DataFolder, rep: HarvestReport, started: datetime, rows: list[dict]) -> None:
    """A run's tables: its fetch log, its errors, and last its harvest_runs row (which marks the run finished)."""
    sid, rid = rep.site_id, rep.run_id
    lake.write_run_table(sid, rid, "fetch_log", rows)
    lake.write_run_table(sid, rid, "harvest_errors", rep.errors)
    lake.write_run_table(sid, rid, "harvest_runs", [{
        "site_id": sid, "run_id": rid, "mode": rep.mode, "resumed": rep.resumed,
        "adapter": rep.adapter, "adapter_detected": rep.adapter_detected, "started_at": started,
        "finished_at": datetime.now(UTC), "duration_s": rep.duration_s, "requests": rep.requests,
        "not_modified": rep.not_modified, "bytes": rep.bytes, **{f"docs_{k}": v for k, v in rep.docs.items()},
        "errors": len(rep.errors), "blocked": rep.status == "blocked", "status": rep.status, "message": rep.message,
    }])


def crash_message(site: Site, exc: BaseException, resumable: bool = False) -> str:
    """What an unforeseen exception in a site's harvest tells the operator (the trace goes to the log)."""
    log.exception("%s: harvest stopped by an unexpected error", site.site_id)
    then = ("the next harvest resumes this run from its journal" if resumable else "the next run builds on it")
    return (f"{site.entry_urls[0]}: the harvest stopped on an unexpected {type(exc).__name__}: {exc}. What was "
            f"fetched is archived and {then}; if it happens again, report it with this site's "
            "fetch log (`gongkai sql \"SELECT * FROM harvest_errors WHERE site_id = '…'\"`)")


def harvest_site(site: Site, lake: DataFolder, contact: str = DEFAULT_CONTACT, progress=None, gate: HostGate | SharedHostGate | None = None,
                 full: bool = False) -> HarvestReport:
    """One run of one site, holding the site's harvest lock (one run per site at a time, across processes and machines
    that share the data folder). A site another run holds is reported `busy`, and nothing of it is touched; a site
    whose harvest cannot even start (a corrupt journal, an unreadable lake file) is recorded `failed`."""
    progress = progress or (lambda report: None)
    try:
        with SiteLock(lake.site_dir(site.site_id) / "harvest.lock"):
            try:
                harvest = SiteHarvest(site, lake, contact=contact, progress=progress, gate=gate, full=full)
            except Exception as exc:  # noqa: BLE001
                report = HarvestReport(site.site_id, new_run_id(), adapter=site.adapter, status="failed",
                                       message=crash_message(site, exc))
                report.errors.append({"site_id": site.site_id, "run_id": report.run_id, "stage": "site",
                                      "url": site.entry_urls[0], "error": report.message, "at": datetime.now(UTC)})
                write_run(lake, report, datetime.now(UTC), [])  # the failure on record, as any run's
                progress(report)
                return report
            return harvest.run()
    except SiteBusy as exc:
        report = HarvestReport(site.site_id, "", status="busy", message=str(exc))
        progress(report)
        return report
