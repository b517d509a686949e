"""`gongkai sample replay DIR`: serve a saved mirror of a real county website on loopback, so the whole pipeline can
run on a site someone saved (no internet needed). How files are found is in sampleweb/mirror.py.

The original host is `--host`, else the host of an absolute `--entry` URL, else the host folder's name, else the one
HTTrack's "Mirrored from" comments name, else the commonest host among absolute links in the saved pages whose paths
the mirror holds. `replay_site` makes a registry entry whose URLs keep that host and whose `connect_to` sends it to
this server (see harvesters/fetch.py), so documents, WARC records and the catalogue carry the real URLs. With no
host found, the mirror is served as the loopback host itself.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from gongkai.sampleweb.mirror import HOST_DIR, INDEX_NAMES, Mirror, MirrorError, content_type, head, locate
from gongkai.schemas.registry import (
    Politeness,
    Site,
    dump_registry,
    site_id_for,
    slug_of,  # noqa: F401  (re-exported for the CLI and tests)
)
from pydantic import ValidationError

__all__ = ["DEFAULT_PORT", "Mirror", "MirrorError", "ReplayServer", "open_mirror", "replay_site", "write_replay_registry"]

DEFAULT_PORT = 18800
HOST_SCAN_FILES = 400  # pages read for their links when nothing else names the host
_ABSOLUTE = re.compile(rb"""(?:href|src|action)\s*=\s*["']?\s*(https?://[^\s"'<>]+)""", re.IGNORECASE)
_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-zA-Z_:][-\w:.]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")


def open_mirror(folder: str | Path, host: str | None = None, entry: str | None = None) -> Mirror:
    """The saved site in `folder` with its original host (see the module docstring for the order)."""
    mirror = locate(folder, host)
    entry_host = urlsplit(entry).netloc.lower() if entry and entry.startswith(("http://", "https://")) else None
    if host:
        mirror.host, mirror.host_source = host.lower(), "--host"
    elif entry_host:
        mirror.host, mirror.host_source = entry_host, "the --entry URL"
    elif mirror.folder_host:
        mirror.host, mirror.host_source = mirror.folder_host, "the folder name"
    elif mirror.httrack_hosts:
        mirror.host = mirror.httrack_hosts.most_common(1)[0][0]
        mirror.host_source = "HTTrack's 'Mirrored from' comments"
    elif (found := _links_host(mirror)):
        mirror.host, mirror.host_source = found, "absolute links in the saved pages"
    mirror.other_hosts = [h for h in mirror.other_hosts if h != mirror.host]
    return mirror


def _links_host(mirror: Mirror) -> str | None:
    """The commonest host among absolute links whose path the mirror holds."""
    votes: Counter[str] = Counter()
    checked: dict[str, bool] = {}
    for path in mirror.html_files(limit=HOST_SCAN_FILES):
        for m in _ABSOLUTE.finditer(head(path, 512 * 1024)):
            url = html.unescape(m.group(1).decode("utf-8", "replace"))
            try:
                parts = urlsplit(url)
                netloc = parts.netloc.lower()
            except ValueError:
                continue
            if not netloc or not HOST_DIR.match(netloc):
                continue
            local = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            if local not in checked:  # a folder counts when its index was saved
                found = mirror.local(local)
                checked[local] = found.status == 200 or (found.status == 301 and mirror.exists(found.location))
            if checked[local]:
                votes[netloc] += 1
    return votes.most_common(1)[0][0] if votes else None


# ── the server ─────────────────────────────────────────────────────────────────────────────────────────────

_NOT_FOUND = ("<html><head><meta charset=\"utf-8\"><title>404 Not Found</title></head><body><h1>404 Not Found</h1>"
              "<p>{path} is not in the saved mirror.</p></body></html>")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "GongkaiReplay/1.0"
    server: ReplayServer

    def log_message(self, *args):  # the access log is kept in server.hits
        pass

    def _log(self) -> None:
        with self.server.lock:
            self.server.hits.append((self.command, self.path))

    def _small(self, status: int, body: str, headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_GET(self):
        self._log()
        found = self.server.mirror.resolve(self.path)
        if found.status == 301:
            host = self.headers.get("Host") or self.server.address
            location = f"http://{host}{found.location}"
            return self._small(301, f'<html><body><a href="{html.escape(location)}">Moved</a></body></html>',
                               {"Location": location})
        if found.status != 200:
            return self._small(404, _NOT_FOUND.format(path=html.escape(self.path)))
        try:
            fh = open(found.file, "rb")
        except OSError:
            return self._small(404, _NOT_FOUND.format(path=html.escape(self.path)))
        with fh:
            st = os.fstat(fh.fileno())
            etag = f'"{st.st_size:x}-{st.st_mtime_ns:x}"'
            modified = int(st.st_mtime)
            start = fh.read(1024)
            fh.seek(0)
            ctype = content_type(os.fsdecode(found.file.name), start)
            validators = {"ETag": etag, "Last-Modified": formatdate(modified, usegmt=True)}
            if self._fresh(etag, modified):
                self.send_response(304)
                for k, v in validators.items():
                    self.send_header(k, v)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            for k, v in validators.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(st.st_size))
            self.end_headers()
            if self.command != "HEAD":
                shutil.copyfileobj(fh, self.wfile, 64 * 1024)

    do_HEAD = do_GET

    def _fresh(self, etag: str, modified: int) -> bool:
        """RFC 9110 §13.2.2: If-None-Match decides when present; else If-Modified-Since."""
        match = self.headers.get("If-None-Match")
        if match is not None:
            tags = [t.strip().removeprefix("W/") for t in match.split(",")]
            return "*" in tags or etag in tags
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return modified <= parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError, IndexError):
                return False
        return False

    def do_POST(self):
        self._log()
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self._small(405, "<html><body>405: a saved mirror answers GET and HEAD only</body></html>",
                    {"Allow": "GET, HEAD"})


class ReplayServer(ThreadingHTTPServer):
    """Serves a Mirror on address:port (0 = any free port) until stop(); `hits` is the access log."""

    daemon_threads = True

    def __init__(self, mirror: Mirror, port: int = DEFAULT_PORT, address: str = "127.0.0.1") -> None:
        self.mirror = mirror
        self.hits: list[tuple[str, str]] = []  # (method, path) of every request
        self.lock = threading.Lock()
        self._thread: threading.Thread | None = None
        super().__init__((address, port), _Handler)

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def address(self) -> str:
        return f"{self.server_address[0]}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"http://{self.address}"

    def start(self) -> ReplayServer:
        self._thread = threading.Thread(target=self.serve_forever, args=(0.1,), name="replay", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
        self.server_close()

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that hung up is no error of ours
            super().handle_error(request, client_address)

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# ── the registry entry ─────────────────────────────────────────────────────────────────────────────────────

def page_meta(path: Path) -> dict[str, str]:
    """The <meta name=… content=…> pairs of a saved page (names lowercased)."""
    from gongkai.harvesters.encoding import decode_html

    text, _ = decode_html(head(path, 64 * 1024))
    metas = {}
    for tag in _META.findall(text):
        attrs = {k.lower(): v.strip("\"'") for k, v in _ATTR.findall(tag)}
        if "name" in attrs and "content" in attrs:
            metas.setdefault(attrs["name"].lower(), html.unescape(attrs["content"]).strip())
    return metas


def _site_meta(mirror: Mirror, pages: list[Path | None]) -> tuple[str | None, str | None]:
    """(6-digit code of the SiteIDCode meta, SiteName meta) from the entry and home pages, else a few others: every
    page of a government site carries both (GB/T 政府网站标识码)."""
    code = name = None
    for path in (*dict.fromkeys(p for p in pages if p is not None), *mirror.html_files(limit=30)):
        meta = page_meta(path)
        if code is None and re.match(r"\d{6}", meta.get("siteidcode", "")):
            code = meta["siteidcode"][:6]
        name = name or meta.get("sitename") or None
        if code and name:
            break
    return code, name


@dataclass
class ReplayPlan:
    """What `replay_site` decided, for the command to print."""

    site: Site
    entry_url: str
    code_source: str
    warnings: list[str] = field(default_factory=list)


def entry_url(host: str, entry: str | None) -> str:
    """The real URL of --entry (a path or a URL), else of the home page."""
    if entry is None:
        return f"http://{host}/"
    if entry.startswith(("http://", "https://")):
        return entry
    return f"http://{host}/{entry.lstrip('/')}"


def replay_site(mirror: Mirror, port: int, *, entry: str | None = None, site_id: str | None = None,
                name: str | None = None, province: str | None = None, address: str = "127.0.0.1") -> ReplayPlan:
    """The registry entry that harvests the mirror served on address:port under its original URLs."""
    host = mirror.host or f"{address}:{port}"
    url = entry_url(host, entry)
    parts = urlsplit(url)
    if parts.netloc.lower() != host:
        raise MirrorError(f"--entry {entry}: its host {parts.netloc} is not the mirror's host {host} (from "
                          f"{mirror.host_source or 'loopback'}); pass --host {parts.netloc}, or --entry as a path")
    local = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    warnings = []
    if not mirror.exists(local):
        if entry is not None:
            raise MirrorError(f"{mirror.root}: --entry {entry} ({local}) is not in the mirror; pass a page it holds, "
                              "e.g. the disclosure platform's index (信息公开 → …/index.html)")
        found = section_entry(mirror)
        if found is None:
            warnings.append(f"the home page {local} is not in the mirror and no saved page carries a disclosure column "
                            "tree; pass --entry with the disclosure entry page")
        else:
            local, url = found, f"http://{host}{found}"
            warnings.append(f"the home page is not in the mirror: starting from {found}, the saved page whose menu "
                            "carries the most statutory column names (pass --entry to choose another)")
    code, found_name = _site_meta(mirror, [mirror.local(local).file, mirror.resolve("/").file])
    code_source = "--site-id" if site_id else "the SiteIDCode meta tag" if code else "nowhere (no SiteIDCode meta tag)"
    if site_id is None and code is None:
        warnings.append('no <meta name="SiteIDCode"> in the pages: the site id starts 000000; pass --site-id '
                        "with the 6-digit 行政区划代码 (administrative code) instead")
    site_id = site_id or site_id_for(host, code)
    name = name or found_name or host.split(":")[0]
    source = mirror.host_source or "nowhere: served as the loopback host"
    try:
        site = Site(site_id=site_id, name=name, level="county", province=province or "未知", entry_urls=[url],
                    allowed_hosts=[parts.netloc], allow_private_addresses=True,
                    connect_to={parts.netloc: f"{address}:{port}"} if mirror.host else {},
                    politeness=Politeness(delay_seconds=0.0, max_concurrency=2),
                    notes=f"replay of the saved mirror {mirror.root} (host from {source}), "
                          "served on loopback by `gongkai sample replay`")
    except ValidationError as exc:
        err = exc.errors()[0]
        raise MirrorError(f"{'.'.join(map(str, err['loc']))}: {err['msg'].removeprefix('Value error, ')}") from None
    return ReplayPlan(site, url, code_source, warnings)


def section_entry(mirror: Mirror, limit: int = 2000) -> str | None:
    """For a mirror of a disclosure section alone (no home page saved): the path of the saved page that is most
    likely its entry: among the pages whose column tree carries statutory names and that do not point to a platform
    elsewhere (harvesters.discover.judge), a folder's index page first, then the shallowest, then the most names."""
    from gongkai.harvesters.discover import MIN_TREE, judge
    from gongkai.harvesters.encoding import decode_html

    best: tuple[bool, int, int, str] | None = None
    for path in mirror.html_files(limit=limit):
        rel = "/" + path.relative_to(mirror.root).as_posix()
        index = next((name for name in INDEX_NAMES if rel.endswith("/" + name)), None)
        if index:  # a folder's index page is the folder
            rel = rel[: -len(index)]
        try:
            names, away = judge(f"http://{mirror.host or 'localhost'}{rel}", decode_html(path.read_bytes())[0])
        except OSError:
            continue
        if names >= MIN_TREE and not away:
            rank = (index is not None, -rel.count("/"), names, rel)
            if best is None or rank[:3] > best[:3]:
                best = rank
    return best[3] if best else None


def write_replay_registry(site: Site, data: str | Path) -> Path:
    """<data>/replay/registry.yaml with the one replayed site."""
    path = Path(data) / "replay" / "registry.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    dump_registry([site], path, header="# A saved mirror replayed on loopback (written by `gongkai sample replay`).\n"
                                       "# connect_to sends the site's real host to the replay server; URLs keep it.\n")
    return path
