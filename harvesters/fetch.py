"""Polite HTTP for one site: a descriptive User-Agent, robots.txt (RFC 9309, via Protego), a per-host delay,
timeouts, size caps, retries with backoff, scope checks, and every response archived before anyone parses it."""
from __future__ import annotations

import hashlib
import ipaddress
import random
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlencode, urljoin, urlsplit

import requests
import urllib3
from protego import Protego

from harvesters.archive import WarcArchive
from harvesters.errors import Blocked, HarvestError, OutOfScope, RobotsDisallowed
from schemas.registry import Site

DEFAULT_CONTACT = "https://github.com/gongkai-open-data/gongkai"
MAX_BYTES = 20 * 1024 * 1024
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


@dataclass
class Fetched:
    """One archived exchange, as the fetch log records it."""

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

    @property
    def ok(self) -> bool:
        return self.error is None and 200 <= self.status < 300

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


class PoliteClient:
    """Fetches within one site's scope and politeness settings, archiving every response to `archive`."""

    def __init__(self, site: Site, archive: WarcArchive, contact: str = DEFAULT_CONTACT) -> None:
        self.site = site
        self.archive = archive
        self.pol = site.politeness
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": user_agent(contact), "Accept-Language": "zh-CN,zh;q=0.9"})
        self._robots: dict[str, Protego | None] = {}
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()
        self.log: list[Fetched] = []  # exchanges not yet taken by the caller (see SiteHarvest._log_new)
        self.robots_unreachable: str | None = None

    # ── scope and robots ────────────────────────────────────────────────────────────────────────────────
    def check_scope(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise OutOfScope(f"{url}: scheme {parts.scheme!r} is not fetched (only http and https)")
        if parts.netloc not in self.site.allowed_hosts:
            raise OutOfScope(f"{url}: host {parts.netloc!r} is not in allowed_hosts of {self.site.site_id} "
                             f"({', '.join(self.site.allowed_hosts)}); add it to the registry if it belongs to the site")
        if not self.site.allow_private_addresses:
            for info in socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP):
                addr = ipaddress.ip_address(info[4][0])
                if addr.is_private or addr.is_loopback or addr.is_link_local:
                    raise OutOfScope(f"{url}: resolves to private address {addr}; refused unless the registry "
                                     "sets allow_private_addresses")

    def robots(self, url: str) -> Protego | None:
        """The host's robots rules; None means 'everything allowed' (RFC 9309: 4xx → allow)."""
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key not in self._robots:
            got = self._exchange("GET", key + "/robots.txt", None)
            if got.error or got.status >= 500:
                # RFC 9309 §2.3.1.4: unreachable → assume complete disallow for this run.
                self._robots[key] = Protego.parse("User-agent: *\nDisallow: /")
                self.robots_unreachable = f"robots.txt unreachable ({got.error or f'HTTP {got.status}'})"
            elif got.status >= 400:
                self._robots[key] = None
            else:
                self._robots[key] = Protego.parse(got.body.decode("utf-8", "replace"))
        return self._robots[key]

    def allowed(self, url: str) -> bool:
        rules = self.robots(url)
        return rules is None or rules.can_fetch(url, self.session.headers["User-Agent"])

    # ── fetching ────────────────────────────────────────────────────────────────────────────────────────
    def _wait_turn(self, netloc: str) -> None:
        rules = self._robots.get(f"http://{netloc}") or self._robots.get(f"https://{netloc}")
        delay = max(self.pol.delay_seconds, (rules.crawl_delay("*") or 0) if rules else 0)
        with self._lock:
            now = time.monotonic()
            wait = self._last.get(netloc, 0) + delay - now
            self._last[netloc] = now + max(wait, 0)
        if wait > 0:
            time.sleep(wait)

    def _exchange(self, method: str, url: str, data: dict | None) -> Fetched:
        """One request (with retries), archived; never raises for HTTP or network failures."""
        netloc = urlsplit(url).netloc
        body = urlencode(data) if data else None
        attempt = 0
        while True:
            self._wait_turn(netloc)
            started, at = time.monotonic(), datetime.now(UTC)
            try:
                resp = self.session.request(method, url, data=body, allow_redirects=False, stream=True,
                                            timeout=(min(10.0, self.pol.timeout_seconds), self.pol.timeout_seconds),
                                            headers={"Content-Type": "application/x-www-form-urlencoded"} if body else None)
                content = resp.raw.read(MAX_BYTES + 1, decode_content=True)
                if len(content) > MAX_BYTES:
                    raise HarvestError(f"{url}: response larger than {MAX_BYTES} bytes; skipped")
            except (requests.RequestException, urllib3.exceptions.HTTPError, HarvestError, OSError) as exc:
                err = f"{type(exc).__name__}: {exc}"
                if attempt < self.pol.retries and not isinstance(exc, HarvestError):
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
            record = self.archive.write(method, url, dict(self.session.headers), body.encode() if body else None,
                                        resp.status_code, resp.reason or "", list(resp.headers.items()), content)
            got = Fetched(url, method, body, resp.status_code, resp.headers.get("Content-Type", ""), content, record,
                          at, int((time.monotonic() - started) * 1000), headers=list(resp.headers.items()))
            self.log.append(got)
            return got

    def fetch(self, url: str, method: str = "GET", data: dict | None = None) -> Fetched:
        """Fetch a URL of this site, following redirects within scope; robots and scope are checked first."""
        for _ in range(MAX_REDIRECTS + 1):
            self.check_scope(url)
            if not self.allowed(url):
                why = self.robots_unreachable
                raise RobotsDisallowed(f"{url}: " + (f"{why}; RFC 9309 treats the whole site as disallowed for this run"
                                                    if why else "disallowed by robots.txt for our User-Agent"))
            got = self._exchange(method, url, data)
            if got.record_id and looks_blocked(got.status, got.body):
                raise Blocked(f"{url}: HTTP {got.status} anti-bot challenge page; the site is blocking this crawler "
                              "(try later, from another network, or ask the site operator)")
            if got.status in (301, 302, 303, 307, 308) and got.record_id:
                location = next((v for k, v in got.headers if k.lower() == "location"), None)
                if location:
                    url, method = urljoin(url, location), ("GET" if got.status == 303 else method)
                    continue
            return got
        raise HarvestError(f"{url}: more than {MAX_REDIRECTS} redirects; a redirect loop?")
