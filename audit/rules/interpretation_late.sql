-- basis: 国办发〔2016〕19号
-- description: the first 解读 came more than 3 working days after the policy
-- severity: low
-- dimension: interpretation
-- thresholds: [interpretation_wd]

CREATE OR REPLACE VIEW rule_interpretation_late AS
SELECT site_id, 'interpretation_late' AS rule, 'policy_interpretation' AS requirement_key, title AS subject,
       url AS subject_url, CAST(working_days_to_interpretation AS DOUBLE) AS measured,
       CAST(interpretation_wd AS DOUBLE) AS threshold, 'working_days' AS unit,
       '政策发布于 ' || published_date || '，解读发布于 ' || interpretation_published AS detail,
       'policy published ' || published_date || ', 解读 ' || interpretation_published AS detail_en,
       [url, interpretation_url] AS evidence_urls
FROM missing_interpretations WHERE status = 'late';
