"""The statistical tables of a 政府信息公开工作年度报告 (annual report) as typed figures, with the template's own
cross-checks (勾稽关系).

Two national templates (docs: /work/shared/domain/disclosure-rules.md §7):

* 2021 format, 国办公开办函〔2021〕30号 (reports on 2021 onward): table 二 columns 本年制发件数 / 本年废止件数 /
  现行有效件数, 本年处理决定数量, 本年收费金额（单位：万元）; table 三 （六）其他处理 split into three numbered sub-rows.
* 2019 trial format, 国办公开办函〔2019〕60号 (reports on 2019–2020): table 二 columns 本年新制作数量 / 本年新公开数量 /
  对外公开总数量, 上一年项目数量 / 本年增/减 / 处理决定数量, the extra blocks 其他对外管理服务事项 and
  （九）政府集中采购 (采购项目数量 / 采购总金额); table 三 （六）其他处理 is one row.

Tables are found in HTML by their header words (a whole page with menus and a layout table is fine: only leaf
``<table>`` elements are read), merged cells are resolved into a grid, and each value cell is named by its row labels
(item) and the nearest header row above it (measure). Reports whose tables were pasted as text are read by the
template's row order and column counts instead. Labels are matched NFKC-insensitively, ignoring spaces, quotes and
the width of brackets; emitted labels are the canonical ones below (full-width brackets).

Blank cells and '—', '-', '/' are figures with value None. In the cross-checks a figure that was not parsed at all
skips the check; a blank addend counts as 0, a blank total skips it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

import lxml.etree
import lxml.html

__all__ = ["Figure", "CheckFailure", "AnnualReport", "parse_annual_report", "figure",
           "APPLICANT_COLUMNS", "TABLE3_MEASURES", "TABLE3_ITEMS", "TABLE4_ITEMS", "TABLE4_MEASURES", "CHECKS"]


@dataclass(frozen=True)
class Figure:
    table: str            # '二' | '三' | '四'
    item: str             # canonical row label
    measure: str          # canonical column label
    value: float | None   # None when the cell is blank or '—'
    raw: str              # the cell text as written


@dataclass(frozen=True)
class CheckFailure:
    check: str            # table3_balance | table3_row_total | table3_result_total | table3_subtotal | table4_total
    where: str            # the column (balance, result total), the row (row total, table 四) or 'row/column' (subtotal)
    expected: float
    found: float


@dataclass
class AnnualReport:
    format: str                    # '2021' | '2019' | 'unknown'
    figures: list[Figure]
    failures: list[CheckFailure]
    warnings: list[str]
    source: str = "none"           # 'table' (HTML tables) | 'text' (flattened text) | 'mixed' | 'none'


CHECKS = ("table3_balance", "table3_row_total", "table3_result_total", "table3_subtotal", "table4_total")

# ---------------------------------------------------------------------------------------------------------------------
# The templates' labels. Each label is matched by a regular expression against its key (NFKC, no spaces, no quotes,
# half-width brackets) after the leading enumerators (三、 （一） 1. ①) are stripped; the patterns are anchored at the
# start, so '予以公开' does not match '不予公开'.

APPLICANT_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
TABLE3_MEASURES = (*APPLICANT_COLUMNS, "总计")
TABLE4_ITEMS = ("行政复议", "未经复议直接起诉", "复议后起诉")
TABLE4_MEASURES = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

T2_ITEMS = [  # (canonical, pattern); 2019's '规范性文件' is reported as 行政规范性文件
    ("规章", r"规章"), ("行政规范性文件", r"(?:行政)?规范性文件"), ("行政许可", r"行政许可"),
    ("其他对外管理服务事项", r"其他对外管理服务"), ("行政处罚", r"行政处罚"), ("行政强制", r"行政强制"),
    ("行政事业性收费", r"行政事业性收费"), ("政府集中采购", r"政府集中采购"),
]
T2_MEASURES = [
    ("本年制发件数", r"本年制发"), ("本年废止件数", r"本年废止"), ("现行有效件数", r"现行有效"),
    ("本年处理决定数量", r"本年处理决定"), ("本年收费金额（万元）", r"本年收费金额"),
    ("本年新制作数量", r"本年新制作"), ("本年新公开数量", r"本年新公开"), ("对外公开总数量", r"对外公开总"),
    ("上一年项目数量", r"上一?年项目"), ("本年增/减", r"本年增"), ("处理决定数量", r"处理决定"),
    ("采购项目数量", r"采购项目"), ("采购总金额", r"采购总金额"),
]
_T2_2021 = ("本年制发件数", "本年废止件数", "现行有效件数")
_T2_2019 = ("本年新制作数量", "本年新公开数量", "对外公开总数量")
_T2_2019_ITEMS = ("上一年项目数量", "本年增/减", "处理决定数量")
T2_ROWS = {  # flattened text: the template's row order and columns per format
    "2021": [("规章", _T2_2021), ("行政规范性文件", _T2_2021), ("行政许可", ("本年处理决定数量",)),
             ("行政处罚", ("本年处理决定数量",)), ("行政强制", ("本年处理决定数量",)),
             ("行政事业性收费", ("本年收费金额（万元）",))],
    "2019": [("规章", _T2_2019), ("行政规范性文件", _T2_2019), ("行政许可", _T2_2019_ITEMS),
             ("其他对外管理服务事项", _T2_2019_ITEMS), ("行政处罚", _T2_2019_ITEMS), ("行政强制", _T2_2019_ITEMS),
             ("行政事业性收费", ("上一年项目数量", "本年增/减")), ("政府集中采购", ("采购项目数量", "采购总金额"))],
}

T3_TOP = [  # (canonical, pattern)
    ("一、本年新收政府信息公开申请数量", r"本年新收"),
    ("二、上年结转政府信息公开申请数量", r"上年结转"),
    ("三（一）予以公开", r"予以公开"),
    ("三（二）部分公开", r"部分公开"),
    ("三（三）不予公开", r"不予公开"),
    ("三（四）无法提供", r"无法提供"),
    ("三（五）不予处理", r"不予处理"),
    ("三（六）其他处理", r"其他处理"),
    ("三（七）总计", r"(?:总计|合计)$"),
    ("四、结转下年度继续办理", r"结转下年度"),
]
T3_SUBROWS = {  # the numbered sub-rows as printed in the templates (（六）'s only in 2021)
    "三（三）不予公开": ["属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益",
                   "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"],
    "三（四）无法提供": ["本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确"],
    "三（五）不予处理": ["信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
                   "要求行政机关确认或重新出具已获取信息"],
    "三（六）其他处理": ["申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                   "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "其他"],
}
RESULT_ROWS = ("三（一）予以公开", "三（二）部分公开", "三（三）不予公开", "三（四）无法提供", "三（五）不予处理",
               "三（六）其他处理")
T3_MEASURE_PATTERNS = [(m, re.escape(m) + ("$" if m == "其他" else "")) for m in APPLICANT_COLUMNS] + \
                      [("总计", r"(?:总计|合计)$")]
T4_ITEM_PATTERNS = [("行政复议", r"行政复议"), ("未经复议直接起诉", r"未经复议"), ("复议后起诉", r"复议后起诉")]
T4_MEASURE_PATTERNS = [("结果维持", r"结果维持"), ("结果纠正", r"结果纠正"), ("其他结果", r"其他结果"),
                       ("尚未审结", r"尚未审结"), ("总计", r"(?:总计|合计)$")]


@dataclass(frozen=True)
class _Sub:
    label: str        # 三（三）1.属于国家秘密
    parent: str
    number: int
    core: str         # the key prefix that names it ('属于国家秘密', '其他法律行政')
    exact: bool       # short labels ('其他') must match whole, with their number

    @cached_property
    def pattern(self) -> str:
        return re.escape(self.core) + ("$" if self.exact else "")


def _subs() -> list[_Sub]:
    return [_Sub(f"{parent[:4]}{i}.{text}", parent, i, _key(text)[:6], len(_key(text)) <= 2)
            for parent, texts in T3_SUBROWS.items() for i, text in enumerate(texts, 1)]


TABLE3_ITEMS: tuple[str, ...]  # every canonical table 三 row, in template order (set below)

# ---------------------------------------------------------------------------------------------------------------------
# Normalisation

_TRANSLATE = {ord(c): None for c in "“”‘’\"'「」『』〝〞＂"}
_TRANSLATE.update({ord(a): b for a, b in zip("〔〕【】［］﹙﹚⑴⑵", "()()()()", strict=False)})


def _norm(s: str) -> str:
    """NFKC (full-width digits and brackets to half-width), quotes dropped, other brackets made round."""
    return unicodedata.normalize("NFKC", s).translate(_TRANSLATE)


# Report labels repeat from table to table and report to report, and re-parsing reads every report again: the label
# functions below are cached (bounded), which makes a report's tables several times cheaper to read.
_SPACE = re.compile(r"\s+")


SHORT = 200  # longer strings (a whole page's or table's text) are not cached: they rarely repeat and weigh much


def _key(s: str) -> str:
    return _short_key(s) if len(s) <= SHORT else _SPACE.sub("", _norm(s))


@lru_cache(maxsize=16384)
def _short_key(s: str) -> str:
    return _SPACE.sub("", _norm(s))


_ENUM = re.compile(r"^(?:[一二三四五六七八九十]+[、.,]|[一二三四五六七八九十]+(?=\()|\([一二三四五六七八九十]+\)"
                   r"|\(\d{1,2}\)|\d{1,2}[.、,)]?)+")


def _core(label: str) -> str:
    return _short_core(label) if len(label) <= SHORT else _ENUM.sub("", _key(label))


@lru_cache(maxsize=16384)
def _short_core(label: str) -> str:
    """A label's key without its leading enumerators: '三、（三）1．属于国家秘密' -> '属于国家秘密'."""
    return _ENUM.sub("", _key(label))


_MATCHED: dict[tuple[str, int], str | None] = {}


def _match(core: str, vocab: list[tuple[str, str]]) -> str | None:
    """The canonical name of the first pattern in `vocab` (a module-level list) that matches `core`."""
    key = (core, id(vocab))
    if len(core) > SHORT:
        return next((canon for canon, pattern in vocab if re.match(pattern, core)), None)
    if key not in _MATCHED:
        if len(_MATCHED) > 65536:
            _MATCHED.clear()
        _MATCHED[key] = next((canon for canon, pattern in vocab if re.match(pattern, core)), None)
    return _MATCHED[key]


_SUBS = _subs()
TABLE3_ITEMS = tuple(x for label, _ in T3_TOP
                     for x in [label, *[s.label for s in _SUBS if s.parent == label]])

# ---------------------------------------------------------------------------------------------------------------------
# Numbers

_NUMBER = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_CELL_VALUE = re.compile(rf"({_NUMBER})(?:件|个|项|次|万元|元)?")
_CELL_BLANK = re.compile(r"[—―–‐\-/]*|无")


def _cell_value(text: str) -> tuple[bool, float | None]:
    """(is a value cell, value) for a table cell's text."""
    return _short_cell_value(text if len(text) <= SHORT else _key(text))  # a long cell may be mostly padding


@lru_cache(maxsize=16384)
def _short_cell_value(text: str) -> tuple[bool, float | None]:
    k = _key(text)
    m = _CELL_VALUE.fullmatch(k)
    if m:
        return True, float(m.group(1).replace(",", ""))
    return (True, None) if _CELL_BLANK.fullmatch(k) else (False, None)


# ---------------------------------------------------------------------------------------------------------------------
# HTML tables

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
            is_value, value = _cell_value(text)
            cell = _Cell(text, is_value, value, value is not None, c)
            rs, cs = _span(td.get("rowspan"), len(rows) - r), _span(td.get("colspan"), 1)
            for dr in range(rs):
                for dc in range(cs):
                    placed.setdefault((r + dr, c + dc), cell)
            c += cs
            width = max(width, c)
    return [[placed.get((r, c)) for c in range(width)] for r in range(len(rows))]


class _Table3Labels:
    """Resolves a table 三 row's labels to its canonical item, remembering the open parent row (（三）不予公开 …)."""

    def __init__(self) -> None:
        self.parent: str | None = None

    def item(self, labels: list[str]) -> str | None:
        found = None
        for label in labels:
            got = self.one(_core(label), label)
            if got:
                found = got
        return found

    def one(self, core: str, label: str) -> str | None:
        top = _match(core, T3_TOP)
        if top:
            self.parent = top if top in T3_SUBROWS else None
            return top
        if re.match(r"小计$", core):
            return self.parent
        number = re.match(r"^\D{0,3}?(\d{1,2})", _key(label))
        mine = [s for s in _SUBS if s.parent == self.parent]
        others = [s for s in _SUBS if s.parent != self.parent and not s.exact]
        for s in mine + others:
            if re.match(s.pattern, core) and (not s.exact or not number or int(number.group(1)) == s.number):
                self.parent = s.parent
                return s.label
        return None

    @staticmethod
    def is_item(label: str) -> bool:
        """A row label of table 三 ('（七）总计' is; the column header '总计' is not)."""
        core = _core(label)
        return bool(_match(core, T3_TOP)) and (core != _key(label) or not _match(core, T3_MEASURE_PATTERNS))


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
    t3 = _Table3Labels() if kind == "三" else None

    def measure_of(cell: _Cell | None) -> str | None:
        return _match(_core(cell.text), measures_vocab) if cell is not None and not cell.is_value else None

    def item_of_label(text: str) -> str | None:
        return _match(_core(text), items_vocab) if items_vocab else None

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
            has_item = any(_Table3Labels.is_item(t) for t in labels)
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
            got = _match(_core(cell.text), vocab)
            if got:
                return got
    return None


def _parse_html(html: str | bytes):
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


def _page_text(root) -> str:
    """The page's text, one block a line, table cells separated by a space."""
    parts: list[str] = []
    for event, el in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        parts.append("\n" if tag in _BLOCK_TAGS else " " if tag in ("td", "th") else "")
        piece = el.text if event == "start" else el.tail
        if piece:
            parts.append(piece)
    return re.sub(r"\n\s*\n+", "\n", "".join(parts).replace("\xa0", " ")).strip()


def _html_figures(root) -> dict[str, list[Figure]]:
    found: dict[str, list[Figure]] = {}
    for table in root.iter("table"):
        if any(t is not table for t in table.iter("table")):
            continue  # a layout table around others: read only leaf tables
        k = _key(table.text_content())
        for kind in _table_kinds(k):
            figs = _figures_from_grid(_grid(table), kind)
            if figs:
                found.setdefault(kind, []).extend(figs)
    return found


# ---------------------------------------------------------------------------------------------------------------------
# Flattened text

def _spaced(word: str) -> str:
    return r"\s*".join(re.escape(ch) for ch in word)


_TEXT_ENUM = (r"(?:(?:[一二三四五六七八九十]+\s*[、.]|\(\s*[一二三四五六七八九十]+\s*\)|\d{1,2}\s*[.、)]"
              r"|\(\s*\d{1,2}\s*\))\s*)*")
_TEXT_TOKEN = re.compile(rf"(?P<num>{_NUMBER})|(?<![^\s\u3000-\u9fff])(?P<blank>[—―–‐\-]+|/)(?![^\s\u3000-\u9fff])")


_norm_char = lru_cache(maxsize=8192)(_norm)


def _norm_map(s: str) -> tuple[str, list[int]]:
    """_norm per character, with each normalised character's index in the original (for the raw text)."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(s):
        n = _norm_char(ch)
        out.append(n)
        where.extend([i] * len(n))
    return "".join(out), where


def _text_row_patterns() -> list[tuple[str, re.Pattern, int]]:
    """(canonical, pattern, count) for the rows of table 三 in template order; count 0 = parent, numbers optional."""
    rows = []
    for label, pattern in T3_TOP:
        if label == "三（七）总计":
            rx = r"(?:\(\s*七\s*\)\s*)?(?:总\s*计|合\s*计)"
        else:
            rx = _TEXT_ENUM + _spaced(re.sub(r"[^\u4e00-\u9fff]", "", pattern))
        rows.append((label, re.compile(rx), 0 if label in T3_SUBROWS else 7))
        for s in (s for s in _SUBS if s.parent == label):
            rx = (rf"{s.number}\s*[.、]?\s*{_spaced(s.core)}(?!\s*(?:法|处|对|结))" if s.exact
                  else _TEXT_ENUM + _spaced(s.core))
            rows.append((s.label, re.compile(rx), 7))
    return rows


_T3_TEXT_ROWS = _text_row_patterns()
_T2_TEXT = {canon: re.compile(_TEXT_ENUM + (r"(?:行\s*政\s*)?规\s*范\s*性\s*文\s*件" if canon == "行政规范性文件"
                                            else _spaced(canon)))
            for canon, _ in T2_ITEMS}
_T4_HEADER = re.compile(r"(?:[\s|,;:、。()]|" + "|".join(_spaced(w) for w in (
    "行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "合计", "未经复议直接起诉",
    "复议后起诉")) + ")+")


class _Text:
    def __init__(self, text: str) -> None:
        self.original = text
        self.t, self.where = _norm_map(text)

    def raw(self, a: int, b: int) -> str:
        return self.original[self.where[a]:self.where[b - 1] + 1]

    def find(self, word: str, start: int = 0, end: int | None = None) -> re.Match | None:
        return re.compile(_spaced(word)).search(self.t, start, len(self.t) if end is None else end)

    def tokens(self, a: int, b: int) -> list[tuple[float | None, str]]:
        return [(float(m.group("num").replace(",", "")) if m.group("num") else None, self.raw(m.start(), m.end()))
                for m in _TEXT_TOKEN.finditer(self.t, a, b)]

    def first(self, *words: str, start: int = 0) -> re.Match | None:
        """The first of the header word sequences (words within one, e.g. '信息内容 本年制发', may be apart)."""
        for seq in words:
            m = re.compile(r"\s*".join(_spaced(w) for w in seq.split())).search(self.t, start)
            if m:
                return m
        return None

    def anchors(self) -> dict[str, tuple[int, int]]:
        """Where each table starts and ends, by its header words (not by words the report's prose also uses)."""
        n = len(self.t)
        a2 = self.first("信息内容 本年制发", "信息内容 本年新制作", "信息内容", "第二十条第")
        start3 = a2.end() if a2 else 0
        a3 = self.first("申请人情况", "自然人 法人或其他组织", "商业企业 科研机构", "本年新收", start=start3)
        start4 = a3.end() if a3 else start3
        m4 = self.first("结果维持 结果纠正", "结果维持", start=start4)
        a4 = None
        if m4:  # from the header cell 行政复议 just before the first 结果维持
            lo = max(start4, m4.start() - 200)
            before = list(re.finditer(_spaced("行政复议"), self.t[lo:m4.start()]))
            a4 = lo + before[-1].start() if before else m4.start()
        out = {}
        if a2:
            out["二"] = (a2.start(), a3.start() if a3 else a4 if a4 is not None else n)
        if a3:
            out["三"] = (a3.start(), a4 if a4 is not None else n)
        if a4 is not None:
            out["四"] = (a4, n)
        return out


def _rows_in_text(tx: _Text, span: tuple[int, int], rows, table: str, warnings: list[str],
                  optional: frozenset[str] = frozenset()) -> list[Figure]:
    """Find each row label in order; a row's numbers are those between its label and the next label found."""
    start, end = span
    found = []
    cur = start
    for label, pattern, measures in rows:
        m = pattern.search(tx.t, cur, end)
        if m:
            found.append((label, m, measures))
            cur = m.end()
        elif measures and label not in optional:
            warnings.append(f"table {table}: row {label} not found in the text")
    out = []
    for i, (label, m, measures) in enumerate(found):
        stop = found[i + 1][1].start() if i + 1 < len(found) else end
        tokens = tx.tokens(m.end(), stop)
        if not measures:
            if len(tokens) >= 7:  # a parent row that carries its own numbers (a subtotal)
                measures = TABLE3_MEASURES
            else:
                continue
        if len(tokens) < len(measures):
            warnings.append(f"table {table}: row {label} has {len(tokens)} numbers, expected {len(measures)}")
            continue
        out.extend(Figure(table, label, measure, value, raw) for measure, (value, raw) in
                   zip(measures, tokens[:len(measures)], strict=True))
    return out


def _text_figures(text: str, fmt: str, kinds: list[str], warnings: list[str]) -> dict[str, list[Figure]]:
    tx = _Text(text)
    spans = tx.anchors()
    found: dict[str, list[Figure]] = {}
    if "二" in kinds and "二" in spans:
        if fmt in T2_ROWS:
            rows = [(canon, _T2_TEXT[canon], measures) for canon, measures in T2_ROWS[fmt]]
            found["二"] = _rows_in_text(tx, spans["二"], rows, "二", warnings)
        else:
            warnings.append("table 二: format unknown, the flattened table was not read")
    if "三" in kinds and "三" in spans:
        other = frozenset(s.label for s in _SUBS if s.parent == "三（六）其他处理")  # 2021 only
        rows = [(label, pattern, TABLE3_MEASURES if count or (fmt == "2019" and label == "三（六）其他处理") else ())
                for label, pattern, count in _T3_TEXT_ROWS if not (fmt == "2019" and label in other)]
        found["三"] = _rows_in_text(tx, spans["三"], rows, "三", warnings, other if fmt != "2021" else frozenset())
    if "四" in kinds and "四" in spans:
        a, b = spans["四"]
        header = _T4_HEADER.match(tx.t, a, b)
        pos = header.end() if header else a
        tokens = []
        for m in re.finditer(rf"[\s|,;]*(?:(?P<num>{_NUMBER})|(?P<blank>[—―–‐\-]+|/))(?=[\s|,;\u3000-\u9fff]|$)", tx.t[pos:b]):
            if m.start() != (tokens[-1][2] if tokens else 0):
                break
            value = float(m.group("num").replace(",", "")) if m.group("num") else None
            grp = "num" if m.group("num") else "blank"
            tokens.append((value, tx.raw(pos + m.start(grp), pos + m.end(grp)), m.end()))
            if len(tokens) == 15:
                break
        if len(tokens) == 15:
            found["四"] = [Figure("四", item, measure, value, raw) for (item, measure), (value, raw, _) in
                          zip([(i, m) for i in TABLE4_ITEMS for m in TABLE4_MEASURES], tokens, strict=True)]
        else:
            warnings.append(f"table 四: {len(tokens)} numbers after the header, expected 15")
    return {k: v for k, v in found.items() if v}


# ---------------------------------------------------------------------------------------------------------------------
# Format and checks

_WORDS_2021 = ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额", "逾期未按收费通知")
_WORDS_2019 = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "政府集中采购", "采购项目数量",
               "其他对外管理服务事项")


def _detect_format(text: str) -> str:
    k = _key(text)
    a = sum(w in k for w in _WORDS_2021)
    b = sum(w in k for w in _WORDS_2019)
    return "2021" if a > b else "2019" if b > a else "unknown"


_ABSENT = object()


def _differs(expected: float, found: float) -> bool:
    return abs(expected - found) > 1e-6 * max(1.0, abs(expected))


def _checks(figures: list[Figure]) -> list[CheckFailure]:
    cells = {(f.table, f.item, f.measure): f.value for f in figures}

    def get(table, item, measure):
        return cells.get((table, item, measure), _ABSENT)

    def addends(values) -> float | None:
        """Sum of parsed addends (blank = 0); None if one was not parsed or all are blank."""
        if any(v is _ABSENT for v in values) or all(v is None for v in values):
            return None
        return sum(v or 0.0 for v in values)

    failures: list[CheckFailure] = []
    subs_of = {p: [s.label for s in _SUBS if s.parent == p] for p in T3_SUBROWS}

    def group_value(parent: str, measure: str):
        """A result row's value: as written, else the sum of its numbered sub-rows (if they were parsed)."""
        own = get("三", parent, measure)
        if own is not _ABSENT and own is not None:
            return own
        subs = [get("三", s, measure) for s in subs_of.get(parent, [])]
        present = [v for v in subs if v is not _ABSENT]
        if not present:
            return own
        if parent == "三（六）其他处理" and len(present) < len(subs):
            return _ABSENT
        total = addends(subs)
        return _ABSENT if total is None else total

    for m in TABLE3_MEASURES:  # 一 + 二 = 三（七） + 四
        left = addends([get("三", T3_TOP[0][0], m), get("三", T3_TOP[1][0], m)])
        right = addends([get("三", "三（七）总计", m), get("三", "四、结转下年度继续办理", m)])
        if left is not None and right is not None and _differs(left, right):
            failures.append(CheckFailure("table3_balance", m, left, right))
    for item in TABLE3_ITEMS:  # 总计 = the six applicant columns
        total = get("三", item, "总计")
        if total is _ABSENT or total is None:
            continue
        parts = addends([get("三", item, m) for m in APPLICANT_COLUMNS])
        if parts is not None and _differs(parts, total):
            failures.append(CheckFailure("table3_row_total", item, parts, total))
    for m in TABLE3_MEASURES:  # 三（七）总计 = （一） … （六）
        total = get("三", "三（七）总计", m)
        if total is _ABSENT or total is None:
            continue
        parts = addends([group_value(p, m) for p in RESULT_ROWS])
        if parts is not None and _differs(parts, total):
            failures.append(CheckFailure("table3_result_total", m, parts, total))
    for parent, subs in subs_of.items():  # a result row written with its own numbers = its sub-rows
        for m in TABLE3_MEASURES:
            own = get("三", parent, m)
            if own is _ABSENT or own is None:
                continue
            parts = [get("三", s, m) for s in subs]
            if all(v is _ABSENT for v in parts):
                continue
            parts_sum = addends(parts)
            if parts_sum is not None and _differs(parts_sum, own):
                failures.append(CheckFailure("table3_subtotal", f"{parent}/{m}", parts_sum, own))
    for item in TABLE4_ITEMS:  # 总计 = the four results before it
        total = get("四", item, "总计")
        if total is _ABSENT or total is None:
            continue
        parts = addends([get("四", item, m) for m in TABLE4_MEASURES[:4]])
        if parts is not None and _differs(parts, total):
            failures.append(CheckFailure("table4_total", item, parts, total))
    return failures


def _dedupe(figures: list[Figure], warnings: list[str]) -> list[Figure]:
    kept: dict[tuple[str, str, str], int] = {}
    out: list[Figure] = []
    for f in figures:
        key = (f.table, f.item, f.measure)
        if key not in kept:
            kept[key] = len(out)
            out.append(f)
            continue
        first = out[kept[key]]
        if first.value is None and f.value is not None:
            out[kept[key]] = f
        elif f.value is not None and f.value != first.value:
            warnings.append(f"table {f.table}: {f.item} / {f.measure} appears twice ({first.raw!r}, {f.raw!r}); kept the first")
    return out


# ---------------------------------------------------------------------------------------------------------------------
# API

def parse_annual_report(html: str | None = None, text: str | None = None) -> AnnualReport:
    """Figures of tables 二, 三, 四 of an annual report, the failed cross-checks, and what could not be read.

    `html` may be a whole page; its tables are read where found. A table not found among the page's <table>s is
    read from `text` (the report's flattened text), then from the page's own text (tables pasted as paragraphs).
    """
    warnings: list[str] = []
    root = _parse_html(html) if html else None
    by_table = _html_figures(root) if root is not None else {}
    missing = [k for k in ("二", "三", "四") if k not in by_table]
    # The page's text laid out by blocks is needed only when a table must come from text; the format words are
    # looked for with whitespace removed, so lxml's plain text_content serves them otherwise.
    html_text = _page_text(root) if root is not None and (missing or not (text and text.strip())) else ""
    plain = html_text or (root.text_content() if root is not None else "")
    flat = text if text and text.strip() else html_text
    first, second = (plain, text or "") if by_table else (flat, plain)
    fmt = _detect_format(first)
    if fmt == "unknown" and second:
        fmt = _detect_format(second)
    from_text: dict[str, list[Figure]] = {}
    first_notes: list[str] | None = None
    for source in dict.fromkeys(x for x in (text, html_text) if x and x.strip()):  # the given text, then the page's
        if not missing:
            break
        notes: list[str] = []  # each note starts 'table 三: …'
        got = _text_figures(source, fmt, missing, notes)
        first_notes = notes if first_notes is None else first_notes
        from_text.update(got)
        warnings.extend(n for n in notes if n[6] in got)
        missing = [k for k in missing if k not in got]
    warnings.extend(n for n in first_notes or [] if n[6] in missing)
    figures: list[Figure] = []
    for kind in ("二", "三", "四"):
        figs = by_table.get(kind) or from_text.get(kind) or []
        if not figs:
            warnings.append(f"table {kind} not found")
        figures.extend(figs)
    figures = _dedupe(figures, warnings)
    source = ("mixed" if by_table and from_text else "table" if by_table else "text" if from_text else "none")
    return AnnualReport(format=fmt, figures=figures, failures=_checks(figures), warnings=warnings, source=source)


def _canonical_item(table: str, item: str) -> str | None:
    if table == "三":  # '（七）总计', '属于国家秘密', '（三）1.属于国家秘密' name the canonical row they end
        k = _key(item)
        ends = [c for c in TABLE3_ITEMS if _key(c).endswith(k)]
        return ends[0] if len(ends) == 1 else _Table3Labels().item([item])
    return _match(_core(item), T2_ITEMS if table == "二" else T4_ITEM_PATTERNS)


def _canonical_measure(table: str, measure: str) -> str | None:
    return _match(_core(measure), {"二": T2_MEASURES, "三": T3_MEASURE_PATTERNS, "四": T4_MEASURE_PATTERNS}.get(table, ()))


def figure(report: AnnualReport, table: str, item: str, measure: str) -> float | None:
    """The value of one figure (None if blank or not in the report). Labels are matched loosely: '（七）总计',
    '三(七)总计' and '三（七）总计' name the same row. A result row of table 三 that the template splits into
    numbered sub-rows (（三）不予公开 …) and the report does not write itself is the sum of its sub-rows."""
    want = (_key(table), _key(item), _key(measure))
    for f in report.figures:
        if (_key(f.table), _key(f.item), _key(f.measure)) == want:
            return f.value
    t = _key(table)
    item_c, measure_c = _canonical_item(t, item), _canonical_measure(t, measure)
    values = {f.item: f.value for f in report.figures if f.table == t and f.measure == measure_c}
    if item_c in values:
        return values[item_c]
    if t == "三" and item_c in T3_SUBROWS:
        subs = [s.label for s in _SUBS if s.parent == item_c and s.label in values]
        if subs and any(values[s] is not None for s in subs):
            return sum(values[s] or 0.0 for s in subs)
    return None
