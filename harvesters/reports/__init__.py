"""The statistical tables of a 政府信息公开工作年度报告 (annual report, 年报) as typed figures, with the template's own
cross-checks (勾稽关系); read in the parse stage, after the adapters, from the archived page.

Two national templates (docs: /work/shared/domain/disclosure-rules.md §7):

* 2021 format, 国办公开办函〔2021〕30号 (reports on 2021 onward): table 二 columns 本年制发件数 / 本年废止件数 /
  现行有效件数, 本年处理决定数量, 本年收费金额（单位：万元）; table 三 （六）其他处理 split into three numbered sub-rows.
* 2019 trial format, 国办公开办函〔2019〕60号 (reports on 2019–2020): table 二 columns 本年新制作数量 / 本年新公开数量 /
  对外公开总数量, 上一年项目数量 / 本年增/减 / 处理决定数量, the extra blocks 其他对外管理服务事项 and
  （九）政府集中采购 (采购项目数量 / 采购总金额); table 三 （六）其他处理 is one row.

Modules: `labels` (the templates' labels and their normalisation), `grid` (HTML tables), `text` (tables pasted as
text), `checks` (the cross-checks), `figures` (what a report yields), `read` (the reader), `rows` (lake rows).

Labels are matched NFKC-insensitively, ignoring spaces, quotes and the width of brackets; emitted labels are the
canonical ones (full-width brackets). Blank cells and '—', '-', '/' are figures with value None. In the cross-checks a
figure that was not parsed at all skips the check; a blank addend counts as 0, a blank total skips it.
"""
from gongkai.harvesters.reports.checks import CHECKS
from gongkai.harvesters.reports.figures import AnnualReport, CheckFailure, Figure
from gongkai.harvesters.reports.labels import APPLICANT_COLUMNS, TABLE3_ITEMS, TABLE3_MEASURES, TABLE4_ITEMS, TABLE4_MEASURES
from gongkai.harvesters.reports.read import figure, parse_annual_report
from gongkai.harvesters.reports.rows import report_rows, report_year

__all__ = ["Figure", "CheckFailure", "AnnualReport", "parse_annual_report", "figure", "report_rows", "report_year",
           "APPLICANT_COLUMNS", "TABLE3_MEASURES", "TABLE3_ITEMS", "TABLE4_ITEMS", "TABLE4_MEASURES", "CHECKS"]
