-- Evidence that lasts (存档证据): every page a finding or a coverage verdict rests on, with its archived copy in the
-- site's WARC files (the newest capture the parse read). A county may edit or remove the page after the audit; the
-- copy shows what it said. `snapshot` is the sanitised copy a release publishes (release/evidence.py); empty for a
-- page that was never archived (an attachment that answered 4xx, a column on another host).
CREATE OR REPLACE VIEW evidence AS
WITH cited AS (
    SELECT site_id, 'finding' AS cited_by, finding_id AS cited_id, rule, unnest(evidence_urls) AS url FROM findings
    UNION ALL
    SELECT site_id, 'coverage', requirement_key, rule, unnest(evidence_urls) FROM coverage
)
SELECT c.site_id, c.cited_by, c.cited_id, c.rule, c.url, k.captured_at, k.kind, k.status, k.content_type,
       k.warc_file, k.warc_offset, k.sha256, k.run_id,
       CASE WHEN k.sha256 IS NOT NULL AND k.kind <> 'attachment'
            THEN 'evidence/' || c.site_id || '/' || substr(sha256(c.url), 1, 16) || '.html' END AS snapshot
FROM cited c LEFT JOIN captures k ON k.site_id = c.site_id AND k.url = c.url
ORDER BY c.site_id, c.cited_by, c.cited_id, c.url;
COMMENT ON VIEW evidence IS 'Every page a finding or coverage verdict cites, with its archived copy: capture time, WARC file and offset, body digest, and the sanitised snapshot a release publishes.';

-- What the audit could not judge, and why (e.g. a date outside the working-day calendar; a report whose tables were
-- not recognised). Reported, never guessed.
CREATE OR REPLACE VIEW audit_unevaluated AS
SELECT d.site_id, 'late_publication' AS rule, d.url,
       'a date outside the working-day calendar (' || (SELECT min(day) FROM workdays) || ' to ' ||
       (SELECT max(day) FROM workdays) || '): 成文日期 ' || d.written_date || ', 发布日期 ' || d.published_date AS reason
FROM documents d
WHERE d.withdrawn_at IS NULL AND d.written_date IS NOT NULL AND d.published_date IS NOT NULL
  AND (d.written_date NOT IN (SELECT day FROM workdays) OR d.published_date NOT IN (SELECT day FROM workdays))
UNION ALL
SELECT site_id, 'interpretation_late', url, 'policy or 解读 dated outside the working-day calendar'
FROM missing_interpretations WHERE status = 'not_evaluated'
UNION ALL
SELECT r.site_id, 'report_crosscheck', r.url, 'no statistical table recognised in the annual report'
FROM annual_reports r WHERE NOT EXISTS (SELECT 1 FROM report_figures f WHERE f.site_id = r.site_id AND f.doc_id = r.doc_id);
COMMENT ON VIEW audit_unevaluated IS 'Checks the audit could not make, with the reason (reported, not guessed).';
