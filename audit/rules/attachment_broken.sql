-- basis: 条例 第二十六条
-- description: an attachment link answers 400, 401, 403, 404 or 410
-- severity: low
-- dimension: accuracy
-- thresholds: []

CREATE OR REPLACE VIEW rule_attachment_broken AS
SELECT d.site_id, 'attachment_broken' AS rule,
       (SELECT min(m.requirement_key) FROM column_mapping m WHERE m.site_id = d.site_id AND m.path = d.column_path) AS requirement_key,
       d.title AS subject, d.url AS subject_url, 1.0 AS measured, 0.0 AS threshold, 'links' AS unit,
       '附件“' || coalesce(a.name, a.url) || '”无法打开（4xx）' AS detail,
       'attachment ' || coalesce(a.name, a.url) || ' answers 4xx' AS detail_en, [d.url, a.url] AS evidence_urls
FROM attachments a JOIN documents d USING (site_id, doc_id)
WHERE a.status = 'broken' AND d.withdrawn_at IS NULL;
