-- basis: 条例 第十二条
-- description: the 指南 lacks a required part (office, address, hours, phone, fax, web contact, classification, arrangement, access)
-- severity: medium
-- dimension: accuracy
-- thresholds: []
-- threshold_note: text patterns in the taxonomy

CREATE OR REPLACE VIEW rule_guide_incomplete AS
SELECT c.site_id, 'guide_incomplete' AS rule, c.requirement_key, c.requirement_name AS subject,
       c.evidence_urls[1] AS subject_url, 0.0 AS measured, 1.0 AS threshold, 'parts' AS unit,
       '指南未写明' || replace(c.requirement_name, '指南：', '') AS detail,
       'the 指南 does not give ' || replace(c.requirement_name, '指南：', '') AS detail_en, c.evidence_urls
FROM coverage c WHERE c.kind = 'guide_field' AND c.verdict = 'missing' AND c.rule = 'guide_text';
