"""Annual-report figures as lake rows: which documents are annual reports (年报, 政府信息公开工作年度报告, by their
title) and their parsed tables (the `report_figures` and `report_checks` tables).

Runs in the parse stage (harvesters.parse), on the archived page, so a parser fix is a re-parse away.
"""
from __future__ import annotations

import re

from gongkai.harvesters.reports.read import parse_annual_report

REPORT_TITLE = re.compile(r"((?:19|20)\d{2})\s*年度?.*?(?:政府)?信息公开.*?(?:年度报告|年报)")


def report_year(title: str | None) -> int | None:
    """The year an annual report is about, from its title (…2023年政府信息公开工作年度报告); None for other documents."""
    m = REPORT_TITLE.search(title or "")
    return int(m.group(1)) if m else None


def report_rows(doc: dict, html: str) -> tuple[list[dict], list[dict]]:
    """Figure rows and failed cross-check rows of one annual report (documents row + its page)."""
    report = parse_annual_report(html=html, text=doc["body_text"])
    year = report_year(doc["title"])
    key = {"site_id": doc["site_id"], "doc_id": doc["doc_id"], "url": doc["url"]}
    figures = [{**key, "publisher": doc["publisher"], "report_year": year, "format": report.format, "source": report.source,
                "table_no": f.table, "item": f.item, "measure": f.measure, "value": f.value, "raw": f.raw}
               for f in report.figures]
    checks = [{**key, "report_year": year, "check_name": c.check, "location": c.where, "expected": c.expected,
               "found": c.found} for c in report.failures]
    return figures, checks
