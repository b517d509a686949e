"""Polite HTTP for one site: a descriptive User-Agent, robots.txt (RFC 9309, via Protego), a per-host delay,
timeouts, size caps, retries with backoff, scope checks, and every response archived before anyone parses it.

A host in the registry's `connect_to` is fetched from the address given there (plain http, with the original
`Host` header), like curl's --connect-to: `gongkai sample replay` serves a saved mirror of a real site that way.
Everything recorded (URLs, archive, redirects, robots, host limits) keeps the original host."""
from __future__ import annotations

import hashlib
import random
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

import requests
import urllib3
from gongkai.harvesters.archive import ArchiveDamaged, ArchiveReader, WarcArchive
from gongkai.harvesters.errors import Blocked, HarvestError, OutOfScope, RobotsDisallowed, SlowResponse, TooLarge
from gongkai.harvesters.guard import GuardedAdapter, refusal
from gongkai.harvesters.hosts import HostGate, SharedHostGate
from gongkai.schemas.registry import Site
from protego import Protego
from requests.adapters import HTTPAdapter

DEFAULT_CONTACT = "https://github.com/gongkai-open-data/gongkai"
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 §2.5: parse at least 500 KiB
MAX_REDIRECTS = 5
RETRY_STATUSES = {429, 500, 502, 503, 504}
# Marks of anti-bot gateways (WAF challenge pages) seen on government sites.
_CHALLENGE_TEXT = ("请开启JavaScript", "安全验证", "访问被拦截")
CHALLENGE_MARKS = (b"__jsl_clearance", b"waf_challenge",
                   *(t.encode(enc) for t in _CHALLENGE_TEXT for enc in ("utf-8", "gb18030")))


def looks_blocked(status: int, body: bytes) -> bool:
    """A JavaScript challenge (typically 412 or 202) or an HTTP 200 error page from an anti-bot gateway."""
    head = body[:4096]
    marked = any(m in head for m in CHALLENGE_MARKS)
    return marked and (status in (202, 403, 412, 521) or (status == 200 and len(body) < 4096))


def user_agent(contact: str = DEFAULT_CONTACT) -> str:
    return f"GongkaiBot/0.1 (+{contact}; open-data audit of government information disclosure)"


def header(headers: list[tuple[str, str]], name: str) -> str | None:
    name = name.lower()
    return next((v for k, v in headers if k.lower() == name), None)


@dataclass
class Fetched:
    """One exchange, as the fetch log records it. For a 304 the body is the earlier archived one it confirms."""

    url: str
    method: str
    post_data: str | None
    status: int
    content_type: str
    body: bytes
    record_id: str | None
    fetched_at: datetime
    elapsed_ms: int
    error: str | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    warc_file: str | None = None
    warc_offset: int | None = None
    warc_end: int | None = None
    body_warc: str | None = None      # where the body lives: this record, or for a 304 the one it revalidated
    body_offset: int | None = None
    replayed: bool = False            # taken from the journal of a killed run, not fetched again

    @property
    def ok(self) -> bool:
        return self.error is None and (200 <= self.status < 300 or self.status == 304)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def key(self) -> tuple[str, str, str | None]:
        return (self.method, self.url, self.post_data)


Key = tuple[str, str, "str | None"]


class PoliteClient:
    """Fetches within one site's scope and politeness settings, archiving every response to `archive`.

    `gate` holds every host to its delay and concurrency across sites, threads and processes; `known` gives the
    last good response to each request (its validators make GETs conditional); `replay` gives the exchanges a
    killed run already archived, which are answered from the archive instead of the network.
    """

    def __init__(self, site: Site, archive: WarcArchive, gate: HostGate | SharedHostGate, contact: str = DEFAULT_CONTACT,
                 reader: ArchiveReader | None = None, known: dict[Key, dict] | None = None,
                 replay: dict[Key, dict] | None = None) -> None:
        self.site = site
        self.archive = archive
        self.pol = site.politeness
        self.gate = gate
        self.reader = reader
        self.known = known or {}
        self.replay = replay or {}
        self.session = requests.Session()
        pool = HTTPAdapter if site.allow_private_addresses else GuardedAdapter
        adapter = pool(pool_connections=4, pool_maxsize=max(2, self.pol.max_concurrency))
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({"User-Agent": user_agent(contact), "Accept-Language": "zh-CN,zh;q=0.9"})
        self._robots: dict[str, Protego | None] = {}
        self._lock = threading.Lock()
        self._local = threading.local()
        self.robots_unreachable: str | None = None

    @property
    def log(self) -> list[Fetched]:
        """This thread's exchanges not yet taken by the caller (see SiteHarvest._log_new)."""
        if not hasattr(self._local, "log"):
            self._local.log = []
        return self._local.log

    # ── scope and robots ────────────────────────────────────────────────────────────────────────────────
    def check_scope(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise OutOfScope(f"{url}: scheme {parts.scheme!r} is not fetched (only http and https)")
        if parts.netloc not in self.site.allowed_hosts:
            raise OutOfScope(f"{url}: host {parts.netloc!r} is not in allowed_hosts of {self.site.site_id} "
                             f"({', '.join(self.site.allowed_hosts)}); add it to the registry if it belongs to the site")
        if not self.site.allow_private_addresses:  # an early, clear refusal; GuardedAdapter checks each connection
            mapped = self.site.connect_to.get(parts.netloc)  # then the address connected to is the one to judge
            target = urlsplit(f"//{mapped}") if mapped else parts
            via = f" (connect_to sends {parts.netloc} to {mapped})" if mapped else ""
            try:
                infos = socket.getaddrinfo(target.hostname, target.port or 80, proto=socket.IPPROTO_TCP)
            except (socket.gaierror, UnicodeError) as exc:
                raise HarvestError(f"{url}: the host name does not resolve ({exc}); check the URL in the registry, "
                                   "or the machine's DNS") from None
            for info in infos:
                why = refusal(info[4][0])
                if why:
                    raise OutOfScope(f"{url}: resolves to {why}{via}; refused unless the registry sets "
                                     "allow_private_addresses")

    def robots(self, url: str) -> Protego | None:
        """The host's robots rules; None means 'everything allowed' (RFC 9309: 4xx → allow)."""
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            if key in self._robots:
                return self._robots[key]
        got = self._exchange("GET", key + "/robots.txt", None, max_bytes=ROBOTS_MAX_BYTES)
        if got.error or 500 <= got.status < 600 or got.status == 0:
            # RFC 9309 §2.3.1.4: unreachable → assume complete disallow for this run.
            rules = Protego.parse("User-agent: *\nDisallow: /")
            self.robots_unreachable = f"robots.txt unreachable ({got.error or f'HTTP {got.status}'})"
        elif 400 <= got.status < 500:
            rules = None
        else:
            rules = Protego.parse(got.body.decode("utf-8", "replace"))
        with self._lock:
            self._robots[key] = rules
        crawl_delay = self._crawl_delay(rules)
        # the robots.txt request itself counts against the Crawl-delay (one over the cap is refused in `allowed`)
        if self.pol.delay_seconds < crawl_delay <= self.pol.max_crawl_delay_seconds:
            self.gate.push_back(self._gate_key(parts.netloc), crawl_delay)
        return rules

    @staticmethod
    def _crawl_delay(rules: Protego | None) -> float:
        try:
            value = float((rules.crawl_delay("*") or 0) if rules else 0)
        except (TypeError, ValueError, OverflowError):
            return 0.0
        return value if value == value and value >= 0 else 0.0  # NaN and negatives ask for nothing

    def allowed(self, url: str) -> bool:
        rules = self.robots(url)
        crawl_delay = self._crawl_delay(rules)
        if crawl_delay > self.pol.max_crawl_delay_seconds:
            parts = urlsplit(url)
            raise RobotsDisallowed(f"{parts.scheme}://{parts.netloc}/robots.txt asks for a Crawl-delay of "
                                   f"{crawl_delay:g} s, more than the {self.pol.max_crawl_delay_seconds:g} s this "
                                   "registry honours (politeness.max_crawl_delay_seconds); the site is not harvested "
                                   "this run")
        return rules is None or rules.can_fetch(url, self.session.headers["User-Agent"])

    # ── fetching ────────────────────────────────────────────────────────────────────────────────────────
    def _connect(self, url: str) -> tuple[str, dict[str, str]]:
        """Where a request for `url` goes: the URL itself, or for a host in connect_to the mapped address over plain
        http with the original Host header."""
        parts = urlsplit(url)
        mapped = self.site.connect_to.get(parts.netloc)
        if mapped is None:
            return url, {}
        return urlunsplit(("http", mapped, parts.path, parts.query, "")), {"Host": parts.netloc}

    def _gate_key(self, netloc: str) -> str:
        """Whose limits a request counts against: the site's politeness group when the registry names one (every
        host of a provincial platform together), else the host."""
        return f"group:{self.pol.group}" if self.pol.group else netloc

    def _delay(self, netloc: str) -> float:
        rules = self._robots.get(f"http://{netloc}") or self._robots.get(f"https://{netloc}")
        return max(self.pol.delay_seconds, min(self._crawl_delay(rules), self.pol.max_crawl_delay_seconds))

    def _replayed(self, row: dict) -> Fetched:
        status, headers, body = self.reader.read_at(row["warc_file"], row["warc_offset"], row["warc_record_id"])
        if row["body_warc"] and (row["body_warc"], row["body_offset"]) != (row["warc_file"], row["warc_offset"]):
            body = self.reader.read_at(row["body_warc"], row["body_offset"])[2]
        return Fetched(row["url"], row["method"], row["post_data"], row["status"], row["content_type"] or "", body,
                       row["warc_record_id"], row["fetched_at"], row["elapsed_ms"] or 0, None, headers,
                       row["warc_file"], row["warc_offset"], row["warc_end"], row["body_warc"], row["body_offset"],
                       replayed=True)

    def _validators(self, method: str, url: str) -> tuple[dict[str, str], dict | None]:
        """If-None-Match / If-Modified-Since from the last good response to this GET, when it had them."""
        prev = self.known.get((method, url, None)) if method == "GET" and self.reader else None
        if not prev or not prev.get("body_warc"):
            return {}, None
        headers = {}
        if prev.get("etag"):
            headers["If-None-Match"] = prev["etag"]
        if prev.get("last_modified"):
            headers["If-Modified-Since"] = prev["last_modified"]
        return headers, (prev if headers else None)

    def _exchange(self, method: str, url: str, data: dict | None, max_bytes: int | None = None) -> Fetched:
        """One request (with retries), archived; never raises for HTTP or network failures."""
        body = urlencode(data) if data else None
        done = self.replay.get((method, url, body))
        if done is not None and self.reader is not None:
            try:
                return self._replayed(done)
            except ArchiveDamaged:  # the killed run's record did not survive: ask the network again
                self.replay.pop((method, url, body), None)
        netloc = urlsplit(url).netloc
        cap = max_bytes or self.site.harvest.max_page_bytes
        conditional, prev = self._validators(method, url)
        extra = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
        target, host = self._connect(url)  # the archive records `url` (and its Host) whatever address answered
        attempt = 0
        while True:
            with self.gate.slot(self._gate_key(netloc), self._delay(netloc), self.pol.max_concurrency):
                started, at = time.monotonic(), datetime.now(UTC)
                try:
                    resp = self.session.request(method, target, data=body, allow_redirects=False, stream=True,
                                                timeout=(min(10.0, self.pol.timeout_seconds), self.pol.timeout_seconds),
                                                headers={**host, **extra, **conditional} or None)
                    content = self._read(resp, url, cap, started + self.pol.timeout_seconds)
                    failure = None
                except (requests.RequestException, urllib3.exceptions.HTTPError, HarvestError, OSError) as exc:
                    failure = exc
            if failure is not None:
                err = f"{type(failure).__name__}: {failure}"
                if attempt < self.pol.retries and not isinstance(failure, TooLarge):
                    attempt += 1
                    time.sleep(min(30.0, 0.5 * 2 ** attempt) * (0.5 + random.random()))
                    continue
                got = Fetched(url, method, body, 0, "", b"", None, at, int((time.monotonic() - started) * 1000), err)
                self.log.append(got)
                return got
            if resp.status_code in RETRY_STATUSES and attempt < self.pol.retries:
                attempt += 1
                retry_after = resp.headers.get("Retry-After", "")
                pause = float(retry_after) if retry_after.isdigit() else 0.5 * 2 ** attempt * (0.5 + random.random())
                time.sleep(min(pause, 60.0))
                continue
            sent = dict(self.session.headers) | extra | conditional
            not_modified = resp.status_code == 304 and prev is not None
            record, offset, end = self.archive.write(method, url, sent, body.encode() if body else None,
                                                     resp.status_code, resp.reason or "", list(resp.headers.items()),
                                                     content, refers_to=prev["warc_record_id"] if not_modified else None)
            got = Fetched(url, method, body, resp.status_code, resp.headers.get("Content-Type", ""), content, record,
                          at, int((time.monotonic() - started) * 1000), headers=list(resp.headers.items()),
                          warc_file=self.archive.path.name, warc_offset=offset, warc_end=end,
                          body_warc=self.archive.path.name, body_offset=offset)
            if not_modified:  # the body is the one archived earlier, which this answer confirms unchanged
                got.body_warc, got.body_offset = prev["body_warc"], prev["body_offset"]
                try:
                    got.body = self.reader.read_at(prev["body_warc"], prev["body_offset"])[2]
                except ArchiveDamaged:  # the body this 304 confirms is lost from the archive: fetch it whole
                    self.known.pop((method, url, None), None)
                    return self._exchange(method, url, data, max_bytes)
                got.content_type = prev["content_type"] or got.content_type
            self.log.append(got)
            return got

    @staticmethod
    def _read(resp, url: str, cap: int, deadline: float | None = None) -> bytes:
        """The body, at most `cap` bytes, all of it before `deadline` (time.monotonic): a server trickling a byte at a
        time never holds a page longer than the timeout, however short each read's wait."""
        declared = resp.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cap:
            resp.close()
            raise TooLarge(f"{url}: Content-Length {declared} is over the {cap}-byte cap for this kind of response; "
                           "skipped (raise max_page_bytes / max_attachment_bytes in the registry if it is needed)")
        chunks, size = [], 0
        while size <= cap:
            chunk = resp.raw.read1(min(64 * 1024, cap + 1 - size), decode_content=True)  # what has arrived
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if deadline is not None and time.monotonic() > deadline and size <= cap:
                resp.close()
                raise SlowResponse(f"{url}: the response took longer than timeout_seconds to arrive in full "
                                   f"({size} bytes so far); skipped (raise politeness.timeout_seconds if the site is "
                                   "just slow)")
        content = b"".join(chunks)
        if len(content) > cap:
            resp.close()
            raise TooLarge(f"{url}: response larger than the {cap}-byte cap; skipped (raise max_page_bytes / "
                           "max_attachment_bytes in the registry if it is needed)")
        return content

    def fetch(self, url: str, method: str = "GET", data: dict | None = None, max_bytes: int | None = None) -> Fetched:
        """Fetch a URL of this site, following redirects within scope; robots and scope are checked first."""
        for _ in range(MAX_REDIRECTS + 1):
            self.check_scope(url)
            if not self.allowed(url):
                why = self.robots_unreachable
                raise RobotsDisallowed(f"{url}: " + (f"{why}; RFC 9309 treats the whole site as disallowed for this run"
                                                    if why else "disallowed by robots.txt for our User-Agent"))
            got = self._exchange(method, url, data, max_bytes)
            if got.record_id and looks_blocked(got.status, got.body):
                raise Blocked(f"{url}: HTTP {got.status} anti-bot challenge page; the site is blocking this crawler "
                              "(try later, from another network, or ask the site operator)")
            if got.status in (301, 302, 303, 307, 308) and got.record_id:
                location = header(got.headers, "location")
                if location:
                    url, method = urljoin(url, location), ("GET" if got.status == 303 else method)
                    continue
            return got
        raise HarvestError(f"{url}: more than {MAX_REDIRECTS} redirects; a redirect loop?")
