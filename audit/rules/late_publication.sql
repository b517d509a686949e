-- basis: 条例 第二十六条
-- description: more than 20 working days from 成文日期 to 发布日期
-- severity: medium
-- dimension: timeliness
-- thresholds: [proactive_wd]

CREATE OR REPLACE VIEW rule_late_publication AS
SELECT l.site_id, 'late_publication' AS rule,
       (SELECT min(m.requirement_key) FROM column_mapping m WHERE m.site_id = l.site_id AND m.path = l.column_path) AS requirement_key,
       l.title AS subject, l.url AS subject_url, CAST(l.working_days AS DOUBLE) AS measured,
       CAST(l.threshold_working_days AS DOUBLE) AS threshold, 'working_days' AS unit,
       '成文日期 ' || l.written_date || '，发布日期 ' || l.published_date || '，相隔 ' || l.working_days || ' 个工作日' AS detail,
       'written ' || l.written_date || ', published ' || l.published_date || ': ' || l.working_days || ' working days' AS detail_en,
       [l.url] AS evidence_urls
FROM late_documents l WHERE l.late;
