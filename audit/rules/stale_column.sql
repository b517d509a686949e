-- basis: 国办秘函〔2019〕19号
-- description: the requirement's newest item is older than its freshness class allows; undated items count as not updated
-- severity: medium
-- dimension: timeliness
-- thresholds: [freshness_days]

CREATE OR REPLACE VIEW rule_stale_column AS
SELECT c.site_id, 'stale_column' AS rule, c.requirement_key, array_to_string(c.column_paths, '; ') AS subject,
       c.evidence_urls[1] AS subject_url, CAST(c.as_of - c.newest_item_date AS DOUBLE) AS measured,
       CAST(c.threshold_days AS DOUBLE) AS threshold, 'days' AS unit,
       coalesce('最新信息发布于 ' || c.newest_item_date, '没有注明日期的信息') || '，审计日 ' || c.as_of AS detail,
       coalesce('newest item ' || c.newest_item_date, 'no dated item') || ', as of ' || c.as_of AS detail_en, c.evidence_urls
FROM coverage c WHERE c.verdict = 'stale';
