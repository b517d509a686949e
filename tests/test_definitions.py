"""The Dagster code location loads, and the registry sensor keeps site partitions in step with the registry."""
from __future__ import annotations

from dagster import AssetKey, DagsterInstance, SensorResult, SkipReason, build_sensor_context
from gongkai.pipelines.definitions import defs
from gongkai.pipelines.resources import GongkaiSettings
from gongkai.schemas.registry import Site, dump_registry


def test_definitions_load_with_every_stage_schedule_and_sensor():
    defs.validate_loadable(defs)
    keys = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert keys == {"harvested_site", "parsed_site", "catalogue", "coverage", "findings", "release_candidate", "open_release"}
    assert {s.name for s in defs.schedules} == {"daily_harvest", "daily_catalogue"}
    assert defs.resolve_job_def("harvest_site_job") and defs.resolve_job_def("catalogue_job")
    audit = defs.resolve_job_def("audit_job")  # what a re-parse runs: no release
    assert {k.to_user_string() for k in audit.asset_layer.executable_asset_keys} == {"catalogue", "coverage", "findings"}
    from dagster import DefaultSensorStatus

    assert defs.resolve_sensor_def("registry_sensor").default_status == DefaultSensorStatus.RUNNING
    graph = defs.resolve_asset_graph()
    for key in ("harvested_site", "parsed_site", "catalogue"):
        node = graph.get(AssetKey(key))
        assert node.owners == ["team:gongkai-data"] and node.code_version


def _site(site_id: str) -> Site:
    return Site(site_id=site_id, name="x", level="county", province="p", entry_urls=["http://127.0.0.1:1/"],
                adapter="trs", allow_private_addresses=True)


def test_registry_sensor_adds_and_removes_site_partitions(tmp_path):
    registry = tmp_path / "r.yaml"
    dump_registry([_site("990101-a"), _site("990102-b")], registry)
    gongkai = GongkaiSettings(data_dir=str(tmp_path), registry_path=str(registry))
    sensor = defs.resolve_sensor_def("registry_sensor")
    with DagsterInstance.ephemeral() as instance:
        result = sensor(build_sensor_context(instance=instance, resources={"gongkai": gongkai}))
        assert isinstance(result, SensorResult)
        assert {r.partition_key for r in result.run_requests} == {"990101-a", "990102-b"}
        instance.add_dynamic_partitions("sites", ["990101-a", "990102-b"])
        dump_registry([_site("990101-a")], registry)
        result = sensor(build_sensor_context(instance=instance, resources={"gongkai": gongkai}))
        assert result.dynamic_partitions_requests[0].partition_keys == ["990102-b"] and not result.run_requests
        instance.delete_dynamic_partition("sites", "990102-b")
        assert isinstance(sensor(build_sensor_context(instance=instance, resources={"gongkai": gongkai})), SkipReason)


def test_a_blocked_site_is_reported_through_dagster_not_audited_as_empty(tmp_path):
    import duckdb
    from gongkai.sampleweb.server import SampleWeb

    from tests.conftest import run_pipeline

    with SampleWeb(counties=2, docs_per_county=10) as web:
        web.sites[1].faults.set({"waf": {"status": 412}})
        catalogue = run_pipeline(web, tmp_path)
    blocked = web.sites[1].county.site_id
    with duckdb.connect(str(catalogue), read_only=True) as con:
        verdicts = con.execute("SELECT DISTINCT verdict, rule FROM coverage WHERE site_id = ?", [blocked]).fetchall()
        assert verdicts == [("not_harvested", "harvest_blocked")]
        status = con.execute("SELECT status, message FROM harvest_runs WHERE site_id = ?", [blocked]).fetchone()
        assert status[0] == "blocked" and "anti-bot" in status[1]
        healthy = con.execute("SELECT count(*) FROM coverage WHERE site_id <> ? AND verdict = 'not_harvested'",
                              [blocked]).fetchone()[0]
        assert healthy == 0
    from dagster import AssetCheckKey

    instance = DagsterInstance.get()  # run_pipeline pointed DAGSTER_HOME at tmp_path; the blocked site ran last
    record = instance.get_latest_asset_check_evaluation_record(AssetCheckKey(AssetKey("harvested_site"), "harvest_healthy"))
    evaluation = record.event.dagster_event.event_specific_data
    assert evaluation.passed is False and evaluation.metadata["status"].value == "blocked"
    assert evaluation.partition == blocked  # the result belongs to the blocked site's partition
    healthy = web.sites[0].county.site_id
    from dagster import AssetRecordsFilter

    records = instance.fetch_materializations(AssetRecordsFilter(AssetKey("harvested_site"), [healthy]), limit=1)
    meta = {k: v.value for k, v in records.records[0].asset_materialization.metadata.items()}
    assert (meta["status"], meta["mode"], meta["resumed"]) == ("ok", "full", False)
    assert meta["docs_new"] == sum(1 for _ in web.sites[0].county.all_docs()) and meta["docs_withdrawn"] == 0
    assert meta["requests"] > meta["docs_new"] and meta["duration_s"] > 0
