"""Reading a document page whatever its layout (正文页): labelled metadata, the title, the body, 解读 links.

What every county page carries, because the rules ask for it, in whatever markup its CMS writes:
- **labelled values**: the page's text is read as a stream and each known label (索引号, 发布机构 … with any spaces
  inside, e.g. 索 引 号) takes the text after it, in the same node (索引号：X), after the label's element
  (<strong>索引号</strong>：X) or in the element right after it (<td>索引号</td><td>X</td>). An **attribute line**
  holds several in one node (发布日期：2018-06-11 08:43:47  来源：政府办  作者：…  浏览次数：…): it is split at every
  label, and the labels that are not metadata (作者, 浏览次数, 字体 …) only end the value before them;
- **the title**: the heading that the page's <title> also names, else the first long heading;
- **the body**: the text that follows the title and the metadata, in the block that holds it (not the page chrome,
  share bar or related-links box around it), read line by line;
- in the body, the **文号** standing alone on one of its first lines and the **signature date** (落款日期) on one of its
  last lines, used when no label gives them (recorded as coming from the body);
- **解读 links**: links in a box headed 相关解读 / 相关文件 / 原文 …, and links naming a 解读.
"""
from __future__ import annotations

import re
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from harvesters.adapters.dom import absolute, is_element, text_of
from harvesters.fields import DATE_LINE, DOC_NO_LINE, LABELS, LOOSE_DATE_LABELS, STOP_LABELS, clean, parse_date

SKIP_TEXT = frozenset({"script", "style", "noscript", "select", "option", "textarea", "title", "head"})
SPACE = r"[\s\u3000\u00a0\u2002\u2003]*"
# Class or id words of page chrome around a document: navigation, share bars, related links, footers, pagers.
CHROME = re.compile(r"(?:^|[-_\s])((nav|navbar|menu|header|footer|foot|copyright|share|related|xglj|xgwz|xgxx|position|"
                    r"crumb|breadcrumb|location|dqwz|pager|fenye|pagination|search|sidebar|friendlink|jiucuo|print|"
                    r"tools?|toolbar|fxd|dayin|prev|next|prevnext|pian|others)(?:$|[-_\s\d])|"
                    r"(bdshare|bshare|jiathis|usercontrol|article-?tools)\w*)", re.IGNORECASE)
# Lines that are page chrome whatever the markup: print / close / favourite links, previous and next, share, font size.
CHROME_LINE = re.compile(r"^((【[^】]{0,8}(打印|关闭|收藏|纠错|字体|返回|评论|好友)[^】]{0,8}】|[\[［(（]?(打印本页|关闭窗口|打印|"
                         r"关闭|返回顶部|加入收藏)[\]］)）]?)\s*)+$|^(上一篇|下一篇|上一条|下一条)[:：]|^分享到[:：]?|^【?字体[:：]")
HIDDEN = re.compile(r"display\s*:\s*none", re.IGNORECASE)
BLOCK = frozenset({"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
                   "dd", "dt", "dl", "ul", "ol", "blockquote", "center", "pre", "hr", "form", "tbody", "thead"})
CONTAINER = frozenset({"div", "td", "article", "section", "main", "body", "center", "form", "span", "font"})
# Headings of a related-documents box (a bare 政策解读 heading is often a side list of the column: not counted).
RELATED_HEADING = re.compile(r"相关解读|解读材料|相关文件|原文|相关政策|关联文件|关联政策")
# A part of <title> that names the site or section, not the document (…人民政府, …门户网站, 政府信息公开 …).
SITE_PART = re.compile(r".{0,14}(人民政府|门户网站|政府网|网站|政府信息公开|信息公开|政务公开|首页|公开目录)")
TITLE_SPLIT = re.compile(r"\s*(?:[-_|｜—–]+|::)\s*")


@lru_cache(maxsize=1)
def _labels() -> tuple[dict[str, str | None], re.Pattern, re.Pattern]:
    """(bare label → field or None for stop labels, the pattern of a label opening a text, the pattern of every label
    in an attribute line)."""
    known: dict[str, str | None] = {**dict.fromkeys(STOP_LABELS), **dict.fromkeys(LOOSE_DATE_LABELS, "published_date"),
                                    **LABELS}
    alts = "|".join(SPACE.join(map(re.escape, label)) for label in sorted(known, key=len, reverse=True))
    opening = re.compile(rf"^({alts}){SPACE}([:：]?)\s*(.*)$", re.DOTALL)
    inline = re.compile(rf"(?:^|(?<=[\s|丨｜│/【\[（(】\]）)·,，;；]))({alts}){SPACE}[:：]")
    return known, opening, inline


def bare(label: str) -> str:
    return re.sub(SPACE, "", label)


# Any other short label after a space ends a value too (点击次数：…, 文章人气数：…): a line of labels never runs into the
# next one, whatever words a CMS uses for its counters.
OTHER_LABEL = re.compile(r"[\s\u3000\u00a0|丨｜│【\[]+[\u4e00-\u9fff]{2,6}[:：]")


def split_attributes(text: str) -> list[tuple[str, str]]:
    """Every (label, value) of an attribute line, in order: the value runs to the next label (known or not). Stop
    labels end a value and are dropped; a bare 时间 / 日期 counts only when a full date follows it."""
    known, _, inline = _labels()
    marks = list(inline.finditer(text))
    out = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        label = bare(m.group(1))
        other = OTHER_LABEL.search(text, m.end(), end)
        value = clean(text[m.end():other.start() if other else end]).strip("【】[]|丨｜│ ")
        if known.get(label) is None:
            continue
        if label in LOOSE_DATE_LABELS and parse_date(value) is None and (value or i + 1 < len(marks)):
            continue  # a bare 时间 / 日期 with no date after it (an empty one at the end may take the next node's)
        out.append((label, value))
    return out


def _stream(tree: LexborHTMLParser) -> tuple[list[str], list[LexborNode]]:
    """The page's text nodes in order (stripped) and their parent elements, outside scripts and styles."""
    texts, where = [], []
    root = tree.body or tree.root
    if root is None:
        return texts, where
    for node in root.traverse(include_text=True):
        if node.tag == "-text":
            t = node.text_content
            if t and not t.isspace():
                parent = node.parent
                if parent is not None and parent.tag not in SKIP_TEXT:
                    texts.append(t.strip())
                    where.append(parent)
    return texts, where


class PageText:
    """A document page's text, read once for the labels and the body: its text nodes in order (stripped) with their
    parent elements, and which elements are chrome (remembered per element)."""

    def __init__(self, tree: LexborHTMLParser) -> None:
        self.tree = tree
        self.texts, self.where = _stream(tree)
        self._chrome: dict[int, bool] = {}

    def chrome(self, node: LexborNode) -> bool:
        """Whether the element is inside page chrome (CHROME class or id words) or hidden (display:none)."""
        seen = []
        n, hops, found = node, 0, False
        while n is not None and hops < 12:
            known = self._chrome.get(n.mem_id)
            if known is not None:
                found = known
                break
            seen.append(n.mem_id)
            if is_element(n) and _chrome_self(n):
                found = True
                break
            n, hops = n.parent, hops + 1
        for key in seen:
            self._chrome[key] = found
        return found


def labelled_values(page: PageText) -> tuple[list[tuple[str, str]], set[int]]:
    """(every (label, value) pair on the page in order, the mem_ids of the elements that hold them)."""
    known, opening, _ = _labels()
    texts, where = page.texts, page.where
    pairs: list[tuple[str, str]] = []
    holders: set[int] = set()
    soft: list[LexborNode] = []  # texts with only non-metadata labels (浏览次数：…, 采购编号：…)
    i = 0
    while i < len(texts):
        text = texts[i]
        found: list[tuple[str, str]] = []
        labelled = False
        if len(text) < 300:
            if "：" in text or ":" in text:
                found = split_attributes(text)
                labelled = bool(found) or _labels()[2].search(text) is not None  # 浏览次数：… is metadata too
            if not found:
                m = opening.match(text)
                if m and not m.group(3) and known.get(bare(m.group(1))) is not None:
                    found = [(bare(m.group(1)), "")]
        if labelled and not found:
            soft.append(where[i])
        if found:
            holders.add(where[i].mem_id)
            label, value = found[-1]
            if (not value and i + 1 < len(texts) and not opening.match(texts[i + 1])
                    and _follows(where[i], label, where[i + 1])):
                found[-1] = (label, clean(texts[i + 1]).lstrip(":：").strip())
                holders.add(where[i + 1].mem_id)
                i += 1
            pairs += [(k, v) for k, v in found if k not in LOOSE_DATE_LABELS or parse_date(v)]
        i += 1
    # 浏览次数：… belongs to the attribute line it sits in (a block holding metadata labels); alone, as a 采购编号 line
    # in a body, it is text
    blocks = {_block_of(n).mem_id for n in texts_parents(holders, where)}
    holders |= {n.mem_id for n in soft if _block_of(n).mem_id in blocks}
    return pairs, holders


def texts_parents(holders: set[int], where: list[LexborNode]) -> list[LexborNode]:
    return [n for n in {n.mem_id: n for n in where if n.mem_id in holders}.values()]


def _block_of(node: LexborNode) -> LexborNode:
    """The nearest block element holding the node (an inline span's div, a cell's row)."""
    n = node
    while n.parent is not None and n.tag not in ("div", "p", "tr", "li", "ul", "dl", "table", "td", "section"):
        n = n.parent
    return n.parent if n.tag in ("td", "li") and n.parent is not None else n


def _follows(label_el: LexborNode, label_text: str, value_el: LexborNode) -> bool:
    """Whether value_el holds the value of the label written in label_el."""
    if value_el.mem_id == label_el.mem_id:  # <span>信息来源：<!--…-->省发改委</span>
        return True
    if _next_holds(label_el, value_el):  # <dt>索引号</dt><dd>X</dd>: the common case, and cheap
        return True
    box = label_el  # <td><strong>索引号</strong></td><td>X</td>: climb to the td
    while box.parent is not None and bare(text_of(box.parent)).rstrip(":：") == label_text:
        box = box.parent
    if box.parent is not None and value_el.mem_id == box.parent.mem_id:
        return True
    return box is not label_el and _next_holds(box, value_el)


def _next_holds(box: LexborNode, value_el: LexborNode) -> bool:
    """Whether value_el is, or is inside (within 4 levels), the element right after box."""
    sibling = box.next
    while sibling is not None and not is_element(sibling):
        sibling = sibling.next
    node, hops = value_el, 0
    while sibling is not None and node is not None and hops < 4:
        if node.mem_id == sibling.mem_id:
            return True
        node, hops = node.parent, hops + 1
    return False


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
        if _in_chrome(node):
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


def _in_chrome(node: LexborNode) -> bool:
    """Whether the node is inside page chrome (CHROME class or id words) or a hidden element (display:none)."""
    n, hops = node, 0
    while n is not None and hops < 12:
        if is_element(n) and _chrome_self(n):
            return True
        n, hops = n.parent, hops + 1
    return False


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
        if skip_chrome and node is not el and _chrome_self(node):
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
    usable = {k: v for k, v in own.items() if v and linked.get(k, 0) <= v / 2 and not _chrome_self(nodes[k])}
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
        if _holds(parent, title, metadata) or _chrome_self(parent):
            break
        node = parent
        if node.tag in CONTAINER or node.tag in BLOCK:
            best = node
    return best


def _chrome_self(node: LexborNode) -> bool:
    attrs = node.attributes
    if any(attrs.get(k) and CHROME.search(attrs.get(k)) for k in ("class", "id")):
        return True
    style = attrs.get("style")
    return bool(style) and "none" in style and HIDDEN.search(style) is not None


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
            if "解读" in text and len(clean(text)) >= 8 and not _in_chrome(a):
                _keep(url, a, found)
    return list(found)


def _keep(url: str, a: LexborNode, found: dict[str, None]) -> None:
    href = (a.attributes.get("href") or "").strip()
    if href and not href.startswith(("javascript", "#", "mailto:")):
        found.setdefault(absolute(url, href), None)
