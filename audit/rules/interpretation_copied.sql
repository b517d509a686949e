-- basis: 国办发〔2016〕19号
-- description: ⚠ 60 % or more of the 解读's 5-character shingles are the policy's own
-- severity: low
-- dimension: interpretation
-- thresholds: [interpretation_copy_share]

CREATE OR REPLACE VIEW rule_interpretation_copied AS
SELECT n.site_id, 'interpretation_copied' AS rule, 'policy_interpretation' AS requirement_key, n.title AS subject,
       n.url AS subject_url, l.copy_share AS measured, st.copy_share AS threshold, 'share' AS unit,
       '解读文本的 ' || CAST(floor(100 * l.copy_share) AS INTEGER) || '% 照录政策原文' AS detail,
       CAST(floor(100 * l.copy_share) AS INTEGER) || '% of the 解读 text is the policy''s own' AS detail_en, [n.url, l.interpretation_url] AS evidence_urls
FROM interpretation_links l JOIN normative_documents n ON n.site_id = l.site_id AND n.doc_id = l.policy_doc_id JOIN site_settings st ON st.site_id = n.site_id
WHERE l.copy_share >= st.copy_share;
