"""The shared shape of a CMS adapter: column tree → list pages → document pages → attachments.

A family module fills in the selectors and the pager; everything else (label/value metadata, body text,
attachments, related 解读 links, sanity checks) is shared here. Pages are parsed with lexbor (selectolax): a parser
fix means re-parsing every archived page, so this is the hot path (see benchmarks/reparse.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from html import unescape
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from harvesters.errors import SiteChanged
from harvesters.fields import (
    SITE_META,
    clean,
    label_key,
    normalise_doc_no,
    normalise_index_no,
    normalise_publisher,
    optional,
    parse_date,
)

# Links to files: a path ending in an attachment type (a query may follow), or a download script.
ATTACHMENT_HREF = re.compile(r"\.(pdf|docx?|xlsx?|wps|et|ofd|zip|rar|txt|csv)(\?|#|$)|downfile|download\.jsp", re.I)
# A cheap test on the raw page first (it starts from the literal `href=`), so the many pages without attachments
# skip the scan of every link; download scripts are plain substrings.
ATTACHMENT_HINT = re.compile(r"""href=["'][^"']*\.(?:pdf|PDF|docx?|DOCX?|xlsx?|XLSX?|wps|WPS|et|ofd|OFD|zip|ZIP|rar|RAR|txt"""
                             r"""|csv)["'?#]""")
META = [re.compile(r"""<meta\s+name=["']?([A-Za-z]+)["']?\s+content=["']([^"']*)["']"""),
        re.compile(r"""<meta\s+content=["']([^"']*)["']\s+name=["']?([A-Za-z]+)["']?""")]
BLANK_NOTE = re.compile(r"无(此类|相关|该类)信息|不涉及|暂无(此类)?信息")


@dataclass(frozen=True)
class Request:
    url: str
    method: str = "GET"
    data: tuple[tuple[str, str], ...] = ()

    @property
    def form(self) -> dict[str, str] | None:
        return dict(self.data) or None


@dataclass
class ColumnLink:
    """A column (栏目) in the disclosure tree: its path of names, and its list URL if it has one."""

    path: str
    name: str
    url: str | None
    depth: int

    @property
    def parent_path(self) -> str | None:
        return self.path.rsplit("/", 1)[0] if "/" in self.path else None


@dataclass
class ListItem:
    url: str
    title: str
    date: date | None


@dataclass
class ListResult:
    items: list[ListItem]
    more: list[Request] = field(default_factory=list)
    note: str | None = None


@dataclass
class DocFields:
    title: str
    fields: dict[str, str] = field(default_factory=dict)
    body_text: str = ""
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (url, name)
    related_urls: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    confidence: float = 1.0  # how sure the adapter is of the fields (the generic adapter's share of core fields)

    def value(self, key: str) -> str | None:
        return optional(self.fields.get(key))

    @property
    def index_no(self) -> str | None:
        return normalise_index_no(self.fields.get("index_no"))

    @property
    def publisher(self) -> str | None:
        return normalise_publisher(self.fields.get("publisher"))

    @property
    def doc_no(self) -> str | None:
        return normalise_doc_no(self.fields.get("doc_no"))

    @property
    def written_date(self) -> date | None:
        return parse_date(self.fields.get("written_date"))

    @property
    def published_date(self) -> date | None:
        return parse_date(self.fields.get("published_date"))


# ── small helpers over lexbor nodes ──────────────────────────────────────────────────────────────────────
def parse_html(text: str) -> LexborHTMLParser:
    return LexborHTMLParser(text)


def text_of(node: LexborNode | None) -> str:
    return clean(node.text(deep=True)) if node is not None else ""


def children(node: LexborNode, *tags: str) -> list[LexborNode]:
    """The element children of `node` (only those named `tags`, when given)."""
    return [c for c in node.iter() if not tags or c.tag in tags]


def next_element(node: LexborNode, tag: str | None = None) -> LexborNode | None:
    """The next sibling element (skipping text and comments), or the next one named `tag`."""
    n = node.next
    while n is not None and (n.tag.startswith("-") or n.tag == "_comment" or (tag and n.tag != tag)):
        n = n.next
    return n


def absolute(base: str, href: str) -> str:
    """urljoin, with a fast path for the two forms nearly every link on these sites takes: a full URL, or a path
    from the root (urljoin costs a few microseconds a link, which shows when re-parsing millions of pages)."""
    if href.startswith(("http://", "https://")):
        return href
    if href.startswith("/") and not href.startswith("//") and base.startswith(("http://", "https://")):
        cut = base.find("/", base.index("//") + 2)
        return (base if cut < 0 else base[:cut]) + href
    return urljoin(base, href)


def attr(node: LexborNode | None, name: str) -> str | None:
    return node.attributes.get(name) if node is not None else None


class Adapter:
    """Base adapter. Subclasses set the selectors and implement `list_page` (each family pages differently)."""

    name = "base"
    version = "0.2"
    nav_selector = "ul"
    title_selector = "h1"
    body_selector = "body"
    label_selector = "table td.label"  # the metadata table's label cells (see metadata_pairs)

    # ── the column tree (栏目树) ─────────────────────────────────────────────────────────────────────────
    def support(self, url: str, text: str) -> list[Request]:
        """Files the entry page needs read before its column tree can be (the scripts of a page that builds its
        catalogue in the browser, see scripted.py); the crawl fetches them and passes them to `columns`."""
        return []

    def columns(self, url: str, text: str, support: dict[str, str] | None = None) -> list[ColumnLink]:
        tree = parse_html(text)
        root = tree.css_first(self.nav_selector)
        if root is None:
            raise SiteChanged(f"{url}: no column tree at {self.nav_selector!r}; has the {self.name} layout changed?")
        top = root if root.tag == "ul" else root.css_first("ul")
        return self.walk_tree(url, top) if top is not None else []

    @staticmethod
    def walk_tree(url: str, ul: LexborNode, prefix: str = "", depth: int = 0) -> list[ColumnLink]:
        """Nested <ul><li><a>name</a><ul>…</ul></li></ul> → columns; a <span> label is a column without a list."""
        out: list[ColumnLink] = []
        for li in children(ul, "li"):
            label = next((c for c in li.iter() if c.tag in ("a", "span")), None)
            if label is None:
                continue
            name = text_of(label)
            path = f"{prefix}/{name}" if prefix else name
            href = attr(label, "href") if label.tag == "a" else None
            out.append(ColumnLink(path=path, name=name, url=urljoin(url, href) if href else None, depth=depth))
            sub = next((c for c in li.iter() if c.tag == "ul"), None)
            if sub is not None:
                out += Adapter.walk_tree(url, sub, path, depth + 1)
        return out

    # ── list pages ──────────────────────────────────────────────────────────────────────────────────────
    def list_page(self, url: str, text: str) -> ListResult:
        raise NotImplementedError

    @staticmethod
    def items_from(base_url: str, rows: list[LexborNode], date_selector: str) -> list[ListItem]:
        """List rows → items; a row with a date but no link means the layout changed."""
        items = []
        for row in rows:
            a, when = row.css_first("a[href]"), row.css_first(date_selector)
            if a is None and when is None:
                continue
            if a is None:
                raise SiteChanged(f"{base_url}: a list row has a date but no link; the list layout changed")
            items.append(ListItem(url=absolute(base_url, a.attributes["href"]),
                                  title=clean(a.attributes.get("title") or a.text(deep=True)),
                                  date=parse_date(when.text(deep=True)) if when is not None else None))
        return items

    @staticmethod
    def note_in(node: LexborHTMLParser | LexborNode) -> str | None:
        """An explanatory note on a blank column, e.g. '本机关无此类信息'."""
        for el in node.css("p, div, span, li"):
            text = text_of(el)
            own = 1 if el.tag in ("p", "div") else 0  # a node's css() includes the node itself
            if text and len(text) < 200 and BLANK_NOTE.search(text) and len(el.css("p, div")) == own:
                return text
        return None

    # ── document pages ──────────────────────────────────────────────────────────────────────────────────
    def metadata_pairs(self, tree: LexborHTMLParser) -> list[tuple[str, str]]:
        """The metadata table most families use: a label cell (`label_selector`), its value in the next <td>."""
        pairs = []
        for cell in tree.css(self.label_selector):
            value = next_element(cell, "td")
            pairs.append((cell.text(deep=True), value.text(deep=True) if value is not None else ""))
        return pairs

    @staticmethod
    def site_meta(html: str) -> dict[str, str]:
        """ArticleTitle, PubDate and ContentSource from the page's <meta> tags (政府网站发展指引), when present.
        Read from the raw <head> with two patterns (name before or after content): cheaper than a tree query."""
        end = html.find("</head>")
        head = html[:end if end > 0 else 20000]
        pairs = [(n, v) for n, v in META[0].findall(head)] + [(n, v) for v, n in META[1].findall(head)]
        out = {}
        for name, content in pairs:
            key, value = SITE_META.get(name.lower()), clean(unescape(content))
            if key and value and key not in out:
                out[key] = value
        return out

    @staticmethod
    def body_text(el: LexborNode) -> str:
        """Paragraphs and table rows, one per line; a body laid out in <div>s falls back to its text lines."""
        lines = [text_of(p) for p in el.css("p, tr")]
        if not any(lines):
            lines = [clean(line) for line in el.text(deep=True, separator="\n").splitlines()]
        return "\n".join(line for line in lines if line)

    @staticmethod
    def attachments(url: str, tree: LexborHTMLParser, html: str) -> list[tuple[str, str]]:
        """Links to files (附件), once each, in page order."""
        found: dict[str, str] = {}
        if ATTACHMENT_HINT.search(html) or "downfile" in html or "download.jsp" in html:
            for a in tree.css("a[href]"):
                href = a.attributes["href"] or ""
                if ATTACHMENT_HREF.search(href):
                    found.setdefault(absolute(url, href), text_of(a))
        return list(found.items())

    @staticmethod
    def related(url: str, tree: LexborHTMLParser, html: str) -> list[str]:
        """Links in the related-documents box (政策解读 ↔ 相关文件)."""
        if "related-docs" not in html:
            return []
        return [absolute(url, a.attributes["href"]) for a in tree.css(".related-docs a[href]")]

    def document(self, url: str, html: str) -> DocFields:
        tree = parse_html(html)
        fields: dict[str, str] = {}
        for label, value in self.metadata_pairs(tree):
            key = label_key(label)
            if key and key not in fields:
                fields[key] = clean(value)
        has_block = bool(fields)
        meta = self.site_meta(html)
        for key in ("published_date", "source"):  # the metadata block wins; the <meta> tags fill gaps
            if key in meta and not optional(fields.get(key)):
                fields[key] = meta[key]
        warnings: list[str] = []
        title = self.title_of(tree, fields, meta, warnings)
        body = self.body_of(tree, warnings)
        if not has_block:
            warnings.append("no metadata block found")
        return DocFields(title=title, fields=fields, body_text=body, attachments=self.attachments(url, tree, html),
                         related_urls=self.related(url, tree, html), warnings=warnings,
                         confidence=1.0 if has_block else 0.5)

    def title_of(self, tree: LexborHTMLParser, fields: dict, meta: dict, warnings: list[str]) -> str:
        title = text_of(tree.css_first(self.title_selector)) or fields.get("name", "") or meta.get("name", "")
        if not title:
            title = text_of(tree.css_first("title"))
            warnings.append("title taken from <title>")
        return title

    def body_of(self, tree: LexborHTMLParser, warnings: list[str]) -> str:
        body_el = tree.css_first(self.body_selector)
        if body_el is None:
            warnings.append(f"no body at {self.body_selector!r}")
            return ""
        body = self.body_text(body_el)
        if not body:
            warnings.append(f"empty body at {self.body_selector!r}")
        return body
