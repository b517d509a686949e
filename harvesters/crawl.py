"""Harvest one site: robots.txt → disclosure entry → column tree → paginated lists → documents → attachments.

Every response is archived (WARC) as it arrives; the fetch log says what each response was (its kind and column).
Parsing the archive into documents is a separate step (`harvesters.parse`).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

from harvesters.adapters import adapter_for
from harvesters.adapters.base import Request, soup_of
from harvesters.archive import WarcArchive
from harvesters.encoding import decode_html
from harvesters.errors import Blocked, CircuitOpen, EmptyHarvest, HarvestError, RobotsDisallowed
from harvesters.fetch import DEFAULT_CONTACT, Fetched, PoliteClient
from schemas.registry import Site
from warehouse.lake import Lake

CIRCUIT_BREAKER = 8  # consecutive failed requests after which a site is left alone for this run


@dataclass
class HarvestReport:
    site_id: str
    run_id: str
    status: str = "ok"           # ok | partial | blocked | failed
    requests: int = 0
    bytes: int = 0
    errors: list[dict] = field(default_factory=list)
    message: str = ""
    counts: dict[str, int] = field(default_factory=dict)


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


class SiteHarvest:
    def __init__(self, site: Site, lake: Lake, run_id: str | None = None, contact: str = DEFAULT_CONTACT,
                 progress=None) -> None:
        self.site, self.lake = site, lake
        self.run_id = run_id or new_run_id()
        self.adapter = adapter_for(site.adapter)
        self.archive = WarcArchive(lake.warc_path(site.site_id, self.run_id))
        self.client = PoliteClient(site, self.archive, contact)
        self.rows: list[dict] = []
        self._consecutive_failures = 0
        self.report = HarvestReport(site.site_id, self.run_id)
        self.progress = progress or (lambda report: None)

    def _get(self, req: Request, kind: str, column_path: str | None = None) -> Fetched | None:
        try:
            got = self.client.fetch(req.url, req.method, req.form)
        except (Blocked, RobotsDisallowed) as exc:
            if kind == "entry" or isinstance(exc, Blocked):
                raise
            self._error(kind, req.url, str(exc))
            return None
        except HarvestError as exc:
            self._failed(kind, req.url, str(exc))
            return None
        finally:
            self._log_new(kind, column_path)
        if not got.ok:
            self._failed(kind, got.url, got.error or f"HTTP {got.status}")
            return None
        self._consecutive_failures = 0
        if self.report.requests % 25 == 0:
            self.progress(self.report)
        return got

    def _log_new(self, kind: str, column_path: str | None) -> None:
        """Move the client's new exchanges (robots.txt and redirect hops included) into the fetch log."""
        new, self.client.log[:] = list(self.client.log), []  # drained: bodies are not kept for the whole run
        for got in new:
            self._row(got, "robots" if got.url.endswith("/robots.txt") else kind, column_path)

    def _row(self, got: Fetched, kind: str, column_path: str | None) -> None:
        self.rows.append({
            "site_id": self.site.site_id, "run_id": self.run_id, "seq": len(self.rows), "url": got.url,
            "method": got.method, "post_data": got.post_data, "kind": kind, "column_path": column_path,
            "status": got.status, "content_type": got.content_type, "bytes": len(got.body),
            "sha256": got.sha256 if got.record_id else None, "warc_file": self.archive.path.name,
            "warc_record_id": got.record_id, "fetched_at": got.fetched_at, "elapsed_ms": got.elapsed_ms,
            "error": got.error,
        })
        self.report.requests += 1
        self.report.bytes += len(got.body)
        self.report.counts[kind] = self.report.counts.get(kind, 0) + 1

    def _failed(self, stage: str, url: str, message: str) -> None:
        self._error(stage, url, message)
        self._consecutive_failures += 1
        if self._consecutive_failures >= CIRCUIT_BREAKER:
            raise CircuitOpen(f"{url}: {self._consecutive_failures} consecutive requests failed (last: {message}); "
                              "stopped this site for the run, what was fetched is kept")

    def _error(self, stage: str, url: str, message: str) -> None:
        self.report.errors.append({"site_id": self.site.site_id, "run_id": self.run_id, "stage": stage, "url": url,
                                   "error": message, "at": datetime.now(UTC)})

    def run(self) -> HarvestReport:
        started = datetime.now(UTC)
        try:
            self._crawl()
        except HarvestError as exc:
            self.report.status = "blocked" if isinstance(exc, Blocked) else "failed"
            self.report.message = str(exc)
            self._error("site", self.site.entry_urls[0], str(exc))
        finally:
            self.archive.close()
            self._write(started)
        return self.report

    def _crawl(self) -> None:
        columns = []
        for entry in self.site.entry_urls:
            got = self._get(Request(entry), "entry")
            if got is None:
                continue
            text, _ = decode_html(got.body, got.content_type)
            columns += self.adapter.columns(got.url, soup_of(text))
        if not columns:
            raise EmptyHarvest(f"{self.site.entry_urls[0]}: no disclosure columns found; the site may be blocked or "
                               f"its layout may not be {self.adapter.name!r} (check with the registry's adapter)")
        doc_urls: dict[str, str] = {}
        for col in columns:
            if col.url:
                for item_url in self._walk_list(col.url, col.path):
                    doc_urls.setdefault(item_url, col.path)
        for url, column_path in doc_urls.items():
            got = self._get(Request(url), "document", column_path)
            if got is None:
                continue
            text, _ = decode_html(got.body, got.content_type)
            for att_url, _name in self.adapter.document(got.url, text).attachments:
                self._get(Request(att_url), "attachment", column_path)
        if self.report.errors:
            self.report.status = "partial"

    def _walk_list(self, first_url: str, column_path: str) -> list[str]:
        """Every item URL of a column, following its pager; stops on a page seen before (a pager loop)."""
        queue, seen_req, seen_hash, items = [Request(first_url)], set(), set(), []
        while queue:
            req = queue.pop(0)
            if req in seen_req:
                continue
            seen_req.add(req)
            got = self._get(req, "list", column_path)
            if got is None:
                continue
            digest = hashlib.sha256(got.body).hexdigest()
            if digest in seen_hash:
                self._error("list", req.url, "list page repeats an earlier page (pager loop); stopped paging")
                continue
            seen_hash.add(digest)
            text, _ = decode_html(got.body, got.content_type)
            result = self.adapter.list_page(got.url, text)
            items += [i.url for i in result.items]
            queue += [r for r in result.more if r not in seen_req]
        return items

    def _write(self, started: datetime) -> None:
        lake, sid, rid = self.lake, self.site.site_id, self.run_id
        lake.write_run_table(sid, rid, "fetch_log", self.rows)
        lake.write_run_table(sid, rid, "harvest_errors", self.report.errors)
        lake.write_run_table(sid, rid, "harvest_runs", [{
            "site_id": sid, "run_id": rid, "started_at": started, "finished_at": datetime.now(UTC),
            "requests": self.report.requests, "bytes": self.report.bytes, "errors": len(self.report.errors),
            "status": self.report.status, "message": self.report.message,
        }])


def harvest_site(site: Site, lake: Lake, contact: str = DEFAULT_CONTACT, progress=None) -> HarvestReport:
    return SiteHarvest(site, lake, contact=contact, progress=progress).run()
