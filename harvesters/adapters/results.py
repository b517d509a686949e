"""What an adapter hands back: requests to make, columns (栏目), list items, and a document's fields."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from gongkai.harvesters.fields import normalise_doc_no, normalise_index_no, normalise_publisher, optional, parse_date


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


class Attachment(NamedTuple):
    """A link to a file (附件): its URL (RFC 3986), its name as shown, and the href as the page wrote it."""

    url: str
    name: str
    href: str = ""


@dataclass
class DocFields:
    title: str
    fields: dict[str, str] = field(default_factory=dict)
    body_text: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    related_urls: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    confidence: float = 1.0  # how sure the adapter is of the fields (the generic adapter's share of core fields)
    # where a value came from when it was not a labelled value of the page's metadata: meta_tag (<meta> PubDate /
    # ContentSource), body_doc_no (the 文号 line at the top of the body), body_signature (the signature's date at its
    # end), source_label (the publisher taken from 来源 when no 发布机构 is given)
    sources: dict[str, str] = field(default_factory=dict)

    def value(self, key: str) -> str | None:
        return optional(self.fields.get(key))

    @property
    def content_sha256(self) -> str:
        """The document's content hash: SHA-256 of its parsed body text. The crawl logs it (fetch_log) and parse keeps it
        (documents); it decides whether a re-harvested document is new, changed or unchanged. Computed here only."""
        return hashlib.sha256(self.body_text.encode()).hexdigest()

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

    def source_of(self, key: str) -> str | None:
        """Where the field's value came from: 'metadata' (a label on the page) unless `sources` says otherwise."""
        if not self.value(key):
            return None
        return self.sources.get(key, "metadata")
