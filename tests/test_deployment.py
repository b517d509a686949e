"""The production instance config and the run dispatching it relies on: every harvest run tagged with its politeness
group, one run per group at a time in the queue, and a dispatcher that keeps the queue short."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml
from dagster import DagsterInstance, DagsterRunStatus, build_schedule_context, instance_for_test
from dagster._core.storage.dagster_run import DagsterRun
from dagster._core.utils import make_new_run_id
from gongkai.harvesters.crawl import HarvestReport, write_run
from gongkai.pipelines.automation import HOST_TAG, daily_harvest, due_harvests
from gongkai.pipelines.resources import GongkaiSettings
from gongkai.schemas.registry import Politeness, Site, dump_registry

ROOT = Path(__file__).resolve().parents[1]


def _site(site_id: str, host: str, group: str | None = None) -> Site:
    return Site(site_id=site_id, name="县", level="county", province="省", entry_urls=[f"http://{host}/xxgk/"],
                adapter="trs", politeness=Politeness(group=group))


SITES = [_site("990101-a", "www.a.gov.cn"), _site("990102-b", "www.b.gov.cn"),
         # three counties on one provincial platform: one politeness group
         *(_site(f"99020{i}-p{i}", f"xxgk{i}.prov.gov.cn", group="prov-platform") for i in (1, 2, 3))]


def _settings(tmp_path, **extra) -> GongkaiSettings:
    registry = tmp_path / "registry.yaml"
    dump_registry(SITES, registry)
    return GongkaiSettings(data_dir=str(tmp_path), registry_path=str(registry), **extra)


def test_the_production_instance_config_limits_runs_per_politeness_group(tmp_path):
    doc = yaml.safe_load((ROOT / "deploy" / "dagster.yaml").read_text(encoding="utf-8"))
    assert doc["storage"]["postgres"]["postgres_url"] == {"env": "GONGKAI_PG_URL"}
    doc.pop("storage")  # PostgreSQL and the Celery launcher are tried in test_production; the rest is loaded here
    doc.pop("run_launcher")
    (tmp_path / "dagster.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    with DagsterInstance.from_config(str(tmp_path)) as instance:
        queue = instance.get_concurrency_config().run_queue_config
        assert {"key": HOST_TAG, "value": {"applyLimitPerUniqueValue": True}, "limit": 1} in queue.tag_concurrency_limits
        assert queue.max_concurrent_runs >= 1
        assert instance.get_concurrency_config().pool_config.default_pool_limit >= 1


def test_every_harvest_run_is_tagged_with_its_politeness_group(tmp_path):
    gongkai = _settings(tmp_path)
    with instance_for_test() as instance:  # a schedule's context needs an instance with a reference
        instance.add_dynamic_partitions("sites", [s.site_id for s in SITES])
        context = build_schedule_context(instance=instance, resources={"gongkai": gongkai},
                                         scheduled_execution_time=datetime(2026, 12, 3, 2, tzinfo=UTC))
        tags = {r.partition_key: r.tags[HOST_TAG] for r in daily_harvest(context)}
    assert tags == {"990101-a": "www.a.gov.cn", "990102-b": "www.b.gov.cn", "990201-p1": "prov-platform",
                    "990202-p2": "prov-platform", "990203-p3": "prov-platform"}


def _harvested(gongkai: GongkaiSettings, site_id: str, when: datetime) -> None:
    report = HarvestReport(site_id, when.strftime("%Y%m%dT%H%M%S%fZ"), status="ok")
    write_run(gongkai.lake, report, when, [])


def test_the_dispatcher_launches_due_sites_oldest_first_one_per_group_within_the_queue(tmp_path):
    now = datetime(2026, 12, 3, 12, tzinfo=UTC)
    gongkai = _settings(tmp_path, dispatch_queue=8, harvest_every_hours=24)
    _harvested(gongkai, "990101-a", now - timedelta(hours=2))     # not due
    _harvested(gongkai, "990102-b", now - timedelta(hours=30))    # due
    _harvested(gongkai, "990202-p2", now - timedelta(hours=50))   # due, the oldest of its group's harvested sites
    with DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions("sites", [s.site_id for s in SITES])
        first = due_harvests(gongkai, instance, now)
        # never-harvested sites come first; one per group: p1 (never) goes, p2 and p3 wait for the platform
        assert [r.partition_key for r in first] == ["990201-p1", "990102-b"]
        assert all(r.run_key for r in first)
        # the platform has a run in flight: none of its sites is launched; a full queue launches nothing
        instance.add_run(DagsterRun(job_name="harvest_site_job", run_id=make_new_run_id(),
                                    status=DagsterRunStatus.STARTED, tags={HOST_TAG: "prov-platform"}))
        assert [r.partition_key for r in due_harvests(gongkai, instance, now)] == ["990102-b"]
        tight = _settings(tmp_path, dispatch_queue=1)
        assert due_harvests(tight, instance, now) == []


def test_the_catalogue_and_the_audit_follow_the_parses_once():
    from dagster import AssetKey, AssetMaterialization, evaluate_automation_conditions
    from gongkai.pipelines.definitions import defs

    with instance_for_test() as instance:
        instance.add_dynamic_partitions("sites", [s.site_id for s in SITES])
        first = evaluate_automation_conditions(defs=defs, instance=instance)
        assert first.total_requested == 0  # nothing parsed yet: nothing to update
        # two sites parsed (a third never harvested: the catalogue does not wait for it)
        for site_id in ("990101-a", "990202-p2"):
            instance.report_runless_asset_event(AssetMaterialization("parsed_site", partition=site_id))
        after = evaluate_automation_conditions(defs=defs, instance=instance, cursor=first.cursor)
        assert after.get_requested_partitions(AssetKey("catalogue")) == {None}
        # the audit is requested with it: one run updates the catalogue, then coverage and findings
        assert after.get_num_requested(AssetKey("coverage")) == after.get_num_requested(AssetKey("findings")) == 1
        again = evaluate_automation_conditions(defs=defs, instance=instance, cursor=after.cursor)
        assert again.total_requested == 0  # handled: not requested twice
        instance.report_runless_asset_event(AssetMaterialization("catalogue"))
        audit = evaluate_automation_conditions(defs=defs, instance=instance, cursor=again.cursor)
        assert audit.get_num_requested(AssetKey("coverage")) == 1
        assert audit.get_num_requested(AssetKey("findings")) == 1
        assert audit.get_num_requested(AssetKey("catalogue")) == 0
        # a site parsed while that update ran, then the update finished: the catalogue may not hold it, so again
        instance.report_runless_asset_event(AssetMaterialization("parsed_site", partition="990102-b"))
        instance.report_runless_asset_event(AssetMaterialization("catalogue"))
        late = evaluate_automation_conditions(defs=defs, instance=instance, cursor=audit.cursor)
        assert late.get_num_requested(AssetKey("catalogue")) == 1
        # a site parsed between the tick that requested the update and the next one (which still counts that request
        # as new): the parse came later, so the catalogue is asked for again (the live stack lost such a parse)
        instance.report_runless_asset_event(AssetMaterialization("parsed_site", partition="990101-a"))
        next_tick = evaluate_automation_conditions(defs=defs, instance=instance, cursor=late.cursor)
        assert next_tick.get_num_requested(AssetKey("catalogue")) == 1
