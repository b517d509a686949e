-- basis: 国办秘函〔2019〕19号 单项否决
-- description: the site has ≥ 5 stale, ≥ 10 long-stale or ≥ 5 blank leaf columns (either scope; unmapped columns by name class)
-- severity: high
-- dimension: completeness
-- thresholds: [inspection]

CREATE OR REPLACE VIEW rule_site_inspection AS
WITH stale AS (  -- joined, not correlated: a filter on one site then reaches stale_columns too
    SELECT site_id, count(*) AS stale, list(column_url ORDER BY path) AS stale_urls,
           count(*) FILTER (WHERE long_stale) AS long_stale,
           list(column_url ORDER BY path) FILTER (WHERE long_stale) AS long_stale_urls
    FROM stale_columns GROUP BY site_id
), blank AS (
    SELECT c.site_id, st.inspect_blank, st.inspect_stale, st.inspect_long_stale,
           count(*) FILTER (WHERE c.status = 'blank') AS blank,
           list(c.url ORDER BY c.path) FILTER (WHERE c.status = 'blank') AS blank_urls
    FROM column_freshness c JOIN site_settings st USING (site_id)
    GROUP BY ALL
), counts AS (
    SELECT b.*, coalesce(s.stale, 0) AS stale, s.stale_urls, coalesce(s.long_stale, 0) AS long_stale,
           s.long_stale_urls
    FROM blank b LEFT JOIN stale s USING (site_id)
)
SELECT site_id, 'site_inspection' AS rule, CAST(NULL AS VARCHAR) AS requirement_key, 'blank columns' AS subject,
       CAST(NULL AS VARCHAR) AS subject_url,
       CAST(blank AS DOUBLE) AS measured, CAST(inspect_blank AS DOUBLE) AS threshold, 'columns' AS unit,
       blank || ' 个空白栏目（达到 ' || inspect_blank || ' 个即单项否决）' AS detail,
       blank || ' blank columns (the site fails at ' || inspect_blank || ')' AS detail_en, blank_urls AS evidence_urls
FROM counts WHERE blank >= inspect_blank
UNION ALL
SELECT site_id, 'site_inspection', NULL, 'stale columns', NULL, stale, inspect_stale, 'columns',
       stale || ' 个栏目更新不及时（达到 ' || inspect_stale || ' 个即单项否决）',
       stale || ' stale columns (the site fails at ' || inspect_stale || ')', stale_urls
FROM counts WHERE stale >= inspect_stale
UNION ALL
SELECT site_id, 'site_inspection', NULL, 'long-stale columns', NULL, long_stale, inspect_long_stale, 'columns',
       long_stale || ' 个栏目长期未更新（达到 ' || inspect_long_stale || ' 个即单项否决）',
       long_stale || ' long-stale columns (the site fails at ' || inspect_long_stale || ')', long_stale_urls
FROM counts WHERE long_stale >= inspect_long_stale;
