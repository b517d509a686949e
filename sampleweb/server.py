"""A threaded loopback HTTP server for the sample county web: one port per county, so each is its own host."""
from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from sampleweb.families import RENDERERS
from sampleweb.model import County, build_county
from schemas.clock import china_today

ROBOTS = "User-agent: *\nDisallow: /search/\nAllow: /\n"


@dataclass
class CountySite:
    county: County
    routes: dict
    entry: str
    server: ThreadingHTTPServer | None = None
    hits: list[tuple[str, str]] = field(default_factory=list)  # (method, path) access log

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

        def _send(self, status: int, ctype: str, body: str | bytes) -> None:
            if isinstance(body, str):
                enc = site.county.encoding
                body = body.encode(enc)
                ctype = f"{ctype}; charset={'GBK' if enc == 'gbk' else 'UTF-8'}"
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_GET(self):
            with lock:
                site.hits.append((self.command, self.path))
            path = self.path
            if urlsplit(path).path == "/robots.txt":
                return self._send(200, "text/plain", ROBOTS)
            if path == "/":
                return self._send(200, "text/html", f'<html><body><a href="{site.entry}">政府信息公开</a></body></html>')
            page = site.routes.get(path)
            if page is None:
                return self._send(404, "text/html", "<html><body>404 页面不存在</body></html>")
            ctype, body = page()
            self._send(200, ctype, body)

        do_HEAD = do_GET

        def do_POST(self):
            with lock:
                site.hits.append((self.command, self.path))
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8", "replace")
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
                 base_port: int = 0, host: str = "127.0.0.1") -> None:
        self.as_of = as_of or china_today()
        self.sites: list[CountySite] = []
        for i in range(counties):
            county = build_county(i, seed=seed, docs_per_county=docs_per_county, as_of=self.as_of)
            renderer = RENDERERS[county.family]()
            routes = renderer.build(county)
            site = CountySite(county=county, routes=routes, entry=renderer.entry)
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
        for site in self.sites:
            site.server.shutdown()
            site.server.server_close()

    def __enter__(self) -> SampleWeb:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
