"""The shared shape of a CMS adapter: column tree → list pages → document pages → attachments.

A family module fills in the selectors and the pager it knows; wherever they find nothing (a county on the same
platform with another template, a page of another kind), the generic readers take over: the column tree of
navigation.py, the list reading of listing.py, the labelled values of metadata.py, the title and body of content.py.
So a family adapter never reads less than the generic one. Pages are parsed with lexbor (selectolax): a parser fix
means re-parsing every archived page, so this is the hot path (see benchmarks/reparse.py).
"""
from __future__ import annotations

import re
from html import unescape

from gongkai.harvesters.adapters import content, navigation
from gongkai.harvesters.adapters.dom import absolute, attr, children, next_element, parse_html, text_of
from gongkai.harvesters.adapters.listing import read_list
from gongkai.harvesters.adapters.metadata import labelled_values
from gongkai.harvesters.adapters.page_text import PageText
from gongkai.harvesters.adapters.results import Attachment, ColumnLink, DocFields, ListItem, ListResult, Request
from gongkai.harvesters.errors import SiteChanged
from gongkai.harvesters.fields import LOOSE_DATE_LABELS, SITE_META, clean, label_key, optional, parse_date
from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = ["Adapter", "Attachment", "ColumnLink", "DocFields", "ListItem", "ListResult", "Request", "absolute", "attr",
           "children", "confidence", "next_element", "parse_html", "text_of"]

# Links to files: a path ending in an attachment type (a query may follow), or a download script.
ATTACHMENT_HREF = re.compile(r"\.(pdf|docx?|xlsx?|wps|et|ofd|zip|rar|txt|csv)(\?|#|$)|downfile|download\.jsp", re.I)
# A cheap test on the raw page first (it starts from the literal `href=`), so the many pages without attachments
# skip the scan of every link; download scripts are plain substrings.
ATTACHMENT_HINT = re.compile(r"""href=["'][^"']*\.(?:pdf|PDF|docx?|DOCX?|xlsx?|XLSX?|wps|WPS|et|ofd|OFD|zip|ZIP|rar|RAR|txt"""
                             r"""|csv)["'?#]""")
META = [re.compile(r"""<meta\s+name=["']?([A-Za-z]+)["']?\s+content=["']([^"']*)["']"""),
        re.compile(r"""<meta\s+content=["']([^"']*)["']\s+name=["']?([A-Za-z]+)["']?""")]
BLANK_NOTE = re.compile(r"无(此类|相关|该类)信息|不涉及|暂无(此类)?信息")
CORE = ("index_no", "publisher", "published_date", "written_date", "doc_no")


class Adapter:
    """Base adapter. Subclasses set the selectors and, where the family pages its own way, `list_page`."""

    name = "base"
    signs: tuple[tuple[str, str, int], ...] = ()  # the marks that recognise the family's pages (harvesters.detect)
    version = "0.3"
    nav_selector: str | None = None    # the family's column tree (a nested list)
    title_selector: str | None = None  # the family's title element
    body_selector: str | None = None   # the family's body element
    label_selector: str | None = None  # the metadata table's label cells (see metadata_pairs)

    # ── the column tree (栏目树) ─────────────────────────────────────────────────────────────────────────
    def support(self, url: str, text: str) -> list[Request]:
        """Files the entry page needs read before its column tree can be (the scripts of a page that builds its
        catalogue in the browser, see scripted.py); the crawl fetches them and passes them to `columns`."""
        return []

    def columns(self, url: str, text: str, support: dict[str, str] | None = None) -> list[ColumnLink]:
        """The family's nested list at `nav_selector`, else the tree the generic reader finds (navigation.py)."""
        tree = parse_html(text)
        root = tree.css_first(self.nav_selector) if self.nav_selector else None
        top = None if root is None else root if root.tag == "ul" else root.css_first("ul")
        if top is not None:
            found = self.walk_tree(url, top)
            if found:
                return found
        found = self.generic_columns(url, tree)
        if not found:
            raise SiteChanged(f"{url}: no disclosure column tree found (no {self.nav_selector!r}, and no menu with at least "
                              f"{navigation.MIN_TREE} statutory column names); is this the disclosure entry page?")
        return found

    @staticmethod
    def generic_columns(url: str, tree: LexborHTMLParser, min_names: int = navigation.MIN_TREE) -> list[ColumnLink]:
        return [ColumnLink(path=c.path, name=c.name, url=c.url, depth=c.depth)
                for c in navigation.tree_of(url, tree, min_names)]

    def subcolumns(self, url: str, text: str, seen: frozenset[str] = frozenset()) -> list[ColumnLink]:
        """The columns a column's own page shows (a group column's sub-columns), with their paths as the page
        arranges them. `seen` holds the addresses of every link on the entry page: on a page with no list of its own,
        the links the entry page did not have are the page's content, so they count as columns too."""
        tree = parse_html(text)
        page = navigation.scan(url, tree)
        found = [ColumnLink(path=c.path, name=c.name, url=c.url, depth=c.depth)
                 for c in navigation.tree_of(url, tree, 1, page.links)]
        known = {c.url for c in found if c.url}
        extra = navigation.block_titles(url, tree, page.dated)  # blocks of dated items under a title: a grid
        if not page.dated:
            extra += [link for link in page.links if link.url not in seen and not link.more]
        for link in extra:
            if link.url and link.url not in known:
                found.append(ColumnLink(path=link.name, name=link.name, url=link.url, depth=0))
                known.add(link.url)
        return found

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
            out.append(ColumnLink(path=path, name=name, url=absolute(url, href) if href else None, depth=depth))
            sub = next((c for c in li.iter() if c.tag == "ul"), None)
            if sub is not None:
                out += Adapter.walk_tree(url, sub, path, depth + 1)
        return out

    # ── list pages ──────────────────────────────────────────────────────────────────────────────────────
    def list_page(self, url: str, text: str, request: Request | None = None) -> ListResult:
        """Any list layout (listing.py); a family with its own list markup overrides this and falls back to it."""
        result = read_list(url, text, request)
        if not result.items and not text.lstrip().startswith(("{", "[")):
            result.note = self.note_in(parse_html(text))
        return result

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
        for cell in tree.css(self.label_selector) if self.label_selector else []:
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
        for name, content_ in pairs:
            key, value = SITE_META.get(name.lower()), clean(unescape(content_))
            if key and value and key not in out:
                out[key] = value
        return out

    @staticmethod
    def body_text(el: LexborNode) -> str:
        """Paragraphs and table rows, one per line; a body laid out in <div>s falls back to its text lines."""
        lines = [text_of(p) for p in el.css("p, tr")]
        if not any(lines):
            lines = content.lines_of(el, skip_chrome=True)
        return "\n".join(line for line in lines if line)

    @staticmethod
    def attachments(url: str, tree: LexborHTMLParser, html: str) -> list[Attachment]:
        """Links to files (附件), once each, in page order: URL, name shown, href as written."""
        found: dict[str, Attachment] = {}
        if ATTACHMENT_HINT.search(html) or "downfile" in html or "download.jsp" in html:
            for a in tree.css("a[href]"):
                href = a.attributes["href"] or ""
                if ATTACHMENT_HREF.search(href):
                    link = absolute(url, href)
                    found.setdefault(link, Attachment(link, text_of(a), href.strip()))
        return list(found.values())

    @staticmethod
    def related(url: str, tree: LexborHTMLParser, html: str) -> list[str]:
        """Links in the related-documents box (政策解读 ↔ 相关文件)."""
        if "related-docs" not in html:
            return []
        return [absolute(url, a.attributes["href"]) for a in tree.css(".related-docs a[href]")]

    def document(self, url: str, html: str) -> DocFields:
        """The family's metadata block (else every labelled value on the page), title and body; the <meta> tags
        fill a date or source the page does not show; the body's 文号 line and signature date fill those fields;
        来源 stands in for a missing 发布机构. Each filled value says where it came from (DocFields.sources)."""
        tree = parse_html(html)
        pairs = self.metadata_pairs(tree)
        holders: set[int] = set()
        page = None  # the page's text stream, read only when the family's selectors find nothing
        if not pairs:
            page = PageText(tree)
            pairs, holders = labelled_values(page)
        fields: dict[str, str] = {}
        for label, value in pairs:
            key = label_key(label) or ("published_date" if label in LOOSE_DATE_LABELS and parse_date(value) else None)
            if key and key not in fields:
                fields[key] = clean(value)
        has_block = any(optional(v) for v in fields.values())
        sources: dict[str, str] = {}
        meta = self.site_meta(html)
        for key in ("published_date", "source"):  # the page's own labels win; the <meta> tags fill gaps
            if key in meta and not optional(fields.get(key)):
                fields[key] = meta[key]
                sources[key] = "meta_tag"
        warnings: list[str] = []
        title_el, title = self.title_of(tree, fields, meta, warnings)
        body_lines = self.body_of(tree, title_el, holders, warnings, page)
        if not optional(fields.get("doc_no")) and (found := content.doc_no_in_body(body_lines)):
            fields["doc_no"], sources["doc_no"] = found, "body_doc_no"
        if not parse_date(fields.get("written_date")) and (signed := content.signature_date(body_lines)):
            fields["written_date"], sources["written_date"] = signed, "body_signature"
        if not optional(fields.get("publisher")) and optional(fields.get("source")):
            fields["publisher"] = fields["source"]
            sources["publisher"] = "meta_tag" if sources.get("source") == "meta_tag" else "source_label"
        if not has_block:
            warnings.append("no metadata block found")
        doc = DocFields(title=title, fields=fields, body_text="\n".join(body_lines),
                        attachments=self.attachments(url, tree, html), related_urls=self.related_of(url, tree, html),
                        warnings=warnings, confidence=1.0 if has_block else 0.5, sources=sources)
        return doc

    def related_of(self, url: str, tree: LexborHTMLParser, html: str) -> list[str]:
        """The family's related box, else the generic one (content.related_links)."""
        return self.related(url, tree, html) or content.related_links(url, tree, html)

    def title_of(self, tree: LexborHTMLParser, fields: dict, meta: dict,
                 warnings: list[str]) -> tuple[LexborNode | None, str]:
        """(the title's element if known, the title): the family's selector, else the 名称 field or ArticleTitle,
        else the heading the page's <title> names (content.title_node)."""
        node = tree.css_first(self.title_selector) if self.title_selector else None
        if node is not None and text_of(node):
            return node, text_of(node)
        found, text = content.title_node(tree)
        named = fields.get("name") or meta.get("name")
        if named:
            return found, named
        if found is None:
            warnings.append("title taken from <title>")
        return found, text

    def body_of(self, tree: LexborHTMLParser, title: LexborNode | None, metadata: set[int],
                warnings: list[str], page: PageText | None = None) -> list[str]:
        """The body's lines: the family's `body_selector`, else the block after the title (content.body_block)."""
        body_el = tree.css_first(self.body_selector) if self.body_selector else None
        if body_el is not None:  # the family's template: its body is what it holds, even nothing
            lines = [line for line in self.body_text(body_el).split("\n") if line]
            if not lines:
                warnings.append(f"empty body at {self.body_selector!r}")
            return lines
        if page is None:
            page = PageText(tree)
            metadata = metadata or labelled_values(page)[1]
        block = content.body_block(page, title, metadata)
        lines = content.lines_of(block, skip_chrome=True) if block is not None else []
        if not lines:
            warnings.append("no body text found")
        return lines


def confidence(doc: DocFields) -> float:
    """The share of the core fields (and the title) a document has."""
    found = sum(1 for k in CORE if doc.value(k)) + bool(doc.title)
    return round(found / (len(CORE) + 1), 2)

