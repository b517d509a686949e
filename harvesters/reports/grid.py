"""The HTML table reader for an annual report (政府信息公开工作年度报告, 年报): tables 二、主动公开政府信息情况,
三、收到和处理政府信息公开申请情况 and 四、政府信息公开行政复议、行政诉讼情况 as the county's CMS printed them.

Tables are found by their header words (a whole page with menus and a layout table is fine: only leaf ``<table>``
elements are read), merged cells (rowspan / colspan) are resolved into a grid, and each value cell is named by its row
labels (item, e.g. （三）不予公开 1.属于国家秘密) and the nearest header row above it (measure, e.g. 自然人, 本年制发件数).
Table 四 may be transposed (复议 / 诉讼 as column groups): its item is then found above the cell.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.etree
import lxml.html
from gongkai.harvesters.reports.figures import Figure, cell_value
from gongkai.harvesters.reports.labels import (
    T2_ITEMS,
    T2_MEASURES,
    T3_MEASURE_PATTERNS,
    T4_ITEM_PATTERNS,
    T4_MEASURE_PATTERNS,
    Table3Labels,
    core_of,
    key_of,
    match_label,
)


@dataclass(eq=False)
class _Cell:
    text: str
    is_value: bool
    value: float | None
    numeric: bool
    col: int          # its first grid column


def _span(v: str | None, rest: int) -> int:
    if not v:
        return 1
    m = re.search(r"\d+", v)
    n = int(m.group()) if m else 1
    return rest if n == 0 else max(1, min(n, 200))


def _grid(table) -> list[list[_Cell | None]]:
    rows = [tr for tr in table.iter("tr")]
    placed: dict[tuple[int, int], _Cell] = {}
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            while (r, c) in placed:
                c += 1
            text = " ".join(td.text_content().split())
            is_value, value = cell_value(text)
            cell = _Cell(text, is_value, value, value is not None, c)
            rs, cs = _span(td.get("rowspan"), len(rows) - r), _span(td.get("colspan"), 1)
            for dr in range(rs):
                for dc in range(cs):
                    placed.setdefault((r + dr, c + dc), cell)
            c += cs
            width = max(width, c)
    return [[placed.get((r, c)) for c in range(width)] for r in range(len(rows))]


_VOCAB = {
    "二": (T2_ITEMS, T2_MEASURES),
    "三": (None, T3_MEASURE_PATTERNS),
    "四": (T4_ITEM_PATTERNS, T4_MEASURE_PATTERNS),
}


def _table_kinds(k: str) -> list[str]:
    """Which report tables a leaf <table> holds, by its header words (k: the table's key text)."""
    kinds = []
    if any(w in k for w in ("信息内容", "第二十条", "本年制发", "现行有效", "本年新制作", "处理决定数量", "本年收费金额",
                            "上一年项目", "采购项目数量")) \
            and any(w in k for w in ("规章", "规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费",
                                     "政府集中采购")):
        kinds.append("二")
    if "本年新收" in k or "申请人情况" in k or ("自然人" in k and "商业企业" in k) or "予以公开" in k:
        kinds.append("三")
    if "结果维持" in k and ("尚未审结" in k or "结果纠正" in k):
        kinds.append("四")
    return kinds


def _figures_from_grid(grid: list[list[_Cell | None]], kind: str) -> list[Figure]:
    items_vocab, measures_vocab = _VOCAB[kind]
    t3 = Table3Labels() if kind == "三" else None

    def measure_of(cell: _Cell | None) -> str | None:
        return match_label(core_of(cell.text), measures_vocab) if cell is not None and not cell.is_value else None

    def item_of_label(text: str) -> str | None:
        return match_label(core_of(text), items_vocab) if items_vocab else None

    def row_cells(r: int) -> list[_Cell]:
        seen: list[_Cell] = []
        for cell in grid[r]:
            if cell is not None and all(cell is not s for s in seen):
                seen.append(cell)
        return seen

    header_rows: list[int] = []
    out: list[Figure] = []
    done: set[int] = set()
    for r in range(len(grid)):
        cells = row_cells(r)
        labels = [c.text for c in cells if not c.is_value]
        numeric = any(c.numeric for c in cells)
        has_measure = any(measure_of(c) for c in cells)
        if kind == "三":
            has_item = any(Table3Labels.is_item(t) for t in labels)
        else:
            has_item = kind != "四" and any(item_of_label(t) for t in labels)
        if has_measure and not numeric and not has_item:
            header_rows.append(r)
            if kind == "三":
                t3.parent = None
            continue
        row_item = t3.item(labels) if t3 is not None else next(
            (i for i in reversed([item_of_label(t) for t in labels]) if i), None)
        first_label = next((c for c, cell in enumerate(grid[r]) if cell is not None and not cell.is_value), None)
        values = [cell for cell in cells if cell.is_value and id(cell) not in done
                  and (first_label is None or cell.col > first_label)]  # not the padding before the labels
        heads = [cell for cell in row_cells(header_rows[-1]) if measure_of(cell)] if header_rows else []
        # as many values as header columns: take them in order (a stale rowspan can shift a row); else by column
        columns = [h.col for h in heads] if len(values) == len(heads) else [v.col for v in values]
        for cell, c in zip(values, columns, strict=True):
            measure = measure_of(grid[header_rows[-1]][c]) if header_rows else None
            item = row_item
            if kind == "四":
                measure = measure or next((m for m in (measure_of(x) for x in _row_label_cells(grid, r, c)) if m), None)
                item = item or _item_above(grid, r, c, items_vocab)
            if item and measure:
                done.add(id(cell))
                out.append(Figure(kind, item, measure, cell.value, cell.text))
    return out


def _row_label_cells(grid, r: int, c: int) -> list[_Cell]:
    return [x for x in reversed(grid[r][:c]) if x is not None and not x.is_value]


def _item_above(grid, r: int, c: int, vocab) -> str | None:
    for rr in range(r - 1, -1, -1):
        cell = grid[rr][c] if c < len(grid[rr]) else None
        if cell is not None and not cell.is_value:
            got = match_label(core_of(cell.text), vocab)
            if got:
                return got
    return None


def parse_html(html: str | bytes):
    if isinstance(html, str):
        html = re.sub(r"^\s*<\?xml[^>]*>", "", html)
    if not html or not html.strip():
        return None
    try:
        root = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return None
    lxml.etree.strip_elements(root, "script", "style", "noscript", lxml.etree.Comment, with_tail=False)
    return root


_BLOCK_TAGS = {"p", "div", "br", "tr", "li", "ul", "ol", "table", "caption", "h1", "h2", "h3", "h4", "h5", "h6",
               "section", "article", "header", "footer", "dd", "dt", "dl", "title", "thead", "tbody", "pre", "hr"}


def page_text(root) -> str:
    """The page's text, one block a line, table cells separated by a space."""
    parts: list[str] = []
    for event, el in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        parts.append("\n" if tag in _BLOCK_TAGS else " " if tag in ("td", "th") else "")
        piece = el.text if event == "start" else el.tail
        if piece:
            parts.append(piece)
    return re.sub(r"\n\s*\n+", "\n", "".join(parts).replace("\xa0", " ")).strip()


def html_figures(root) -> dict[str, list[Figure]]:
    found: dict[str, list[Figure]] = {}
    for table in root.iter("table"):
        if any(t is not table for t in table.iter("table")):
            continue  # a layout table around others: read only leaf tables
        k = key_of(table.text_content())
        for kind in _table_kinds(k):
            figs = _figures_from_grid(_grid(table), kind)
            if figs:
                found.setdefault(kind, []).extend(figs)
    return found
