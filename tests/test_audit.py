"""The audit against the sample web's ground truth: every planted defect found by its rule, nothing else found;
thresholds overridden per jurisdiction; scores reproducible from the findings; the report card."""
from __future__ import annotations

import csv
import re
import shutil
from collections import defaultdict

import duckdb
import pyarrow.parquet as pq
import pytest
from gongkai.audit.catalogue import build_catalogue
from gongkai.audit.config import AuditConfig, load_audit_config
from gongkai.schemas.datafolder import DataFolder
from gongkai.schemas.registry import load_registry

# How a planted defect and a finding are compared, per rule: the fields the ground truth names.
BY_REQUIREMENT = {"missing_category", "blank_column", "stale_column", "guide_incomplete", "annual_report_missing"}
BY_URL = {"late_publication", "annual_report_late", "interpretation_missing", "interpretation_late",
          "interpretation_copied", "validity_missing", "attachment_broken", "report_crosscheck", "report_reconciliation"}


def _key(rule: str, site_id: str, requirement: str | None, url: str | None) -> tuple:
    if rule in BY_REQUIREMENT:
        return site_id, rule, requirement
    if rule in BY_URL:
        return site_id, rule, url
    return site_id, rule


def test_every_planted_defect_is_found_by_its_rule_and_nothing_else(pipeline, catalogue_db):
    planted = defaultdict(set)
    for d in pipeline["truth"]["defects"]:
        if d["rule"]:
            planted[d["rule"]].add(_key(d["rule"], d["site_id"], d.get("requirement"), d.get("url")))
    found = defaultdict(set)
    for site_id, rule, requirement, url in catalogue_db.execute(
            "SELECT site_id, rule, requirement_key, subject_url FROM findings").fetchall():
        found[rule].add(_key(rule, site_id, requirement, url))
    rules = {r for (r,) in catalogue_db.execute("SELECT rule FROM audit_rules").fetchall()}
    assert set(planted) == rules, f"rules with nothing planted: {rules - set(planted)}"
    report = {}
    for rule in sorted(rules):
        hits = planted[rule] & found[rule]
        report[rule] = (len(hits) / len(found[rule]) if found[rule] else 0.0, len(hits) / len(planted[rule]))
        assert report[rule] == (1.0, 1.0), (f"{rule}: precision/recall {report[rule]}; "
                                            f"false {sorted(found[rule] - planted[rule])[:3]}, "
                                            f"missed {sorted(planted[rule] - found[rule])[:3]}")


def test_a_blank_column_with_a_note_passes(pipeline, catalogue_db):
    noted = [(d["site_id"], d["requirement"]) for d in pipeline["truth"]["defects"] if d["kind"] == "blank_with_note"]
    assert noted
    for site_id, requirement in noted:
        assert not catalogue_db.execute("SELECT 1 FROM findings WHERE site_id = ? AND requirement_key = ?",
                                        [site_id, requirement]).fetchall()
        assert catalogue_db.execute("SELECT verdict FROM coverage WHERE site_id = ? AND requirement_key = ?",
                                    [site_id, requirement]).fetchone() == ("blank_with_note",)


def test_findings_carry_measure_threshold_and_evidence(catalogue_db):
    rows = catalogue_db.execute("SELECT rule, severity, measured, threshold, unit, evidence_urls FROM findings").fetchall()
    assert rows and all(sev in ("high", "medium", "low") and urls and all(u.startswith("http://127.0.0.1:") for u in urls)
                        for _, sev, _, _, _, urls in rows)
    late = catalogue_db.execute("SELECT measured, threshold FROM findings WHERE rule = 'late_publication'").fetchall()
    assert late and all(m > t == 20 for m, t in late)


def test_the_report_discrepancy_names_both_numbers_and_the_documents(pipeline, catalogue_db):
    planted = [d for d in pipeline["truth"]["defects"] if d["kind"] == "report_discrepancy"]
    for d in planted:
        measured, threshold, detail, detail_en, urls = catalogue_db.execute(
            "SELECT measured, threshold, detail, detail_en, evidence_urls FROM findings "
            "WHERE rule = 'report_reconciliation' AND subject_url = ?", [d["url"]]).fetchone()
        assert measured - threshold == 4 and f"says {int(measured)}" in detail_en
        assert f"年度报告称制发 {int(measured)} 件" in detail and f"为 {int(threshold)} 件" in detail
        issued = catalogue_db.execute("SELECT list(url ORDER BY url) FROM normative_documents WHERE site_id = ? "
                                      "AND scope = 'government' AND issued_year = ?", [d["site_id"], d["year"]]).fetchone()[0]
        assert urls == [d["url"], *issued] and len(issued) == threshold


def test_annual_report_figures_match_what_the_counties_published(pipeline, catalogue_db):
    truth_docs = {x["url"]: x for x in pipeline["truth"]["documents"]}
    rows = catalogue_db.execute("""
        SELECT f.site_id, f.url, f.format, f.source, f.value FROM annual_report_figures f
        WHERE f.table_no = '二' AND f.item = '行政规范性文件' AND f.measure = '本年制发件数'""").fetchall()
    reports = {u for u, d in truth_docs.items() if d["kind"] == "report" and "县人民政府" in d["title"]}
    departments = {u for u, d in truth_docs.items() if d["kind"] == "report"} - reports
    assert {r[1] for r in rows} == reports | departments and departments
    assert all(r[4] == 0 for r in rows if r[1] in departments)  # departments issue no normative documents here
    rows = [r for r in rows if r[1] in reports]
    assert {r[2] for r in rows} == {"2021"} and {r[3] for r in rows} == {"table", "text"}
    planted = {d["url"] for d in pipeline["truth"]["defects"] if d["kind"] == "report_discrepancy"}
    for site_id, url, _, _, value in rows:
        year = int(truth_docs[url]["title"].split("年政府")[0][-4:])
        made = sum(1 for d in truth_docs.values() if d["site_id"] == site_id and d["kind"] == "policy"
                   and d["written_date"].startswith(str(year)))
        assert value == made + (4 if url in planted else 0)


def test_scores_are_reproducible_from_the_findings_alone(catalogue_db):
    cost = dict(catalogue_db.execute("SELECT rule, cost FROM audit_rules").fetchall())
    dims = dict(catalogue_db.execute("SELECT dimension, points FROM score_dimensions").fetchall())
    lost = defaultdict(int)
    for site_id, rule, dimension in catalogue_db.execute("SELECT site_id, rule, dimension FROM findings").fetchall():
        lost[(site_id, dimension)] += cost[rule]
    scores = dict(catalogue_db.execute("SELECT site_id, score FROM county_scores").fetchall())
    assert len(scores) >= 7 and len(set(scores.values())) > 1
    for site_id, score in scores.items():
        assert score == sum(max(0, pts - lost[(site_id, d)]) for d, pts in dims.items())
    assert sum(dims.values()) == 100


def test_no_column_costs_points_twice(catalogue_db):
    """The site inspection (单项否决) restates the blank and stale columns already found: it costs nothing and shows as
    `inspection_failed` beside the score, so a county is not docked twice for the same five columns."""
    restating = catalogue_db.execute("SELECT rule, cost, restates FROM audit_rules WHERE cost = 0").fetchall()
    assert restating == [("site_inspection", 0, ["blank_column", "stale_column"])]
    failed = {s for (s,) in catalogue_db.execute("SELECT DISTINCT site_id FROM findings WHERE rule = 'site_inspection'")
              .fetchall()}
    assert failed, "the sample web plants a site that fails the inspection"
    for site_id, inspection_failed in catalogue_db.execute("SELECT site_id, inspection_failed FROM county_scores"
                                                           ).fetchall():
        assert inspection_failed == (site_id in failed)
    # every column a site_inspection finding cites is also cited by a finding that costs points
    for site_id, urls in catalogue_db.execute("SELECT site_id, evidence_urls FROM findings WHERE rule = "
                                              "'site_inspection' AND subject = 'blank columns'").fetchall():
        counted = {u for (u,) in catalogue_db.execute(
            "SELECT DISTINCT unnest(evidence_urls) FROM findings WHERE site_id = ? AND rule = 'blank_column'",
            [site_id]).fetchall()}
        assert set(urls) <= counted


def test_severity_is_ordered_and_findings_speak_chinese(catalogue_db):
    assert catalogue_db.execute("SELECT data_type FROM duckdb_columns() WHERE table_name = 'findings' "
                                "AND column_name = 'severity'").fetchone()[0].startswith("ENUM('low', 'medium', 'high')")
    assert catalogue_db.execute("SELECT count(*) FROM findings WHERE severity >= 'medium' AND severity = 'low'"
                                ).fetchone()[0] == 0
    rows = catalogue_db.execute("SELECT rule, detail, detail_en FROM findings").fetchall()
    cjk = re.compile(r"[\u4e00-\u9fff]")
    assert rows and all(d and cjk.search(d) for _, d, _ in rows), "a finding's detail is not in Chinese"
    assert all(e and re.search(r"[a-z]{3}", e) for _, _, e in rows), "a finding has no English detail"
    assert {r for r, _, _ in rows} >= {"missing_category", "blank_column", "late_publication"}


def _rebuild(pipeline, tmp_path, config: AuditConfig | None = None, registry=None):
    target = tmp_path / "catalogue.duckdb"
    build_catalogue(DataFolder(pipeline["data"]), registry or load_registry(pipeline["data"] / "sample" / "registry.yaml"),
                    config=config, target=target)
    return duckdb.connect(str(target), read_only=True)


def test_thresholds_are_overridden_per_jurisdiction(pipeline, catalogue_db, tmp_path):
    late_site = next(d["site_id"] for d in pipeline["truth"]["defects"] if d["kind"] == "late_document")
    base = load_audit_config()
    config = AuditConfig(settings=base.settings, path="test", jurisdictions={
        "示范省（虚构）": {"freshness_days": {"news": 1}},          # the province: every news column is stale
        late_site[:6]: {"proactive_wd": 400},                     # the county code: nothing is late
    })
    with _rebuild(pipeline, tmp_path, config) as con:
        late = {s for (s,) in con.execute("SELECT site_id FROM findings WHERE rule = 'late_publication'").fetchall()}
        assert late_site not in late and late
        stale = con.execute("SELECT count(DISTINCT site_id) FROM findings WHERE rule = 'stale_column' "
                            "AND requirement_key = 'art20_02_org_info'").fetchone()[0]
        news = con.execute("SELECT count(*) FROM stale_columns WHERE threshold_days = 1").fetchone()[0]
        assert news >= 7 and stale == 0  # org info has no freshness class; news columns went stale everywhere
    with pytest.raises(ValueError, match=r"jurisdictions\.44\.proactive_days: no such setting"):
        AuditConfig(settings=base.settings, path="x", jurisdictions={"44": {"proactive_days": 3}}).for_site("440101-a")


def test_undated_items_count_as_not_updated_and_overrides_remap_columns(pipeline, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(pipeline["data"] / "lake", data / "lake")
    site = pipeline["web"].sites[0].county.site_id
    path = data / "lake" / "sites" / site / "sections.parquet"
    rows = pq.read_table(path).to_pylist()
    target = next(r for r in rows if r["name"] == "人事信息")
    target.update(newest_item_date=None, newest_item_url=None, undated_items=target["item_count"])
    DataFolder(data).write_site_table(site, "sections", rows)
    stats = next(r for r in rows if r["name"] == "统计信息")
    registry = load_registry(pipeline["data"] / "sample" / "registry.yaml")
    registry[0] = registry[0].model_copy(update={"column_mapping": {stats["path"]: [],  # unmapped by hand
                                                                    target["path"]: ["art20_14_recruitment", "art20_15_other"]}})
    build_catalogue(DataFolder(data), registry, target=data / "catalogue.duckdb")
    with duckdb.connect(str(data / "catalogue.duckdb"), read_only=True) as con:
        reasons = con.execute("SELECT requirement_key, reason FROM column_mapping WHERE site_id = ? AND path = ? ORDER BY 1",
                              [site, target["path"]]).fetchall()
        assert reasons == [("art20_14_recruitment", "registry override"), ("art20_15_other", "registry override")]
        stale = con.execute("SELECT detail FROM findings WHERE site_id = ? AND rule = 'stale_column' "
                            "AND requirement_key = 'art20_14_recruitment'", [site]).fetchone()
        assert stale and stale[0].startswith("没有注明日期的信息")  # its items are there, but none carries a date
        assert con.execute("SELECT verdict FROM coverage WHERE site_id = ? AND requirement_key = 'art20_04_statistics'",
                           [site]).fetchone() == ("missing",)
        assert con.execute("SELECT count(*) FROM unmapped_columns WHERE site_id = ? AND path = ?",
                           [site, stats["path"]]).fetchone() == (1,)


def test_gongkai_audit_prints_and_writes_a_report_card(pipeline, capsys, tmp_path):
    from gongkai_cli import main

    site = next(d["site_id"] for d in pipeline["truth"]["defects"] if d["kind"] == "site_inspection")
    main(["--data", str(pipeline["data"]), "audit", site, "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert "score " in out and "site_inspection" in out and "blank_column" in out
    md = (tmp_path / f"{site}.md").read_text(encoding="utf-8")
    assert md.startswith("# ") and "| completeness |" in md and "`site_inspection`" in md
    raw = (tmp_path / f"{site}-findings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(tmp_path / f"{site}-findings.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["rule"] for r in rows} >= {"site_inspection", "blank_column"} and all(r["evidence_urls"] for r in rows)
    main(["--data", str(pipeline["data"]), "audit", "--out", str(tmp_path / "all")])
    ranking = capsys.readouterr().out
    assert ranking.count("\n") >= 8 and len(list((tmp_path / "all").glob("*.md"))) == len(pipeline["web"].sites)
    with pytest.raises(SystemExit, match="no such site"):
        main(["--data", str(pipeline["data"]), "audit", "990199-nowhere"])


def test_a_coverage_drop_since_the_last_audit_is_reported(tmp_path):
    from datetime import date

    from gongkai.audit.results import coverage_drops, record_coverage_history

    lake = DataFolder(tmp_path)

    def audit(present: int, run: str) -> None:
        rows = [{"site_id": "990101-a", "as_of": date(2026, 11, 1), "verdict": "present" if i < present else "missing"}
                for i in range(10)] + [{"site_id": "990102-b", "as_of": date(2026, 11, 1), "verdict": "present"}]
        record_coverage_history(lake, rows, run)

    audit(9, "run-1")
    assert coverage_drops(lake) == []
    audit(8, "run-2")  # 10 points: not more than the threshold
    assert coverage_drops(lake) == []
    audit(6, "run-3")
    assert coverage_drops(lake) == [{"site_id": "990101-a", "before": 0.8, "after": 0.6}]


def test_the_documented_score_method_recomputes_the_scores(catalogue_db):
    """docs/audit.md's query, run as written, gives every scored site's dimension scores."""
    from pathlib import Path

    doc = (Path(__file__).parents[1] / "docs" / "audit.md").read_text(encoding="utf-8")
    sql = re.search(r"```sql\n(SELECT s\.site_id.*?)```", doc, re.S).group(1)
    mine = sorted(catalogue_db.execute(sql).fetchall())
    theirs = sorted(catalogue_db.execute("SELECT site_id, dimension, score FROM county_score_breakdown "
                                         "WHERE site_id IN (SELECT site_id FROM findings)").fetchall())
    assert mine and mine == theirs
