-- County scores: transparent and reproducible from `findings` alone (the method: docs/audit.md, "Scores"). Each
-- dimension starts at its points (score_dimensions); each finding costs its rule's points (audit_rules.cost, by
-- severity; 0 for a rule that restates others' findings, so no column is counted twice); a dimension stops at 0.
-- Equal scores share a rank. A site with no harvested columns gets no score.

CREATE OR REPLACE VIEW county_score_breakdown AS
WITH lost AS (
    SELECT f.site_id, f.dimension, count(*) AS findings, sum(r.cost) AS points_lost
    FROM findings f JOIN audit_rules r USING (rule) GROUP BY ALL
), harvested AS (
    SELECT site_id FROM sites WHERE EXISTS (SELECT 1 FROM sections s WHERE s.site_id = sites.site_id)
)
SELECT h.site_id, d.dimension, d.points, coalesce(l.findings, 0) AS findings, coalesce(l.points_lost, 0) AS points_lost,
       greatest(0, d.points - coalesce(l.points_lost, 0)) AS score
FROM harvested h CROSS JOIN score_dimensions d
LEFT JOIN lost l ON l.site_id = h.site_id AND l.dimension = d.dimension
ORDER BY h.site_id, d.dimension;
COMMENT ON VIEW county_score_breakdown IS 'Per site and score dimension: points available, findings, points lost and the score (never below 0).';

CREATE OR REPLACE VIEW county_scores AS
SELECT s.site_id, s.name, s.province, sum(b.score) AS score, sum(b.points) AS out_of,
       sum(b.score) FILTER (WHERE b.dimension = 'completeness') AS completeness,
       sum(b.score) FILTER (WHERE b.dimension = 'timeliness') AS timeliness,
       sum(b.score) FILTER (WHERE b.dimension = 'interpretation') AS interpretation,
       sum(b.score) FILTER (WHERE b.dimension = 'accuracy') AS accuracy,
       sum(b.findings) AS findings,
       coalesce(i.failed, false) AS inspection_failed,
       rank() OVER (ORDER BY sum(b.score) DESC) AS rank
FROM county_score_breakdown b JOIN sites s USING (site_id)
LEFT JOIN (SELECT DISTINCT site_id, true AS failed FROM findings WHERE rule = 'site_inspection') i ON i.site_id = s.site_id
GROUP BY ALL
ORDER BY score DESC, s.site_id;
COMMENT ON VIEW county_scores IS 'One row per harvested site: total score out of 100 and the score of each dimension, ranked (equal scores share a rank: 1, 2, 2, 4); inspection_failed: the site fails the State Council inspection (单项否决, rule site_inspection).';
