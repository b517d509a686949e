"""What reading an annual report (政府信息公开工作年度报告, 年报) yields: its figures (one per table × row × column
of tables 二、三、四), the failed cross-checks (勾稽关系), and how a figure's number is written in a cell.

Blank cells and '—', '-', '/' (and 无) are figures with value None.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from gongkai.harvesters.reports.labels import SHORT, key_of


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


# ---------------------------------------------------------------------------------------------------------------------
# Numbers

NUMBER = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_CELL_VALUE = re.compile(rf"({NUMBER})(?:件|个|项|次|万元|元)?")
_CELL_BLANK = re.compile(r"[—―–‐\-/]*|无")


def cell_value(text: str) -> tuple[bool, float | None]:
    """(is a value cell, value) for a table cell's text."""
    return _short_cell_value(text if len(text) <= SHORT else key_of(text))  # a long cell may be mostly padding


@lru_cache(maxsize=16384)
def _short_cell_value(text: str) -> tuple[bool, float | None]:
    k = key_of(text)
    m = _CELL_VALUE.fullmatch(k)
    if m:
        return True, float(m.group(1).replace(",", ""))
    return (True, None) if _CELL_BLANK.fullmatch(k) else (False, None)
