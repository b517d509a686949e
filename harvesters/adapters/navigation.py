"""The column tree (栏目树) of a disclosure section, from whatever markup holds it.

Real sections lay their columns out as nested lists, as headings each followed by a list (<h3>法定主动公开内容</h3>
<ul>…</ul>), as <dl> groups, as flat menus of <div>s or table cells, or as a grid of blocks (a block title, a 更多 link
and a few dated items). What they share is their names: the rules fix them (政府信息公开指南, 政策文件, 财政预决算 …).

1. **Candidates**: every link with a short name (its text, else its title or image's alt) that is not a document
   (no full date beside it), not an attachment and not a 更多 link (which lends its address to the block's title).
2. **Regions**: the element whose links carry the most statutory column names, less a third of a point for every
   other link (so the portal's menus and footers, with a few such names among many others, lose to the section's
   own menu), is the tree; further disjoint regions count where most of their links are statutory names (a second
   menu of 指南 / 制度 / 年报 links, a grid of blocks).
3. **Hierarchy**, read from the markup: a nested list item's label, the heading right before a list, a <dl>'s <dt>.
   A heading without a link is a column without a list (a container).

`subcolumns` reads a column's own page the same way, for a **group column** whose page shows its sub-columns
instead of documents; on such a page, links the entry page did not have (the page's own content) count as well.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from gongkai.harvesters.adapters.dom import absolute, is_element, previous_element, text_of, text_outside
from gongkai.harvesters.fields import FULL_DATE, clean
from gongkai.schemas.taxonomy import load_taxonomy, normalise_name
from selectolax.lexbor import LexborHTMLParser, LexborNode

ATTACHMENT = re.compile(r"\.(pdf|docx?|xlsx?|wps|et|ofd|zip|rar|txt|csv|jpe?g|png|gif)(\?|#|$)|downfile|download\.jsp",
                        re.IGNORECASE)
ROW_TAGS = ("li", "tr", "dd", "dt", "div", "p")
MORE = re.compile(r"^(更多|more|查看更多|更多信息|更多内容|更多>+|>>+|»)[\s>»+.…]*$", re.IGNORECASE)
PAGER = re.compile(r"^(\d{1,4}|首页|上一页|上页|下一页|下页|尾页|末页|前页|后页|[<>«»‹›]+|\.\.\.)$")
# Column names a disclosure tree carries beyond the taxonomy's (the four-layer platform's own labels).
TREE_WORDS = ("信息公开", "公开指南", "公开制度", "公开年报", "年度报告", "主动公开", "依申请公开", "公开目录")
TREE_ENDINGS = ("部门", "乡镇", "街道", "乡镇（街道）", "镇街")
MIN_TREE = 3          # statutory column names the entry page's tree must carry
OTHER_WEIGHT = 0.35   # what a non-statutory link costs a region
MAX_NAME = 30         # a longer link text is a document's title, not a column's name
STATUTORY_SHARE = 0.6  # of a region's links, at least this share carry statutory names
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


@lru_cache(maxsize=1)
def column_names() -> frozenset[str]:
    return frozenset(normalise_name(n) for r in load_taxonomy().requirements for n in r.names)


@lru_cache(maxsize=8192)
def is_column_name(name: str) -> bool:
    norm = normalise_name(name)
    return norm in column_names() or any(w in norm for w in TREE_WORDS) or norm.endswith(TREE_ENDINGS)


def label_name(text: str) -> str:
    """A column's name as shown, without the spaces a layout puts between its characters (政府信息<br>公开指南)."""
    return _CJK_GAP.sub("", clean(text))


@dataclass
class Found:
    """A column as the page shows it: its label element, name, list address and on-page parent."""

    node: LexborNode
    name: str
    url: str | None
    parent: Found | None = None
    children: list[Found] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"{self.parent.path}/{self.name}" if self.parent else self.name

    @property
    def depth(self) -> int:
        return self.parent.depth + 1 if self.parent else 0


@dataclass
class Link:
    node: LexborNode
    name: str
    url: str | None
    statutory: bool
    more: bool = False


# ── candidates ──────────────────────────────────────────────────────────────────────────────────────────────
@dataclass
class Scan:
    """One pass over a page's links: the candidates (see `links`) and the links of dated rows (documents)."""

    links: list[Link]
    dated: list[LexborNode]


def scan(url: str, tree: LexborHTMLParser) -> Scan:
    """Every link that could be a column, and the document links, in page order. A row's text is read once however
    many links it holds (a menu's wrapper <div> can hold dozens)."""
    out: list[Link] = []
    dated: list[LexborNode] = []
    root = tree.body or tree.root
    rows: dict[int, bool] = {}  # row → whether a full date is written in it
    for a in root.css("a") if root is not None else []:
        href = (a.attributes.get("href") or "").strip()
        text = text_of(a)
        if not text:
            img = a.css_first("img")
            text = clean(a.attributes.get("title") or (img.attributes.get("alt") if img is not None else "") or "")
        name = label_name(text)
        if not name or (href and ATTACHMENT.search(href)) or href.startswith("mailto:"):
            continue
        row, hops = a, 0
        while row is not None and row.tag not in ROW_TAGS and hops < 4:
            row, hops = row.parent, hops + 1
        if row is not None and row.tag in ROW_TAGS:
            key = row.mem_id
            if key not in rows:
                rows[key] = FULL_DATE.search(row.text(deep=True, separator=" ")) is not None
            if rows[key] and FULL_DATE.search(text_outside(row, a)):
                dated.append(a)
                continue
        if len(name) > MAX_NAME or PAGER.match(name):
            continue
        target = None if not href or href.startswith(("javascript", "#")) else absolute(url, href)
        more = bool(MORE.match(name))
        out.append(Link(a, name, target, statutory=not more and is_column_name(name), more=more))
    return Scan(out, dated)


def links(url: str, tree: LexborHTMLParser) -> list[Link]:
    """Every link that could be a column: a short name (its text, else its title or image's alt), not a document (no
    full date in its row), not an attachment, not a pager's; 更多 links are marked."""
    return scan(url, tree).links


# ── regions ─────────────────────────────────────────────────────────────────────────────────────────────────
def regions(found: list[Link], min_names: int) -> list[LexborNode]:
    """The tree's region (the best-scoring element with at least `min_names` statutory names) and the disjoint
    regions where most links are statutory names."""
    names: dict[int, int] = {}
    others: dict[int, int] = {}
    nodes: dict[int, LexborNode] = {}
    depth: dict[int, int] = {}
    for link in found:
        if link.more:
            continue
        chain, n = [], link.node.parent
        while n is not None and n.tag not in ("html", "-document"):
            chain.append(n)
            n = n.parent
        for level, n in enumerate(reversed(chain)):
            key = n.mem_id
            nodes[key], depth[key] = n, level
            if link.statutory:
                names[key] = names.get(key, 0) + 1
            else:
                others[key] = others.get(key, 0) + 1

    def score(key: int) -> float:
        return names.get(key, 0) - OTHER_WEIGHT * others.get(key, 0)

    ranked = sorted(names, key=lambda k: (-score(k), -depth[k]))
    chosen: list[LexborNode] = []
    for key in ranked:
        n = names[key]
        if n < 2 or n < STATUTORY_SHARE * (n + others.get(key, 0)):
            continue  # a lone link, or a portal menu with a few such names among others (乡村振兴 in 专题专栏)
        if not chosen:
            if n < min_names:
                break
        elif score(key) < 2:
            continue
        node = nodes[key]
        if any(_inside(node, c) or _inside(c, node) for c in chosen):
            continue
        chosen.append(node)
    return chosen


def _inside(node: LexborNode, box: LexborNode) -> bool:
    n = node
    while n is not None:
        if n.mem_id == box.mem_id:
            return True
        n = n.parent
    return False


# ── hierarchy ───────────────────────────────────────────────────────────────────────────────────────────────
def _label_of_item(li: LexborNode, sub: LexborNode) -> LexborNode | None:
    """The label of a list item holding a sub-list: its first element that is not (and does not hold) the sub-list."""
    for child in li.iter():
        if child.mem_id == sub.mem_id or _inside(sub, child):
            return None
        if child.tag in ("a", "span", "strong", "b", "em", "font", "div", "p", "h1", "h2", "h3", "h4", "h5", "h6",
                         "label") and text_of(child):
            return child
    return None


def _heading_like(node: LexborNode | None) -> bool:
    """A short label (a heading, a title div …) with at most one link besides a 更多 link."""
    if node is None or node.tag in ("ul", "ol", "table", "tbody", "script", "style", "form", "input", "select", "img"):
        return False
    text = text_of(node)
    named = [a for a in ([node] if node.tag == "a" else node.css("a")) if not MORE.match(label_name(text_of(a)))]
    return 0 < len(text) <= 24 and len(named) <= 1


def parent_label(node: LexborNode, region: LexborNode) -> LexborNode | None:
    """The element labelling the group a column's label belongs to, within the region (see the module docstring)."""
    n, hops = node, 0
    while n is not None and hops < 6 and n.mem_id != region.mem_id:  # <dl><dt>group</dt><dd>…</dd>
        if n.tag == "dd":
            dt = n.prev
            while dt is not None and (not is_element(dt) or dt.tag != "dt"):
                dt = dt.prev
            if dt is not None and text_of(dt):
                return dt
            break
        n, hops = n.parent, hops + 1
    item = node  # nested lists: the label of the list item holding this item's list
    while item is not None and item.tag != "li" and item.mem_id != region.mem_id:
        item = item.parent
    if item is not None and item.tag == "li":
        up = item.parent
        while up is not None and up.mem_id != region.mem_id and up.tag != "li":
            up = up.parent
        if up is not None and up.tag == "li":
            sub = item.parent
            while sub is not None and sub.parent is not None and sub.parent.mem_id != up.mem_id:
                sub = sub.parent
            label = _label_of_item(up, sub) if sub is not None else None
            if label is not None:
                return label
    box = node  # a heading right before the list (or the list's wrapper) the label is in
    while box is not None and box.tag not in ("ul", "ol", "dl", "table") and box.mem_id != region.mem_id:
        box = box.parent
    if box is None or box.mem_id == region.mem_id:
        return None
    for candidate in (box, box.parent):
        if candidate is None or candidate.mem_id == region.mem_id:
            break
        heading = previous_element(candidate)
        if _heading_like(heading):
            inner = heading if heading.tag == "a" else next(
                (a for a in heading.css("a") if text_of(a) and not MORE.match(label_name(text_of(a)))), None)
            return inner if inner is not None else heading
        if heading is not None:
            break
    return None


def tree_of(url: str, tree: LexborHTMLParser, min_names: int = MIN_TREE, found: list[Link] | None = None) -> list[Found]:
    """The columns in the page's tree regions, in page order, each with its on-page parent."""
    found = links(url, tree) if found is None else found
    chosen = regions(found, min_names)
    if not chosen:
        return []
    by_node: dict[int, Found] = {}
    out: list[Found] = []
    addresses = {}
    for link in found:
        if link.url and not link.more:
            addresses.setdefault(link.url, link)

    def resolve(node: LexborNode, region: LexborNode, name: str, url: str | None, seen: frozenset[int]) -> Found | None:
        key = node.mem_id
        if key in by_node:
            return by_node[key]
        if key in seen:
            return None
        label = parent_label(node, region)
        parent = None
        if label is not None and label.mem_id != key:
            link = label if label.tag == "a" else None
            parent_name = label_name(text_of(label))
            parent_url = None
            if link is not None:
                href = (link.attributes.get("href") or "").strip()
                parent_url = absolute(url_base, href) if href and not href.startswith(("javascript", "#")) else None
            parent = resolve(label, region, parent_name, parent_url, seen | {key}) if parent_name else None
        col = Found(node, name, url, parent)
        if parent is not None:
            parent.children.append(col)
        by_node[key] = col
        out.append(col)
        return col

    url_base = url
    listed: set[str] = set()  # a menu written twice (a broken comment, a mobile copy) lists each address once
    for region in chosen:
        for link in found:
            if (link.url is None and not link.statutory) or link.more or link.url in listed:
                continue
            if not _inside(link.node, region):
                continue
            if link.url:
                listed.add(link.url)
            resolve(link.node, region, link.name, link.url, frozenset())
    return _page_order(out)


def _page_order(cols: list[Found]) -> list[Found]:
    """Parents before children, siblings in page order (a parent resolved late keeps its place)."""
    roots = [c for c in cols if c.parent is None]
    ordered: list[Found] = []

    def walk(c: Found) -> None:
        ordered.append(c)
        for k in c.children:
            walk(k)
    for r in roots:
        walk(r)
    return ordered


def block_titles(url: str, tree: LexborHTMLParser, dated: list[LexborNode]) -> list[Link]:
    """The links heading a block of dated items (a grid of sub-column blocks: title, 更多, the newest documents),
    whatever their names: the block's title link (`dated`: the page's document links, from `scan`)."""
    found: dict[str, Link] = {}
    root = tree.body or tree.root
    boxes: set[int] = set()
    for a in dated:
        box = a.parent.parent if a.parent is not None and a.parent.parent is not None else a
        if box.mem_id in boxes:  # one heading per list
            continue
        boxes.add(box.mem_id)
        label = parent_label(a, root)
        if label is None or label.tag != "a":
            continue
        href = (label.attributes.get("href") or "").strip()
        title = label_name(text_of(label))
        if not href or href.startswith(("javascript", "#")) or not title or len(title) > MAX_NAME:
            continue
        target = absolute(url, href)
        if target != url and target not in found:
            found[target] = Link(label, title, target, statutory=is_column_name(title))
    return list(found.values())
