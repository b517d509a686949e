-- basis: 国办秘函〔2019〕19号
-- description: every column of the requirement is empty and none carries an explanatory note
-- severity: high
-- dimension: completeness
-- thresholds: []

CREATE OR REPLACE VIEW rule_blank_column AS
SELECT c.site_id, 'blank_column' AS rule, c.requirement_key, array_to_string(c.column_paths, '; ') AS subject,
       c.evidence_urls[1] AS subject_url, 0.0 AS measured, 1.0 AS threshold, 'items' AS unit,
       c.columns || ' 个栏目没有信息，也没有说明' AS detail,
       'no items and no explanatory note in ' || c.columns || ' column(s)' AS detail_en, c.evidence_urls
FROM coverage c WHERE c.verdict = 'blank';
