"""The audit stage in Dagster: coverage and findings (both computed in the catalogue build) and their checks.

Blocking checks guard what would publish wrong data (a site without verdicts, a finding without evidence); checks on
what only makes the audit less complete (a coverage drop, a rule that could not be evaluated) warn and let it go out.
"""

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    MaterializeResult,
    MetadataValue,
    asset,
    asset_check,
)
from gongkai.audit.results import (
    COVERAGE_DROP,
    coverage_drops,
    coverage_summary,
    findings_summary,
    query,
    read_coverage,
    record_coverage_history,
)
from gongkai.pipelines.catalogue_assets import after_updates, catalogue
from gongkai.pipelines.resources import GongkaiSettings


@asset(group_name="audit", kinds={"duckdb", "parquet"}, deps=[catalogue], automation_condition=after_updates("after each catalogue update"),
       description="Coverage of each county against the required categories: present, blank, stale or missing. "
                   "Each run's share of present requirements per site is kept in <data>/audit/coverage_history.parquet.")
def coverage(context: AssetExecutionContext, gongkai: GongkaiSettings) -> MaterializeResult:
    rows = read_coverage(gongkai.lake.catalogue_path)
    record_coverage_history(gongkai.lake, rows, context.run.run_id)
    summary = coverage_summary(rows)
    return MaterializeResult(metadata={"rows": len(rows), **{f"verdict_{k}": v for k, v in summary.items()}})


@asset_check(asset=coverage, description="Every active site has a verdict for every requirement.", blocking=True)
def coverage_is_complete(gongkai: GongkaiSettings) -> AssetCheckResult:
    rows = read_coverage(gongkai.lake.catalogue_path)
    sites = {s.site_id for s in gongkai.sites()}
    per_site = {s: sum(1 for r in rows if r["site_id"] == s) for s in sites}
    missing = sorted(s for s, n in per_site.items() if n == 0)
    return AssetCheckResult(passed=not missing, severity=AssetCheckSeverity.ERROR,
                            metadata={"sites_without_coverage": ", ".join(missing) or "none"})


@asset_check(asset=coverage, description=f"No county's share of present requirements fell by more than "
                                          f"{COVERAGE_DROP:.0%} since the previous audit (warns: a drop may be real).")
def coverage_not_dropped(gongkai: GongkaiSettings) -> AssetCheckResult:
    drops = coverage_drops(gongkai.lake)
    return AssetCheckResult(passed=not drops, severity=AssetCheckSeverity.WARN, metadata={
        "dropped": MetadataValue.md("\n".join(f"- {d['site_id']}: {d['before']:.0%} → {d['after']:.0%}" for d in drops)
                                    or "none")})


@asset(group_name="audit", kinds={"duckdb"}, deps=[catalogue], automation_condition=after_updates("after each catalogue update"),
       description="Audit findings of every rule (audit/rules/) with severity, measured value, threshold and evidence; "
                   "county scores (audit/score.sql) from them.")
def findings(context: AssetExecutionContext, gongkai: GongkaiSettings) -> MaterializeResult:
    summary = findings_summary(gongkai.lake.catalogue_path)
    scores = query(gongkai.lake.catalogue_path, "SELECT site_id, score FROM county_scores ORDER BY site_id")
    table = "| site | score |\n|---|---|\n" + "\n".join(f"| {s['site_id']} | {s['score']} |" for s in scores)
    return MaterializeResult(metadata={"findings": sum(summary.values()), **{f"rule_{k}": v for k, v in summary.items()},
                                       "county_scores": MetadataValue.md(table)})


@asset_check(asset=findings, blocking=True,
             description="Every finding names a known rule and carries at least one evidence URL (blocks the release).")
def findings_have_evidence(gongkai: GongkaiSettings) -> AssetCheckResult:
    bad = query(gongkai.lake.catalogue_path, """
        SELECT site_id, rule, subject FROM findings
        WHERE evidence_urls IS NULL OR len(evidence_urls) = 0 OR list_contains(evidence_urls, NULL) OR severity IS NULL""")
    return AssetCheckResult(passed=not bad, severity=AssetCheckSeverity.ERROR, metadata={
        "without_evidence": len(bad), "examples": MetadataValue.json(bad[:5])})


@asset_check(asset=findings, description="Every rule could be evaluated everywhere (warns: e.g. dates outside the "
                                         "working-day calendar, report tables not recognised; see audit_unevaluated).")
def rules_evaluated(gongkai: GongkaiSettings) -> AssetCheckResult:
    rows = query(gongkai.lake.catalogue_path,
                 "SELECT rule, count(*) AS n, any_value(reason) AS example FROM audit_unevaluated GROUP BY rule ORDER BY rule")
    return AssetCheckResult(passed=not rows, severity=AssetCheckSeverity.WARN, metadata={
        "unevaluated": sum(r["n"] for r in rows), "by_rule": MetadataValue.json(rows)})
