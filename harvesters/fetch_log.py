"""A harvest's requests and its fetch log (采集日志): every exchange a row, journaled as it arrives.

`FetchLog` is the part of a site's harvest (harvesters.crawl.SiteHarvest) that makes its requests and keeps their
record: the run's request budget, the circuit breaker (CIRCUIT_BREAKER failed requests in a row stop the site), soft
errors (a login wall, captcha or "not found" page answered with 200: harvesters.soft_errors) marked on their rows, and
the errors of the run. A document page's row carries its content hash (DocFields.content_sha256), so the page is read
as it is logged and that reading handed to the crawl with the response (`_fetch`).
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from gongkai.harvesters.adapters.base import Adapter, DocFields, Request
from gongkai.harvesters.encoding import decode_html
from gongkai.harvesters.errors import Blocked, BudgetSpent, CircuitOpen, HarvestError, RobotsDisallowed
from gongkai.harvesters.fetch import Fetched, PoliteClient, header
from gongkai.harvesters.journal import Journal
from gongkai.harvesters.soft_errors import soft_error
from gongkai.harvesters.state import FULL
from gongkai.schemas.registry import Site

CIRCUIT_BREAKER = 8  # consecutive failed requests after which a site is left alone for this run


# Answers that say an attachment link is dead (the site's defect, reported by the audit as attachment_broken), or a
# script the entry page links is missing; they neither make a run partial nor count towards the circuit breaker.
DEAD_LINK = frozenset({400, 401, 403, 404, 410})



@dataclass
class HarvestReport:
    site_id: str
    run_id: str
    mode: str = FULL
    resumed: bool = False
    adapter: str | None = None
    adapter_detected: bool = False
    status: str = "running"      # running, then ok | partial | blocked | failed
    requests: int = 0
    not_modified: int = 0
    bytes: int = 0
    docs: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("new", "changed", "unchanged", "withdrawn"), 0))
    errors: list[dict] = field(default_factory=list)
    message: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)
    duration_s: float = 0.0


class FetchLog:
    """Requests and their fetch-log rows for one site's harvest. A mixin of SiteHarvest, whose __init__ sets the state
    below; the run's report (HarvestReport) counts what the rows say."""

    site: Site
    run_id: str
    adapter: Adapter | None
    client: PoliteClient
    journal: Journal
    rows: list[dict]
    report: HarvestReport
    progress: Callable[[HarvestReport], None]
    _lock: threading.Lock
    _consecutive_failures: int
    _stop: HarvestError | None
    _soft_docs: int
    _soft_streak: int
    _first_soft: str

    def _get(self, req: Request, kind: str, column_path: str | None = None) -> Fetched | None:
        """The response to `req` when it is a good one (None after a failure, which is logged and counted)."""
        return self._fetch(req, kind, column_path)[0]

    def _fetch(self, req: Request, kind: str, column_path: str | None = None) -> tuple[Fetched | None, DocFields | None]:
        """(the response, as `_get`; the document read from it when it was logged now as a document page, else None:
        a replayed answer of a killed run is not logged again)."""
        if self._stop is not None:
            return None, None
        if self.report.requests >= self.site.harvest.max_requests:
            with self._lock:
                self._stop = self._stop or BudgetSpent(
                    f"{req.url}: this run made {self.report.requests} requests, its budget (harvest.max_requests); "
                    "stopped, what was fetched is kept (raise the budget in the registry if the site is this large)")
            return None, None
        cap = self.site.harvest.max_attachment_bytes if kind == "attachment" else None
        try:
            got = self.client.fetch(req.url, req.method, req.form, max_bytes=cap)
        except (Blocked, RobotsDisallowed) as exc:
            if kind == "entry" or isinstance(exc, Blocked):
                self._stop = self._stop or exc  # other workers of this site stop too
                raise
            self._error(kind, req.url, str(exc))
            return None, None
        except HarvestError as exc:
            self._failed(kind, req.url, str(exc))
            return None, None
        finally:
            logged = self._log_new(kind, column_path)
        if not got.ok:
            if kind in ("attachment", "support") and got.status in DEAD_LINK:  # the site's broken link, not a harvest
                return None, None      # failure: fetch_log keeps it; the audit reports dead attachments
            self._failed(kind, got.url, got.error or f"HTTP {got.status}")
            return None, None
        with self._lock:
            self._consecutive_failures = 0
            tick = self.report.requests % 25 == 0
        if tick:
            self.progress(self.report)
        return got, next((doc for exchange, doc in logged if exchange is got), None)

    def _log_new(self, kind: str, column_path: str | None) -> list[tuple[Fetched, DocFields | None]]:
        """Move this thread's new exchanges (robots.txt and redirect hops included) into the log and journal; each with
        the document read from it (see `_row`)."""
        new, self.client.log[:] = list(self.client.log), []  # drained: bodies are not kept for the whole run
        return [(got, self._row(got, "robots" if got.url.endswith("/robots.txt") else kind, column_path)) for got in new]

    def _row(self, got: Fetched, kind: str, column_path: str | None) -> DocFields | None:
        """Log one exchange. A document page is read here, once, for its row's content hash: the document is returned
        for the crawl to use (None for every other row)."""
        archived = got.record_id is not None
        row = {
            "site_id": self.site.site_id, "run_id": self.run_id, "url": got.url,
            "method": got.method, "post_data": got.post_data, "kind": kind, "column_path": column_path,
            "status": got.status, "content_type": got.content_type, "bytes": len(got.body) if archived else 0,
            "sha256": got.sha256 if archived else None, "warc_file": got.warc_file, "warc_record_id": got.record_id,
            "warc_offset": got.warc_offset, "warc_end": got.warc_end, "body_warc": got.body_warc,
            "body_offset": got.body_offset, "etag": header(got.headers, "etag"),
            "last_modified": header(got.headers, "last-modified"), "fetched_at": got.fetched_at,
            "elapsed_ms": got.elapsed_ms, "error": got.error,
        }
        doc = None
        if kind == "document" and archived and got.ok:  # read once here; the crawl's _document reuses it
            doc = self.adapter.document(got.url, decode_html(got.body, got.content_type)[0])
            row["content_sha256"] = doc.content_sha256
        if got.not_modified:  # keep the validators of the body it confirmed when the 304 omits them
            prev = self.client.known.get(got.key, {})
            row["etag"], row["last_modified"] = row["etag"] or prev.get("etag"), row["last_modified"] or prev.get("last_modified")
        with self._lock:
            row["seq"] = len(self.rows)
            self.rows.append(row)
            self.journal.append(row)
            self._count(row)
        return doc

    def _count(self, row: dict) -> None:
        self.report.requests += 1
        self.report.not_modified += row["status"] == 304
        self.report.bytes += row["bytes"] if row["status"] != 304 else 0
        self.report.counts[row["kind"]] = self.report.counts.get(row["kind"], 0) + 1

    def _failed(self, stage: str, url: str, message: str) -> None:
        self._error(stage, url, message)
        with self._lock:
            self._consecutive_failures += 1
            if self._consecutive_failures >= CIRCUIT_BREAKER and self._stop is None:
                self._stop = CircuitOpen(f"{url}: {self._consecutive_failures} consecutive requests failed (last: "
                                         f"{message}); stopped this site for the run, what was fetched is kept")
        if self._stop is not None:
            raise self._stop

    def _soft_page(self, got: Fetched, kind: str, has_content: bool, text: str) -> bool:
        """Whether the page is a soft error (a login wall, captcha or "not found" answered with 200): then its fetch-log
        row carries the error (parse does not read it; its earlier copy stands), and it counts as a failed request;
        CIRCUIT_BREAKER of them in a row stop the site as `blocked`."""
        why = soft_error(text, has_content)
        if why is None:
            self._soft_streak = 0
            return False
        self._mark(got.url, kind, why)
        self._error(kind, got.url, why)
        with self._lock:
            self._soft_docs += kind == "document"
            self._first_soft = self._first_soft or why
            self._soft_streak += 1
            if self._soft_streak >= CIRCUIT_BREAKER and self._stop is None:
                self._stop = Blocked(f"{got.url}: {self._soft_streak} pages in a row were not the pages asked for "
                                     f"(last: {why}); the site serves this crawler a login wall or error pages. "
                                     "Stopped for this run; what earlier runs archived is kept")
        if self._stop is not None:
            raise self._stop
        return True

    def _mark(self, url: str, kind: str, why: str) -> None:
        """Give the newest fetch-log row of `url` (as `kind`) the error `why`: the page is not content."""
        with self._lock:
            row = next((r for r in reversed(self.rows) if r["url"] == url and r["kind"] == kind), None)
            if row is not None:
                row["error"], row["content_sha256"] = why, None

    def _relabel(self, url: str, kind: str) -> None:
        """Make the newest entry or portal row of `url` one of `kind` (which page was the disclosure platform)."""
        with self._lock:
            row = next((r for r in reversed(self.rows) if r["url"] == url and r["kind"] in ("entry", "portal")), None)
            if row is not None:
                row["kind"] = kind

    def _error(self, stage: str, url: str, message: str) -> None:
        with self._lock:
            self.report.errors.append({"site_id": self.site.site_id, "run_id": self.run_id, "stage": stage, "url": url,
                                       "error": message, "at": datetime.now(UTC)})
