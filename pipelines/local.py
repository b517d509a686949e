"""Work on this machine: every asset for every site through the same definitions `dagster dev` loads (the demo), a
harvest outside Dagster recorded in it (`gongkai harvest`), a re-parse of the archive (`gongkai reparse`)."""
from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dagster import AssetKey, DagsterInstance
from gongkai.pipelines.partitions import sites_partitions, sync_site_partitions
from gongkai.schemas.datafolder import DataFolder
from gongkai.schemas.registry import Site


def instance_at(dagster_home: Path) -> DagsterInstance:
    """A persistent Dagster instance in `dagster_home`, so `dagster dev` later shows the runs made here."""
    dagster_home = dagster_home.resolve()
    dagster_home.mkdir(parents=True, exist_ok=True)
    config = dagster_home / "dagster.yaml"
    if not config.exists():  # no telemetry: nothing here may reach the internet
        config.write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(dagster_home)
    return DagsterInstance.get()


def dagster_home_for(data: str | Path) -> Path:
    """The Dagster instance the CLI records its work in: $DAGSTER_HOME when set (a deployment's instance, as the
    `dagster` commands use it), else <data>/dagster_home."""
    return Path(os.environ["DAGSTER_HOME"]) if os.environ.get("DAGSTER_HOME") else DataFolder(data).dagster_home


QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def materialise_everything(instance: DagsterInstance, sites: list[Site], say: Callable[[str], None] = print) -> None:
    from gongkai.pipelines.definitions import defs  # imported late: settings read the environment the caller prepared

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
        adapter = meta["adapter"] + ("*" if meta["adapter_detected"] else "")  # * = detected from the entry page
        say(f"  {site.site_id:<22} {adapter:<8} {meta['requests']:>5} requests  {meta['errors']} errors  "
            f"status {meta['status']}")
        if meta["status"] != "ok":
            say(f"    {meta.get('message') or 'see harvest_errors in the catalogue'}")
    result = defs.resolve_job_def("catalogue_job").execute_in_process(instance=instance, raise_on_error=False,
                                                                      run_config=QUIET)
    if not result.success:
        raise RuntimeError(f"catalogue_job failed (run {result.run_id}); open the Dagster UI to see why")


def record_outside_runs(instance: DagsterInstance, lake, reports, parsed: dict[str, dict]) -> int:
    """Record harvests made outside Dagster (`gongkai harvest`) in the instance, as runless materialisations of
    `harvested_site` (with its `harvest_healthy` result) and `parsed_site` for each site's partition, so the UI shows
    every harvest of a site wherever it ran. A site another run held (`busy`) did nothing and is not recorded.
    Returns the number of harvests recorded."""
    from dagster import AssetCheckSeverity, AssetMaterialization
    from dagster._core.definitions.asset_checks.asset_check_evaluation import AssetCheckEvaluation
    from gongkai.pipelines.site_assets import harvest_metadata, parse_metadata

    done = [r for r in reports if r.status != "busy"]
    have = set(instance.get_dynamic_partitions(sites_partitions.name))
    missing = sorted({r.site_id for r in done} - have)
    if missing:
        instance.add_dynamic_partitions(sites_partitions.name, missing)
    for r in done:
        meta = {**harvest_metadata(r, lake), "launched_by": "gongkai harvest"}
        instance.report_runless_asset_event(AssetMaterialization("harvested_site", partition=r.site_id, metadata=meta))
        instance.report_runless_asset_event(AssetCheckEvaluation(
            AssetKey("harvested_site"), "harvest_healthy", passed=r.status == "ok", partition=r.site_id,
            severity=AssetCheckSeverity.WARN, metadata={"status": r.status, "message": r.message or ""}))
        if r.site_id in parsed:
            instance.report_runless_asset_event(AssetMaterialization(
                "parsed_site", partition=r.site_id, metadata=parse_metadata(parsed[r.site_id], lake, r.site_id)))
    return len(done)


def _stderr(line: str) -> None:
    print(line, file=sys.stderr)


@dataclass
class OutsideHarvest:
    """What `harvest_outside_dagster` did: each site's harvest report (in the order of the sites), the parse counts
    of each site parsed, and how many harvests were recorded in the Dagster instance at `dagster_home`."""

    reports: list = field(default_factory=list)
    parsed: dict[str, dict] = field(default_factory=dict)
    recorded: int = 0
    dagster_home: Path | None = None

    @property
    def ok(self) -> int:
        return sum(r.status == "ok" for r in self.reports)


def harvest_outside_dagster(sites: list[Site], every: list[Site], lake: DataFolder, dagster_home: Path, contact: str | None = None,
                            workers: int | None = None, full: bool = False, progress=None,
                            warn: Callable[[str], None] = _stderr) -> OutsideHarvest:
    """`gongkai harvest`: harvest `sites` at once (harvesters.runner, behind the shared host limits), parse each site
    that has a finished harvest, bring the catalogue up to date for the registry's sites `every` (the audit
    included), then record the harvests in the Dagster instance at `dagster_home` (record_outside_runs).

    It does not record the coverage history, run the asset checks or publish a release: the demo and Dagster's own
    runs (catalogue_job) do. `progress` is a harvesters.runner.ProgressBoard (or any callable taking reports); a
    site that did not harvest cleanly, or failed to parse, is named to `warn` and does not stop the others.
    `contact` defaults to $GONGKAI_CONTACT, else the project's."""
    from gongkai.audit.catalogue import update_catalogue
    from gongkai.harvesters.fetch import DEFAULT_CONTACT
    from gongkai.harvesters.parse import parse_site
    from gongkai.harvesters.runner import harvest_many

    done = OutsideHarvest(dagster_home=dagster_home)
    done.reports = harvest_many(sites, lake, contact=contact or os.environ.get("GONGKAI_CONTACT") or DEFAULT_CONTACT,
                                workers=workers, full=full, progress=progress)
    if hasattr(progress, "finish"):
        progress.finish()
    for site, report in zip(sites, done.reports, strict=True):
        if report.status != "ok":
            warn(f"{site.site_id}: {report.status}: "
                 f"{report.message or (report.errors[0]['error'] if report.errors else 'no message')}")
        if lake.finished_runs(site.site_id):
            try:
                done.parsed[site.site_id] = parse_site(site, lake)
            except Exception as exc:  # noqa: BLE001  one site's parse never stops the others'
                warn(f"{site.site_id}: parse failed: {type(exc).__name__}: {exc}")
    update_catalogue(lake, every)
    done.recorded = record_outside_runs(instance_at(dagster_home), lake, done.reports, done.parsed)
    return done


class ReparseFailed(RuntimeError):
    """One or more reparse_job runs (or the audit_job run after them) failed; `failures` holds
    (site id or "catalogue", Dagster run id, error)."""

    def __init__(self, failures: list[tuple[str, str, str]]) -> None:
        self.failures = failures
        super().__init__("re-parse failed: " + "; ".join(f"{what} (Dagster run {run_id}): {error}"
                                                         for what, run_id, error in failures))


def _run_error(result) -> str:
    """The innermost error message of a failed in-process run (the user code's exception, not Dagster's wrapper)."""
    for event in result.get_step_failure_events():
        error = event.step_failure_data.error
        while error is not None and error.cause is not None:
            error = error.cause
        if error is not None:
            return f"{error.cls_name}: {error.message.strip()}" if error.cls_name else error.message.strip()
    return "see the run in the Dagster UI"


def reparse_everything(instance: DagsterInstance, sites: list[Site], say: Callable[[str], None] = print) -> dict[str, dict]:
    """Re-parse each site's archive with the current adapters, one `reparse_job` run per site partition (no network),
    then rebuild and audit the catalogue with `audit_job` (no release is written or published: that stays the daily
    `catalogue_job`'s, or a materialisation of `release_candidate` and `open_release`). Returns each site's counts.

    A failed site does not stop the others; the catalogue is rebuilt (a failed site keeps its previous parse) and
    then ReparseFailed names every failed site and its Dagster run id.
    """
    from gongkai.pipelines.definitions import defs  # imported late: settings read the environment the caller prepared

    have = set(instance.get_dynamic_partitions(sites_partitions.name))
    missing = [s.site_id for s in sites if s.site_id not in have]  # only added: a one-site re-parse drops none
    if missing:
        instance.add_dynamic_partitions(sites_partitions.name, missing)
    job = defs.resolve_job_def("reparse_job")
    counts: dict[str, dict] = {}
    failures: list[tuple[str, str, str]] = []
    for site in sites:
        result = job.execute_in_process(partition_key=site.site_id, instance=instance, raise_on_error=False,
                                        run_config=QUIET)
        if not result.success:
            failures.append((site.site_id, result.run_id, _run_error(result)))
            say(f"  {site.site_id:<22} {site.adapter or 'detected':<8} FAILED (Dagster run {result.run_id}): {failures[-1][2]}")
            continue
        meta = {k: v.value for k, v in result.asset_materializations_for_node("parsed_site")[0].metadata.items()}
        counts[site.site_id] = {k: meta[k] for k in ("documents", "sections", "attachments", "list_items")}
        say(f"  {site.site_id:<22} {site.adapter or 'detected':<8} {meta['documents']:>6} documents parsed  {meta['sections']:>4} "
            f"sections  {meta['attachments']:>5} attachments")
    result = defs.resolve_job_def("audit_job").execute_in_process(instance=instance, raise_on_error=False,
                                                                  run_config=QUIET)
    if not result.success:
        failures.append(("audit_job", result.run_id, _run_error(result)))
    if failures:
        raise ReparseFailed(failures)
    return counts
