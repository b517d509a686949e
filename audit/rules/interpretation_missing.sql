-- basis: 国办发〔2016〕19号
-- description: a normative document no 解读 links (and that links none), once 3 working days have passed
-- severity: medium
-- dimension: interpretation
-- thresholds: [interpretation_wd]

CREATE OR REPLACE VIEW rule_interpretation_missing AS
SELECT site_id, 'interpretation_missing' AS rule, 'policy_interpretation' AS requirement_key, title AS subject,
       url AS subject_url, 0.0 AS measured, 1.0 AS threshold, 'interpretations' AS unit,
       '没有解读链接到这份规范性文件，它也没有链接解读' AS detail,
       'no 解读 links this normative document and it links none' AS detail_en, [url] AS evidence_urls
FROM missing_interpretations WHERE status = 'missing' AND NOT not_yet_due;
