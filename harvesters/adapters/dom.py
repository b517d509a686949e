"""Small helpers over lexbor (selectolax) nodes and links, shared by the adapters and the generic readers.

Links are made absolute and then written as RFC 3986 URLs: characters outside ASCII (a Chinese file name in an
attachment's href) and spaces are percent-encoded as UTF-8, existing escapes are kept, and the fragment is dropped.
The href as the page wrote it is kept separately where a caller needs it (attachments).
"""
from __future__ import annotations

import re
from urllib.parse import urljoin

from gongkai.harvesters.fields import clean
from requests.utils import requote_uri
from selectolax.lexbor import LexborHTMLParser, LexborNode

MAX_NESTING = 1000  # real pages nest a few dozen elements deep; lexbor's time grows with the square of the depth
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
# elements that never nest under themselves in a parse (void, or closed by their next sibling)
_FLAT = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "tbody", "thead", "tfoot"})


def parse_html(text: str) -> LexborHTMLParser:
    """The page parsed, only as deep as MAX_NESTING: a page nesting deeper (200,000 <div>s would hold a parse for
    minutes) is read up to the element that goes too deep (see `nesting_cut`)."""
    cut = nesting_cut(text)
    return LexborHTMLParser(text if cut is None else text[:cut])


def nesting_cut(text: str, limit: int = MAX_NESTING) -> int | None:
    """Where the page's elements first nest deeper than `limit`, or None. Two counts rule out almost every page at
    once (elements left open can nest no deeper than their number); only the rest are walked tag by tag."""
    if text.count("<") - 2 * text.count("</") <= limit:
        return None
    depth = 0
    for m in _TAG.finditer(text):
        if m[2].lower() in _FLAT or m[3]:
            continue
        if m[1]:
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > limit:
                return m.start()
    return None


def text_of(node: LexborNode | None) -> str:
    return clean(node.text(deep=True)) if node is not None else ""


def children(node: LexborNode, *tags: str) -> list[LexborNode]:
    """The element children of `node` (only those named `tags`, when given)."""
    return [c for c in node.iter() if not tags or c.tag in tags]


def is_element(node: LexborNode | None) -> bool:
    return node is not None and not node.tag.startswith("-") and node.tag != "_comment"


def next_element(node: LexborNode, tag: str | None = None) -> LexborNode | None:
    """The next sibling element (skipping text and comments), or the next one named `tag`."""
    n = node.next
    while n is not None and (not is_element(n) or (tag and n.tag != tag)):
        n = n.next
    return n


def previous_element(node: LexborNode) -> LexborNode | None:
    """The previous sibling element, skipping text, comments, <br> and scripts."""
    n = node.prev
    while n is not None and (not is_element(n) or n.tag in ("br", "script", "style")):
        n = n.prev
    return n


def web_url(url: str) -> str:
    """A URL as RFC 3986 writes it: non-ASCII and spaces percent-encoded as UTF-8, no fragment."""
    cut = url.find("#")
    if cut >= 0:
        url = url[:cut]
    if url.isascii() and " " not in url:
        return url
    return requote_uri(url.strip())


def absolute(base: str, href: str) -> str:
    """The link's absolute URL (web_url form). urljoin, with a fast path for the two forms nearly every link on
    these sites takes: a full URL, or a path from the root (urljoin costs a few microseconds a link, which shows
    when re-parsing millions of pages)."""
    href = href.strip()
    if href.startswith(("http://", "https://")):
        return web_url(href)
    if href.startswith("/") and not href.startswith("//") and base.startswith(("http://", "https://")):
        cut = base.find("/", base.index("//") + 2)
        return web_url((base if cut < 0 else base[:cut]) + href)
    return web_url(urljoin(base, href))


_INDEX = re.compile(r"/(index|default)\.(s?html?|aspx?|jsp|php|do)(?=$|\?)", re.IGNORECASE)


def same_page(url: str) -> str:
    """A URL with a folder's index file written out (…/index.html, …/default.aspx) read as the folder (…/)."""
    return _INDEX.sub("/", url, count=1)


def attr(node: LexborNode | None, name: str) -> str | None:
    return node.attributes.get(name) if node is not None else None


def host_of(url: str) -> str:
    """host[:port] of an absolute URL ('' for anything else)."""
    if "//" not in url:
        return ""
    rest = url.split("//", 1)[1]
    return rest.split("/", 1)[0].split("?", 1)[0].lower()


def text_outside(row: LexborNode, inner: LexborNode) -> str:
    """The row's text without the text inside `inner` (a link), its nodes separated by spaces (cells never glue)."""
    parts = []
    skip = inner.mem_id
    for node in row.traverse(include_text=True):
        if node.tag != "-text":
            continue
        n, inside = node.parent, False
        while n is not None and n.mem_id != row.mem_id:
            if n.mem_id == skip:
                inside = True
                break
            n = n.parent
        if not inside:
            parts.append(node.text_content or "")
    return clean(" ".join(parts))
