"""The generic adapter (通用适配器) for sites on a CMS no family adapter knows: the long tail of small vendors.

It relies on what every disclosure section has whatever its software, because the rules ask for it:
- the **column tree**: the nested list on the entry page whose entries carry the most statutory column names
  (政府信息公开指南, 政策文件, 财政预决算 … from schemas/taxonomy.yaml);
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


@lru_cache(maxsize=1)
def column_names() -> frozenset[str]:
    return frozenset(normalise_name(n) for r in load_taxonomy().requirements for n in r.names)


@lru_cache(maxsize=1)
def label_pattern() -> re.Pattern:
    """Any known label, spaces allowed between its characters, optionally followed by a colon and a value."""
    spaced = sorted(LABELS, key=len, reverse=True)
    alts = "|".join(r"[\s\u3000\u00a0\u2002\u2003]*".join(map(re.escape, label)) for label in spaced)
    return re.compile(rf"^({alts})[\s\u3000\u00a0\u2002\u2003]*([:：]?)\s*(.*)$", re.DOTALL)


def _is_column_name(name: str) -> bool:
    norm = normalise_name(name)
    return norm in column_names() or any(w in norm for w in TREE_WORDS)


class GenericAdapter(Adapter):
    name = "generic"
    version = "0.1"

    # ── the column tree ────────────────────────────────────────────────────────────────────────────────
    def columns(self, url: str, text: str) -> list[ColumnLink]:
        tree = parse_html(text)
        best, best_score = [], 0
        for ul in tree.css("ul, ol"):
            if self._inside_list(ul):
                continue
            cols = self.walk_any(url, ul)
            score = sum(1 for c in cols if _is_column_name(c.name))
            if score > best_score:
                best, best_score = cols, score
        if best_score < 3:
            raise SiteChanged(f"{url}: no disclosure column tree found (no nested list with at least 3 statutory "
                              f"column names); is this the disclosure entry page?")
        return best

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
            row, title = a, clean(a.attributes.get("title") or a.text(deep=True))
            while row is not None and row.tag not in ROW_TAGS:
                row = row.parent
            if row is None or not title:
                continue
            rest = text_of(row).replace(clean(a.text(deep=True)), "", 1)
            m = FULL_DATE.search(rest)
            if m is None:
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
        """A JSON list answer: the first array of objects that have a title and a URL; pages from a total."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise SiteChanged(f"{url}: a JSON list answer that does not parse ({exc})") from None

        def find(node):
            if (isinstance(node, list) and node and all(isinstance(x, dict) for x in node)
                    and any("title" in x and ("url" in x or "link" in x) for x in node)):
                return node
            children_ = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
            for child in children_:
                found = find(child)
                if found is not None:
                    return found
            return None
        rows = find(data) or []
        items = []
        for r in rows:
            when = next((r[k] for k in r if any(w in k.lower() for w in ("date", "time", "created"))), None)
            items.append(ListItem(url=urljoin(url, r.get("url") or r.get("link")), title=clean(r.get("title")),
                                  date=parse_date(str(when)) if when else None))
        total = data.get("total") if isinstance(data, dict) else None
        return ListResult(items=items, more=page_numbers(url, total, len(items)) if isinstance(total, int) else [])

    # ── document pages ─────────────────────────────────────────────────────────────────────────────────
    def metadata_pairs(self, tree) -> list[tuple[str, str]]:
        """Known labels in the page's text stream, each with the text after it: in the same node (索引号：X), after
        the label's element in the same parent (<strong>索引号</strong>：X, <span>索引号：</span>X), or inside the
        element right after the label's (<td>索引号</td><td>X</td>, <dt>…</dt><dd>X</dd>). An empty value stays empty."""
        tokens = []
        root = tree.body or tree.root
        for node in root.traverse(include_text=True):
            if node.tag == "-text":
                t = node.text_content
                if t and not t.isspace():
                    parent = node.parent
                    if parent is not None and parent.tag not in SKIP_TEXT:
                        tokens.append((t.strip(), parent))
        pattern, pairs, i = label_pattern(), [], 0
        while i < len(tokens):
            text, where = tokens[i]
            m = pattern.match(text) if len(text) < 200 else None
            if m and (m.group(2) or not m.group(3)):
                value = m.group(3)
                if (not value and i + 1 < len(tokens) and not pattern.match(tokens[i + 1][0])
                        and self._follows(where, text, tokens[i + 1][1])):
                    value = tokens[i + 1][0]
                    i += 1
                pairs.append((m.group(1), clean(value.lstrip(":："))))
            i += 1
        return pairs

    @staticmethod
    def _follows(label_el, label_text: str, value_el) -> bool:
        """Whether value_el holds the value of the label written in label_el."""
        box, label_text = label_el, clean(label_text)
        while box.parent is not None and text_of(box.parent) == label_text:
            box = box.parent
        if box.parent is not None and value_el.mem_id == box.parent.mem_id:
            return True
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
