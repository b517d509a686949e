"""All-site stages: the DuckDB catalogue, the coverage audit and the open-data release."""

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    MaterializeResult,
    MetadataValue,
    asset,
    asset_check,
)

from pipelines.resources import GongkaiSettings
from pipelines.site_assets import parsed_site
from warehouse.audit import coverage_summary, read_coverage
from warehouse.catalogue import build_catalogue
from warehouse.release import write_release


@asset(group_name="catalogue", kinds={"duckdb"}, deps=[parsed_site],
       description="Build the DuckDB catalogue from every site's Parquet files (the only writer of the DuckDB file).")
def catalogue(context: AssetExecutionContext, gongkai: GongkaiSettings) -> MaterializeResult:
    counts = build_catalogue(gongkai.lake, gongkai.sites(active_only=False))
    return MaterializeResult(metadata={**counts, "path": MetadataValue.path(str(gongkai.lake.catalogue_path))})


@asset(group_name="audit", kinds={"duckdb", "parquet"}, deps=[catalogue],
       description="Coverage of each county against the required categories: present, blank, stale or missing.")
def coverage(context: AssetExecutionContext, gongkai: GongkaiSettings) -> MaterializeResult:
    rows = read_coverage(gongkai.lake.catalogue_path)
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


@asset(group_name="release", kinds={"parquet", "csv"}, deps=[coverage],
       description="A dated open-data release: documents and coverage as Parquet and CSV with datapackage.json.")
def open_release(context: AssetExecutionContext, gongkai: GongkaiSettings) -> MaterializeResult:
    path, manifest = write_release(gongkai.lake)
    return MaterializeResult(metadata={"path": MetadataValue.path(str(path)),
                                       **{f"rows_{k}": v for k, v in manifest.items()}})
