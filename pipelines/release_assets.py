"""The release stage in Dagster: a staged release, a blocking privacy check on it, then publication.

`release_candidate` writes releases/.staging/<day>/ (personal data redacted, listed in the quarantine report);
three blocking checks follow: `release_has_no_personal_data` re-scans every file written, `release_is_complete`
verifies the checksums, `release_is_valid` validates the data package (Frictionless: types, primary keys). Any
failure stops `open_release`, which moves the release into releases/<day>/ and points releases/latest at it.
"""
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    MaterializeResult,
    MetadataValue,
    asset,
    asset_check,
)
from gongkai.pipelines.audit_assets import coverage, findings
from gongkai.pipelines.resources import GongkaiSettings
from gongkai.release.build import (
    publish_release,
    staged_day,
    staged_quarantine,
    verify_release,
    write_release,
)
from gongkai.release.screen import scan_release
from gongkai.release.validate import validate_release


@asset(group_name="release", kinds={"parquet", "csv"}, deps=[coverage, findings],
       description="A dated release staged under releases/.staging/: every resource as Parquet and CSV after the "
                   "privacy screen, with datapackage.json, DCAT catalogues, SHA256SUMS, manifest.json, README and site.")
def release_candidate(context: AssetExecutionContext, gongkai: GongkaiSettings) -> MaterializeResult:
    path, counts = write_release(gongkai.lake, run_id=context.run.run_id, public_url=gongkai.public_url or None)
    return MaterializeResult(metadata={
        "path": MetadataValue.path(str(path)), "redacted": counts.pop("redacted"),
        "quarantine_report": MetadataValue.path(str(staged_quarantine(gongkai.lake, path.name))),
        **{f"rows_{k}": v for k, v in counts.items()}})


@asset_check(asset=release_candidate, blocking=True,
             description="No ID, mobile or bank-card number is left in any file of the staged release (公开前审查); "
                         "a hit blocks publication.")
def release_has_no_personal_data(gongkai: GongkaiSettings) -> AssetCheckResult:
    return _blocking_result("leaks", scan_release(_staged(gongkai)))


@asset_check(asset=release_candidate, blocking=True,
             description="The staged release is whole: SHA256SUMS (written last) lists every file and every file "
                         "matches it; a half-written or altered release is never published.")
def release_is_complete(gongkai: GongkaiSettings) -> AssetCheckResult:
    return _blocking_result("problems", verify_release(_staged(gongkai)))


@asset_check(asset=release_candidate, blocking=True,
             description="Every resource of the staged release validates against its Table Schema (Frictionless): "
                         "types, required fields, unique primary keys; an invalid release is never published.")
def release_is_valid(gongkai: GongkaiSettings) -> AssetCheckResult:
    return _blocking_result("problems", validate_release(_staged(gongkai)))


def _staged(gongkai: GongkaiSettings):
    return gongkai.lake.staging_dir(staged_day(gongkai.lake))


def _blocking_result(counted: str, found: list) -> AssetCheckResult:
    """Passed when nothing was found; else an error that blocks `open_release`, with the first ten findings."""
    return AssetCheckResult(passed=not found, severity=AssetCheckSeverity.ERROR, metadata={
        counted: len(found), "examples": MetadataValue.json(found[:10])})


@asset(group_name="release", kinds={"parquet", "csv"}, deps=[release_candidate],
       description="Publish the checked release: releases/<day>/ and the releases/latest pointer.")
def open_release(context: AssetExecutionContext, gongkai: GongkaiSettings) -> MaterializeResult:
    path = publish_release(gongkai.lake, staged_day(gongkai.lake))
    return MaterializeResult(metadata={"path": MetadataValue.path(str(path)),
                                       "quarantine_report": MetadataValue.path(str(gongkai.lake.quarantine_path(path.name)))})
