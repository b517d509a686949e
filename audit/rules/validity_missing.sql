-- basis: 国办发〔2017〕47号
-- description: a normative document without 有效性
-- severity: medium
-- dimension: accuracy
-- thresholds: []

CREATE OR REPLACE VIEW rule_validity_missing AS
SELECT site_id, 'validity_missing' AS rule, 'art20_01_normative_docs' AS requirement_key, title AS subject,
       url AS subject_url, 0.0 AS measured, 1.0 AS threshold, 'marks' AS unit,
       '页面未标注有效性' AS detail, 'no 有效性 (validity) on the page' AS detail_en, [url] AS evidence_urls
FROM normative_documents WHERE validity IS NULL;
