"""The generic adapter (通用适配器) for sites on a CMS no family adapter knows: the long tail of small vendors.

It relies on what every disclosure section has whatever its software, because the rules ask for it:
- the **column tree**: the nested list on the entry page whose entries carry the most statutory column names
  (政府信息公开指南, 政策文件, 财政预决算 … from schemas/taxonomy.yaml); on a page that builds its catalogue in
  the browser, the same tree as JSON in a script, with list addresses read from the page's scripts (scripted.py);
- **dated link lists**: links grouped under one container, each with a full date beside it; lists embedded as
  markup inside scripts (e.g. XML datastores) and JSON list answers count too;
- **pagers**: the ones county platforms share (createPageHTML and countPage variables, the trsapi JSON list, the
  datastore proxy; see pagers.py), else 下一页 / 下页 links;
- **label/value metadata** in any layout (table cells, dt/dd, p/strong, li/span, label + div): the page's text is read as
  a stream and each known label (索引号, 发布机构 … with any spaces inside, e.g. 索 引 号) takes the text that follows it;
- the **body**: the element holding the most paragraph text.

Every document gets a confidence (0–1): the share of the core fields it found. Below 0.6 a warning says so.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from functools import lru_cache
from urllib.parse import urljoin

from harvesters.adapters.base import (
    Adapter,
    ColumnLink,
    DocFields,
    ListItem,
    ListResult,
    Request,
    absolute,
    attr,
    children,
    next_element,
    parse_html,
    text_of,
)
from harvesters.adapters.pagers import datastore_proxy, page_files, page_numbers, trsapi
from harvesters.adapters.scripted import (
    INLINE_SCRIPT,
    catalogue,
    config_values,
    embedded_values,
    fill,
    list_addresses,
    script_sources,
)
from harvesters.errors import SiteChanged
from harvesters.fields import LABELS, clean, parse_date
from schemas.taxonomy import load_taxonomy, normalise_name

FULL_DATE = re.compile(r"(?<!\d)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
NEXT_WORDS = {"下一页", "下页", "后页", "下一頁", ">", "›", "»", ">>"}
EMBEDDED = re.compile(r"<!\[CDATA\[(.*?)\]\]>|(<(?:li|tr|div)\b.*</(?:li|tr|div)>)", re.DOTALL)
ROW_TAGS = ("li", "tr", "dd", "dt", "div", "p")  # not td: a table row's date sits in another cell
CORE = ("index_no", "publisher", "published_date", "written_date", "doc_no")
SKIP_TEXT = {"script", "style", "noscript", "select", "option"}
# A column name a disclosure tree carries (extra names beyond the taxonomy: the four-layer platform's own labels).
TREE_WORDS = ("信息公开", "公开指南", "公开制度", "公开年报", "主动公开", "依申请公开", "部门", "乡镇", "街道")
MIN_TREE = 3  # statutory column names a tree must carry
# The keys JSON list answers use for an item's title and address, and for the number of items in the whole list.
TITLE_KEYS = ("title", "docTitle", "doc_title", "subject", "name")
LINK_KEYS = ("url", "link", "href", "docUrl", "doc_url")
TOTAL_KEYS = ("total", "totalCount", "total_count", "recordsTotal", "totalElements", "count")


@lru_cache(maxsize=1)
def column_names() -> frozenset[str]:
    return frozenset(normalise_name(n) for r in load_taxonomy().requirements for n in r.names)


@lru_cache(maxsize=1)
def label_pattern() -> re.Pattern:
    """Any known label, spaces allowed between its characters, optionally followed by a colon and a value."""
    spaced = sorted(LABELS, key=len, reverse=True)
    alts = "|".join(r"[\s\u3000\u00a0\u2002\u2003]*".join(map(re.escape, label)) for label in spaced)
    return re.compile(rf"^({alts})[\s\u3000\u00a0\u2002\u2003]*([:：]?)\s*(.*)$", re.DOTALL)


@lru_cache(maxsize=1)
def label_initials() -> frozenset[str]:
    """The characters a label can start with: text starting otherwise is not tried against label_pattern."""
    return frozenset(label[0] for label in LABELS)


def _is_column_name(name: str) -> bool:
    norm = normalise_name(name)
    return norm in column_names() or any(w in norm for w in TREE_WORDS)


class GenericAdapter(Adapter):
    name = "generic"
    version = "0.1"

    # ── the column tree ────────────────────────────────────────────────────────────────────────────────
    def columns(self, url: str, text: str, support: dict[str, str] | None = None) -> list[ColumnLink]:
        best, best_score = self.html_tree(url, text)
        if best_score >= MIN_TREE:
            return best
        scripted = self.script_tree(url, text, support or {})
        if scripted is not None:
            return scripted
        raise SiteChanged(f"{url}: no disclosure column tree found (no nested list, and no catalogue in a script, "
                          f"with at least {MIN_TREE} statutory column names); is this the disclosure entry page?")

    def support(self, url: str, text: str) -> list[Request]:
        """A page that builds its catalogue in the browser: its own script files, where the list address is."""
        if self.html_tree(url, text)[1] >= MIN_TREE:
            return []
        cat = catalogue(embedded_values(text), _is_column_name)
        if cat is None or cat.score < MIN_TREE or cat.url_key:
            return []
        return [Request(u) for u in script_sources(url, text)]

    def html_tree(self, url: str, text: str) -> tuple[list[ColumnLink], int]:
        """The nested list with the most statutory column names, and that number."""
        tree = parse_html(text)
        best, best_score = [], 0
        for ul in tree.css("ul, ol"):
            if self._inside_list(ul):
                continue
            cols = self.walk_any(url, ul)
            score = sum(1 for c in cols if _is_column_name(c.name))
            if score > best_score:
                best, best_score = cols, score
        return best, best_score

    @staticmethod
    def script_tree(url: str, text: str, support: dict[str, str]) -> list[ColumnLink] | None:
        """The catalogue a script holds (scripted.py), each leaf with its own list address or the one the scripts
        build; None when no script holds a catalogue."""
        values = embedded_values(text)
        cat = catalogue(values, _is_column_name)
        if cat is None or cat.score < MIN_TREE:
            return None
        templates = [] if cat.url_key else list_addresses([*INLINE_SCRIPT.findall(text), *support.values()],
                                                          config_values(values))
        if not cat.url_key and not (templates and cat.id_key):
            read = f"read: {', '.join(support)}" if support else \
                f"not read: {', '.join(script_sources(url, text)) or 'none linked'}"
            raise SiteChanged(f"{url}: the column tree is in a script ({cat.score} statutory column names) but no list "
                              f"address for its columns was found in the page's scripts (script files {read}); "
                              f"name the adapter in the registry, or add the platform's pattern to scripted.py")
        out: list[ColumnLink] = []

        def walk(nodes: list[dict], prefix: str, depth: int) -> None:
            for n in nodes:
                name = clean(str(n.get(cat.name_key) or ""))
                if not name:
                    continue
                path = f"{prefix}/{name}" if prefix else name
                kids = [k for k in (n.get(cat.child_key) or []) if isinstance(k, dict)] if cat.child_key else []
                address = None
                if not kids and cat.url_key and n.get(cat.url_key):
                    address = urljoin(url, str(n[cat.url_key]))
                elif not kids and templates and n.get(cat.id_key) is not None:
                    address = urljoin(url, fill(templates[0], str(n[cat.id_key])))
                out.append(ColumnLink(path=path, name=name, url=address, depth=depth))
                walk(kids, path, depth + 1)
        walk(cat.nodes, "", 0)
        return out

    @staticmethod
    def _inside_list(node) -> bool:
        p = node.parent
        while p is not None:
            if p.tag in ("ul", "ol"):
                return True
            p = p.parent
        return False

    def walk_any(self, url: str, ul, prefix: str = "", depth: int = 0) -> list[ColumnLink]:
        """Nested lists whatever the label element: a link is a column with a list, any other text a heading."""
        out: list[ColumnLink] = []
        for li in children(ul, "li"):
            sub = next((c for c in li.iter() if c.tag in ("ul", "ol")), None)
            label = next((c for c in li.iter() if c.tag not in ("ul", "ol")), None)
            if label is None:
                continue
            link = label if label.tag == "a" else label.css_first("a[href]")
            name = text_of(label)
            if not name:
                continue
            path = f"{prefix}/{name}" if prefix else name
            href = attr(link, "href") if link is not None and sub is None else None
            usable = href and not href.startswith(("javascript", "#"))
            out.append(ColumnLink(path=path, name=name, url=urljoin(url, href) if usable else None, depth=depth))
            if sub is not None:
                out += self.walk_any(url, sub, path, depth + 1)
        return out

    # ── list pages ─────────────────────────────────────────────────────────────────────────────────────
    def list_page(self, url: str, text: str) -> ListResult:
        if text.lstrip()[:1] in ("{", "["):
            return self.json_list(url, text)
        tree = parse_html(text)
        items = self.dated_links(url, tree)
        # lists shipped as markup inside scripts or XML (datastores with CDATA records, templates)
        holders = [text] if text.lstrip().startswith(("<?xml", "<datastore")) else [s.text() for s in tree.css("script")]
        for body in holders:
            if "href" in body and "<a" in body:
                fragments = "".join(a or b for a, b in EMBEDDED.findall(body))
                if fragments:
                    items += self.dated_links(url, parse_html(fragments))
        seen: set[str] = set()
        items = [i for i in items if not (i.url in seen or seen.add(i.url))]
        return ListResult(items=items, more=self.pager(url, text, tree, len(items)),
                          note=None if items else self.note_in(tree))

    @staticmethod
    def dated_links(url: str, tree) -> list[ListItem]:
        """Links with a full date in their row, from the container holding the most of them."""
        groups: dict[int, list[ListItem]] = defaultdict(list)
        for a in tree.css("a[href]"):
            href = a.attributes.get("href") or ""
            if not href or href.startswith(("javascript", "#", "mailto:")):
                continue
            row = a
            while row is not None and row.tag not in ROW_TAGS:
                row = row.parent
            if row is None:
                continue
            raw = row.text(deep=True)
            if not FULL_DATE.search(raw):  # most links (navigation, pagers) have no date beside them: skip them cheaply
                continue
            shown = clean(a.text(deep=True))
            m = FULL_DATE.search(clean(raw).replace(shown, "", 1))  # the row's date, not one in the link's own text
            title = clean(a.attributes.get("title")) or shown
            if m is None or not title:
                continue
            parent = row.parent if row.parent is not None else row
            groups[parent.mem_id].append(ListItem(url=absolute(url, href), title=title, date=parse_date(m.group(0))))
        return max(groups.values(), key=len, default=[])

    @staticmethod
    def pager(url: str, text: str, tree, shown: int) -> list[Request]:
        """The pagers county sites share (harvesters.adapters.pagers), else a 下一页 link."""
        more = page_files(url, text) or trsapi(url, text) or datastore_proxy(url, text, shown)
        if more or "<datastore>" in text:  # a datastore page without a next group is the last one
            return more
        for a in tree.css("a[href]"):
            if clean(a.text(deep=True)) in NEXT_WORDS:
                href = a.attributes.get("href") or ""
                if href and not href.startswith(("javascript", "#")):
                    return [Request(urljoin(url, href))]
        return []

    @staticmethod
    def json_list(url: str, text: str) -> ListResult:
        """A JSON list answer: the first array of objects that have a title and an address (TITLE_KEYS, LINK_KEYS),
        the date from a key naming a date or time; further pages from the total beside the array (TOTAL_KEYS)."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise SiteChanged(f"{url}: a JSON list answer that does not parse ({exc})") from None

        def key_of(row: dict, keys: tuple[str, ...]) -> str | None:
            return next((k for k in keys if isinstance(row.get(k), str)), None)

        def find(node, holder):
            if (isinstance(node, list) and node and all(isinstance(x, dict) for x in node)
                    and any(key_of(x, TITLE_KEYS) and key_of(x, LINK_KEYS) for x in node)):
                return node, holder
            if isinstance(node, dict):
                for child in node.values():
                    found = find(child, node)
                    if found:
                        return found
            elif isinstance(node, list):
                for child in node:
                    found = find(child, holder)
                    if found:
                        return found
            return None
        rows, holder = find(data, data if isinstance(data, dict) else {}) or ([], {})
        items = []
        for r in rows:
            title, link = key_of(r, TITLE_KEYS), key_of(r, LINK_KEYS)
            if not (title and link):
                continue
            when = next((r[k] for k in r if any(w in k.lower() for w in ("date", "time", "created"))), None)
            items.append(ListItem(url=urljoin(url, r[link]), title=clean(r[title]),
                                  date=parse_date(str(when)) if when else None))
        total = next((t for d in (holder, data if isinstance(data, dict) else {}) for k in TOTAL_KEYS
                      if isinstance(t := d.get(k), int) and not isinstance(t, bool)), None)
        return ListResult(items=items, more=page_numbers(url, total, len(rows)) if total is not None else [])

    # ── document pages ─────────────────────────────────────────────────────────────────────────────────
    def metadata_pairs(self, tree) -> list[tuple[str, str]]:
        """Known labels in the page's text stream, each with the text after it: in the same node (索引号：X), after
        the label's element in the same parent (<strong>索引号</strong>：X, <span>索引号：</span>X), or inside the
        element right after the label's (<td>索引号</td><td>X</td>, <dt>…</dt><dd>X</dd>). An empty value stays empty."""
        texts, where = [], []
        root = tree.body or tree.root
        for node in root.traverse(include_text=True):
            if node.tag == "-text":
                t = node.text_content
                if t and not t.isspace():
                    parent = node.parent
                    if parent is not None and parent.tag not in SKIP_TEXT:
                        texts.append(t.strip())
                        where.append(parent)
        pattern, first, pairs, i = label_pattern(), label_initials(), [], 0
        while i < len(texts):
            text = texts[i]
            m = pattern.match(text) if text[0] in first and len(text) < 200 else None  # most text is no label
            if m and (m.group(2) or not m.group(3)):
                value = m.group(3)
                if (not value and i + 1 < len(texts) and not pattern.match(texts[i + 1])
                        and self._follows(where[i], text, where[i + 1])):
                    value = texts[i + 1]
                    i += 1
                pairs.append((m.group(1), clean(value.lstrip(":："))))
            i += 1
        return pairs

    @staticmethod
    def _follows(label_el, label_text: str, value_el) -> bool:
        """Whether value_el holds the value of the label written in label_el."""
        if GenericAdapter._next_holds(label_el, value_el):  # <dt>索引号</dt><dd>X</dd>: the common case, and cheap
            return True
        box, label_text = label_el, clean(label_text)  # <td><strong>索引号</strong></td><td>X</td>: climb to the td
        while box.parent is not None and text_of(box.parent) == label_text:
            box = box.parent
        if box.parent is not None and value_el.mem_id == box.parent.mem_id:
            return True
        return box is not label_el and GenericAdapter._next_holds(box, value_el)

    @staticmethod
    def _next_holds(box, value_el) -> bool:
        """Whether value_el is, or is inside (within 4 levels), the element right after box."""
        sibling = next_element(box)
        node, hops = value_el, 0
        while sibling is not None and node is not None and hops < 4:
            if node.mem_id == sibling.mem_id:
                return True
            node, hops = node.parent, hops + 1
        return False

    def document(self, url: str, html: str) -> DocFields:
        doc = super().document(url, html)
        found = sum(1 for k in CORE if doc.value(k)) + bool(doc.title)
        doc.confidence = round(found / (len(CORE) + 1), 2)
        if doc.confidence < 0.6:
            doc.warnings.append(f"low confidence {doc.confidence}: few metadata fields found")
        return doc

    def title_of(self, tree, fields: dict, meta: dict, warnings: list[str]) -> str:
        """ArticleTitle, else the 名称 field, else the first heading long enough to be a title, else <title>."""
        if meta.get("name") or fields.get("name"):
            return meta.get("name") or fields["name"]
        headings = (text_of(h) for h in tree.css("h1, h2, h3"))
        return next((h for h in headings if len(h) >= 6), "") or text_of(tree.css_first("title"))

    def body_of(self, tree, warnings: list[str]) -> str:
        body = self.main_text(tree)
        if not body:
            warnings.append("no body text found")
        return body

    def main_text(self, tree) -> str:
        """The text of the element that directly holds the most paragraph text (metadata rows such as
        <p><strong>索引号</strong>：…</p> do not count)."""
        weight: dict[int, int] = defaultdict(int)
        nodes = {}
        labels = label_pattern()
        for p in tree.css("p"):
            parent, text = p.parent, text_of(p)
            if parent is None or labels.match(text):
                continue
            weight[parent.mem_id] += len(text)
            nodes[parent.mem_id] = parent
        if not weight:
            return ""
        return self.body_text(nodes[max(weight, key=weight.get)])
