"""Reading a document page whatever its layout (正文页): the title, the body (正文), and 解读 links.

What every county page carries, because the rules ask for it, in whatever markup its CMS writes:
- **the title**: the heading that the page's <title> also names, else the first long heading;
- **the body**: the text that follows the title and the metadata, in the block that holds it (not the page chrome,
  share bar or related-links box around it), read line by line;
- in the body, the **文号** standing alone on one of its first lines and the **signature date** (落款日期) on one of its
  last lines, used when no label gives them (recorded as coming from the body);
- **解读 links**: links in a box headed 相关解读 / 相关文件 / 原文 …, and links naming a 解读.
The labelled values (索引号：X, attribute lines) are read by metadata.py; both read the page through
page_text.PageText, which knows the page's chrome.
"""
from __future__ import annotations

import re

from gongkai.harvesters.adapters.dom import absolute, text_of
from gongkai.harvesters.adapters.page_text import CHROME_LINE, SKIP_TEXT, PageText, chrome_self, in_chrome
from gongkai.harvesters.fields import DATE_LINE, DOC_NO_LINE, clean, parse_date
from selectolax.lexbor import LexborHTMLParser, LexborNode

BLOCK = frozenset({"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
                   "dd", "dt", "dl", "ul", "ol", "blockquote", "center", "pre", "hr", "form", "tbody", "thead"})
CONTAINER = frozenset({"div", "td", "article", "section", "main", "body", "center", "form", "span", "font"})
# Headings of a related-documents box (a bare 政策解读 heading is often a side list of the column: not counted).
RELATED_HEADING = re.compile(r"相关解读|解读材料|相关文件|原文|相关政策|关联文件|关联政策")
# A part of <title> that names the site or section, not the document (…人民政府, …门户网站, 政府信息公开 …).
SITE_PART = re.compile(r".{0,14}(人民政府|门户网站|政府网|网站|政府信息公开|信息公开|政务公开|首页|公开目录)")
TITLE_SPLIT = re.compile(r"\s*(?:[-_|｜—–]+|::)\s*")


# ── the title ───────────────────────────────────────────────────────────────────────────────────────────────
def title_from_tag(page_title: str) -> str:
    """The document's part of a <title>: the site's or section's name cut from either end (标题-某某县人民政府,
    某某县人民政府_标题); a hyphen inside the title itself (1-10月…) stays."""
    text = page_title
    while True:
        parts = list(TITLE_SPLIT.finditer(text))
        if not parts:
            return text
        head, tail = text[:parts[0].start()], text[parts[-1].end():]
        if SITE_PART.fullmatch(tail) and text[:parts[-1].start()]:
            text = text[:parts[-1].start()]
        elif SITE_PART.fullmatch(head) and text[parts[0].end():]:
            text = text[parts[0].end():]
        else:
            return text


def title_node(tree: LexborHTMLParser) -> tuple[LexborNode | None, str]:
    """The element holding the document's title and its text: the heading (or title-classed element) whose text the
    page's <title> names, else the first heading of six characters or more; (None, <title>'s own part) otherwise."""
    page_title = text_of(tree.css_first("title"))
    named = title_from_tag(page_title)
    candidates = tree.css("h1, h2, h3, h4, [class*=title], [class*=Title], [id*=title], [class*=biaoti]")
    first_long = None
    for node in candidates:
        if in_chrome(node):
            continue
        text = text_of(node)
        if len(text) < 4 or len(text) > 200 or (SITE_PART.fullmatch(text) and text != named):
            continue
        if text in (named, page_title) or (len(text) >= 6 and (named.startswith(text.rstrip("…. ")) or text in named
                                                                or page_title.startswith(text) or page_title.endswith(text))):
            return node, text
        if SITE_PART.fullmatch(text):  # the site's name in a logo heading
            continue
        if first_long is None and node.tag in ("h1", "h2", "h3") and len(text) >= 6:
            first_long = (node, text)
    if first_long:
        return first_long
    return None, named


# ── the body ────────────────────────────────────────────────────────────────────────────────────────────────
def lines_of(el: LexborNode, skip_chrome: bool = False) -> list[str]:
    """The element's text as lines: a new line at every block element (p, div, br, tr, li …), inline elements
    (span, font, a …) joined into their line; table cells of a row separated by a space. With skip_chrome, the
    share bars, related-links boxes and other chrome inside the element are left out."""
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = clean("".join(current))
        if line:
            lines.append(line)
        current.clear()

    stack: list[tuple[LexborNode, bool]] = [(el, False)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag
        if leaving:
            if tag in BLOCK:
                flush()
            elif tag in ("td", "th"):
                current.append(" ")
            continue
        if tag == "-text":
            if node.parent is not None and node.parent.tag not in SKIP_TEXT:
                current.append(node.text_content or "")
            continue
        if tag.startswith("-") or tag in SKIP_TEXT:
            continue
        if skip_chrome and node is not el and chrome_self(node):
            continue
        if tag in BLOCK:
            flush()
        stack.append((node, True))
        kids = list(node.iter(include_text=True))
        stack.extend((k, False) for k in reversed(kids))
    flush()
    return [line for line in lines if not CHROME_LINE.search(line)] if skip_chrome else lines


def body_block(page: PageText, title: LexborNode | None, metadata: set[int]) -> LexborNode | None:
    """The block holding the document's text: from the first text after the title (and the metadata) that is not a
    link, not metadata and not chrome, climb to the widest block that still holds neither the title nor metadata."""
    if title is None:
        return densest(page, metadata)
    texts, where = page.texts, page.where
    inside_title = {n.mem_id for n in title.traverse()}
    title_text = text_of(title)
    start = next((i + 1 for i, parent in enumerate(where)
                  if parent.mem_id in inside_title or texts[i] == title_text), 0)
    for i in range(start, len(texts)):
        parent = where[i]
        if parent.mem_id in metadata or parent.mem_id in inside_title or _inside_link(parent):
            continue
        if _inside_any(parent, metadata) or page.chrome(parent):
            continue
        return _widen(parent, title, metadata)
    return None


def densest(page: PageText, metadata: set[int]) -> LexborNode | None:
    """Without a title to start from: the block with the most text outside links (at most a third of its text in
    links), narrowed to the child that still holds four fifths of it."""
    own: dict[int, int] = {}
    linked: dict[int, int] = {}
    nodes: dict[int, LexborNode] = {}
    for text, parent in zip(page.texts, page.where, strict=True):
        if _inside_any(parent, metadata) or page.chrome(parent):
            continue
        in_link = _inside_link(parent)
        n, hops = parent, 0
        while n is not None and hops < 25 and n.tag not in ("html",):
            target = linked if in_link else own
            target[n.mem_id] = target.get(n.mem_id, 0) + len(text)
            nodes[n.mem_id] = n
            n, hops = n.parent, hops + 1
    usable = {k: v for k, v in own.items() if v and linked.get(k, 0) <= v / 2 and not chrome_self(nodes[k])}
    if not usable:
        return None
    best = nodes[max(usable, key=usable.get)]
    while True:
        kids = [k for k in best.iter() if k.mem_id in usable]
        top = max(kids, key=lambda k: usable[k.mem_id], default=None)
        if top is None or usable[top.mem_id] < 0.8 * usable[best.mem_id]:
            return best
        best = top


def _inside(node: LexborNode, box: LexborNode, hops: int = 30) -> bool:
    n = node
    while n is not None and hops > 0:
        if n.mem_id == box.mem_id:
            return True
        n, hops = n.parent, hops - 1
    return False


def _inside_any(node: LexborNode, ids: set[int], hops: int = 4) -> bool:
    n = node
    while n is not None and hops > 0:
        if n.mem_id in ids:
            return True
        n, hops = n.parent, hops - 1
    return False


def _inside_link(node: LexborNode) -> bool:
    n, hops = node, 0
    while n is not None and hops < 4:
        if n.tag == "a":
            return True
        n, hops = n.parent, hops + 1
    return False


def _holds(box: LexborNode, title: LexborNode | None, metadata: set[int]) -> bool:
    """Whether box holds the title or any metadata element (so it is wider than the body)."""
    if title is not None and _inside(title, box):
        return True
    return any(node.mem_id in metadata for node in box.traverse())


def _widen(start: LexborNode, title: LexborNode | None, metadata: set[int]) -> LexborNode:
    """The widest container above `start` that holds neither the title nor metadata, nor chrome."""
    best = start
    node = start
    while node.parent is not None and node.parent.tag not in ("html", "body"):
        parent = node.parent
        if _holds(parent, title, metadata) or chrome_self(parent):
            break
        node = parent
        if node.tag in CONTAINER or node.tag in BLOCK:
            best = node
    return best


def doc_no_in_body(lines: list[str]) -> str | None:
    """A 文号 standing alone on one of the body's first three lines (not a 采购编号 or other number)."""
    for line in lines[:3]:
        compact = line.replace(" ", "")
        if DOC_NO_LINE.match(compact):
            return compact
    return None


ISSUER = re.compile(r"(人民政府|办公室|办公厅|委员会|局|委|办|政府|中心|厅|院|所|站|会|部|处|队)(（[^）]{1,12}）)?$")


def signature_date(lines: list[str]) -> str | None:
    """The signature's date (落款日期): a date standing alone on one of the body's last four lines, else the last date
    line right under an issuer's name (某某县人民政府 / 2019年1月17日, rules appended after the signature)."""
    compact = [line.replace(" ", "").replace("\u3000", "") for line in lines]
    for i in range(len(compact) - 1, -1, -1):
        line = compact[i]
        if not DATE_LINE.match(line) or parse_date(line) is None:
            continue
        if i >= len(compact) - 4 or (i and len(compact[i - 1]) <= 30 and ISSUER.search(compact[i - 1])):
            return line
    return None


# ── 解读 links ──────────────────────────────────────────────────────────────────────────────────────────────
RELATED_HINT = ("解读", "相关文件", "原文", "相关政策", "关联")  # substrings: `in` is far cheaper than a regex here
HEADINGS = "h2, h3, h4, h5, h6, div, span, p, strong, b, dt, td, em, label, legend, li"


def related_links(url: str, tree: LexborHTMLParser, html: str) -> list[str]:
    """Links in a box headed 相关解读 / 相关文件 / 原文 …, and links whose text names a 解读 (not menu entries)."""
    if not any(word in html for word in RELATED_HINT):  # most pages have neither: no tree walk
        return []
    found: dict[str, None] = {}
    for el in tree.css(HEADINGS):
        own = (el.text(deep=False) or "").strip()
        if not own or len(own) > 12 or not RELATED_HEADING.search(own):
            continue
        box = el.parent
        for _ in range(2):  # the box holding the heading and its list: its parent, or one more level up
            if box is None:
                break
            anchors = [a for a in box.css("a[href]") if not _inside(a, el)]
            if anchors:
                if len(anchors) <= 30:
                    for a in anchors:
                        _keep(url, a, found)
                break
            box = box.parent
    if "解读" in html:
        for a in tree.css("a[href]"):
            text = a.text(deep=True) or ""
            if "解读" in text and len(clean(text)) >= 8 and not in_chrome(a):
                _keep(url, a, found)
    return list(found)


def _keep(url: str, a: LexborNode, found: dict[str, None]) -> None:
    href = (a.attributes.get("href") or "").strip()
    if href and not href.startswith(("javascript", "#", "mailto:")):
        found.setdefault(absolute(url, href), None)
