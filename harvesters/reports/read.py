"""Reading an annual report (政府信息公开工作年度报告, 年报): tables 二、三、四 from the page's HTML tables first
(`grid`), a table not found there from the report's flattened text (`text`), then the template's cross-checks
(勾稽关系, `checks`); and looking one figure up by loosely written labels (`figure`).
"""
from __future__ import annotations

from gongkai.harvesters.reports.checks import checks
from gongkai.harvesters.reports.figures import AnnualReport, Figure
from gongkai.harvesters.reports.grid import html_figures, page_text, parse_html
from gongkai.harvesters.reports.labels import (
    SUBS,
    T2_ITEMS,
    T2_MEASURES,
    T3_MEASURE_PATTERNS,
    T3_SUBROWS,
    T4_ITEM_PATTERNS,
    T4_MEASURE_PATTERNS,
    TABLE3_ITEMS,
    Table3Labels,
    core_of,
    detect_format,
    key_of,
    match_label,
)
from gongkai.harvesters.reports.text import text_figures


def parse_annual_report(html: str | None = None, text: str | None = None) -> AnnualReport:
    """Figures of tables 二, 三, 四 of an annual report, the failed cross-checks, and what could not be read.

    `html` may be a whole page; its tables are read where found. A table not found among the page's <table>s is
    read from `text` (the report's flattened text), then from the page's own text (tables pasted as paragraphs).
    """
    warnings: list[str] = []
    root = parse_html(html) if html else None
    by_table = html_figures(root) if root is not None else {}
    missing = [k for k in ("二", "三", "四") if k not in by_table]
    # The page's text laid out by blocks is needed only when a table must come from text; the format words are
    # looked for with whitespace removed, so lxml's plain text_content serves them otherwise.
    html_text = page_text(root) if root is not None and (missing or not (text and text.strip())) else ""
    plain = html_text or (root.text_content() if root is not None else "")
    flat = text if text and text.strip() else html_text
    first, second = (plain, text or "") if by_table else (flat, plain)
    fmt = detect_format(first)
    if fmt == "unknown" and second:
        fmt = detect_format(second)
    from_text: dict[str, list[Figure]] = {}
    first_notes: list[str] | None = None
    for source in dict.fromkeys(x for x in (text, html_text) if x and x.strip()):  # the given text, then the page's
        if not missing:
            break
        notes: list[str] = []  # each note starts 'table 三: …'
        got = text_figures(source, fmt, missing, notes)
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
    return AnnualReport(format=fmt, figures=figures, failures=checks(figures), warnings=warnings, source=source)


def _canonical_item(table: str, item: str) -> str | None:
    if table == "三":  # '（七）总计', '属于国家秘密', '（三）1.属于国家秘密' name the canonical row they end
        k = key_of(item)
        ends = [c for c in TABLE3_ITEMS if key_of(c).endswith(k)]
        return ends[0] if len(ends) == 1 else Table3Labels().item([item])
    return match_label(core_of(item), T2_ITEMS if table == "二" else T4_ITEM_PATTERNS)


def _canonical_measure(table: str, measure: str) -> str | None:
    return match_label(core_of(measure), {"二": T2_MEASURES, "三": T3_MEASURE_PATTERNS, "四": T4_MEASURE_PATTERNS}.get(table, ()))


def figure(report: AnnualReport, table: str, item: str, measure: str) -> float | None:
    """The value of one figure (None if blank or not in the report). Labels are matched loosely: '（七）总计',
    '三(七)总计' and '三（七）总计' name the same row. A result row of table 三 that the template splits into
    numbered sub-rows (（三）不予公开 …) and the report does not write itself is the sum of its sub-rows."""
    want = (key_of(table), key_of(item), key_of(measure))
    for f in report.figures:
        if (key_of(f.table), key_of(f.item), key_of(f.measure)) == want:
            return f.value
    t = key_of(table)
    item_c, measure_c = _canonical_item(t, item), _canonical_measure(t, measure)
    values = {f.item: f.value for f in report.figures if f.table == t and f.measure == measure_c}
    if item_c in values:
        return values[item_c]
    if t == "三" and item_c in T3_SUBROWS:
        subs = [s.label for s in SUBS if s.parent == item_c and s.label in values]
        if subs and any(values[s] is not None for s in subs):
            return sum(values[s] or 0.0 for s in subs)
    return None

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
