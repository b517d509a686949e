-- Findings (审计发现): every rule's view (audit/rules/<rule>.sql) united, with its severity and score dimension from
-- audit_rules. audit/rulebook.py fills in the union: one SELECT per rule file.

CREATE OR REPLACE VIEW findings AS
WITH every AS (
    {every_rule}
)
SELECT e.site_id, e.rule, r.severity, r.dimension, e.requirement_key, e.subject, e.subject_url,
       CAST(e.measured AS DOUBLE) AS measured, CAST(e.threshold AS DOUBLE) AS threshold, e.unit, e.detail, e.detail_en,
       CAST(e.evidence_urls AS VARCHAR[]) AS evidence_urls, a.as_of,
       substr(sha256(e.site_id || '|' || e.rule || '|' || coalesce(e.requirement_key, '') || '|' || coalesce(e.subject, '')
                     || '|' || coalesce(e.subject_url, '')), 1, 16) AS finding_id
FROM every e JOIN audit_rules r USING (rule) JOIN audit_dates a USING (site_id)
ORDER BY e.site_id, r.severity DESC, e.rule, e.subject;
COMMENT ON VIEW findings IS 'Every audit finding: site, rule, severity (an ordered type: ORDER BY severity DESC puts high first), requirement, what was measured against which threshold, the finding in Chinese (detail) and English (detail_en), and evidence URLs.';
