"""Disclosure catalogues a page builds in the browser (前端渲染的公开目录), read without running any JavaScript.

Some platforms send an empty page: the column tree is a JSON value in an inline script (`window._CONFIG = {…}`,
`var siteConfig = {…}`) and every list comes from a JSON API that the page's own scripts call. The generic adapter
reads such a page the way a person reading its source would:

1. **the catalogue**: every JSON object or array assigned in an inline script is decoded; the catalogue is the array
   of nodes (objects with a name, nested through a children-like key) whose names include the most statutory column
   names;
2. **the list address** of a leaf column: its own url / link field when it has one; otherwise the endpoint the scripts
   call, found as a URL string built from pieces, `"/api/all/" + id + "?page=" + page`, a template literal
   `` `/api/${cid}/docs?pageNo=${pageNo}` ``, or a jQuery-style `url: "/api/all/" + catId, data: {page: page, sid:
   CONFIG.SID}`. Each variable piece must be recognisable: a value of the embedded config (by its key), the page
   number, or the column's id. A template with a piece it cannot place is not used.

The scripts holding the endpoint are usually files (`<script src>`), so the crawl fetches them first (`Adapter.support`,
kind `support` in the fetch log) and the re-parse reads them from the archive like every other answer.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlencode, urljoin, urlsplit

ASSIGNED = re.compile(r"(?:^|[;\s{(,])(?:(?:window|self|globalThis)\.)?([A-Za-z_$][\w$.]*)\s*=\s*(?=[{\[])")
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
SCRIPT_SRC = re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
# Shared libraries never hold a site's endpoints: not fetched.
LIBRARIES = re.compile(r"jquery|vue|react|angular|axios|bootstrap|layui|echarts|lodash|moment|swiper|polyfill|"
                       r"analytics|baidu|hm\.js|cnzz|share|jiathis|font", re.IGNORECASE)
MAX_SCRIPTS = 8

NAME_KEYS = ("name", "title", "label", "text", "cname", "chnlName", "channelName", "columnName", "catName")
CHILD_KEYS = ("children", "child", "childs", "sub", "subs", "nodes", "items", "list", "childList", "columns")
ID_KEYS = ("id", "catId", "cid", "code", "columnId", "channelId", "chnlId", "nodeId", "colId", "classId")
URL_KEYS = ("url", "link", "href", "listUrl", "path")
PAGE_WORDS = {"page", "pageno", "pagenum", "pageindex", "pagenumber", "curpage", "currentpage", "cur_page", "pn", "p"}
ID_WORDS = {"id", "catid", "cid", "code", "columnid", "channelid", "chnlid", "nodeid", "colid", "classid", "categoryid"}

_STRING = r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
_EXPR = r"[A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*|\[[^\]\n]{1,40}\])*"
CONCAT = re.compile(rf"(?:{_STRING})(?:\s*\+\s*(?:{_STRING}|{_EXPR}))+")
TEMPLATE = re.compile(r"`((?:[^`\\]|\\.)*\$\{(?:[^`\\]|\\.)*)`")
PIECE = re.compile(rf"({_STRING})|({_EXPR})")
DATA_OBJECT = re.compile(r"\bdata\s*:\s*\{([^{}]{1,400})\}")
DATA_PAIR = re.compile(rf"""["']?([A-Za-z_$][\w$]*)["']?\s*:\s*({_STRING}|{_EXPR}|\d+)""")


@dataclass(frozen=True)
class Slot:
    """A piece of a list address: literal text, or a value filled in per column / page."""

    kind: str          # text | id | page | const
    value: str = ""


@dataclass
class Catalogue:
    nodes: list[dict]
    name_key: str
    child_key: str | None
    id_key: str | None
    url_key: str | None
    score: int


def embedded_values(html: str) -> list[object]:
    """Every JSON object or array assigned in the page's inline scripts (JavaScript that is not JSON is skipped)."""
    decoder, out = json.JSONDecoder(), []
    for script in INLINE_SCRIPT.findall(html):
        for m in ASSIGNED.finditer(script):
            try:
                value, _ = decoder.raw_decode(script, m.end())
            except ValueError:
                continue
            out.append(value)
    return out


def _first_key(nodes: list[dict], keys: tuple[str, ...], kind: type | tuple) -> str | None:
    """The first of `keys` that most nodes carry with a value of type `kind`."""
    for key in keys:
        if sum(isinstance(n.get(key), kind) for n in nodes) * 2 >= len(nodes):
            return key
    return None


def catalogue(values: list[object], is_column_name) -> Catalogue | None:
    """The array of nodes, anywhere in `values`, whose names (at every depth) carry the most column names."""
    best: Catalogue | None = None

    def names(nodes: list[dict], name_key: str, child_key: str | None) -> list[str]:
        out = []
        for n in nodes:
            out.append(str(n.get(name_key) or ""))
            kids = n.get(child_key) if child_key else None
            if isinstance(kids, list):
                out += names([k for k in kids if isinstance(k, dict)], name_key, child_key)
        return out

    def visit(value: object) -> None:
        nonlocal best
        if isinstance(value, dict):
            for v in value.values():
                visit(v)
            return
        if not isinstance(value, list):
            return
        nodes = [v for v in value if isinstance(v, dict)]
        if nodes and len(nodes) == len(value):
            name_key = _first_key(nodes, NAME_KEYS, str)
            if name_key:
                child_key = _first_key(nodes, CHILD_KEYS, list) or next(
                    (k for k in CHILD_KEYS if any(isinstance(n.get(k), list) for n in nodes)), None)
                score = sum(1 for name in names(nodes, name_key, child_key) if is_column_name(name))
                if score and (best is None or score > best.score):
                    best = Catalogue(nodes, name_key, child_key, _first_key(nodes, ID_KEYS, (str, int)),
                                     _first_key(nodes, URL_KEYS, str), score)
                if child_key:
                    return  # the children were scored with their tree
        for v in value:
            visit(v)

    for v in values:
        visit(v)
    return best


def config_values(values: list[object]) -> dict[str, str]:
    """The scalar settings of the embedded objects (SID, siteCode …), by key, for filling list addresses."""
    out: dict[str, str] = {}
    for v in values:
        if isinstance(v, dict):
            for key, x in v.items():
                if isinstance(x, (str, int)) and not isinstance(x, bool):
                    out.setdefault(key, str(x))
    return out


def script_sources(url: str, html: str) -> list[str]:
    """The page's own script files (same host; shared libraries left out), in page order."""
    host, out = urlsplit(url).netloc, []
    for src in SCRIPT_SRC.findall(html):
        full = urljoin(url, src)
        if urlsplit(full).netloc == host and not LIBRARIES.search(src.rsplit("/", 1)[-1]) and full not in out:
            out.append(full)
    return out[:MAX_SCRIPTS]


def _slot(expr: str, config: dict[str, str]) -> Slot | None:
    """What a variable piece of an address stands for, by its last name: a setting of the embedded config
    (CONFIG.SID), the page number, or the column's id; None when it is none of these."""
    parts = [p for p in re.split(r"[.\[\]\s'\"]+", expr) if p]
    name = parts[-1] if parts else expr
    low = name.lower()
    if len(parts) > 1 and name in config:
        return Slot("const", config[name])
    if low in PAGE_WORDS:
        return Slot("page")
    if low in ID_WORDS:
        return Slot("id")
    if name in config:  # a bare name the config also has (var SID = CONFIG.SID)
        return Slot("const", config[name])
    if low.endswith(("id", "code")):
        return Slot("id")
    return None


def _literal(token: str) -> str:
    """A quoted JavaScript string's text (simple escapes such as \\/ undone)."""
    return re.sub(r"\\(.)", r"\1", token[1:-1])


def _address(pieces: list[tuple[str, str]], config: dict[str, str]) -> list[Slot] | None:
    """Pieces (("text", s) or ("expr", e)) → slots, or None when one cannot be placed."""
    slots = []
    for kind, value in pieces:
        if kind == "text":
            slots.append(Slot("text", value))
            continue
        slot = _slot(value, config)
        if slot is None:
            return None
        slots.append(slot)
    return slots


def _query(slots: list[Slot], data: str | None, config: dict[str, str]) -> list[Slot] | None:
    """A jQuery-style `data: {page: page, sid: CONFIG.SID}` beside the url: its pairs as query slots."""
    if not data:
        return slots
    extra: list[Slot] = []
    for key, expr in DATA_PAIR.findall(data):
        if expr[:1] in "\"'":
            slot = Slot("text", _literal(expr))
        elif expr.isdigit():
            slot = Slot("text", expr)
        else:
            slot = _slot(expr, config)
            if slot is None:
                return None
        sep = "&" if extra or any("?" in s.value for s in slots if s.kind == "text") else "?"
        extra += [Slot("text", f"{sep}{urlencode({key: ''})}"), slot]
    return slots + extra


def list_addresses(scripts: list[str], config: dict[str, str]) -> list[list[Slot]]:
    """Every list address template the scripts build that has a column-id slot, the likeliest first (those that
    also take a page number and name an API or a list)."""
    found: list[list[Slot]] = []
    for js in scripts:
        for m in CONCAT.finditer(js):
            pieces = [("text", _literal(s)) if s else ("expr", e) for s, e in PIECE.findall(m.group(0))]
            if not pieces or not pieces[0][1].startswith(("/", "http", "./", "../")):
                continue
            slots = _address(pieces, config)
            window = js[m.end():m.end() + 400]
            data = DATA_OBJECT.search(window)
            if slots is not None and data and js[m.start() - 10:m.start()].rstrip().endswith(":"):
                slots = _query(slots, data.group(1), config)  # url: "…" + id, …, data: {…}
            if slots is not None:
                found.append(slots)
        for m in TEMPLATE.finditer(js):
            parts = re.split(r"\$\{([^}]*)\}", m.group(1))
            pieces = [("text" if i % 2 == 0 else "expr", p) for i, p in enumerate(parts) if p]
            if pieces and pieces[0][0] == "text" and pieces[0][1].startswith(("/", "http", "./", "../")):
                slots = _address(pieces, config)
                if slots is not None:
                    found.append(slots)
    with_id = [s for s in found if sum(x.kind == "id" for x in s) == 1]

    def rank(slots: list[Slot]) -> tuple:
        text = "".join(x.value for x in slots if x.kind == "text").lower()
        return (not any(x.kind == "page" for x in slots), not any(w in text for w in ("api", "json", "list")))
    return sorted(with_id, key=rank)


def fill(slots: list[Slot], column_id: str, page: int = 1) -> str:
    return "".join(s.value if s.kind in ("text", "const") else column_id if s.kind == "id" else str(page) for s in slots)
