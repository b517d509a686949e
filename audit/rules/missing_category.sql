-- basis: 条例 第二十、二十一条; 国办公开办函〔2019〕61号; 国办发〔2019〕54号
-- description: an applicable requirement no column maps to
-- severity: high
-- dimension: completeness
-- thresholds: []

CREATE OR REPLACE VIEW rule_missing_category AS
SELECT c.site_id, 'missing_category' AS rule, c.requirement_key, c.requirement_name AS subject, CAST(NULL AS VARCHAR) AS subject_url,
       0.0 AS measured, 1.0 AS threshold, 'columns' AS unit,
       '本站没有对应“' || c.requirement_name || '”的栏目' AS detail,
       'no column of the site maps to ' || c.requirement_name AS detail_en, c.evidence_urls
FROM coverage c WHERE c.kind = 'column' AND c.verdict = 'missing';
