"""The data dictionary (schemas/dictionary.yaml): every table, view and column of the catalogue and every field of the
release is described, the same text in the catalogue's comments, datapackage.json, docs/data-dictionary.md and the
release site."""
from __future__ import annotations

import json
from pathlib import Path

from gongkai.warehouse.dictionary import markdown

DOC = Path(__file__).parents[1] / "docs" / "data-dictionary.md"


def test_every_table_view_and_column_of_the_catalogue_has_a_description(catalogue_db):
    bare = catalogue_db.execute("""SELECT table_name, column_name FROM duckdb_columns()
                                   WHERE schema_name = 'main' AND NOT internal AND coalesce(comment, '') = ''""").fetchall()
    assert not bare, f"columns without a description (add them to schemas/dictionary.yaml): {bare[:20]}"
    tables = catalogue_db.execute("""SELECT table_name FROM duckdb_tables() WHERE coalesce(comment, '') = '' UNION ALL
                                     SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal
                                     AND coalesce(comment, '') = ''""").fetchall()
    assert not tables, f"tables or views without a description: {tables}"
    # a column name that means something else in one table carries that table's own text
    status = dict(catalogue_db.execute("SELECT table_name, comment FROM duckdb_columns() WHERE column_name = 'status' "
                                       "AND table_name IN ('attachments', 'harvest_runs')").fetchall())
    assert "4xx" in status["attachments"] and "blocked" in status["harvest_runs"]


def test_every_release_field_is_described_in_the_data_package(pipeline):
    release = (pipeline["data"] / "releases" / "latest").resolve()
    package = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    bare = [(r["name"], f["name"]) for r in package["resources"] if r["type"] == "table"
            for f in r["schema"]["fields"] if not f.get("description")]
    assert not bare, f"release fields without a description: {bare}"
    page = (release / "site" / "dictionary.html").read_text(encoding="utf-8")
    for r in package["resources"]:
        if r["type"] == "table":
            assert all(f"<code>{f['name']}</code>" in page for f in r["schema"]["fields"]), r["name"]


def test_the_data_dictionary_in_docs_is_current(catalogue_db):
    assert DOC.read_text(encoding="utf-8") == markdown(catalogue_db), (
        "docs/data-dictionary.md is stale: .venv/bin/python -m gongkai.warehouse.dictionary data/catalogue.duckdb > "
        "docs/data-dictionary.md")
