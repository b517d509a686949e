"""Per-site stages: harvest (crawl politely, archive every response) and parse (archive → Parquet)."""

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)
from gongkai.harvesters.crawl import HarvestReport, harvest_site
from gongkai.harvesters.parse import parse_site
from gongkai.pipelines.partitions import sites_partitions
from gongkai.pipelines.resources import CODE_VERSION, OWNERS, GongkaiSettings, table_schema
from gongkai.schemas.datafolder import DataFolder


@asset(partitions_def=sites_partitions, group_name="harvest", kinds={"python", "warc"}, pool="harvest",
       owners=OWNERS, code_version=CODE_VERSION,
       description="Crawl one site's disclosure tree politely (a full sweep weekly, incremental runs between); every "
                   "response archived as WARC, with a fetch log. A killed run resumes on the next materialisation.",
       check_specs=[AssetCheckSpec("harvest_healthy", asset="harvested_site", partitions_def=sites_partitions,
                                   description="The run reached every page: not partial, blocked or failed (one "
                                               "result per site partition).")])
def harvested_site(context: AssetExecutionContext, gongkai: GongkaiSettings) -> MaterializeResult:
    site = gongkai.site(context.partition_key)

    def progress(report) -> None:
        context.log.info(f"{site.site_id} ({report.mode}): {report.requests} requests ({report.not_modified} not "
                         f"modified), {report.bytes} bytes, {len(report.errors)} errors so far")

    # The host limits live in lock files under the data folder, so runs of other partitions respect them too.
    report = harvest_site(site, gongkai.lake, contact=gongkai.contact_url, progress=progress)
    # A blocked or failed site is reported, not raised: what earlier runs archived stays parseable downstream.
    check = AssetCheckResult(
        check_name="harvest_healthy", passed=report.status == "ok", severity=AssetCheckSeverity.WARN,
        metadata={"status": report.status, "message": report.message or "",
                  "first_errors": "\n".join(f"{e['stage']} {e['url']}: {e['error']}" for e in report.errors[:5])})
    return MaterializeResult(check_results=[check], metadata=harvest_metadata(report, gongkai.lake))


def harvest_metadata(report: HarvestReport, lake: DataFolder) -> dict:
    """What a harvest run's materialisation of `harvested_site` records, from Dagster or from `gongkai harvest`."""
    return {
        "run_id": report.run_id, "adapter": report.adapter or "", "adapter_detected": report.adapter_detected,
        "mode": report.mode, "resumed": report.resumed, "status": report.status,
        "message": report.message, "requests": report.requests, "not_modified": report.not_modified,
        "bytes": report.bytes, "duration_s": report.duration_s, **{f"docs_{k}": v for k, v in report.docs.items()},
        "errors": len(report.errors), **{f"fetched_{k}": v for k, v in sorted(report.counts.items())},
        "warc": MetadataValue.path(str(lake.warc_path(report.site_id, report.run_id))),
    }


@asset(partitions_def=sites_partitions, group_name="harvest", kinds={"python", "parquet"}, deps=[harvested_site],
       owners=OWNERS, code_version=CODE_VERSION,
       description="Parse the site's latest archived harvest (no network) into documents, sections, attachments.")
def parsed_site(context: AssetExecutionContext, gongkai: GongkaiSettings) -> MaterializeResult:
    site = gongkai.site(context.partition_key)
    try:
        counts = parse_site(site, gongkai.lake)
    except Exception as exc:  # a message an operator can act on, not a bare trace (the other partitions go on)
        raise Failure(description=f"{site.site_id}: parse failed: {type(exc).__name__}: {exc}",
                      metadata={"site_id": site.site_id, "error": f"{type(exc).__name__}: {exc}"}) from exc
    return MaterializeResult(metadata=parse_metadata(counts, gongkai.lake, site.site_id))


def parse_metadata(counts: dict, lake: DataFolder, site_id: str) -> dict:
    """What a parse's materialisation of `parsed_site` records: its counts, the documents table's rows and columns."""
    return {**counts, "lake": MetadataValue.path(str(lake.site_dir(site_id))),
            "dagster/row_count": counts.get("documents", 0), "dagster/column_schema": table_schema("documents")}
