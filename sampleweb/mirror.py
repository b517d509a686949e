"""A saved copy of a website (wget or HTTrack) and how a request (path + query) maps to one of its files.

- The site lives in a host folder (`DIR/www.x.gov.cn/…`, as wget and HTTrack save it; `www.x.gov.cn+8080` or
  `www.x.gov.cn:8080` with a port) or directly in DIR (`wget -nH`); a folder holding only one folder is looked into
  (HTTrack's project folder, `My Web Sites/<project>/`).
- A path ending in "/" is the folder's index file (index.html, index.htm, index.shtml, default.htm(l), index.aspx,
  index.jsp, index.php …); a folder asked for without the slash answers 301 to the slash form.
- A query is part of the file name: wget writes `list.aspx?cid=3&page=2`, `list.aspx@cid=3&page=2` with
  `--restrict-file-names=windows`, and with `-E` adds `.html` (`show.aspx?id=5.html`); every form is tried.
- Names are compared after percent-decoding both sides and reading the bytes as UTF-8 or GB18030, so
  `%E6%94%BF%E7%AD%96.html` finds `政策.html` whether it is stored in UTF-8, in GBK, percent-encoded, or with
  wget's escaped control bytes (`\xe6%94\xbf…`); letter case decides only when nothing else matches.
- HTTrack rewrites links to the local names it saved, so its pages are served as they are; the comment it puts in
  every page (`<!-- Mirrored from www.x.gov.cn/list.aspx?cid=3 by HTTrack … -->`) also maps the original address
  of a renamed page to its file.
"""
from __future__ import annotations

import html
import os
import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote_to_bytes, urlsplit

INDEX_NAMES = ("index.html", "index.htm", "index.shtml", "default.htm", "default.html", "index.aspx", "index.asp",
               "default.aspx", "default.asp", "index.jsp", "index.php", "index.do")
# Pages a server builds: text/html without a charset, so the harvester reads the charset from the bytes and <meta>.
DYNAMIC = {"html", "htm", "shtml", "xhtml", "asp", "aspx", "jsp", "jspx", "php", "do", "action", "cgi", "nsf"}
TYPES = {
    "css": "text/css", "js": "application/javascript", "json": "application/json", "xml": "application/xml",
    "txt": "text/plain", "csv": "text/csv", "pdf": "application/pdf", "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "zip": "application/zip", "rar": "application/vnd.rar", "7z": "application/x-7z-compressed",
    "wps": "application/vnd.ms-works", "et": "application/vnd.ms-excel", "ofd": "application/ofd",
    "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "bmp": "image/bmp",
    "svg": "image/svg+xml", "ico": "image/x-icon", "webp": "image/webp", "mp4": "video/mp4",
    "woff": "font/woff", "woff2": "font/woff2", "ttf": "font/ttf",
}
_MAGIC = ((b"%PDF", "application/pdf"), (b"PK\x03\x04", "application/zip"), (b"Rar!", "application/vnd.rar"),
          (b"\xd0\xcf\x11\xe0", "application/octet-stream"), (b"\x89PNG", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
          (b"GIF8", "image/gif"))
_HTML_MARKS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title")
HOST_DIR = re.compile(r"^(?:(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,12}|\d{1,3}(?:\.\d{1,3}){3})(?:[:+]\d{1,5})?$",
                       re.IGNORECASE)
_MIRRORED = re.compile(rb"<!--\s*Mirrored from\s+(?:https?://)?([^/\s]+)(\S*)\s+by HTTrack", re.IGNORECASE)
SKIP_DIRS = {"hts-cache", ".git"}
HEAD_BYTES = 16 * 1024  # where HTTrack puts its comment


class MirrorError(ValueError):
    """A folder that cannot be replayed; the message names the folder and what to do."""


def name_keys(raw: bytes) -> list[str]:
    """How a file name or a requested path segment may read, compared the same way: percent-decoded, then as UTF-8
    and as GB18030 (short GBK names are often valid UTF-8 too: 通知 in GBK is CD A8 D6 AA)."""
    data = unquote_to_bytes(raw)
    keys = []
    for encoding in ("utf-8", "gb18030"):
        try:
            key = unicodedata.normalize("NFC", data.decode(encoding))
        except UnicodeDecodeError:
            continue
        if key not in keys:
            keys.append(key)
    return keys or [data.decode("gb18030", "replace")]


def name_key(raw: bytes) -> str:
    return name_keys(raw)[0]


def _ext(name: str) -> str:
    return name.rsplit(".", 1)[1].lower() if "." in name else ""


def content_type(name: str, head: bytes) -> str:
    """The Content-Type for a saved file `name` (its text form) whose first bytes are `head`."""
    base = name.split("?", 1)[0]
    ext = _ext(base)
    if ext not in TYPES and ext not in DYNAMIC and "@" in base:  # windows-safe query form: list.aspx@cid=3
        ext = _ext(base.split("@", 1)[0])
    queried = "?" in name or "@" in name
    if _ext(name) in ("html", "htm"):  # wget -E adds .html to every page it saved, queries included
        return "text/html"
    if ext in DYNAMIC or (queried and ext not in TYPES):
        return _sniff(head) or "text/html"
    if ext in TYPES:
        return TYPES[ext]
    if not ext:
        return _sniff(head) or ("text/html" if looks_html(head) else "application/octet-stream")
    return "application/octet-stream"


def _sniff(head: bytes) -> str | None:
    return next((ctype for magic, ctype in _MAGIC if head.startswith(magic)), None)


def looks_html(head: bytes) -> bool:
    start = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return any(mark in start for mark in _HTML_MARKS)


@dataclass
class Resolved:
    status: int                 # 200, 301 or 404
    file: Path | None = None
    location: str | None = None  # for a 301: path (+ query) to send the client to


@dataclass
class _Listing:
    mtime: int
    names: dict[bytes, bool]                # name → is a folder
    keys: dict[str, bytes]                  # each of name_keys(name) → name
    folded: dict[str, bytes]                # casefolded name_key → name


class Mirror:
    """A saved site: where its files are (`root`), its original host if known, and how requests map to files."""

    def __init__(self, folder: Path, root: Path, layout: str, folder_host: str | None = None,
                 other_hosts: list[str] | None = None) -> None:
        self.folder, self.root, self.layout = folder, root, layout  # layout: wget, httrack or root
        self.folder_host = folder_host  # the host the site's folder is named after
        self.other_hosts = other_hosts or []  # hosts saved beside it (wget -H), not served
        self.host: str | None = None  # the original host, once known (sampleweb.replay.open_mirror)
        self.host_source = ""
        self.renamed: dict[str, Path] = {}  # HTTrack: name_key of the original path + query → the file saved for it
        self.httrack_hosts: Counter[str] = Counter()  # hosts named by HTTrack's comments
        self._listings: dict[bytes, _Listing] = {}
        self._lock = threading.Lock()

    # ── files ─────────────────────────────────────────────────────────────────────────────────────────────
    def _listing(self, folder: Path) -> _Listing | None:
        raw = os.fsencode(folder)
        try:
            mtime = os.stat(raw).st_mtime_ns
        except OSError:
            return None
        cached = self._listings.get(raw)
        if cached is not None and cached.mtime == mtime:
            return cached
        names: dict[bytes, bool] = {}
        try:
            with os.scandir(raw) as it:
                for e in it:
                    try:
                        names[e.name] = e.is_dir()
                    except OSError:
                        continue
        except OSError:
            return None
        keys: dict[str, bytes] = {}
        folded: dict[str, bytes] = {}
        for name in sorted(names):
            for key in name_keys(name):
                keys.setdefault(key, name)
                folded.setdefault(key.casefold(), name)
        listing = _Listing(mtime, names, keys, folded)
        with self._lock:
            self._listings[raw] = listing
        return listing

    def _find(self, folder: Path, candidates: list[bytes], want_dir: bool | None = None) -> Path | None:
        """The entry of `folder` that one of `candidates` (raw request forms, in order of preference) names: the
        exact name first, then the same name however it was encoded on disk, then ignoring letter case."""
        listing = self._listing(folder)
        if listing is None:
            return None

        def fits(name: bytes | None) -> bool:
            return name is not None and name in listing.names and (want_dir is None or listing.names[name] == want_dir)

        for cand in candidates:
            for name in (unquote_to_bytes(cand), cand):
                if fits(name):
                    return folder / os.fsdecode(name)
        for table, fold in ((listing.keys, False), (listing.folded, True)):
            for cand in candidates:
                for key in name_keys(cand):
                    name = table.get(key.casefold() if fold else key)
                    if fits(name):
                        return folder / os.fsdecode(name)
        return None

    def resolve(self, target: str) -> Resolved:
        """Map a request target (path + query, as sent: percent-encoded or raw bytes) to a file."""
        if target.startswith(("http://", "https://")):  # absolute-form request line
            parts = urlsplit(target)
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        raw = target.encode("latin-1", "replace")  # http.server decoded the request line as ISO-8859-1
        raw_path, _, query = raw.partition(b"?")
        raw_path = raw_path.split(b"#", 1)[0] or b"/"
        segments = [s for s in raw_path.split(b"/") if s]
        slash = raw_path.endswith(b"/") or not segments
        folder = self.root
        for seg in (segments if slash else segments[:-1]):
            found = self._find(folder, [seg], want_dir=True)
            if found is None:
                return self._renamed(raw_path, query)
            folder = found
        if slash:
            index = self._find(folder, self._forms(list(INDEX_NAMES), query), want_dir=False)
            return Resolved(200, index) if index else self._renamed(raw_path, query)
        last = segments[-1]
        found = self._find(folder, self._forms([last], query), want_dir=False)
        if found:
            return Resolved(200, found)
        if self._find(folder, [last], want_dir=True):
            path = target.partition("?")[0]
            return Resolved(301, location=path + "/" + (f"?{query.decode('latin-1')}" if query else ""))
        return self._renamed(raw_path, query)

    @staticmethod
    def _forms(names: list[bytes | str], query: bytes) -> list[bytes]:
        """The file names wget may have saved a page under: name, or with a query name?query / name@query; with -E
        (adjust extension) also with .html added."""
        out: list[bytes] = []
        for name in names:
            name = name.encode() if isinstance(name, str) else name
            bases = [name + b"?" + query, name + b"@" + query] if query else [name]
            if not query and b"?" in unquote_to_bytes(name):  # a `wget -k` link (list.aspx%3Fcid=3.html)
                bases.append(unquote_to_bytes(name).replace(b"?", b"@", 1))
            for base in bases:
                out += [base, base + b".html"]
        return out

    def _renamed(self, raw_path: bytes, query: bytes) -> Resolved:
        """HTTrack saved the page under another name; its "Mirrored from" comment says which address it was."""
        if self.renamed:
            hit = self.renamed.get(name_key(raw_path + (b"?" + query if query else b"")))
            if hit is not None and hit.is_file():
                return Resolved(200, hit)
        return Resolved(404)

    def local(self, path_and_query: str) -> Resolved:
        """resolve() for a path written in a page or on the command line (non-ASCII as text, not yet encoded)."""
        return self.resolve(quote(path_and_query, safe="/?&=%:@;+,!$'()*~#"))

    def exists(self, path_and_query: str) -> bool:
        return self.local(path_and_query).status == 200

    def html_files(self, limit: int | None = None):
        """Saved pages under the root (by name, or sniffed when the name says nothing), top-down."""
        seen = 0
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            for name in sorted(filenames):
                path = Path(dirpath) / name
                if _is_html_name(name) or (not _ext(name.split("?", 1)[0]) and looks_html(head(path, 1024))):
                    yield path
                    seen += 1
                    if limit is not None and seen >= limit:
                        return

    def file_count(self) -> int:
        return sum(len(files) for _, _, files in os.walk(self.root))

    def describe(self) -> str:
        what = {"wget": "wget mirror, host folder", "httrack": "HTTrack mirror",
                "root": "mirror saved at the folder's root"}[self.layout]
        return f"{self.root} ({what})"


def head(path: Path, n: int = HEAD_BYTES) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(n)
    except OSError:
        return b""


def _is_html_name(name: str) -> bool:
    if _ext(name) in ("html", "htm"):
        return True
    base = name.split("?", 1)[0]
    return _ext(base) in DYNAMIC or (_ext(base.split("@", 1)[0]) in DYNAMIC)


# ── finding the site in the folder ───────────────────────────────────────────────────────────────────────────

def host_of_dir(name: str) -> str | None:
    if not HOST_DIR.match(name):
        return None
    return name.lower().replace("+", ":")


def _is_httrack_index(path: Path) -> bool:
    """HTTrack's own project index (a page listing the projects), not a page of the site."""
    start = head(path, 8192)
    return b"HTTrack" in start and b"Mirrored from" not in start


def _home_index(folder: Path) -> Path | None:
    return next((folder / n for n in INDEX_NAMES if (folder / n).is_file()), None)


def _has_html(folder: Path) -> bool:
    probe = Mirror(folder, folder, "root")
    return next(probe.html_files(limit=1), None) is not None


def locate(folder: str | Path, host: str | None = None) -> Mirror:
    """Find the saved site in `folder`: its root, layout and the host its folder names (`host` picks one of several)."""
    folder = Path(folder).expanduser()
    hint = "save a site with e.g. `wget -m -p -E -k http://www.example.gov.cn/` (or HTTrack), then pass the folder it wrote"
    if not folder.exists():
        raise MirrorError(f"{folder}: no such folder; {hint}")
    if not folder.is_dir():
        raise MirrorError(f"{folder}: not a folder; pass the folder wget or HTTrack saved the site into ({hint})")
    folder = folder.resolve()
    if not any(folder.iterdir()):
        raise MirrorError(f"{folder}: the folder is empty; {hint}")
    root, layout, folder_host, others = folder, "root", None, []
    for _ in range(4):  # look into a folder that only holds one folder (a project folder around the host folder)
        children = sorted(p for p in root.iterdir() if p.is_dir() and p.name not in SKIP_DIRS)
        own_index = _home_index(root)
        hosts = {c: h for c in children if (h := host_of_dir(c.name))}
        if own_index and not _is_httrack_index(own_index):
            break  # the site itself is here (wget -nH)
        if hosts:
            wanted = host.lower() if host else None
            pick = next((c for c, h in hosts.items() if wanted and h in (wanted, wanted.split(":")[0])), None)
            if pick is None:  # several hosts (wget -H): the one with most files
                pick = max(hosts, key=lambda c: (sum(len(f) for _, _, f in os.walk(c)), c.name))
            others = sorted(h for c, h in hosts.items() if c != pick)
            httrack = (root / "hts-cache").is_dir() or (root / "hts-log.txt").is_file()
            root, layout, folder_host = pick, ("httrack" if httrack else "wget"), hosts[pick]
            break
        if len(children) == 1 and not any(p.is_file() for p in root.iterdir() if not p.name.startswith(".")):
            root = children[0]
            continue
        break
    if not _has_html(root):
        raise MirrorError(f"{folder}: no saved HTML page under it (.html, .htm, .shtml, .aspx, .jsp, … or a page "
                          f"saved without an extension); is this the folder wget or HTTrack wrote? {hint}")
    if folder_host is None:  # the host folder itself was passed
        folder_host = host_of_dir(root.name)
    mirror = Mirror(folder, root, layout, folder_host, others)
    _index_httrack(mirror)
    if mirror.renamed and mirror.layout == "root":
        mirror.layout = "httrack"
    return mirror


def _index_httrack(mirror: Mirror) -> None:
    """Original address → saved file, from the comment HTTrack writes into every page it saved."""
    hosts: Counter[str] = Counter()
    for i, path in enumerate(mirror.html_files()):
        m = _MIRRORED.search(head(path))
        if m is None:
            if i >= 50 and not mirror.renamed:
                break  # not an HTTrack mirror
            continue
        original = html.unescape(m.group(2).decode("utf-8", "replace")) or "/"
        mirror.renamed.setdefault(name_key(original.encode("utf-8")), path)
        hosts[m.group(1).decode("ascii", "replace").lower()] += 1
    mirror.httrack_hosts = hosts
