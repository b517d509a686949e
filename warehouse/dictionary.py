"""The data dictionary (数据字典, `schemas/dictionary.yaml`): one description per column, written into the catalogue as
`COMMENT ON COLUMN`, into the release's datapackage.json, and as docs/data-dictionary.md.

    .venv/bin/python -m gongkai.warehouse.dictionary data/catalogue.duckdb > docs/data-dictionary.md
"""
from __future__ import annotations

import argparse
import sys
from functools import cache
from pathlib import Path

import yaml

DICTIONARY = Path(__file__).parents[1] / "schemas" / "dictionary.yaml"


@cache
def _load() -> dict:
    return yaml.safe_load(DICTIONARY.read_text(encoding="utf-8"))


def describe(table: str, column: str) -> str | None:
    """The column's description in `table` (the table's own, else the name's), or None when the dictionary has none."""
    entry = _load()
    return (entry.get("tables", {}).get(table) or {}).get(column) or entry["columns"].get(column)


def catalogue_columns(con) -> list[tuple[str, str, str, str, str | None]]:
    """(kind, table, column, type, description) of every column of every table and view, in catalogue order. The
    coverage matrix's columns are requirements (when the audit is installed): each is described by its requirement's
    name."""
    has_requirements = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'requirements'").fetchone()[0]
    requirements = dict(con.execute("SELECT key, name FROM requirements").fetchall()) if has_requirements else {}
    rows = con.execute("""
        SELECT CASE WHEN v.view_name IS NULL THEN 'TABLE' ELSE 'VIEW' END, c.table_name, c.column_name, c.data_type
        FROM duckdb_columns() c LEFT JOIN duckdb_views() v ON v.view_name = c.table_name AND v.schema_name = 'main'
        WHERE c.schema_name = 'main' AND NOT c.internal
        ORDER BY c.table_name, c.column_index""").fetchall()
    out = []
    for kind, table, column, dtype in rows:
        text = describe(table, column)
        if table == "coverage_matrix" and column in requirements:
            text = f"The verdict for {column} ({requirements[column]}): present, blank, blank_with_note, stale, missing or not_harvested."
        out.append((kind, table, column, dtype, text))
    return out


def sql_literal(text: str) -> str:
    """A SQL string literal of `text` (quotes doubled)."""
    return "'" + text.replace("'", "''") + "'"


def write_comments(con) -> None:
    """COMMENT ON COLUMN for every column the dictionary describes (the test names any it does not)."""
    for _, table, column, _, text in catalogue_columns(con):
        if text:
            con.execute(f'COMMENT ON COLUMN "{table}"."{column}" IS {sql_literal(text)}')


def markdown(con) -> str:
    """docs/data-dictionary.md: every table and view with its description and columns."""
    comments = dict(con.execute("SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'main' UNION ALL "
                                "SELECT view_name, comment FROM duckdb_views() WHERE schema_name = 'main' "
                                "AND NOT internal").fetchall())
    lines = ["# Data dictionary (数据字典)", "",
             "Every table and view of the catalogue and every column, as written into the catalogue's comments",
             "(`SELECT table_name, column_name, comment FROM duckdb_columns()`). Made by",
             "`.venv/bin/python -m gongkai.warehouse.dictionary data/catalogue.duckdb > docs/data-dictionary.md` from",
             "`schemas/dictionary.yaml`; the release's `datapackage.json` carries the same descriptions.", ""]
    current = None
    for kind, table, column, dtype, text in catalogue_columns(con):
        if table != current:
            current = table
            lines += ["", f"## `{table}` ({kind.lower()})", "", (comments.get(table) or "").replace("|", "\\|"), "",
                      "| column | type | description |", "|---|---|---|"]
        lines.append(f"| `{column}` | {dtype.replace('|', '/')} | {(text or '').replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    import duckdb

    ap = argparse.ArgumentParser(description="Print the catalogue's data dictionary as Markdown.")
    ap.add_argument("catalogue", help="a catalogue.duckdb built by this code")
    args = ap.parse_args()
    with duckdb.connect(args.catalogue, read_only=True) as con:
        sys.stdout.write(markdown(con))


if __name__ == "__main__":
    main()
