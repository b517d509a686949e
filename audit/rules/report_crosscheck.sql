-- basis: 国办公开办函〔2021〕30号
-- description: the report's tables fail the template's arithmetic (一 + 二 = 三（七） + 四; 总计 = the six applicant columns; result and table 四 totals)
-- severity: low
-- dimension: accuracy
-- thresholds: []

CREATE OR REPLACE VIEW rule_report_crosscheck AS
SELECT c.site_id, 'report_crosscheck' AS rule, 'annual_report' AS requirement_key,
       c.report_year || '年 annual report: ' || c.check_name || ' (' || c.location || ')' AS subject, c.url AS subject_url,
       c.found AS measured, c.expected AS threshold, 'figure' AS unit,
       c.check_name || '（' || c.location || '）：按模板应为 ' || c.expected || '，报告为 ' || c.found AS detail,
       c.check_name || ' at ' || c.location || ': the template requires ' || c.expected || ', the report gives ' || c.found AS detail_en,
       [c.url] AS evidence_urls
FROM report_checks c JOIN documents d USING (site_id, doc_id) WHERE d.withdrawn_at IS NULL;
