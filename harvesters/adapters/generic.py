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

from urllib.parse import urljoin

from gongkai.harvesters.adapters.base import Adapter, ColumnLink, DocFields, Request, confidence, parse_html
from gongkai.harvesters.adapters.navigation import MIN_TREE, is_column_name, tree_of
from gongkai.harvesters.adapters.scripted import (
    INLINE_SCRIPT,
    catalogue,
    config_values,
    embedded_values,
    fill,
    list_addresses,
    script_sources,
)
from gongkai.harvesters.errors import SiteChanged
from gongkai.harvesters.fields import clean


class GenericAdapter(Adapter):
    name = "generic"
    version = "0.2"

    # ── the column tree ────────────────────────────────────────────────────────────────────────────────
    def columns(self, url: str, text: str, support: dict[str, str] | None = None) -> list[ColumnLink]:
        tree = parse_html(text)
        if sum(1 for c in tree_of(url, tree) if is_column_name(c.name)) >= MIN_TREE:
            return self.generic_columns(url, tree)
        scripted = self.script_tree(url, text, support or {})
        if scripted is not None:
            return scripted
        raise SiteChanged(f"{url}: no disclosure column tree found (no menu, and no catalogue in a script, "
                          f"with at least {MIN_TREE} statutory column names); is this the disclosure entry page?")

    def support(self, url: str, text: str) -> list[Request]:
        """A page that builds its catalogue in the browser: its own script files, where the list address is."""
        if sum(1 for c in tree_of(url, parse_html(text)) if is_column_name(c.name)) >= MIN_TREE:
            return []
        cat = catalogue(embedded_values(text), is_column_name)
        if cat is None or cat.score < MIN_TREE or cat.url_key:
            return []
        return [Request(u) for u in script_sources(url, text)]

    @staticmethod
    def script_tree(url: str, text: str, support: dict[str, str]) -> list[ColumnLink] | None:
        """The catalogue a script holds (scripted.py), each leaf with its own list address or the one the scripts
        build; None when no script holds a catalogue."""
        values = embedded_values(text)
        cat = catalogue(values, is_column_name)
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

    # ── document pages ─────────────────────────────────────────────────────────────────────────────────
    def document(self, url: str, html: str) -> DocFields:
        doc = super().document(url, html)
        doc.confidence = confidence(doc)
        if doc.confidence < 0.6:
            doc.warnings.append(f"low confidence {doc.confidence}: few metadata fields found")
        return doc
