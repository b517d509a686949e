"""`gongkai sql` and every read connection for users: one read-only SELECT, no files, no network, no extensions."""
from __future__ import annotations

import duckdb
import pytest
from gongkai.warehouse.access import QueryRefused, check_query, open_read_only

import gongkai_cli


@pytest.fixture()
def data(tmp_path):
    con = duckdb.connect(str(tmp_path / "catalogue.duckdb"))
    con.execute("CREATE TABLE documents AS SELECT 'd1' AS doc_id, '关于印发的通知' AS title")
    con.close()
    return tmp_path


def sql(data, query: str, capsys) -> tuple[int | str | None, str]:
    try:
        gongkai_cli.main(["--data", str(data), "sql", query, "--csv"])
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, capsys.readouterr().out


def test_a_select_runs(data, capsys):
    code, out = sql(data, "SELECT doc_id, title FROM documents", capsys)
    assert code == 0 and out.splitlines() == ["doc_id,title", "d1,关于印发的通知"]
    for ok in ("WITH x AS (SELECT 1 AS n) SELECT n FROM x", "DESCRIBE documents", "SHOW TABLES", "FROM documents",
               "EXPLAIN SELECT 1"):
        assert sql(data, ok, capsys)[0] == 0, ok


@pytest.mark.parametrize("query, says", [
    ("COPY documents TO '{out}'", "COPY statements are refused"),
    ("ATTACH '{out}' AS x (READ_WRITE)", "ATTACH statements are refused"),
    ("INSTALL httpfs", "refused"),
    ("LOAD httpfs", "refused"),
    ("SET enable_external_access = true", "SET statements are refused"),
    ("SELECT 1; COPY documents TO '{out}'", "one statement at a time"),
    ("EXPORT DATABASE '{dir}'", "refused"),
    ("CREATE TABLE t AS SELECT 1", "refused"),
    ("SELECT * FROM read_text('/etc/passwd')", "no files"),
    ("SELECT * FROM read_csv('{out}')", "no files"),
    ("SELECT * FROM 'https://example.org/x.parquet'", "refused"),
])
def test_anything_else_is_refused_with_a_message(data, tmp_path, capsys, query, says):
    out = tmp_path / "leak.csv"
    out.write_text("a\n1\n")  # a file a query could otherwise read
    before = sorted(p.name for p in tmp_path.iterdir())
    code = sql(data, query.format(out=out, dir=tmp_path / "dump"), capsys)[0]
    assert isinstance(code, str) and code.startswith("gongkai: query refused") and says in code, code
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written
    assert out.read_text() == "a\n1\n"


def test_the_lock_holds_inside_the_connection(data):
    with open_read_only(data / "catalogue.duckdb") as con:
        with pytest.raises(duckdb.Error):
            con.execute("SET enable_external_access = true")
        with pytest.raises(duckdb.Error):
            con.execute("SELECT * FROM read_text('/etc/hostname')")
        with pytest.raises(duckdb.Error):
            con.execute("INSERT INTO documents VALUES ('d2', 'x')")
    with pytest.raises(QueryRefused, match="does not parse"):
        check_query("SELEC 1")
