"""Each audit rule alone (audit/rules/<rule>.sql), on the least catalogue that makes it fire (tests/audit_rules/):
real Parquet lake files for one county, the catalogue built from them with the audit, and the rule's own view read.

A fixture (YAML) gives the audit date (`as_of`: the day of the harvest), the lake rows (`tables`: table → rows; a
row's site_id defaults to the fixture's county), the subjects the rule must find (`findings`) and the near misses it
must not (`passes`). The rulebook's own checks (headers, the generated union and docs) are here too.
"""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
import yaml
from gongkai.audit.catalogue import build_catalogue
from gongkai.audit.config import load_audit_config
from gongkai.audit.rulebook import RuleFileError, markdown, read_rule, rules
from gongkai.schemas.datafolder import DataFolder
from gongkai.schemas.registry import Site

FIXTURES = Path(__file__).with_name("audit_rules")
DOC = Path(__file__).parents[1] / "docs" / "audit.md"
COUNTY = "110101-fixture"


def _catalogue(fixture: dict, data: Path) -> Path:
    site = Site(site_id=COUNTY, name="样例县", level="county", province="北京市",
                entry_urls=["http://a.example/xxgk/"], adapter="generic")
    lake = DataFolder(data)
    day = datetime.combine(fixture["as_of"], datetime.min.time(), UTC).replace(hour=4)
    run = "20250101T000000-fixture"
    lake.write_run_table(COUNTY, run, "fetch_log", [{"site_id": COUNTY, "run_id": run, "seq": 0, "kind": "entry",
                                                     "url": site.entry_urls[0], "status": 200, "fetched_at": day}])
    lake.write_run_table(COUNTY, run, "harvest_runs", [{"site_id": COUNTY, "run_id": run, "status": "ok",
                                                        "started_at": day, "finished_at": day}])
    for table, rows in (fixture.get("tables") or {}).items():
        lake.write_site_table(COUNTY, table, [{"site_id": COUNTY, **row} for row in rows])
    build_catalogue(lake, [site])
    return lake.catalogue_path


@pytest.mark.parametrize("rule", [r.name for r in rules()])
def test_the_rule_alone_finds_what_its_fixture_plants_and_not_its_near_misses(rule, tmp_path):
    path = FIXTURES / f"{rule}.yaml"
    assert path.exists(), f"audit/rules/{rule}.sql has no fixture: write {path} (see tests/audit_rules/late_publication.yaml)"
    fixture = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert fixture.get("findings") and fixture.get("passes"), f"{path}: give at least one finding and one near miss"
    with duckdb.connect(str(_catalogue(fixture, tmp_path)), read_only=True) as con:
        rows = con.execute(f"SELECT subject, evidence_urls FROM rule_{rule} WHERE site_id = ?", [COUNTY]).fetchall()
        in_findings = con.execute("SELECT count(*) FROM findings WHERE rule = ?", [rule]).fetchone()[0]
    found = {subject for subject, _ in rows}
    assert set(fixture["findings"]) <= found, f"{rule}: expected {fixture['findings']}, found {sorted(found)}"
    assert not set(fixture["passes"]) & found, f"{rule}: near misses found: {sorted(set(fixture['passes']) & found)}"
    assert all(urls and all(urls) for _, urls in rows), f"{rule}: a finding without evidence"
    assert in_findings == len(rows), f"{rule}: the findings union does not carry the rule's rows"


def test_every_rule_header_is_complete_and_its_thresholds_are_settings():
    settings = load_audit_config().settings
    dimensions = settings["score"]["dimensions"]
    for rule in rules():
        assert rule.dimension in dimensions, f"{rule.path}: dimension {rule.dimension} not in schemas/audit.yaml"
        for key in rule.thresholds:
            assert key in settings, f"{rule.path}: threshold {key} is not a setting of schemas/audit.yaml"


def test_a_malformed_rule_file_is_named_with_what_to_fix(tmp_path):
    bad = tmp_path / "odd_rule.sql"
    bad.write_text("-- basis: x\n-- description: y\n-- severity: urgent\n-- dimension: accuracy\n-- thresholds: []\n\n"
                   "CREATE OR REPLACE VIEW rule_odd_rule AS SELECT 1\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"odd_rule.sql: severity 'urgent' is not one of low, medium, high"):
        read_rule(bad)
    bad.write_text("-- basis: x\n-- severity: low\n\nCREATE OR REPLACE VIEW rule_other AS SELECT 1\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"odd_rule.sql: header lacks description, dimension, thresholds"):
        read_rule(bad)


def test_the_rules_table_in_docs_is_made_from_the_rule_files():
    assert markdown() in DOC.read_text(encoding="utf-8"), (
        "docs/audit.md's rules table is stale: replace it with the output of .venv/bin/python -m gongkai.audit.rulebook")
