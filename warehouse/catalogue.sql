-- The Gongkai catalogue. Tables are loaded from the Parquet lake by warehouse/catalogue.py; views are defined here.
-- Every view is documented with COMMENT ON, so `SELECT * FROM duckdb_views()` describes the catalogue.

COMMENT ON TABLE sites IS 'Registry entries (站点): one row per county-level disclosure section harvested.';
COMMENT ON TABLE documents IS 'Documents (文件) parsed from archived pages; doc_id is stable from the canonical URL.';
COMMENT ON TABLE sections IS 'Columns (栏目) of each site with own and rolled-up item counts, newest item date and status.';
COMMENT ON TABLE attachments IS 'Attachment links of documents with fetch status, size and sha256.';
COMMENT ON TABLE list_items IS 'Every row of every column list page (title, URL, listed date).';
COMMENT ON TABLE fetch_log IS 'Every request of the latest harvest run of each site.';
COMMENT ON TABLE harvest_runs IS 'One row per site per harvest run: requests, bytes, errors, status.';
COMMENT ON TABLE harvest_errors IS 'Every failure of a harvest run with its stage and URL.';
COMMENT ON TABLE requirements IS 'Taxonomy: what the law requires a county to disclose (schemas/taxonomy.yaml).';
COMMENT ON TABLE column_mapping IS 'Site column → requirement, with the reason (which synonym or slug matched).';
COMMENT ON TABLE audit_dates IS 'Per site, the date the audit judges freshness against: the day of its latest harvest (Beijing time).';

-- Columns no requirement claims, for a person to review (never dropped).
CREATE OR REPLACE VIEW unmapped_columns AS
SELECT s.site_id, s.path, s.name, s.url, s.item_count
FROM sections s
WHERE s.scope = 'government'
  AND NOT EXISTS (SELECT 1 FROM column_mapping m WHERE m.site_id = s.site_id AND m.path = s.path)
  AND NOT EXISTS (SELECT 1 FROM sections c WHERE c.site_id = s.site_id AND c.parent_path = s.path)
ORDER BY s.site_id, s.path;
COMMENT ON VIEW unmapped_columns IS 'Government-scope leaf columns that map to no requirement: review and extend the taxonomy.';

-- Coverage: site × requirement → present | blank | blank_with_note | stale | missing, with evidence.
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
           arg_max(newest_item_url, newest_item_date) AS newest_item_url,
           bool_and(status = 'blank_with_note' OR item_count > 0) AS every_blank_has_note,
           list(path ORDER BY path) AS column_paths,
           list(url ORDER BY path) FILTER (WHERE url IS NOT NULL) AS column_urls
    FROM mapped GROUP BY ALL
), reports AS (  -- the annual report (年报) due by the audit date, found by title in the annual-report columns
    SELECT m.site_id, r.key AS requirement_key, count(DISTINCT li.url) AS items, max(li.list_date) AS newest_item_date,
           any_value(li.url) AS newest_item_url
    FROM requirements r
    JOIN audit_dates a ON TRUE
    JOIN column_mapping m ON m.site_id = a.site_id AND m.requirement_key = 'platform_annual_reports'
    JOIN list_items li ON li.site_id = m.site_id AND li.column_path = m.path
    WHERE r.title_pattern IS NOT NULL
      AND regexp_matches(li.title, replace(r.title_pattern, '{previous_year}', CAST(a.report_year_due AS VARCHAR)))
    GROUP BY ALL
), report_columns AS (  -- where an auditor looks for a missing annual report
    SELECT m.site_id, list(s.url ORDER BY s.path) FILTER (WHERE s.url IS NOT NULL) AS column_urls
    FROM column_mapping m JOIN sections s USING (site_id, path)
    WHERE m.requirement_key = 'platform_annual_reports'
    GROUP BY m.site_id
), harvest_state AS (  -- a site with no parsed columns has no verdicts to give: say why instead of 'missing'
    SELECT s.site_id,
           (SELECT count(*) FROM sections x WHERE x.site_id = s.site_id) AS sections,
           (SELECT arg_max(r.status, r.started_at) FROM harvest_runs r WHERE r.site_id = s.site_id) AS last_status
    FROM sites s
), grid AS (
    SELECT s.site_id, r.key AS requirement_key, r.name AS requirement_name, r.freshness, r.threshold_days,
           r.title_pattern, a.as_of, a.report_year_due, s.entry_url
    FROM sites s CROSS JOIN requirements r JOIN audit_dates a USING (site_id)
)
SELECT g.site_id, g.requirement_key, g.requirement_name,
       CASE
         WHEN h.sections = 0 THEN 'not_harvested'
         WHEN g.title_pattern IS NOT NULL THEN CASE WHEN rp.items > 0 THEN 'present' ELSE 'missing' END
         WHEN p.columns IS NULL THEN 'missing'
         WHEN p.items = 0 AND p.every_blank_has_note THEN 'blank_with_note'
         WHEN p.items = 0 THEN 'blank'
         WHEN g.threshold_days IS NOT NULL
              AND (p.newest_item_date IS NULL OR p.newest_item_date < g.as_of - g.threshold_days::INTEGER) THEN 'stale'
         ELSE 'present'
       END AS verdict,
       CASE
         WHEN h.sections = 0 THEN 'harvest_' || coalesce(h.last_status, 'never_run')
         WHEN g.title_pattern IS NOT NULL THEN 'annual_report_for_year'
         WHEN p.columns IS NULL THEN 'no_column_maps'
         WHEN p.items = 0 THEN 'no_items'
         WHEN g.threshold_days IS NOT NULL THEN 'freshness_' || g.freshness
         ELSE 'has_items'
       END AS rule,
       coalesce(p.columns, 0) AS columns,
       coalesce(p.items, rp.items, 0) AS items,
       coalesce(p.newest_item_date, rp.newest_item_date) AS newest_item_date,
       g.threshold_days, g.as_of,
       CASE WHEN g.title_pattern IS NOT NULL THEN g.report_year_due END AS report_year,
       p.column_paths,
       CASE  -- what an auditor opens first: the newest item, then the columns; the entry page when nothing maps
         WHEN coalesce(p.newest_item_url, rp.newest_item_url) IS NOT NULL
           THEN [coalesce(p.newest_item_url, rp.newest_item_url)] || coalesce(p.column_urls, [])
         WHEN len(coalesce(p.column_urls, [])) > 0 THEN p.column_urls
         WHEN g.title_pattern IS NOT NULL AND len(coalesce(rc.column_urls, [])) > 0 THEN rc.column_urls
         ELSE [g.entry_url]
       END AS evidence_urls
FROM grid g
LEFT JOIN per_req p ON p.site_id = g.site_id AND p.requirement_key = g.requirement_key
LEFT JOIN reports rp ON rp.site_id = g.site_id AND rp.requirement_key = g.requirement_key
LEFT JOIN report_columns rc ON rc.site_id = g.site_id
JOIN harvest_state h ON h.site_id = g.site_id;
COMMENT ON VIEW coverage IS 'Site × requirement → verdict (present, blank, blank_with_note, stale, missing, or not_harvested when no harvest succeeded), the rule that decided it and evidence URLs.';

CREATE OR REPLACE VIEW coverage_gaps AS
SELECT * FROM coverage WHERE verdict NOT IN ('present', 'blank_with_note', 'not_harvested');
COMMENT ON VIEW coverage_gaps IS 'Coverage rows that fail: missing, blank (without a note) or stale.';
-- coverage_matrix (one column per requirement) is created by catalogue.py: a view's PIVOT needs its keys listed.
