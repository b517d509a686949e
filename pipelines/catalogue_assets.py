"""The all-site catalogue: the DuckDB file built from the lake, audit tables and views included."""

from dagster import AssetExecutionContext, AutomationCondition, MaterializeResult, MetadataValue, asset
from gongkai.audit.catalogue import update_catalogue
from gongkai.pipelines.resources import CODE_VERSION, OWNERS, GongkaiSettings, table_schema
from gongkai.pipelines.site_assets import parsed_site


def after_updates(label: str) -> AutomationCondition:
    """Requested once after any of its inputs was updated, never while a run of it is in progress (one writer).

    The catalogue follows the sites' parses (an update replaces only the changed sites, in seconds), and the audit
    assets follow the catalogue. Not `eager`: that waits for every partition to exist, and among thousands of sites
    some never do."""
    # since it was last *requested*, not `since_last_handled`: that also counts the asset's own update as handling, and
    # an update that started before a parse ended would then hide that parse for good. `newly_requested` is true on
    # the tick after the request; a parse that ended between the two ticks must still win, which `since` decides by
    # the parse's timestamp: `any_deps_match(newly_updated())` carries it (`any_deps_updated()` drops it in its `&`).
    # An input requested on the same tick (the catalogue, for the audit assets) puts them in the same run.
    updated = AutomationCondition.any_deps_match(AutomationCondition.newly_updated())
    return ((updated.since(AutomationCondition.newly_requested())
             | AutomationCondition.any_deps_match(AutomationCondition.will_be_requested()))
            & ~AutomationCondition.in_progress()).with_label(label)


@asset(group_name="catalogue", kinds={"duckdb"}, deps=[parsed_site], owners=OWNERS, code_version=CODE_VERSION,
       automation_condition=after_updates("after any site's parse"),
       description="Bring the DuckDB catalogue up to date with every site's Parquet files (the only writer of the DuckDB "
                   "file): the sites whose files or registry entries changed are replaced, in full when the code or "
                   "the audit settings changed.")
def catalogue(context: AssetExecutionContext, gongkai: GongkaiSettings) -> MaterializeResult:
    counts = update_catalogue(gongkai.lake, gongkai.sites(active_only=False))
    return MaterializeResult(metadata={**counts, "path": MetadataValue.path(str(gongkai.lake.catalogue_path)),
                                       "dagster/row_count": counts["documents"],
                                       "dagster/column_schema": table_schema("documents")})
