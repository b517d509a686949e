"""Frictionless validation of a staged release (数据包校验): every resource against its Table Schema in
`datapackage.json` (types, required fields, primary keys unique), the package's own metadata too. A blocking Dagster
check (`release_is_valid`) runs it before publication, so a release whose keys do not hold is never published.
"""
from __future__ import annotations

from pathlib import Path

LIMIT = 20  # problems reported (the first ones of each resource; one is enough to block)


def validate_release(folder: Path, limit: int = LIMIT) -> list[str]:
    """What is wrong with the release at `folder`, one line per problem naming its file and row; [] when valid."""
    from frictionless import validate

    package = Path(folder) / "datapackage.json"
    if not package.exists():
        return [f"{package}: missing; the release was not written whole (write it again)"]
    report = validate(str(package), limit_errors=limit)
    problems = [f"{package.name}: {e.message}" for e in report.errors]
    for task in report.tasks:
        for e in task.errors:
            where = f" row {e.row_number}" if getattr(e, "row_number", None) else ""
            problems.append(f"{task.place or task.name}{where}: {e.message}")
    return problems[:limit]
