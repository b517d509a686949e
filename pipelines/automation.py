"""Jobs, the daily schedules, the registry sensor that keeps site partitions in step with the registry, and the
harvest dispatcher that keeps the run queue short.

Every harvest run carries the tag `gongkai/host`: the site's politeness group (registry `politeness.group`, else its
entry host). A QueuedRunCoordinator limit on that tag (deploy/dagster.yaml) runs one harvest per server at a time,
across every machine of the deployment.
"""
from datetime import UTC, datetime

from dagster import (
    AddDynamicPartitionsRequest,
    AutomationConditionSensorDefinition,
    DagsterRunStatus,
    DefaultSensorStatus,
    DeleteDynamicPartitionsRequest,
    PartitionedConfig,
    RunRequest,
    RunsFilter,
    ScheduleEvaluationContext,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    define_asset_job,
    in_process_executor,
    schedule,
    sensor,
)
from gongkai.pipelines.audit_assets import coverage, findings
from gongkai.pipelines.catalogue_assets import catalogue
from gongkai.pipelines.partitions import sites_partitions
from gongkai.pipelines.release_assets import open_release, release_candidate
from gongkai.pipelines.resources import GongkaiSettings
from gongkai.pipelines.site_assets import harvested_site, parsed_site
from gongkai.schemas.registry import Site

HOST_TAG = "gongkai/host"
IN_FLIGHT = [DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.STARTED]


def harvest_request(site: Site, run_key: str) -> RunRequest:
    """A harvest_site_job run of one site, tagged with its politeness group."""
    return RunRequest(partition_key=site.site_id, run_key=run_key, tags={HOST_TAG: site.politeness_group})

def host_tags(site_id: str) -> dict[str, str]:
    """The run tags of one site's harvest: its politeness group, read from the registry the deployment uses."""
    try:
        return {HOST_TAG: GongkaiSettings().site(site_id).politeness_group}
    except KeyError:  # a stale partition: the run fails with the registry's message; it needs no group
        return {}


# The partitioned config tags every run of the job with its site's group, however it is launched: the schedule and
# the sensors, a job backfill (`dagster job backfill -j harvest_site_job`), or the launchpad. (Asset backfills
# ignore per-partition tags, so the deployment harvests through this job.)
site_job = define_asset_job("harvest_site_job", selection=[harvested_site, parsed_site],
                            config=PartitionedConfig(partitions_def=sites_partitions,
                                                     run_config_for_partition_key_fn=lambda _key: {},
                                                     tags_for_partition_key_fn=host_tags),
                            executor_def=in_process_executor,  # two steps in a row: no process per step
                            description="Harvest and parse one site (one partition per registry entry), tagged "
                                        "with its politeness group.")
# Runs that write the catalogue carry this tag; deploy/dagster.yaml lets one such run go at a time (one writer).
WRITER_TAGS = {"gongkai/writer": "catalogue"}
catalogue_job = define_asset_job("catalogue_job", selection=[catalogue, coverage, findings, release_candidate, open_release],
                                 tags=WRITER_TAGS,
                                 description="Build the catalogue from the lake, audit it and write a release.")
audit_job = define_asset_job("audit_job", selection=[catalogue, coverage, findings], tags=WRITER_TAGS,
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
    by_id = {s.site_id: s for s in gongkai.sites()}
    return SensorResult(dynamic_partitions_requests=requests,
                        run_requests=[harvest_request(by_id[k], f"added-{k}") for k in added])


@schedule(job=site_job, cron_schedule="0 2 * * *", execution_timezone="Asia/Shanghai",
          description="Every night at 02:00 Beijing time: harvest every active site.")
def daily_harvest(context: ScheduleEvaluationContext, gongkai: GongkaiSettings):
    day = context.scheduled_execution_time.strftime("%Y-%m-%d")
    have = set(context.instance.get_dynamic_partitions(sites_partitions.name))
    for site in gongkai.sites():
        if site.site_id in have:
            yield harvest_request(site, f"{day}-{site.site_id}")


@sensor(job=site_job, minimum_interval_seconds=60, default_status=DefaultSensorStatus.STOPPED,
        description="The production alternative to daily_harvest: each minute, launch the harvests that are due (the "
                    "last one started harvest_every_hours ago, or never), oldest first, one per politeness group, "
                    "while fewer than dispatch_queue harvest runs wait or run. The queue stays short, so a run "
                    "starts when its server is free instead of 3,000 runs queueing at 02:00.")
def harvest_dispatcher(context: SensorEvaluationContext, gongkai: GongkaiSettings):
    now = datetime.now(UTC)
    requests = due_harvests(gongkai, context.instance, now)
    if not requests:
        return SkipReason("no harvest is due, or the queue is full")
    return SensorResult(run_requests=requests)


def due_harvests(gongkai: GongkaiSettings, instance, now: datetime) -> list[RunRequest]:
    """The harvests to launch now (see harvest_dispatcher): due sites, oldest first, none of a politeness group that
    has a harvest waiting or running, one per group, and no more than the queue has room for."""
    flying = instance.get_runs(filters=RunsFilter(job_name=site_job.name, statuses=IN_FLIGHT))
    room = gongkai.dispatch_queue - len(flying)
    if room <= 0:
        return []
    busy = {r.tags.get(HOST_TAG) for r in flying}
    have = set(instance.get_dynamic_partitions(sites_partitions.name))
    lake = gongkai.lake
    due: list[tuple[datetime, Site]] = []
    for site in gongkai.sites():
        last = lake.latest_run(site.site_id) or lake.unfinished_run(site.site_id)
        started = datetime.strptime(last, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC) if last else datetime.min.replace(tzinfo=UTC)
        if site.site_id in have and (now - started).total_seconds() >= gongkai.harvest_every_hours * 3600:
            due.append((started, site))
    requests: list[RunRequest] = []
    for started, site in sorted(due, key=lambda d: (d[0], d[1].site_id)):
        if len(requests) >= room:
            break
        if site.politeness_group in busy:
            continue
        busy.add(site.politeness_group)
        last = started.strftime("%Y%m%dT%H%M%S") if started.year > 1 else "never"
        requests.append(harvest_request(site, f"{site.site_id}-after-{last}-{now:%Y%m%d%H}"))
    return requests


# The catalogue and the audit follow the harvests (their automation conditions: pipelines/catalogue_assets.py).
catalogue_automation = AutomationConditionSensorDefinition(
    "catalogue_automation", target=[catalogue, coverage, findings], run_tags=WRITER_TAGS,
    default_status=DefaultSensorStatus.RUNNING, minimum_interval_seconds=30,
    description="Update the catalogue, then coverage and findings, after sites were parsed (one update at a time).")


@schedule(job=catalogue_job, cron_schedule="0 7 * * *", execution_timezone="Asia/Shanghai",
          description="Every morning at 07:00 Beijing time: rebuild the catalogue, audit and release.")
def daily_catalogue(context: ScheduleEvaluationContext):
    return RunRequest(run_key=context.scheduled_execution_time.strftime("%Y-%m-%d"))
