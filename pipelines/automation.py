"""Jobs, the daily schedules and the registry sensor that keeps site partitions in step with the registry."""

from dagster import (
    AddDynamicPartitionsRequest,
    DefaultSensorStatus,
    DeleteDynamicPartitionsRequest,
    RunRequest,
    ScheduleEvaluationContext,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    define_asset_job,
    schedule,
    sensor,
)

from pipelines.audit_assets import coverage, findings
from pipelines.catalogue_assets import catalogue
from pipelines.partitions import sites_partitions
from pipelines.release_assets import open_release, release_candidate
from pipelines.resources import GongkaiSettings
from pipelines.site_assets import harvested_site, parsed_site

site_job = define_asset_job("harvest_site_job", selection=[harvested_site, parsed_site],
                            description="Harvest and parse one site (one partition per registry entry).")
catalogue_job = define_asset_job("catalogue_job", selection=[catalogue, coverage, findings, release_candidate, open_release],
                                 description="Build the catalogue from the lake, audit it and write a release.")
audit_job = define_asset_job("audit_job", selection=[catalogue, coverage, findings],
                             description="Rebuild the catalogue from the lake and audit it, without writing or "
                                         "publishing a release (after a re-parse).")
reparse_job = define_asset_job("reparse_job", selection=[parsed_site],
                               description="Re-parse one site's archived harvest window with the current adapters (no "
                                           "network: WARC in, Parquet out). Run audit_job afterwards to rebuild "
                                           "the catalogue.")


@sensor(job=site_job, minimum_interval_seconds=300, default_status=DefaultSensorStatus.RUNNING, description="Sync site partitions with the registry file; "
        "harvest sites that were just added.")
def registry_sensor(context: SensorEvaluationContext, gongkai: GongkaiSettings):
    want = {s.site_id for s in gongkai.sites()}
    have = set(context.instance.get_dynamic_partitions(sites_partitions.name))
    added, removed = sorted(want - have), sorted(have - want)
    if not added and not removed:
        return SkipReason(f"{len(want)} sites, partitions already in step with {gongkai.registry}")
    requests = []
    if added:
        requests.append(AddDynamicPartitionsRequest(sites_partitions.name, added))
    if removed:
        requests.append(DeleteDynamicPartitionsRequest(sites_partitions.name, removed))
    return SensorResult(dynamic_partitions_requests=requests,
                        run_requests=[RunRequest(partition_key=k, run_key=f"added-{k}") for k in added])


@schedule(job=site_job, cron_schedule="0 2 * * *", execution_timezone="Asia/Shanghai",
          description="Every night at 02:00 Beijing time: harvest every active site.")
def daily_harvest(context: ScheduleEvaluationContext):
    day = context.scheduled_execution_time.strftime("%Y-%m-%d")
    for key in context.instance.get_dynamic_partitions(sites_partitions.name):
        yield RunRequest(partition_key=key, run_key=f"{day}-{key}")


@schedule(job=catalogue_job, cron_schedule="0 7 * * *", execution_timezone="Asia/Shanghai",
          description="Every morning at 07:00 Beijing time: rebuild the catalogue, audit and release.")
def daily_catalogue(context: ScheduleEvaluationContext):
    return RunRequest(run_key=context.scheduled_execution_time.strftime("%Y-%m-%d"))
