-- The audit (审计): coverage and the named rules, as views over the catalogue. Thresholds come from site_settings and
-- site_freshness (schemas/audit.yaml, resolved per jurisdiction); requirements from schemas/taxonomy.yaml.
-- Every rule is a view `rule_<name>` with the same columns; `findings` is their union with severity and score dimension.

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
    SELECT policy_doc_id, (list(interpretation_url ORDER BY interpretation_published, interpretation_url)
                FILTER (WHERE interpretation_published IS NOT NULL AND interpretation_url IS NOT NULL))[1] AS interpretation_url,
           min(interpretation_published) AS interpretation_published, max(copy_share) AS copy_share
    FROM interpretation_links GROUP BY policy_doc_id
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
LEFT JOIN first_link l ON l.policy_doc_id = n.doc_id
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

-- ── The rules. Columns: site_id, rule, requirement_key, subject, subject_url, measured, threshold, unit, detail (中文),
--    detail_en, evidence_urls ──

CREATE OR REPLACE VIEW rule_missing_category AS
SELECT c.site_id, 'missing_category' AS rule, c.requirement_key, c.requirement_name AS subject, CAST(NULL AS VARCHAR) AS subject_url,
       0.0 AS measured, 1.0 AS threshold, 'columns' AS unit,
       '本站没有对应“' || c.requirement_name || '”的栏目' AS detail,
       'no column of the site maps to ' || c.requirement_name AS detail_en, c.evidence_urls
FROM coverage c WHERE c.kind = 'column' AND c.verdict = 'missing';

CREATE OR REPLACE VIEW rule_blank_column AS
SELECT c.site_id, 'blank_column' AS rule, c.requirement_key, array_to_string(c.column_paths, '; ') AS subject,
       c.evidence_urls[1] AS subject_url, 0.0 AS measured, 1.0 AS threshold, 'items' AS unit,
       c.columns || ' 个栏目没有信息，也没有说明' AS detail,
       'no items and no explanatory note in ' || c.columns || ' column(s)' AS detail_en, c.evidence_urls
FROM coverage c WHERE c.verdict = 'blank';

CREATE OR REPLACE VIEW rule_stale_column AS
SELECT c.site_id, 'stale_column' AS rule, c.requirement_key, array_to_string(c.column_paths, '; ') AS subject,
       c.evidence_urls[1] AS subject_url, CAST(c.as_of - c.newest_item_date AS DOUBLE) AS measured,
       CAST(c.threshold_days AS DOUBLE) AS threshold, 'days' AS unit,
       coalesce('最新信息发布于 ' || c.newest_item_date, '没有注明日期的信息') || '，审计日 ' || c.as_of AS detail,
       coalesce('newest item ' || c.newest_item_date, 'no dated item') || ', as of ' || c.as_of AS detail_en, c.evidence_urls
FROM coverage c WHERE c.verdict = 'stale';

CREATE OR REPLACE VIEW rule_site_inspection AS
WITH stale AS (  -- joined, not correlated: a filter on one site then reaches stale_columns too
    SELECT site_id, count(*) AS stale, list(column_url ORDER BY path) AS stale_urls,
           count(*) FILTER (WHERE long_stale) AS long_stale,
           list(column_url ORDER BY path) FILTER (WHERE long_stale) AS long_stale_urls
    FROM stale_columns GROUP BY site_id
), blank AS (
    SELECT c.site_id, st.inspect_blank, st.inspect_stale, st.inspect_long_stale,
           count(*) FILTER (WHERE c.status = 'blank') AS blank,
           list(c.url ORDER BY c.path) FILTER (WHERE c.status = 'blank') AS blank_urls
    FROM column_freshness c JOIN site_settings st USING (site_id)
    GROUP BY ALL
), counts AS (
    SELECT b.*, coalesce(s.stale, 0) AS stale, s.stale_urls, coalesce(s.long_stale, 0) AS long_stale,
           s.long_stale_urls
    FROM blank b LEFT JOIN stale s USING (site_id)
)
SELECT site_id, 'site_inspection' AS rule, CAST(NULL AS VARCHAR) AS requirement_key, 'blank columns' AS subject,
       CAST(NULL AS VARCHAR) AS subject_url,
       CAST(blank AS DOUBLE) AS measured, CAST(inspect_blank AS DOUBLE) AS threshold, 'columns' AS unit,
       blank || ' 个空白栏目（达到 ' || inspect_blank || ' 个即单项否决）' AS detail,
       blank || ' blank columns (the site fails at ' || inspect_blank || ')' AS detail_en, blank_urls AS evidence_urls
FROM counts WHERE blank >= inspect_blank
UNION ALL
SELECT site_id, 'site_inspection', NULL, 'stale columns', NULL, stale, inspect_stale, 'columns',
       stale || ' 个栏目更新不及时（达到 ' || inspect_stale || ' 个即单项否决）',
       stale || ' stale columns (the site fails at ' || inspect_stale || ')', stale_urls
FROM counts WHERE stale >= inspect_stale
UNION ALL
SELECT site_id, 'site_inspection', NULL, 'long-stale columns', NULL, long_stale, inspect_long_stale, 'columns',
       long_stale || ' 个栏目长期未更新（达到 ' || inspect_long_stale || ' 个即单项否决）',
       long_stale || ' long-stale columns (the site fails at ' || inspect_long_stale || ')', long_stale_urls
FROM counts WHERE long_stale >= inspect_long_stale;

CREATE OR REPLACE VIEW rule_late_publication AS
SELECT l.site_id, 'late_publication' AS rule,
       (SELECT min(m.requirement_key) FROM column_mapping m WHERE m.site_id = l.site_id AND m.path = l.column_path) AS requirement_key,
       l.title AS subject, l.url AS subject_url, CAST(l.working_days AS DOUBLE) AS measured,
       CAST(l.threshold_working_days AS DOUBLE) AS threshold, 'working_days' AS unit,
       '成文日期 ' || l.written_date || '，发布日期 ' || l.published_date || '，相隔 ' || l.working_days || ' 个工作日' AS detail,
       'written ' || l.written_date || ', published ' || l.published_date || ': ' || l.working_days || ' working days' AS detail_en,
       [l.url] AS evidence_urls
FROM late_documents l WHERE l.late;

CREATE OR REPLACE VIEW rule_annual_report_missing AS
SELECT c.site_id, 'annual_report_missing' AS rule, c.requirement_key, c.report_year || '年 annual report' AS subject,
       NULL AS subject_url, 0.0 AS measured, 1.0 AS threshold, 'reports' AS unit,
       '年度报告栏目中没有 ' || c.report_year || ' 年度报告' AS detail,
       'no ' || c.report_year || ' annual report in the annual-report columns' AS detail_en, c.evidence_urls
FROM coverage c WHERE c.kind = 'report' AND c.verdict = 'missing'
UNION ALL  -- a department's annual-report column without the report due (January 31)
SELECT s.site_id, 'annual_report_missing', 'annual_report', s.parent_path || ': ' || a.department_report_year_due || '年 annual report',
       NULL, 0.0, 1.0, 'reports', s.path || ' 中没有 ' || a.department_report_year_due || ' 年度报告',
       'no ' || a.department_report_year_due || ' annual report in ' || s.path, [s.url]
FROM sections s JOIN column_mapping m USING (site_id, path) JOIN audit_dates a USING (site_id)
WHERE s.scope = 'department' AND m.requirement_key = 'platform_annual_reports'
  AND NOT EXISTS (SELECT 1 FROM annual_reports r WHERE r.site_id = s.site_id AND r.column_parent = s.parent_path
                  AND r.scope = 'department' AND r.report_year = a.department_report_year_due);

CREATE OR REPLACE VIEW rule_annual_report_late AS
SELECT r.site_id, 'annual_report_late' AS rule, 'annual_report' AS requirement_key, r.title AS subject, r.url AS subject_url,
       CAST(r.published_date - r.due_date AS DOUBLE) AS measured, 0.0 AS threshold, 'days_after_deadline' AS unit,
       CASE r.scope WHEN 'government' THEN '政府' ELSE '部门' END || r.report_year || ' 年度报告应于 ' || r.due_date ||
       ' 前发布，实际发布于 ' || r.published_date AS detail,
       r.scope || ' report for ' || r.report_year || ' due ' || r.due_date || ', published ' || r.published_date AS detail_en,
       [r.url] AS evidence_urls
FROM annual_reports r WHERE r.published_date > r.due_date;

CREATE OR REPLACE VIEW rule_interpretation_missing AS
SELECT site_id, 'interpretation_missing' AS rule, 'policy_interpretation' AS requirement_key, title AS subject,
       url AS subject_url, 0.0 AS measured, 1.0 AS threshold, 'interpretations' AS unit,
       '没有解读链接到这份规范性文件，它也没有链接解读' AS detail,
       'no 解读 links this normative document and it links none' AS detail_en, [url] AS evidence_urls
FROM missing_interpretations WHERE status = 'missing' AND NOT not_yet_due;

CREATE OR REPLACE VIEW rule_interpretation_late AS
SELECT site_id, 'interpretation_late' AS rule, 'policy_interpretation' AS requirement_key, title AS subject,
       url AS subject_url, CAST(working_days_to_interpretation AS DOUBLE) AS measured,
       CAST(interpretation_wd AS DOUBLE) AS threshold, 'working_days' AS unit,
       '政策发布于 ' || published_date || '，解读发布于 ' || interpretation_published AS detail,
       'policy published ' || published_date || ', 解读 ' || interpretation_published AS detail_en,
       [url, interpretation_url] AS evidence_urls
FROM missing_interpretations WHERE status = 'late';

CREATE OR REPLACE VIEW rule_interpretation_copied AS
SELECT n.site_id, 'interpretation_copied' AS rule, 'policy_interpretation' AS requirement_key, n.title AS subject,
       n.url AS subject_url, l.copy_share AS measured, st.copy_share AS threshold, 'share' AS unit,
       '解读文本的 ' || round(100 * l.copy_share) || '% 照录政策原文' AS detail,
       round(100 * l.copy_share) || '% of the 解读 text is the policy''s own' AS detail_en, [n.url, l.interpretation_url] AS evidence_urls
FROM interpretation_links l JOIN normative_documents n ON n.doc_id = l.policy_doc_id JOIN site_settings st ON st.site_id = n.site_id
WHERE l.copy_share >= st.copy_share;

CREATE OR REPLACE VIEW rule_validity_missing AS
SELECT site_id, 'validity_missing' AS rule, 'art20_01_normative_docs' AS requirement_key, title AS subject,
       url AS subject_url, 0.0 AS measured, 1.0 AS threshold, 'marks' AS unit,
       '页面未标注有效性' AS detail, 'no 有效性 (validity) on the page' AS detail_en, [url] AS evidence_urls
FROM normative_documents WHERE validity IS NULL;

CREATE OR REPLACE VIEW rule_guide_incomplete AS
SELECT c.site_id, 'guide_incomplete' AS rule, c.requirement_key, c.requirement_name AS subject,
       c.evidence_urls[1] AS subject_url, 0.0 AS measured, 1.0 AS threshold, 'parts' AS unit,
       '指南未写明' || replace(c.requirement_name, '指南：', '') AS detail,
       'the 指南 does not give ' || replace(c.requirement_name, '指南：', '') AS detail_en, c.evidence_urls
FROM coverage c WHERE c.kind = 'guide_field' AND c.verdict = 'missing' AND c.rule = 'guide_text';

CREATE OR REPLACE VIEW rule_attachment_broken AS
SELECT d.site_id, 'attachment_broken' AS rule,
       (SELECT min(m.requirement_key) FROM column_mapping m WHERE m.site_id = d.site_id AND m.path = d.column_path) AS requirement_key,
       d.title AS subject, d.url AS subject_url, 1.0 AS measured, 0.0 AS threshold, 'links' AS unit,
       '附件“' || coalesce(a.name, a.url) || '”无法打开（4xx）' AS detail,
       'attachment ' || coalesce(a.name, a.url) || ' answers 4xx' AS detail_en, [d.url, a.url] AS evidence_urls
FROM attachments a JOIN documents d USING (doc_id)
WHERE a.status = 'broken' AND d.withdrawn_at IS NULL;

CREATE OR REPLACE VIEW rule_report_crosscheck AS
SELECT c.site_id, 'report_crosscheck' AS rule, 'annual_report' AS requirement_key,
       c.report_year || '年 annual report: ' || c.check_name || ' (' || c.location || ')' AS subject, c.url AS subject_url,
       c.found AS measured, c.expected AS threshold, 'figure' AS unit,
       c.check_name || '（' || c.location || '）：按模板应为 ' || c.expected || '，报告为 ' || c.found AS detail,
       c.check_name || ' at ' || c.location || ': the template requires ' || c.expected || ', the report gives ' || c.found AS detail_en,
       [c.url] AS evidence_urls
FROM report_checks c JOIN documents d USING (doc_id) WHERE d.withdrawn_at IS NULL;

CREATE OR REPLACE VIEW rule_report_reconciliation AS
WITH claimed AS (  -- 行政规范性文件 本年制发件数 (2021) / 本年新制作数量 (2019) of the government's reports
    SELECT f.site_id, f.url, f.report_year, f.value
    FROM report_figures f JOIN annual_reports r ON r.doc_id = f.doc_id
    WHERE r.scope = 'government' AND f.table_no = '二' AND f.item IN ('行政规范性文件', '规范性文件')
      AND f.measure IN ('本年制发件数', '本年新制作数量') AND f.value IS NOT NULL
), published AS (
    SELECT site_id, issued_year, count(*) AS n, list(url ORDER BY url) AS urls
    FROM normative_documents WHERE scope = 'government' GROUP BY ALL
), reach AS (  -- only years the site's listings cover in full: after the year of its oldest normative document
    SELECT site_id, min(issued_year) AS first_year FROM normative_documents WHERE scope = 'government' GROUP BY site_id
)
SELECT c.site_id, 'report_reconciliation' AS rule, 'annual_report' AS requirement_key,
       c.report_year || '年 annual report: 行政规范性文件 本年制发件数' AS subject, c.url AS subject_url,
       c.value AS measured, CAST(coalesce(p.n, 0) AS DOUBLE) AS threshold, 'documents' AS unit,
       '年度报告称制发 ' || CAST(c.value AS BIGINT) || ' 件，网站公开的 ' || c.report_year || ' 年制发的规范性文件为 ' ||
       coalesce(p.n, 0) || ' 件' AS detail,
       'the report says ' || CAST(c.value AS BIGINT) || ', the site published ' || coalesce(p.n, 0) ||
       ' normative documents made in ' || c.report_year AS detail_en,
       [c.url] || coalesce(p.urls, []) AS evidence_urls
FROM claimed c JOIN site_settings st USING (site_id) JOIN reach r USING (site_id)
LEFT JOIN published p ON p.site_id = c.site_id AND p.issued_year = c.report_year
WHERE c.report_year > r.first_year
  AND abs(c.value - coalesce(p.n, 0)) > st.tolerance_abs
  AND abs(c.value - coalesce(p.n, 0)) > st.tolerance_share * greatest(c.value, coalesce(p.n, 0));

CREATE OR REPLACE VIEW findings AS
WITH every AS (
    SELECT * FROM rule_missing_category UNION ALL BY NAME
    SELECT * FROM rule_blank_column UNION ALL BY NAME
    SELECT * FROM rule_stale_column UNION ALL BY NAME
    SELECT * FROM rule_site_inspection UNION ALL BY NAME
    SELECT * FROM rule_late_publication UNION ALL BY NAME
    SELECT * FROM rule_annual_report_missing UNION ALL BY NAME
    SELECT * FROM rule_annual_report_late UNION ALL BY NAME
    SELECT * FROM rule_interpretation_missing UNION ALL BY NAME
    SELECT * FROM rule_interpretation_late UNION ALL BY NAME
    SELECT * FROM rule_interpretation_copied UNION ALL BY NAME
    SELECT * FROM rule_validity_missing UNION ALL BY NAME
    SELECT * FROM rule_guide_incomplete UNION ALL BY NAME
    SELECT * FROM rule_attachment_broken UNION ALL BY NAME
    SELECT * FROM rule_report_crosscheck UNION ALL BY NAME
    SELECT * FROM rule_report_reconciliation
)
SELECT e.site_id, e.rule, r.severity, r.dimension, e.requirement_key, e.subject, e.subject_url,
       CAST(e.measured AS DOUBLE) AS measured, CAST(e.threshold AS DOUBLE) AS threshold, e.unit, e.detail, e.detail_en,
       CAST(e.evidence_urls AS VARCHAR[]) AS evidence_urls, a.as_of,
       substr(sha256(e.site_id || '|' || e.rule || '|' || coalesce(e.requirement_key, '') || '|' || coalesce(e.subject, '')
                     || '|' || coalesce(e.subject_url, '')), 1, 16) AS finding_id
FROM every e JOIN audit_rules r USING (rule) JOIN audit_dates a USING (site_id)
ORDER BY e.site_id, r.severity DESC, e.rule, e.subject;
COMMENT ON VIEW findings IS 'Every audit finding: site, rule, severity (an ordered type: ORDER BY severity DESC puts high first), requirement, what was measured against which threshold, the finding in Chinese (detail) and English (detail_en), and evidence URLs.';

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
FROM annual_reports r WHERE NOT EXISTS (SELECT 1 FROM report_figures f WHERE f.doc_id = r.doc_id);
COMMENT ON VIEW audit_unevaluated IS 'Checks the audit could not make, with the reason (reported, not guessed).';
