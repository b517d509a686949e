"""Read connections for users: the catalogue opened so that a query can read it and nothing else.

`gongkai sql`, the audit readers and the release open the catalogue through `open_read_only`: read-only, no file
system or network access from SQL (`COPY … TO`, `read_text('/etc/passwd')`, `ATTACH`, `INSTALL`/`LOAD` are refused by
DuckDB itself), extensions neither installed nor loaded on demand, and the configuration locked so a query cannot
switch any of that back on. `check_query` also refuses, before DuckDB sees it, anything but one SELECT (or EXPLAIN)
statement, with a message that says what is allowed.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

LOCKED = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}
ALLOWED = (duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN)


class QueryRefused(ValueError):
    """A query `gongkai sql` will not run; the message says why and what is allowed."""


def open_read_only(path: Path | str, memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    """The catalogue at `path`, read-only and locked down (see the module's docstring); `memory_limit` bounds DuckDB's
    own memory (sorts beyond it spill to its temporary folder)."""
    return duckdb.connect(str(path), read_only=True,
                          config=dict(LOCKED) | ({"memory_limit": memory_limit} if memory_limit else {}))


def check_query(sql: str) -> None:
    """Raise QueryRefused unless `sql` is exactly one SELECT / EXPLAIN statement (WITH, DESCRIBE, SHOW, SUMMARIZE
    and FROM-first queries are SELECTs too)."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"query does not parse: {exc}") from None
    if len(statements) != 1:
        raise QueryRefused(f"one statement at a time, got {len(statements)}; run them one by one")
    kind = statements[0].type
    if kind not in ALLOWED:
        raise QueryRefused(f"{kind.name} statements are refused: the catalogue is read-only here (SELECT, WITH, "
                           "DESCRIBE, SHOW, SUMMARIZE and EXPLAIN are allowed); to export, use --csv and redirect "
                           "the output")
