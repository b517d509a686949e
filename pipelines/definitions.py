"""The code location `dagster dev` loads (see [tool.dagster] in pyproject.toml); the demo runs these same definitions."""
from __future__ import annotations

from dagster import Definitions
from gongkai.pipelines.audit_assets import (
    coverage,
    coverage_is_complete,
    coverage_not_dropped,
    findings,
    findings_have_evidence,
    rules_evaluated,
)
from gongkai.pipelines.automation import (
    audit_job,
    catalogue_automation,
    catalogue_job,
    daily_catalogue,
    daily_harvest,
    harvest_dispatcher,
    registry_sensor,
    reparse_job,
    site_job,
)
from gongkai.pipelines.catalogue_assets import catalogue
from gongkai.pipelines.release_assets import (
    open_release,
    release_candidate,
    release_has_no_personal_data,
    release_is_complete,
    release_is_valid,
)
from gongkai.pipelines.resources import GongkaiSettings
from gongkai.pipelines.site_assets import harvested_site, parsed_site

defs = Definitions(
    assets=[harvested_site, parsed_site, catalogue, coverage, findings, release_candidate, open_release],
    asset_checks=[coverage_is_complete, coverage_not_dropped, findings_have_evidence, rules_evaluated,
                  release_has_no_personal_data, release_is_complete, release_is_valid],
    jobs=[site_job, reparse_job, audit_job, catalogue_job],
    schedules=[daily_harvest, daily_catalogue],
    sensors=[registry_sensor, harvest_dispatcher, catalogue_automation],
    resources={"gongkai": GongkaiSettings()},
)
