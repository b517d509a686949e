-- basis: 条例 第四十九、五十条
-- description: a report published after its deadline
-- severity: medium
-- dimension: timeliness
-- thresholds: [annual_report_due]

CREATE OR REPLACE VIEW rule_annual_report_late AS
SELECT r.site_id, 'annual_report_late' AS rule, 'annual_report' AS requirement_key, r.title AS subject, r.url AS subject_url,
       CAST(r.published_date - r.due_date AS DOUBLE) AS measured, 0.0 AS threshold, 'days_after_deadline' AS unit,
       CASE r.scope WHEN 'government' THEN '政府' ELSE '部门' END || r.report_year || ' 年度报告应于 ' || r.due_date ||
       ' 前发布，实际发布于 ' || r.published_date AS detail,
       r.scope || ' report for ' || r.report_year || ' due ' || r.due_date || ', published ' || r.published_date AS detail_en,
       [r.url] AS evidence_urls
FROM annual_reports r WHERE r.published_date > r.due_date;
