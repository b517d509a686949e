"""The cross-checks (勾稽关系) of an annual report's (政府信息公开工作年度报告, 年报) tables, as the templates define them.

* table3_balance: 一、本年新收 + 二、上年结转 = 三（七）总计 + 四、结转下年度继续办理, per applicant column (申请人情况);
* table3_row_total: a row's 总计 = its six applicant columns (自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他);
* table3_result_total: 三（七）总计 = （一）予以公开 … （六）其他处理 (a result row not written = the sum of its sub-rows);
* table3_subtotal: a result row written with its own numbers (a 小计) = its numbered sub-rows;
* table4_total: table 四's 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结, for 行政复议 and both kinds of 行政诉讼.

A figure that was not parsed at all skips the check; a blank addend counts as 0, a blank total skips it.
"""
from __future__ import annotations

from gongkai.harvesters.reports.figures import CheckFailure, Figure
from gongkai.harvesters.reports.labels import (
    APPLICANT_COLUMNS,
    RESULT_ROWS,
    SUBS,
    T3_SUBROWS,
    T3_TOP,
    TABLE3_ITEMS,
    TABLE3_MEASURES,
    TABLE4_ITEMS,
    TABLE4_MEASURES,
)

CHECKS = ("table3_balance", "table3_row_total", "table3_result_total", "table3_subtotal", "table4_total")

_ABSENT = object()


def _differs(expected: float, found: float) -> bool:
    return abs(expected - found) > 1e-6 * max(1.0, abs(expected))


def checks(figures: list[Figure]) -> list[CheckFailure]:
    cells = {(f.table, f.item, f.measure): f.value for f in figures}

    def get(table, item, measure):
        return cells.get((table, item, measure), _ABSENT)

    def addends(values) -> float | None:
        """Sum of parsed addends (blank = 0); None if one was not parsed or all are blank."""
        if any(v is _ABSENT for v in values) or all(v is None for v in values):
            return None
        return sum(v or 0.0 for v in values)

    failures: list[CheckFailure] = []
    subs_of = {p: [s.label for s in SUBS if s.parent == p] for p in T3_SUBROWS}

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
