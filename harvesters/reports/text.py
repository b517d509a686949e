"""The text reader for an annual report (政府信息公开工作年度报告, 年报) whose tables were pasted as paragraphs
(flattened text): tables 二、主动公开政府信息情况, 三、收到和处理政府信息公开申请情况 and 四、政府信息公开行政复议、
行政诉讼情况 read by the template's row order and column counts.

Each table is found by its header words (信息内容 本年制发 …, 申请人情况 …, 结果维持 结果纠正 …), each row label
in template order within it; a row's numbers are those between its label and the next label found. The labels are
matched with any whitespace between their characters; the raw text of each number is kept as written.
"""
from __future__ import annotations

import re
from functools import lru_cache

from gongkai.harvesters.reports.figures import NUMBER, Figure
from gongkai.harvesters.reports.labels import (
    SUBS,
    T2_ITEMS,
    T2_ROWS,
    T3_SUBROWS,
    T3_TOP,
    TABLE3_MEASURES,
    TABLE4_ITEMS,
    TABLE4_MEASURES,
    norm,
)


def _spaced(word: str) -> str:
    return r"\s*".join(re.escape(ch) for ch in word)


_TEXT_ENUM = (r"(?:(?:[一二三四五六七八九十]+\s*[、.]|\(\s*[一二三四五六七八九十]+\s*\)|\d{1,2}\s*[.、)]"
              r"|\(\s*\d{1,2}\s*\))\s*)*")
_TEXT_TOKEN = re.compile(rf"(?P<num>{NUMBER})|(?<![^\s\u3000-\u9fff])(?P<blank>[—―–‐\-]+|/)(?![^\s\u3000-\u9fff])")


_norm_char = lru_cache(maxsize=8192)(norm)


def _norm_map(s: str) -> tuple[str, list[int]]:
    """norm per character, with each normalised character's index in the original (for the raw text)."""
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
        for s in (s for s in SUBS if s.parent == label):
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


def text_figures(text: str, fmt: str, kinds: list[str], warnings: list[str]) -> dict[str, list[Figure]]:
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
        other = frozenset(s.label for s in SUBS if s.parent == "三（六）其他处理")  # 2021 only
        rows = [(label, pattern, TABLE3_MEASURES if count or (fmt == "2019" and label == "三（六）其他处理") else ())
                for label, pattern, count in _T3_TEXT_ROWS if not (fmt == "2019" and label in other)]
        found["三"] = _rows_in_text(tx, spans["三"], rows, "三", warnings, other if fmt != "2021" else frozenset())
    if "四" in kinds and "四" in spans:
        a, b = spans["四"]
        header = _T4_HEADER.match(tx.t, a, b)
        pos = header.end() if header else a
        tokens = []
        for m in re.finditer(rf"[\s|,;]*(?:(?P<num>{NUMBER})|(?P<blank>[—―–‐\-]+|/))(?=[\s|,;\u3000-\u9fff]|$)", tx.t[pos:b]):
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

