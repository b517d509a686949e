-- The audit (审计): coverage and the views the rules share, over the catalogue. Thresholds come from site_settings and
-- site_freshness (schemas/audit.yaml, resolved per jurisdiction); requirements from schemas/taxonomy.yaml.
-- The rules themselves are one file each in audit/rules/ (audit/rulebook.py installs them); findings.sql unites them.

COMMENT ON TABLE requirements IS 'Taxonomy: every requirement with its legal basis, whom it applies to and how it is recognised (schemas/taxonomy.yaml).';
COMMENT ON TABLE column_mapping IS 'Site column → requirement, with the reason (which synonym, slug or title rule matched, or a registry override).';
COMMENT ON TABLE audit_dates IS 'Per site, the date the audit judges against (the day of its latest harvest, Beijing time) and the annual reports due by then.';
COMMENT ON TABLE site_settings IS 'Per site, the audit thresholds after jurisdiction overrides (schemas/audit.yaml).';
COMMENT ON TABLE site_freshness IS 'Per site and freshness class, the days after which a column is stale, and the name pattern of unmapped columns in that class.';
COMMENT ON TABLE workdays IS 'The official working-day calendar (holidays and make-up workdays, from chinesecalendar): ordinal counts working days.';
COMMENT ON TABLE interpretation_links IS 'Policy ↔ 解读 pairs linked from either page, with the share of the 解读 text found in the policy.';
COMMENT ON TABLE audit_rules IS 'Every audit rule: legal basis, what it checks, severity, score dimension and the points a finding costs.';
COMMENT ON TABLE score_dimensions IS 'Score dimensions and their points (schemas/audit.yaml); a county score is reproducible from findings and these.';

-- Leaf columns with the freshness threshold that applies: the strictest class of the requirements they map to, or,
-- for a column no requirement claims, the class its name suggests (column_classes in schemas/audit.yaml).
CREATE OR REPLACE VIEW column_freshness AS
SELECT s.site_id, s.path, s.name, s.url, s.scope, s.item_count, s.newest_item_date, s.newest_item_url, s.undated_items,
       s.status, a.as_of,
       CASE WHEN EXISTS (SELECT 1 FROM column_mapping m WHERE m.site_id = s.site_id AND m.path = s.path)
            THEN (SELECT min(f.threshold_days) FROM column_mapping m JOIN requirements r ON r.key = m.requirement_key
                  JOIN site_freshness f ON f.site_id = m.site_id AND f.freshness = r.freshness
                  WHERE m.site_id = s.site_id AND m.path = s.path)
            ELSE (SELECT min(f.threshold_days) FROM site_freshness f
                  WHERE f.site_id = s.site_id AND f.name_pattern IS NOT NULL AND regexp_matches(s.name, f.name_pattern))
       END AS threshold_days
FROM sections s JOIN audit_dates a USING (site_id)
WHERE NOT EXISTS (SELECT 1 FROM sections c WHERE c.site_id = s.site_id AND c.parent_path = s.path);
COMMENT ON VIEW column_freshness IS 'Leaf columns (both scopes) with the freshness threshold that applies to them (NULL: not judged).';

CREATE OR REPLACE VIEW stale_columns AS
SELECT c.site_id, c.path, c.name, c.scope, c.item_count, c.undated_items, c.newest_item_date,
       c.as_of - c.newest_item_date AS days_since_update, c.threshold_days,
       c.newest_item_date IS NULL OR c.newest_item_date < c.as_of - st.long_stale_days AS long_stale,
       coalesce(c.newest_item_url, c.url) AS evidence_url, c.url AS column_url
FROM column_freshness c JOIN site_settings st USING (site_id)
WHERE c.item_count > 0 AND c.threshold_days IS NOT NULL
  AND (c.newest_item_date IS NULL OR c.newest_item_date < c.as_of - c.threshold_days)
ORDER BY c.site_id, days_since_update DESC NULLS FIRST;
COMMENT ON VIEW stale_columns IS 'Every stale leaf column (items but none newer than its threshold; undated items count as not updated), long-stale flagged.';

-- Coverage: site × applicable requirement → present | blank | blank_with_note | stale | missing | not_harvested.
CREATE OR REPLACE VIEW coverage AS
WITH mapped AS (
    SELECT m.site_id, m.requirement_key, s.path, s.url, s.item_count, s.newest_item_date, s.newest_item_url,
           s.status, s.note
    FROM column_mapping m JOIN sections s USING (site_id, path)
    WHERE s.scope = 'government'
), per_req AS (
    SELECT site_id, requirement_key,
           count(*) AS columns,
           sum(item_count) AS items,
           max(newest_item_date) AS newest_item_date,
           -- the newest item's URL; of items equally new, the first URL (so the evidence is the same on every build)
           (list(newest_item_url ORDER BY newest_item_date DESC, newest_item_url)
                FILTER (WHERE newest_item_date IS NOT NULL AND newest_item_url IS NOT NULL))[1] AS newest_item_url,
           bool_and(status = 'blank_with_note' OR item_count > 0) AS every_blank_has_note,
           bool_and(status = 'external') AS all_external,     -- linked to another host (a provincial platform)
           bool_or(status = 'not_read') AS some_not_read,     -- a page that could not be fetched: nothing judged
           list(path ORDER BY path) AS column_paths,
           list(url ORDER BY path) FILTER (WHERE url IS NOT NULL) AS column_urls
    FROM mapped GROUP BY ALL
), report_columns AS (  -- the government's annual-report columns: where its report is looked for
    SELECT m.site_id, m.path, s.url
    FROM column_mapping m JOIN sections s USING (site_id, path)
    WHERE m.requirement_key = 'platform_annual_reports' AND s.scope = 'government'
), reports AS (  -- the annual report (年报) due by the audit date, found by title
    SELECT rc.site_id, r.key AS requirement_key, count(DISTINCT li.url) AS items, max(li.list_date) AS newest_item_date,
           min(li.url) AS newest_item_url
    FROM requirements r
    JOIN audit_dates a ON TRUE
    JOIN report_columns rc ON rc.site_id = a.site_id
    JOIN list_items li ON li.site_id = rc.site_id AND li.column_path = rc.path
    WHERE r.kind = 'report'
      AND regexp_matches(li.title, replace(r.title_pattern, '{previous_year}', CAST(a.report_year_due AS VARCHAR)))
    GROUP BY ALL
), guides AS (  -- the 指南's text (条例 第十二条): documents in the government's guide columns
    SELECT d.site_id, d.url, d.body_text
    FROM documents d JOIN column_mapping m ON m.site_id = d.site_id AND m.path = d.column_path
    JOIN sections s ON s.site_id = d.site_id AND s.path = d.column_path
    WHERE m.requirement_key = 'platform_guide' AND s.scope = 'government' AND d.withdrawn_at IS NULL
), guide_parts AS (
    SELECT g.site_id, r.key AS requirement_key,
           count(*) FILTER (WHERE regexp_matches(coalesce(g.body_text, ''), r.text_pattern)) AS items,
           list(g.url ORDER BY g.url) AS guide_urls
    FROM guides g JOIN requirements r ON r.kind = 'guide_field'
    GROUP BY ALL
), harvest_state AS (  -- a site with no parsed columns has no verdicts to give: say why instead of 'missing'
    SELECT s.site_id,
           (SELECT count(*) FROM sections x WHERE x.site_id = s.site_id) AS sections,
           (SELECT arg_max(r.status, r.started_at) FROM harvest_runs r WHERE r.site_id = s.site_id) AS last_status,
           -- the pages that decided the tree: a requirement is missing only when every column page was read
           (SELECT list(t.url ORDER BY t.role <> 'entry', t.column_path) FROM tree_pages t
            WHERE t.site_id = s.site_id AND t.status = 'read' AND t.role IN ('entry', 'group')) AS tree_read,
           (SELECT list(t.url ORDER BY t.column_path) FROM tree_pages t
            WHERE t.site_id = s.site_id AND t.status = 'not_read') AS tree_unread
    FROM sites s
), grid AS (
    SELECT s.site_id, r.key AS requirement_key, r.name AS requirement_name, r.kind, r.freshness, f.threshold_days,
           a.as_of, a.report_year_due, s.entry_url
    FROM sites s JOIN site_settings st USING (site_id) JOIN audit_dates a USING (site_id)
    JOIN requirements r ON list_contains(r.applies_to, st.applies_class)
    LEFT JOIN site_freshness f ON f.site_id = s.site_id AND f.freshness = r.freshness
)
SELECT g.site_id, g.requirement_key, g.requirement_name, g.kind,
       CASE
         WHEN h.sections = 0 THEN 'not_harvested'
         WHEN g.kind = 'report' THEN CASE WHEN rp.items > 0 THEN 'present' ELSE 'missing' END
         WHEN g.kind = 'guide_field' THEN CASE WHEN gp.items > 0 THEN 'present' ELSE 'missing' END
         WHEN p.columns IS NULL AND len(coalesce(h.tree_unread, [])) > 0 THEN 'not_harvested'
         WHEN p.columns IS NULL THEN 'missing'
         WHEN p.items = 0 AND p.all_external THEN 'present'
         WHEN p.items = 0 AND p.some_not_read THEN 'not_harvested'
         WHEN p.items = 0 AND p.every_blank_has_note THEN 'blank_with_note'
         WHEN p.items = 0 THEN 'blank'
         WHEN g.threshold_days IS NOT NULL
              AND (p.newest_item_date IS NULL OR p.newest_item_date < g.as_of - g.threshold_days::INTEGER) THEN 'stale'
         ELSE 'present'
       END AS verdict,
       CASE
         WHEN h.sections = 0 THEN 'harvest_' || coalesce(h.last_status, 'never_run')
         WHEN g.kind = 'report' THEN 'annual_report_for_year'
         WHEN g.kind = 'guide_field' THEN CASE WHEN gp.requirement_key IS NULL THEN 'no_guide' ELSE 'guide_text' END
         WHEN p.columns IS NULL AND len(coalesce(h.tree_unread, [])) > 0 THEN 'tree_incomplete'
         WHEN p.columns IS NULL THEN 'no_column_maps'
         WHEN p.items = 0 AND p.all_external THEN 'external_column'
         WHEN p.items = 0 AND p.some_not_read THEN 'column_not_read'
         WHEN p.items = 0 THEN 'no_items'
         WHEN g.threshold_days IS NOT NULL THEN 'freshness_' || g.freshness
         ELSE 'has_items'
       END AS rule,
       coalesce(p.columns, 0) AS columns,
       coalesce(p.items, rp.items, gp.items, 0) AS items,
       coalesce(p.newest_item_date, rp.newest_item_date) AS newest_item_date,
       g.threshold_days, g.as_of,
       CASE WHEN g.kind = 'report' THEN g.report_year_due END AS report_year,
       p.column_paths,
       CASE  -- what an auditor opens first: the newest item, then the columns; the entry page when nothing maps
         WHEN g.kind = 'guide_field' AND gp.guide_urls IS NOT NULL THEN gp.guide_urls
         WHEN coalesce(p.newest_item_url, rp.newest_item_url) IS NOT NULL
           THEN [coalesce(p.newest_item_url, rp.newest_item_url)] || coalesce(p.column_urls, [])
         WHEN len(coalesce(p.column_urls, [])) > 0 THEN p.column_urls
         WHEN g.kind = 'report' AND (SELECT count(*) FROM report_columns x WHERE x.site_id = g.site_id) > 0
           THEN (SELECT list(x.url ORDER BY x.path) FROM report_columns x WHERE x.site_id = g.site_id)
         -- no column maps: the pages whose menus were read (entry, group pages), and any that could not be
         WHEN len(coalesce(h.tree_unread, [])) > 0 THEN h.tree_unread || coalesce(h.tree_read, [])
         WHEN len(coalesce(h.tree_read, [])) > 0 THEN h.tree_read
         ELSE [g.entry_url]
       END AS evidence_urls
FROM grid g
LEFT JOIN per_req p ON p.site_id = g.site_id AND p.requirement_key = g.requirement_key
LEFT JOIN reports rp ON rp.site_id = g.site_id AND rp.requirement_key = g.requirement_key
LEFT JOIN guide_parts gp ON gp.site_id = g.site_id AND gp.requirement_key = g.requirement_key
JOIN harvest_state h ON h.site_id = g.site_id;
COMMENT ON VIEW coverage IS 'Site × applicable requirement → verdict (present, blank, blank_with_note, stale, missing, or not_harvested when no harvest succeeded or a page that could hold the column was not read), the rule that decided it and evidence URLs (for missing: every entry and group page whose menu was read).';

CREATE OR REPLACE VIEW coverage_gaps AS
SELECT * FROM coverage WHERE verdict NOT IN ('present', 'blank_with_note', 'not_harvested');
COMMENT ON VIEW coverage_gaps IS 'Coverage rows that fail: missing, blank (without a note) or stale.';

-- Normative documents (规章、行政规范性文件): by their column's name or their 文号 (…规〔2023〕5号).
CREATE OR REPLACE VIEW normative_documents AS
SELECT d.*, coalesce(s.scope, 'government') AS scope, year(coalesce(d.written_date, d.published_date)) AS issued_year
FROM documents d JOIN site_settings st USING (site_id)
LEFT JOIN sections s ON s.site_id = d.site_id AND s.path = d.column_path
WHERE d.withdrawn_at IS NULL AND d.title NOT LIKE '%解读%'
  AND (regexp_matches(coalesce(d.column_path, ''), st.normative_column_pattern)
       OR regexp_matches(coalesce(d.doc_no, ''), st.normative_doc_no_pattern));
COMMENT ON VIEW normative_documents IS 'Normative documents (规章、行政规范性文件), recognised by column name or 文号, that are still listed.';

-- Working days from 成文日期 to 发布日期 (条例 第二十六条) of every document whose dates the calendar covers.
CREATE OR REPLACE VIEW late_documents AS
SELECT d.site_id, d.doc_id, d.title, d.column_path, d.written_date, d.published_date,
       wp.ordinal - ww.ordinal AS working_days, st.proactive_wd AS threshold_working_days,
       wp.ordinal - ww.ordinal > st.proactive_wd AS late, d.url
FROM documents d JOIN site_settings st USING (site_id)
JOIN workdays ww ON ww.day = d.written_date JOIN workdays wp ON wp.day = d.published_date
WHERE d.withdrawn_at IS NULL
ORDER BY late DESC, working_days DESC;
COMMENT ON VIEW late_documents IS 'Every document with both dates in the working-day calendar: working days from 成文日期 to 发布日期 and whether that exceeds the limit.';

-- Each normative document with its earliest 解读 and how it measures up (国办发〔2016〕19号).
CREATE OR REPLACE VIEW missing_interpretations AS
WITH first_link AS (
    SELECT site_id, policy_doc_id, (list(interpretation_url ORDER BY interpretation_published, interpretation_url)
                FILTER (WHERE interpretation_published IS NOT NULL AND interpretation_url IS NOT NULL))[1] AS interpretation_url,
           min(interpretation_published) AS interpretation_published, max(copy_share) AS copy_share
    FROM interpretation_links GROUP BY site_id, policy_doc_id
)
SELECT n.site_id, n.doc_id, n.title, n.doc_no, n.published_date, n.url, l.interpretation_url, l.interpretation_published,
       CASE WHEN l.interpretation_published IS NOT NULL
            THEN greatest(0, wj.ordinal - wp.ordinal) END AS working_days_to_interpretation,
       l.copy_share, st.interpretation_wd, st.copy_share AS copy_share_threshold,
       CASE WHEN l.policy_doc_id IS NULL THEN 'missing'
            WHEN wj.ordinal - wp.ordinal > st.interpretation_wd THEN 'late'
            WHEN l.copy_share >= st.copy_share THEN 'copied'
            WHEN wj.ordinal IS NULL OR wp.ordinal IS NULL THEN 'not_evaluated'
            ELSE 'ok' END AS status,
       -- not yet due: published fewer working days ago than the 解读 is allowed
       coalesce(wa.ordinal - wp.ordinal, a.as_of - n.published_date) <= st.interpretation_wd AS not_yet_due
FROM normative_documents n JOIN site_settings st USING (site_id) JOIN audit_dates a USING (site_id)
LEFT JOIN first_link l ON l.site_id = n.site_id AND l.policy_doc_id = n.doc_id
LEFT JOIN workdays wp ON wp.day = n.published_date
LEFT JOIN workdays wj ON wj.day = l.interpretation_published
LEFT JOIN workdays wa ON wa.day = a.as_of
ORDER BY n.site_id, status, n.published_date;
COMMENT ON VIEW missing_interpretations IS 'Normative documents with their earliest linked 解读: status missing, late, copied, ok or not_evaluated.';

-- Annual reports (年报) as documents: year from the title, government or department, and the deadline that applies.
CREATE OR REPLACE VIEW annual_reports AS
SELECT d.site_id, d.doc_id, d.title, d.publisher, d.url, d.published_date, coalesce(s.scope, 'government') AS scope,
       CAST(regexp_extract(d.title, '((?:19|20)\d{2})\s*年', 1) AS INTEGER) AS report_year,
       CAST((CAST(regexp_extract(d.title, '((?:19|20)\d{2})\s*年', 1) AS INTEGER) + 1) || '-' ||
            CASE WHEN s.scope = 'department' THEN st.department_due ELSE st.government_due END AS DATE) AS due_date,
       s.parent_path AS column_parent
FROM documents d JOIN site_settings st USING (site_id)
LEFT JOIN sections s ON s.site_id = d.site_id AND s.path = d.column_path
WHERE d.withdrawn_at IS NULL AND regexp_matches(d.title, '(?:19|20)\d{2}\s*年度?.*信息公开.*(年度报告|年报)');
COMMENT ON VIEW annual_reports IS 'Annual reports found among the documents, with their year, scope (government or department) and deadline.';

CREATE OR REPLACE VIEW annual_report_figures AS
SELECT f.site_id, s.name AS site_name, f.report_year, f.publisher, f.format, f.source, f.table_no, f.item, f.measure,
       f.value, f.raw, f.url
FROM report_figures f JOIN sites s USING (site_id)
ORDER BY f.site_id, f.report_year, f.url, f.table_no;
COMMENT ON VIEW annual_report_figures IS 'The statistical tables of every annual report, one row per report × table × item × measure (2019 and 2021 formats).';

-- Columns no requirement claims, for a person to review (never dropped).
CREATE OR REPLACE VIEW unmapped_columns AS
SELECT s.site_id, s.path, s.name, s.url, s.item_count
FROM sections s
WHERE s.scope = 'government'
  AND NOT EXISTS (SELECT 1 FROM column_mapping m WHERE m.site_id = s.site_id AND m.path = s.path)
  AND NOT EXISTS (SELECT 1 FROM sections c WHERE c.site_id = s.site_id AND c.parent_path = s.path)
ORDER BY s.site_id, s.path;
COMMENT ON VIEW unmapped_columns IS 'Government-scope leaf columns that map to no requirement: review and extend the taxonomy.';
