-- basis: 国办公开办函〔2021〕30号
-- description: the report's 行政规范性文件 本年制发件数 differs from the normative documents the site published made that year by more than 2 and more than 20 % (only years the site's listings cover in full)
-- severity: medium
-- dimension: accuracy
-- thresholds: [report_tolerance]

CREATE OR REPLACE VIEW rule_report_reconciliation AS
WITH claimed AS (  -- 行政规范性文件 本年制发件数 (2021) / 本年新制作数量 (2019) of the government's reports
    SELECT f.site_id, f.url, f.report_year, f.value
    FROM report_figures f JOIN annual_reports r ON r.site_id = f.site_id AND r.doc_id = f.doc_id
    WHERE r.scope = 'government' AND f.table_no = '二' AND f.item IN ('行政规范性文件', '规范性文件')
      AND f.measure IN ('本年制发件数', '本年新制作数量') AND f.value IS NOT NULL
), published AS (
    SELECT site_id, issued_year, count(*) AS n, list(url ORDER BY url) AS urls
    FROM normative_documents WHERE scope = 'government' GROUP BY ALL
), reach AS (  -- only years the site's listings cover in full: after the year of its oldest normative document
    SELECT site_id, min(issued_year) AS first_year FROM normative_documents WHERE scope = 'government' GROUP BY site_id
)
SELECT c.site_id, 'report_reconciliation' AS rule, 'annual_report' AS requirement_key,
       c.report_year || '年 annual report: 行政规范性文件 本年制发件数' AS subject, c.url AS subject_url,
       c.value AS measured, CAST(coalesce(p.n, 0) AS DOUBLE) AS threshold, 'documents' AS unit,
       '年度报告称制发 ' || CAST(c.value AS BIGINT) || ' 件，网站公开的 ' || c.report_year || ' 年制发的规范性文件为 ' ||
       coalesce(p.n, 0) || ' 件' AS detail,
       'the report says ' || CAST(c.value AS BIGINT) || ', the site published ' || coalesce(p.n, 0) ||
       ' normative documents made in ' || c.report_year AS detail_en,
       [c.url] || coalesce(p.urls, []) AS evidence_urls
FROM claimed c JOIN site_settings st USING (site_id) JOIN reach r USING (site_id)
LEFT JOIN published p ON p.site_id = c.site_id AND p.issued_year = c.report_year
WHERE c.report_year > r.first_year
  AND abs(c.value - coalesce(p.n, 0)) > st.tolerance_abs
  AND abs(c.value - coalesce(p.n, 0)) > st.tolerance_share * greatest(c.value, coalesce(p.n, 0));
