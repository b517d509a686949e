"""The all-site catalogue: the DuckDB file built from the lake, audit tables and views included."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from pipelines.resources import CODE_VERSION, OWNERS, GongkaiSettings, table_schema
from pipelines.site_assets import parsed_site
from warehouse.catalogue import update_catalogue


@asset(group_name="catalogue", kinds={"duckdb"}, deps=[parsed_site], owners=OWNERS, code_version=CODE_VERSION,
       description="Bring the DuckDB catalogue up to date with every site's Parquet files (the only writer of the DuckDB "
                   "file): the sites whose files or registry entries changed are replaced, in full when the code or "
                   "the audit settings changed.")
def catalogue(context: AssetExecutionContext, gongkai: GongkaiSettings) -> MaterializeResult:
    counts = update_catalogue(gongkai.lake, gongkai.sites(active_only=False))
    return MaterializeResult(metadata={**counts, "path": MetadataValue.path(str(gongkai.lake.catalogue_path)),
                                       "dagster/row_count": counts["documents"],
                                       "dagster/column_schema": table_schema("documents")})
