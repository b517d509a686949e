"""The audit's tables in the catalogue: requirements, per-site settings, column mapping, the working-day calendar, the
解读 ↔ policy links and the rules (audit_rules). The views (audit/views.sql, audit/rules/) read these and the lake
tables.

Made by audit.catalogue.Audit on the catalogue being built or updated, before it replaces the old one.
"""
from __future__ import annotations

import re
import unicodedata

from gongkai.audit.calendar import calendar_rows
from gongkai.audit.config import AuditConfig
from gongkai.audit.rulebook import Rule
from gongkai.schemas.registry import Site
from gongkai.schemas.taxonomy import LEVEL_CLASS, Taxonomy
from gongkai.schemas.vocabulary import SEVERITIES
from gongkai.warehouse.rows import insert_rows

SHINGLE = 5  # characters per shingle when comparing a 解读 with its policy

def create_tables(con, sites: list[Site], taxonomy: Taxonomy, config: AuditConfig, rules: tuple[Rule, ...]) -> None:
    """Create the audit's tables on a catalogue whose lake tables are loaded."""
    _requirements(con, taxonomy)
    _site_settings(con, sites, config)
    _column_mapping(con, sites, taxonomy)
    _audit_dates(con)
    _calendar(con)
    _interpretation_links(con)
    _rules_table(con, config, rules)


def _requirements(con, taxonomy: Taxonomy) -> None:
    con.execute("""CREATE TABLE requirements (key VARCHAR PRIMARY KEY, name VARCHAR, basis VARCHAR, req_group VARCHAR,
                   kind VARCHAR, applies_to VARCHAR[], freshness VARCHAR, title_pattern VARCHAR, text_pattern VARCHAR,
                   synonyms VARCHAR[], slugs VARCHAR[], title_patterns VARCHAR[], within_sections VARCHAR[])""")
    con.executemany("INSERT INTO requirements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        (r.key, r.name, r.basis, r.group, r.kind, list(r.applies_to), r.freshness, r.title_pattern, r.text_pattern,
         list(r.names), list(r.slugs), list(r.title_patterns), list(r.within)) for r in taxonomy.requirements])


SITE_SETTINGS = ["site_id", "applies_class", "proactive_wd", "interpretation_wd", "copy_share", "government_due",
                 "department_due", "tolerance_abs", "tolerance_share", "inspect_stale", "inspect_long_stale",
                 "long_stale_days", "inspect_blank", "normative_column_pattern", "normative_doc_no_pattern"]


def _site_settings(con, sites: list[Site], config: AuditConfig) -> None:
    con.execute("""CREATE TABLE site_settings (site_id VARCHAR PRIMARY KEY, applies_class VARCHAR,
                   proactive_wd INTEGER, interpretation_wd INTEGER, copy_share DOUBLE,
                   government_due VARCHAR, department_due VARCHAR, tolerance_abs DOUBLE, tolerance_share DOUBLE,
                   inspect_stale INTEGER, inspect_long_stale INTEGER, long_stale_days INTEGER, inspect_blank INTEGER,
                   normative_column_pattern VARCHAR, normative_doc_no_pattern VARCHAR)""")
    con.execute("CREATE TABLE site_freshness (site_id VARCHAR, freshness VARCHAR, threshold_days INTEGER, name_pattern VARCHAR)")
    settings, freshness = [], []
    for s in sorted(sites, key=lambda s: s.site_id):
        c = config.for_site(s.site_id, s.province)
        i, t = c["inspection"], c["report_tolerance"]
        settings.append((
            s.site_id, LEVEL_CLASS[s.level], c["proactive_wd"], c["interpretation_wd"], c["interpretation_copy_share"],
            c["annual_report_due"]["government"], c["annual_report_due"]["department"], t["absolute"], t["share"],
            i["stale_columns"], i["long_stale_columns"], i["long_stale_days"], i["blank_columns"],
            c["normative"]["column_pattern"], c["normative"]["doc_no_pattern"]))
        freshness += [(s.site_id, k, v, c["column_classes"].get(k)) for k, v in c["freshness_days"].items()]
    insert_rows(con, "site_settings", SITE_SETTINGS, settings)
    insert_rows(con, "site_freshness", ["site_id", "freshness", "threshold_days", "name_pattern"], freshness)


def refresh_tables(con, sites: list[Site], taxonomy: Taxonomy, config: AuditConfig, changed: set[str]) -> None:
    """After the lake rows of the `changed` sites were replaced (an update of the catalogue): every site's
    settings again (the registry may have changed), the column mapping and 解读 links of the changed sites, and the
    audit dates. The rest of the audit is views, which read the tables as they now are."""
    con.execute("DROP TABLE site_settings")
    con.execute("DROP TABLE site_freshness")
    _site_settings(con, sites, config)
    only = sorted(changed)
    for table in ("column_mapping", "interpretation_links"):
        con.execute(f"DELETE FROM {table} WHERE list_contains(?, site_id)", [only])
    _column_mapping(con, sites, taxonomy, only)
    con.execute("DROP TABLE audit_dates")
    _audit_dates(con)
    _interpretation_links(con, only)


def _column_mapping(con, sites: list[Site], taxonomy: Taxonomy, only: list[str] | None = None) -> None:
    """Every column → the requirements it meets, with the reason; the registry's overrides replace a column's mapping.
    `only`: the sites to map (the table is there already), else every site."""
    con.execute("CREATE TABLE IF NOT EXISTS column_mapping (site_id VARCHAR, path VARCHAR, requirement_key VARCHAR, "
                "reason VARCHAR)")
    overrides = {s.site_id: s.column_mapping for s in sites}
    where, params = ("WHERE list_contains(?, site_id)", [only]) if only is not None else ("", [])
    titles: dict[tuple[str, str], list[str]] = {}
    for site_id, path, title in con.execute(f"SELECT site_id, column_path, title FROM list_items {where}", params).fetchall():
        titles.setdefault((site_id, path), []).append(title or "")
    rows = []
    for site_id, path, name, url in con.execute(f"SELECT site_id, path, name, url FROM sections {where} "
                                                "ORDER BY site_id, path", params).fetchall():
        manual = overrides.get(site_id, {})
        if path in manual:
            rows += [(site_id, path, key, "registry override") for key in manual[path]]
            continue
        url_path = url.split("://", 1)[-1].split("/", 1)[-1] if url else ""
        for key, reason in taxonomy.match(name, url_path, tuple(path.split("/")[:-1]),
                                          tuple(titles.get((site_id, path), ()))):
            rows.append((site_id, path, key, reason))
    insert_rows(con, "column_mapping", ["site_id", "path", "requirement_key", "reason"], rows)


def _audit_dates(con) -> None:
    # The audit date of a site is the Beijing-time day of its latest harvest; the government's annual report due by
    # then is the previous year's once March 31 has passed (条例 第五十条), else the year before.
    con.execute("""CREATE TABLE audit_dates AS
                   WITH d AS (
                       SELECT s.site_id, coalesce(max(CAST(timezone('Asia/Shanghai', f.fetched_at) AS DATE)),
                                                  CAST(timezone('Asia/Shanghai', now()) AS DATE)) AS as_of
                       FROM sites s LEFT JOIN fetch_log f USING (site_id) GROUP BY s.site_id)
                   SELECT d.site_id, d.as_of,
                          CASE WHEN d.as_of > CAST(year(d.as_of) || '-' || g.government_due AS DATE) THEN year(d.as_of) - 1
                               ELSE year(d.as_of) - 2 END AS report_year_due,
                          CASE WHEN d.as_of > CAST(year(d.as_of) || '-' || g.department_due AS DATE) THEN year(d.as_of) - 1
                               ELSE year(d.as_of) - 2 END AS department_report_year_due
                   FROM d JOIN site_settings g USING (site_id) ORDER BY site_id""")


def _calendar(con) -> None:
    con.execute("CREATE TABLE workdays (day DATE PRIMARY KEY, is_workday BOOLEAN, ordinal INTEGER, holiday VARCHAR)")
    insert_rows(con, "workdays", ["day", "is_workday", "ordinal", "holiday"], list(calendar_rows()))


def _shingles(text: str) -> set[str]:
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    return {text[i:i + SHINGLE] for i in range(max(0, len(text) - SHINGLE + 1))}


def copy_share(interpretation: str, policy: str) -> float:
    """Share of the 解读's text (5-character shingles) found in the policy: near 1 when it only excerpts the policy."""
    mine = _shingles(interpretation)
    return len(mine & _shingles(policy)) / len(mine) if mine else 0.0


def _interpretation_links(con, only: list[str] | None = None) -> None:
    """Policy ↔ 解读 pairs linked from either page (相关解读 on the policy, 原文链接 on the 解读), with the copy share;
    `only`: the sites to link (the table is there already), else every site."""
    pairs = con.execute("""
        WITH interp AS (
            SELECT d.* FROM documents d
            WHERE d.withdrawn_at IS NULL AND ($only IS NULL OR list_contains($only, d.site_id))
              AND (d.title LIKE '%解读%' OR EXISTS (
                SELECT 1 FROM column_mapping m WHERE m.site_id = d.site_id AND m.path = d.column_path
                  AND m.requirement_key = 'policy_interpretation'))
        ), links AS (
            SELECT p.site_id, p.doc_id AS policy_doc_id, j.doc_id AS interpretation_doc_id
            FROM documents p JOIN interp j ON j.site_id = p.site_id AND p.doc_id <> j.doc_id
             AND (list_contains(p.related_urls, j.url) OR list_contains(j.related_urls, p.url))
            WHERE p.withdrawn_at IS NULL AND p.doc_id NOT IN (SELECT doc_id FROM interp)
              AND ($only IS NULL OR list_contains($only, p.site_id))
        )
        SELECT DISTINCT p.site_id, p.doc_id, p.url, j.doc_id, j.url, j.published_date, j.body_text, p.body_text
        FROM links l JOIN documents p ON p.site_id = l.site_id AND p.doc_id = l.policy_doc_id
        JOIN documents j ON j.site_id = l.site_id AND j.doc_id = l.interpretation_doc_id
        ORDER BY 1, 2, 4""", {"only": only}).fetchall()
    con.execute("""CREATE TABLE IF NOT EXISTS interpretation_links (site_id VARCHAR, policy_doc_id VARCHAR, policy_url VARCHAR,
                   interpretation_doc_id VARCHAR, interpretation_url VARCHAR, interpretation_published DATE,
                   copy_share DOUBLE)""")
    rows = [(s, pid, purl, jid, jurl, jpub, copy_share(jtext, ptext))
            for s, pid, purl, jid, jurl, jpub, jtext, ptext in pairs]
    insert_rows(con, "interpretation_links", ["site_id", "policy_doc_id", "policy_url", "interpretation_doc_id",
                                              "interpretation_url", "interpretation_published", "copy_share"], rows)


def _rules_table(con, config: AuditConfig, rules: tuple[Rule, ...]) -> None:
    score = config.settings["score"]
    points = {d: spec["points"] for d, spec in score["dimensions"].items()}
    unknown = sorted({r.dimension for r in rules} - set(points))
    if unknown:
        raise ValueError(f"{config.path}: score.dimensions lacks {unknown}, named by "
                         f"{', '.join(str(r.path) for r in rules if r.dimension in unknown)}")
    names = {r.name for r in rules}
    restates = score.get("restates", {})  # a rule whose findings restate other rules' findings costs no points
    unknown = sorted(set(restates) - names | {x for v in restates.values() for x in v} - names)
    if unknown:
        raise ValueError(f"{config.path}: score.restates names unknown rules {unknown}")
    # ordered: `ORDER BY severity DESC` puts high first, and `severity >= 'medium'` means medium or high
    con.execute(f"CREATE TYPE severity AS ENUM ({', '.join(repr(s) for s in SEVERITIES)})")
    con.execute("""CREATE TABLE audit_rules (rule VARCHAR PRIMARY KEY, basis VARCHAR, description VARCHAR,
                   severity severity, dimension VARCHAR, cost INTEGER, restates VARCHAR[])""")
    con.executemany("INSERT INTO audit_rules VALUES (?, ?, ?, ?, ?, ?, ?)", [
        (r.name, r.basis, r.description, r.severity, r.dimension,
         0 if r.name in restates else score["cost"][r.severity], restates.get(r.name)) for r in rules])
    con.execute("CREATE TABLE score_dimensions (dimension VARCHAR PRIMARY KEY, points INTEGER)")
    con.executemany("INSERT INTO score_dimensions VALUES (?, ?)", list(points.items()))
