"""The README's SQL for auditors runs as written on a real catalogue, and finds what the sample web plants."""
from __future__ import annotations

import re
from pathlib import Path

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
QUERIES = re.findall(r"```sql\n(.*?)```", README, re.S)


def test_readme_has_auditor_queries():
    assert len(QUERIES) >= 3


def test_every_readme_query_runs_and_returns_rows(catalogue_db):
    for sql in QUERIES:
        rows = catalogue_db.execute(sql).fetchall()
        assert rows, f"no rows from README query:\n{sql}"


def test_late_document_query_finds_the_planted_late_documents(pipeline, catalogue_db):
    late_sql = next(q for q in QUERIES if "late_documents" in q)
    found = {row[-1] for row in catalogue_db.execute(late_sql).fetchall()}
    planted = {d["url"] for d in pipeline["truth"]["defects"] if d["kind"] == "late_document"}
    assert planted <= found


def test_gongkai_coverage_and_sql_commands(pipeline, capsys):
    from gongkai_cli import main

    main(["--data", str(pipeline["data"]), "coverage"])
    out = capsys.readouterr().out
    assert "G1 G2 G3 G4 01" in out and out.count("\n99") >= len(pipeline["web"].sites)
    main(["--data", str(pipeline["data"]), "sql", "SELECT count(*) AS n FROM documents", "--csv"])
    assert capsys.readouterr().out.split() == ["n", str(len(pipeline["truth"]["documents"]))]


def test_the_most_severe_first_query_puts_high_before_medium_before_low(catalogue_db):
    sql = next(q for q in QUERIES if "most severe" in README.split(q)[0][-200:])
    site = re.search(r"site_id = '([^']+)'", sql).group(1)
    # over every site, so that all three severities are in play
    rows = catalogue_db.execute(sql.replace(f"WHERE site_id = '{site}'", "")).fetchall()
    order = {"high": 0, "medium": 1, "low": 2}
    seen = [order[r[0]] for r in rows]
    assert set(seen) == {0, 1, 2} and seen == sorted(seen), "the README's most-severe-first query misorders severity"
