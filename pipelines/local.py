"""Materialise every asset for every site on this machine, through the same definitions `dagster dev` loads."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from dagster import DagsterInstance

from pipelines.partitions import sync_site_partitions
from schemas.registry import Site


def instance_at(dagster_home: Path) -> DagsterInstance:
    """A persistent Dagster instance in `dagster_home`, so `dagster dev` later shows the runs made here."""
    dagster_home = dagster_home.resolve()
    dagster_home.mkdir(parents=True, exist_ok=True)
    config = dagster_home / "dagster.yaml"
    if not config.exists():  # no telemetry: nothing here may reach the internet
        config.write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(dagster_home)
    return DagsterInstance.get()


QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def materialise_everything(instance: DagsterInstance, sites: list[Site], say: Callable[[str], None] = print) -> None:
    from pipelines.definitions import defs  # imported late: settings read the environment the caller prepared

    added, removed = sync_site_partitions(instance, [s.site_id for s in sites])
    if added or removed:
        say(f"site partitions: +{len(added)} -{len(removed)}")
    site_job = defs.resolve_job_def("harvest_site_job")
    for site in sites:
        result = site_job.execute_in_process(partition_key=site.site_id, instance=instance, raise_on_error=False,
                                             run_config=QUIET)
        if not result.success:
            say(f"  {site.site_id}: harvest FAILED (see the run in the Dagster UI: {result.run_id})")
            continue
        meta = {k: v.value for k, v in result.asset_materializations_for_node("harvested_site")[0].metadata.items()}
        say(f"  {site.site_id:<22} {site.adapter:<7} {meta['requests']:>5} requests  {meta['errors']} errors  "
            f"status {meta['status']}")
        if meta["status"] != "ok":
            say(f"    {meta.get('message') or 'see harvest_errors in the catalogue'}")
    result = defs.resolve_job_def("catalogue_job").execute_in_process(instance=instance, raise_on_error=False,
                                                                      run_config=QUIET)
    if not result.success:
        raise RuntimeError(f"catalogue_job failed (run {result.run_id}); open the Dagster UI to see why")
