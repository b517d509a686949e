"""All-site stages: the DuckDB catalogue (audit tables included) and the open-data release."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from pipelines.resources import GongkaiSettings
from pipelines.site_assets import parsed_site
from warehouse.catalogue import build_catalogue
from warehouse.release import write_release


@asset(group_name="catalogue", kinds={"duckdb"}, deps=[parsed_site],
       description="Build the DuckDB catalogue from every site's Parquet files (the only writer of the DuckDB file).")
def catalogue(context: AssetExecutionContext, gongkai: GongkaiSettings) -> MaterializeResult:
    counts = build_catalogue(gongkai.lake, gongkai.sites(active_only=False))
    return MaterializeResult(metadata={**counts, "path": MetadataValue.path(str(gongkai.lake.catalogue_path))})


@asset(group_name="release", kinds={"parquet", "csv"}, deps=["coverage", "findings"],
       description="A dated open-data release: documents and coverage as Parquet and CSV with datapackage.json.")
def open_release(context: AssetExecutionContext, gongkai: GongkaiSettings) -> MaterializeResult:
    path, manifest = write_release(gongkai.lake)
    return MaterializeResult(metadata={"path": MetadataValue.path(str(path)),
                                       **{f"rows_{k}": v for k, v in manifest.items()}})
