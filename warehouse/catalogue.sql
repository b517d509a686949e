-- The Gongkai catalogue. Tables are loaded from the Parquet lake by warehouse/catalogue.py; views are defined here.
-- Every view is documented with COMMENT ON, so `SELECT * FROM duckdb_views()` describes the catalogue.

COMMENT ON TABLE sites IS 'Registry entries (站点): one row per county-level disclosure section harvested.';
COMMENT ON TABLE documents IS 'Documents (文件) parsed from archived pages; doc_id is stable from the canonical URL.';
COMMENT ON TABLE sections IS 'Columns (栏目) of each site with own and rolled-up item counts, newest item date and status.';
COMMENT ON TABLE attachments IS 'Attachment links of documents with fetch status, size and sha256.';
COMMENT ON TABLE tree_pages IS 'The pages that decided each site''s column tree: entry pages and every column''s own page, with whether it was read.';
COMMENT ON TABLE list_items IS 'Every row of every column list page (title, URL, listed date).';
COMMENT ON TABLE fetch_log IS 'Every request of the latest harvest run of each site.';
COMMENT ON TABLE harvest_runs IS 'One row per site per harvest run: requests, bytes, errors, status.';
COMMENT ON TABLE harvest_errors IS 'Every failure of a harvest run with its stage and URL.';
COMMENT ON TABLE report_figures IS 'Annual-report (年报) tables parsed into figures: one row per report × table × item × measure.';
COMMENT ON TABLE report_checks IS 'Annual-report cross-checks of the template (一 + 二 = 三（七） + 四; totals) that fail.';
COMMENT ON TABLE captures IS 'The archived copy (存档) of every page the parse read: the newest good capture of each URL, where its body is in the site''s WARC files (see the evidence view).';
