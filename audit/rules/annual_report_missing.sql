-- basis: 条例 第四十九、五十条
-- description: no report for the year due (government by March 31, each department by January 31)
-- severity: high
-- dimension: completeness
-- thresholds: [annual_report_due]

CREATE OR REPLACE VIEW rule_annual_report_missing AS
SELECT c.site_id, 'annual_report_missing' AS rule, c.requirement_key, c.report_year || '年 annual report' AS subject,
       NULL AS subject_url, 0.0 AS measured, 1.0 AS threshold, 'reports' AS unit,
       '年度报告栏目中没有 ' || c.report_year || ' 年度报告' AS detail,
       'no ' || c.report_year || ' annual report in the annual-report columns' AS detail_en, c.evidence_urls
FROM coverage c WHERE c.kind = 'report' AND c.verdict = 'missing'
UNION ALL  -- a department's annual-report column without the report due (January 31)
SELECT s.site_id, 'annual_report_missing', 'annual_report', s.parent_path || ': ' || a.department_report_year_due || '年 annual report',
       NULL, 0.0, 1.0, 'reports', s.path || ' 中没有 ' || a.department_report_year_due || ' 年度报告',
       'no ' || a.department_report_year_due || ' annual report in ' || s.path, [s.url]
FROM sections s JOIN column_mapping m USING (site_id, path) JOIN audit_dates a USING (site_id)
WHERE s.scope = 'department' AND m.requirement_key = 'platform_annual_reports'
  AND NOT EXISTS (SELECT 1 FROM annual_reports r WHERE r.site_id = s.site_id AND r.column_parent = s.parent_path
                  AND r.scope = 'department' AND r.report_year = a.department_report_year_due);
