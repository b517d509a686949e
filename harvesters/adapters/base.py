"""The shared shape of a CMS adapter: column tree → list pages → document pages → attachments.

A family module fills in the selectors and the pager; everything else (label/value metadata, body text,
attachments, related 解读 links, sanity checks) is shared here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from harvesters.errors import SiteChanged
from harvesters.fields import SITE_META, clean, label_key, normalise_doc_no, normalise_index_no, optional, parse_date

ATTACHMENT_EXT = re.compile(r"\.(pdf|docx?|xlsx?|wps|et|ofd|zip|rar|txt|csv)$", re.IGNORECASE)
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

    def value(self, key: str) -> str | None:
        return optional(self.fields.get(key))

    @property
    def index_no(self) -> str | None:
        return normalise_index_no(self.fields.get("index_no"))

    @property
    def doc_no(self) -> str | None:
        return normalise_doc_no(self.fields.get("doc_no"))

    @property
    def written_date(self) -> date | None:
        return parse_date(self.fields.get("written_date"))

    @property
    def published_date(self) -> date | None:
        return parse_date(self.fields.get("published_date"))


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


class Adapter:
    """Base adapter. Subclasses set the selectors and implement `list_page` (each family pages differently)."""

    name = "base"
    version = "0.1"
    nav_selector = "ul"
    title_selector = "h1"
    body_selector = "body"

    # ── the column tree (栏目树) ─────────────────────────────────────────────────────────────────────────
    def columns(self, url: str, soup: BeautifulSoup) -> list[ColumnLink]:
        root = soup.select_one(self.nav_selector)
        if root is None:
            raise SiteChanged(f"{url}: no column tree at {self.nav_selector!r}; has the {self.name} layout changed?")
        out: list[ColumnLink] = []

        def walk(ul: Tag, prefix: str, depth: int) -> None:
            for li in ul.find_all("li", recursive=False):
                label = li.find(["a", "span"], recursive=False)
                if label is None:
                    continue
                name = clean(label.get_text())
                path = f"{prefix}/{name}" if prefix else name
                href = label.get("href") if label.name == "a" else None
                out.append(ColumnLink(path=path, name=name, url=urljoin(url, href) if href else None, depth=depth))
                sub = li.find("ul", recursive=False)
                if sub is not None:
                    walk(sub, path, depth + 1)

        top = root if root.name == "ul" else root.find("ul")
        walk(top, "", 0)
        return out

    # ── list pages ──────────────────────────────────────────────────────────────────────────────────────
    def list_page(self, url: str, text: str) -> ListResult:
        raise NotImplementedError

    @staticmethod
    def items_from(base_url: str, lis: list[Tag], date_selector: str) -> list[ListItem]:
        """List rows → items; a row with a link but no date (or the reverse) means the layout changed."""
        items = []
        for li in lis:
            a = li.find("a", href=True)
            when = li.select_one(date_selector)
            if a is None and when is None:
                continue
            if a is None:
                raise SiteChanged(f"{base_url}: a list row has a date but no link; the list layout changed")
            items.append(ListItem(url=urljoin(base_url, a["href"]), title=clean(a.get("title") or a.get_text()),
                                  date=parse_date(when.get_text()) if when else None))
        return items

    @staticmethod
    def note_in(soup: BeautifulSoup | Tag) -> str | None:
        """An explanatory note on a blank column, e.g. '本机关无此类信息'."""
        for el in soup.find_all(["p", "div", "span", "li"]):
            text = clean(el.get_text())
            if text and len(text) < 200 and BLANK_NOTE.search(text) and not el.find(["p", "div"]):
                return text
        return None

    # ── document pages ──────────────────────────────────────────────────────────────────────────────────
    def metadata_pairs(self, soup: BeautifulSoup) -> list[tuple[str, str]]:
        raise NotImplementedError

    @staticmethod
    def site_meta(soup: BeautifulSoup) -> dict[str, str]:
        """ArticleTitle, PubDate and ContentSource from the page's <meta> tags (政府网站发展指引), when present."""
        out = {}
        for tag in soup.find_all("meta", attrs={"name": True, "content": True}):
            key = SITE_META.get(tag["name"].strip().lower())
            if key and clean(tag["content"]) and key not in out:
                out[key] = clean(tag["content"])
        return out

    @staticmethod
    def body_text(el: Tag) -> str:
        """Paragraphs and table rows, one per line; a body laid out in <div>s falls back to its text lines."""
        lines = [clean(p.get_text()) for p in el.find_all(["p", "tr"])]
        if not any(lines):
            lines = [clean(line) for line in el.get_text("\n").splitlines()]
        return "\n".join(line for line in lines if line)

    def document(self, url: str, html: str) -> DocFields:
        soup = soup_of(html)
        fields: dict[str, str] = {}
        for label, value in self.metadata_pairs(soup):
            key = label_key(label)
            if key and key not in fields:
                fields[key] = clean(value)
        has_block = bool(fields)
        meta = self.site_meta(soup)
        for key in ("published_date", "source"):  # the metadata block wins; the <meta> tags fill gaps
            if key in meta and not optional(fields.get(key)):
                fields[key] = meta[key]
        title_el = soup.select_one(self.title_selector)
        title = clean(title_el.get_text()) if title_el else fields.get("name", "") or meta.get("name", "")
        warnings = []
        if not title:
            title = clean(soup.title.get_text()) if soup.title else ""
            warnings.append("title taken from <title>")
        body_el = soup.select_one(self.body_selector)
        if body_el is None:
            warnings.append(f"no body at {self.body_selector!r}")
        body = self.body_text(body_el) if body_el else ""
        if body_el is not None and not body:
            warnings.append(f"empty body at {self.body_selector!r}")
        attachments, related = [], []
        for a in soup.find_all("a", href=True):
            href = urljoin(url, a["href"])
            if ATTACHMENT_EXT.search(urlsplit(href).path) or "downfile" in href:
                attachments.append((href, clean(a.get_text())))
        box = soup.select_one(".related-docs")
        if box is not None:
            related = [urljoin(url, a["href"]) for a in box.find_all("a", href=True)]
        if not has_block:
            warnings.append("no metadata block found")
        return DocFields(title=title, fields=fields, body_text=body, attachments=attachments,
                         related_urls=related, warnings=warnings)
