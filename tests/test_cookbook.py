"""Every query of the auditors' cookbook (docs/cookbook.md) runs as written and answers on the sample catalogue."""
from __future__ import annotations

import re
from pathlib import Path

COOKBOOK = (Path(__file__).parents[1] / "docs" / "cookbook.md").read_text(encoding="utf-8")
QUERIES = re.findall(r"## (\d+)\. (.*?)\n.*?```sql\n(.*?)```", COOKBOOK, re.S)


def test_the_cookbook_has_at_least_ten_questions():
    assert len(QUERIES) >= 10
    assert [int(n) for n, _, _ in QUERIES] == list(range(1, len(QUERIES) + 1))


def test_every_cookbook_query_runs_and_answers(catalogue_db):
    for number, question, sql in QUERIES:
        rows = catalogue_db.execute(sql).fetchall()
        assert rows, f"question {number} ({question}) returned no rows on the sample catalogue"


def test_cookbook_answers_name_the_planted_defects(pipeline, catalogue_db):
    answers = {int(n): catalogue_db.execute(sql).fetchall() for n, _, sql in QUERIES}
    truth = pipeline["truth"]["defects"]
    assert {r[0] for r in answers[1]} == {d["site_id"] for d in truth if d["kind"] == "site_inspection"}
    assert {r[-1] for r in answers[3]} == {d["url"] for d in truth if d["kind"] == "late_document"}
    discrepancy = {d["url"] for d in truth if d["kind"] == "report_discrepancy"}
    assert {r[-1] for r in answers[6] if r[4] == 4} == discrepancy  # the largest difference comes first
    assert answers[6][0][-1] in discrepancy
    assert {r[-1] for r in answers[11]} == {d["url"] for d in truth if d["kind"] == "no_validity"}
    assert {r[3] for r in answers[13]} == {d["attachment_url"] for d in truth if d["kind"] == "broken_attachment"}
