"""Re-parse as its own Dagster run: the archive alone (the sample web is stopped first), same tables, nothing fetched."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import run_pipeline  # tests/ is on sys.path (pytest prepends a conftest's folder)
from dagster import DagsterRunStatus, RunsFilter
from gongkai.sampleweb.server import SampleWeb
from gongkai.schemas.registry import dump_registry, load_registry

ROOT = Path(__file__).resolve().parents[1]
TABLES = {  # the parse outputs, ordered completely; first_seen / last_seen are dates of harvest, not of parse
    "documents": "SELECT * EXCLUDE (first_seen, last_seen) FROM documents ORDER BY ALL",
    "sections": "SELECT * FROM sections ORDER BY ALL",
    "attachments": "SELECT * FROM attachments ORDER BY ALL",
    "list_items": "SELECT * FROM list_items ORDER BY ALL",
}


def _snapshot(catalogue: Path) -> dict:
    with duckdb.connect(str(catalogue), read_only=True) as con:
        out = {name: con.execute(sql).fetchall() for name, sql in TABLES.items()}
        out["fetch_log"] = con.execute("SELECT site_id, count(*) FROM fetch_log GROUP BY ALL ORDER BY ALL").fetchall()
        out["harvest_runs"] = con.execute("SELECT count(*) FROM harvest_runs").fetchone()[0]
    return out


def _archive_files(data: Path) -> dict[str, int]:
    """Every WARC and run file of the lake with its size: a fetch would add or grow one."""
    sites = data / "lake" / "sites"
    return {str(p.relative_to(sites)): p.stat().st_size for p in sites.glob("*/*/**/*")
            if p.is_file() and p.parts[len(sites.parts) + 1] in ("warc", "runs")}


@pytest.fixture()
def harvested(tmp_path, monkeypatch):
    """A harvested data folder whose web server is already gone; the environment is restored afterwards."""
    for name in ("GONGKAI_DATA", "GONGKAI_REGISTRY", "DAGSTER_HOME"):  # run_pipeline and the CLI set these
        old = os.environ.get(name)
        monkeypatch.setenv(name, old or "")  # remembers the original (or its absence) for teardown
        if old is None:
            monkeypatch.delenv(name)
    with SampleWeb(counties=2, docs_per_county=30) as web:
        catalogue = run_pipeline(web, tmp_path)
        sites = [s.county.site_id for s in web.sites]
    return {"data": tmp_path, "catalogue": catalogue, "sites": sites, "before": _snapshot(catalogue),
            "archive": _archive_files(tmp_path)}


def test_reparse_job_materialises_parsed_site_alone_per_site_partition():
    from gongkai.pipelines.definitions import defs

    job = defs.resolve_job_def("reparse_job")
    assert {k.to_user_string() for k in job.asset_layer.executable_asset_keys} == {"parsed_site"}
    assert job.partitions_def is not None and job.partitions_def.name == "sites"
    assert "no network" in job.description


def test_reparse_runs_in_dagster_from_the_archive_alone(harvested, capsys):
    from gongkai.pipelines.local import instance_at, reparse_everything

    data, before = harvested["data"], harvested["before"]
    assert before["documents"] and before["sections"] and before["fetch_log"]
    instance = instance_at(data / "dagster_home")
    registry = load_registry(data / "sample" / "registry.yaml")
    releases = sorted(p.name for p in (data / "releases").glob("*"))
    said: list[str] = []
    counts = reparse_everything(instance, registry, say=said.append)

    runs = instance.get_runs(filters=RunsFilter(job_name="reparse_job"))
    assert sorted(r.tags["dagster/partition"] for r in runs) == sorted(harvested["sites"])
    assert all(r.status == DagsterRunStatus.SUCCESS for r in runs)
    latest_catalogue = instance.get_runs(filters=RunsFilter(job_name="audit_job"), limit=1)[0]
    assert latest_catalogue.status == DagsterRunStatus.SUCCESS
    assert sum(c["documents"] for c in counts.values()) == len(before["documents"])
    assert len(said) == 2 and all("documents parsed" in line for line in said)

    after = _snapshot(harvested["catalogue"])
    for table in (*TABLES, "fetch_log", "harvest_runs"):
        assert after[table] == before[table], f"{table} changed on re-parse"
    assert _archive_files(data) == harvested["archive"], "the re-parse fetched or wrote to the archive"
    assert sorted(p.name for p in (data / "releases").glob("*")) == releases  # no release written or published

    # the same through the command line, and a failure that names the site and its Dagster run
    from gongkai_cli import main

    main(["--data", str(data), "reparse", "--site", harvested["sites"][0]])
    out = capsys.readouterr().out
    assert harvested["sites"][0] in out and "documents parsed" in out and harvested["sites"][1] not in out
    assert _snapshot(harvested["catalogue"]) == before

    sites = load_registry(data / "sample" / "registry.yaml")
    never = sites[0].model_copy(update={"site_id": "990199-never"})
    dump_registry([*sites, never], data / "with_never.yaml")
    with pytest.raises(SystemExit) as failed:
        main(["--data", str(data), "reparse", "--registry", str(data / "with_never.yaml"), "--site", "990199-never"])
    failed_run = instance.get_runs(filters=RunsFilter(job_name="reparse_job", tags={"dagster/partition": "990199-never"}))[0]
    assert failed_run.status == DagsterRunStatus.FAILURE
    message = str(failed.value.code)
    assert "990199-never" in message and failed_run.run_id in message and "no finished harvest run" in message


def test_reparse_benchmark_quick_prints_a_ratio():
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "reparse.py"), "--quick"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "ours / bare" in run.stdout, run.stdout
