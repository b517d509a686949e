"""A threaded loopback HTTP server for the sample county web: one port per county, so each is its own host."""
from __future__ import annotations

import hashlib
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from gongkai.sampleweb.county import build_county
from gongkai.sampleweb.families import RENDERERS
from gongkai.sampleweb.faults import SOFT_PAGES, WAF_PAGE, FaultPlan
from gongkai.sampleweb.model import County
from gongkai.schemas.clock import china_today

ROBOTS = "User-agent: *\nDisallow: /search/\nAllow: /\n"
# Which validators each family's server sends (static TRS pages behind nginx send both; JSP pages of Hanweb a
# Last-Modified; Ucap neither, so only content hashes tell a harvester that nothing changed).
VALIDATORS = {"trs": ("etag", "last_modified"), "trsapi": ("etag", "last_modified"), "hanweb": ("last_modified",),
              "epoint": ("last_modified",), "gkmlpt": ("etag",), "ucap": (), "vendor": (), "aspx": (),
              "trsprov": ("etag", "last_modified")}


def shortest_span(times: list[tuple[float, float]], window: int) -> float:
    """The shortest time in which `window` + 1 consecutive requests arrived (`times`: an access log's (arrived,
    answered) pairs). A request's arrival is stamped once a server thread has parsed it, so one stamp can lag by a
    few milliseconds under load; a rate checked over `window` requests is one that a single late stamp cannot fake."""
    starts = sorted(arrived for arrived, _ in times)
    return min((b - a for a, b in zip(starts, starts[window:], strict=False)), default=float("inf"))


@dataclass
class CountySite:
    county: County
    renderer: object
    routes: dict
    entry: str
    server: ThreadingHTTPServer | None = None
    hits: list[tuple[str, str]] = field(default_factory=list)  # (method, path) access log
    times: list[tuple[float, float]] = field(default_factory=list)  # (arrived, answered) per request, time.monotonic
    max_in_flight: int = 0
    in_flight: int = 0
    faults: FaultPlan = field(default_factory=FaultPlan)
    latency: float = 0.0
    robots: str = ROBOTS
    modified: dict = field(default_factory=dict)  # path → (etag, Last-Modified epoch seconds)

    def rebuild(self) -> None:
        """Re-render every page after the county model changed (see sampleweb.changes)."""
        self.routes = self.renderer.build(self.county)

    def route(self, path: str):
        """The page at a request path as sent (percent-encoded, or raw UTF-8 read as Latin-1 by http.server), matched
        against the route table's decoded paths: /uploadfile/2023/06/附件1：申报表.xls is one route however it is asked."""
        page = self.routes.get(path)
        if page is None:
            try:
                raw = path.encode("latin-1").decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                raw = path
            page = self.routes.get(unquote(raw)) if "%" in raw or raw != path else None
        return page

    def reset_log(self) -> None:
        self.hits.clear()
        self.times.clear()
        self.max_in_flight = 0

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"


def _handler(site: CountySite):
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "SampleCountyWeb/1.0"

        def setup(self):
            super().setup()
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no Nagle stall on small pages

        def log_message(self, *args):  # the access log is kept in site.hits, not printed
            pass

        def _validators(self, body: bytes) -> tuple[dict, bool]:
            """This family's validators for a page, and whether the request's conditions say 'not modified'."""
            kinds = VALIDATORS.get(site.county.family, ())
            if not kinds or self.command not in ("GET", "HEAD"):
                return {}, False
            etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
            with lock:
                old = site.modified.get(self.path)
                if old is None or old[0] != etag:  # Last-Modified moves (by at least a second) when the page does
                    site.modified[self.path] = old = (etag, max(int(time.time()), (old[1] + 1) if old else 0))
            headers, fresh = {}, False
            if "etag" in kinds:
                headers["ETag"] = etag
                fresh = etag in (self.headers.get("If-None-Match") or "")
            if "last_modified" in kinds:
                headers["Last-Modified"] = formatdate(old[1], usegmt=True)
                since = self.headers.get("If-Modified-Since")
                if since and not (fresh or self.headers.get("If-None-Match")):
                    try:
                        fresh = parsedate_to_datetime(since).timestamp() >= old[1]
                    except (TypeError, ValueError):
                        fresh = False
            return headers, fresh

        def _send(self, status: int, ctype: str, body: str | bytes, headers: dict | None = None) -> None:
            fault = self._fault
            if isinstance(body, str):
                enc = site.county.encoding
                body = body.encode(enc, errors="xmlcharrefreplace")  # &#160; where GBK has no character, as CMSes write it
                declared = fault[1].get("declared", "UTF-8") if fault and fault[0] == "wrong_charset" else None
                ctype = f"{ctype}; charset={declared or ('GBK' if enc == 'gbk' else 'UTF-8')}"
            if status == 200:
                validators, fresh = self._validators(body)
                headers = {**(headers or {}), **validators}
                if fresh:
                    status, body = 304, b""
            self._end()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            promised = len(body) * 2 + 100 if fault and fault[0] == "truncate" and body else len(body)
            if status != 304:
                self.send_header("Content-Length", str(promised))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            if promised != len(body):
                self.close_connection = True

        def _inject(self) -> bool:
            """Apply the site's next fault, if any; True when the fault answered (or dropped) the request."""
            self._fault = site.faults.take(urlsplit(self.path).path)
            if self._fault is None:
                return False
            name, opts = self._fault
            if name == "slow":
                time.sleep(opts.get("seconds", 0.2))
                return False
            if name == "timeout":
                time.sleep(opts.get("seconds", 5))
                self.close_connection = True
                return True
            if name == "reset":
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                return True
            if name in ("error_burst", "robots_error"):
                self._send(opts.get("status", 503), "text/html", "<html><body>503 Service Unavailable</body></html>")
                return True
            if name == "retry_after":
                self._send(429, "text/html", "<html><body>Too Many Requests</body></html>",
                           {"Retry-After": str(opts.get("seconds", 1))})
                return True
            if name == "redirect_loop":
                self._send(302, "text/html", "", {"Location": self.path})
                return True
            if name == "waf":
                self._send(opts.get("status", 412), "text/html", WAF_PAGE)
                return True
            if name == "soft_page":
                self._send(200, "text/html", SOFT_PAGES[opts.get("page", "login")])
                return True
            return False  # truncate and wrong_charset change the answer in _send

        def handle_one_request(self):
            """Every request is timed and counted in flight, so tests can check the harvester's politeness."""
            arrived = None

            def begin():
                nonlocal arrived
                arrived = time.monotonic()
                with lock:
                    site.hits.append((self.command, self.path))
                    site.in_flight += 1
                    site.max_in_flight = max(site.max_in_flight, site.in_flight)
                if site.latency:
                    time.sleep(site.latency)

            def end():  # called as the answer starts to go out, so a client cannot overlap it unnoticed
                nonlocal arrived
                if arrived is not None:
                    with lock:
                        site.in_flight -= 1
                        site.times.append((arrived, time.monotonic()))
                    arrived = None

            self._begin, self._end = begin, end
            try:
                super().handle_one_request()
            finally:
                end()

        def do_GET(self):
            self._begin()
            if self._inject():
                return
            path = self.path
            if urlsplit(path).path == "/robots.txt":
                return self._send(200, "text/plain", site.robots)
            page = site.route(path)
            if page is None and path == "/":  # a family without a portal of its own: a bare link to the entry
                return self._send(200, "text/html", f'<html><body><a href="{site.entry}">政府信息公开</a></body></html>')
            if page is None:
                return self._send(404, "text/html", "<html><body>404 页面不存在</body></html>")
            ctype, body = page()
            self._send(200, ctype, body)

        do_HEAD = do_GET

        def do_POST(self):
            self._begin()
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8", "replace")
            if self._inject():
                return
            parts = urlsplit(self.path)
            page = site.routes.get(("POST", parts.path))
            if page is None:
                return self._send(404, "text/html", "<html><body>404</body></html>")
            form = dict(parse_qsl(parts.query)) | dict(parse_qsl(raw))
            ctype, body = page(form)
            self._send(200, ctype, body)

    return Handler


class SampleWeb:
    """Builds `counties` sample counties and serves each on 127.0.0.1:<base_port + i> (0 = any free port)."""

    def __init__(self, counties: int = 6, docs_per_county: int = 60, seed: int = 7, as_of: date | None = None,
                 base_port: int = 0, host: str = "127.0.0.1", latency: float = 0.0) -> None:
        self.as_of = as_of or china_today()
        self.sites: list[CountySite] = []
        for i in range(counties):
            county = build_county(i, seed=seed, docs_per_county=docs_per_county, as_of=self.as_of)
            renderer = RENDERERS[county.family]()
            routes = renderer.build(county)
            site = CountySite(county=county, renderer=renderer, routes=routes, entry=renderer.entry, latency=latency)
            port = base_port + i if base_port else 0
            site.server = ThreadingHTTPServer((host, port), _handler(site))
            site.server.daemon_threads = True
            self.sites.append(site)
        self._threads: list[threading.Thread] = []

    def start(self) -> SampleWeb:
        for site in self.sites:
            t = threading.Thread(target=site.server.serve_forever, name=f"sampleweb-{site.county.slug}", daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def stop(self) -> None:
        stopping = [threading.Thread(target=site.server.shutdown) for site in self.sites]  # each waits ≤ 0.5 s
        for t in stopping:
            t.start()
        for t in stopping:
            t.join()
        for site in self.sites:
            site.server.server_close()

    def __enter__(self) -> SampleWeb:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
