"""Stable release schemas. The change policy (docs/release.md): columns are added, never silently renamed or retyped.

`schemas/release_schemas.json` records each RELEASE_SCHEMA_VERSION's resources → columns → types. A release whose
columns differ from the recorded schema of its version is a change without a version bump, and the test fails; bump
RELEASE_SCHEMA_VERSION in release/resources.py and record the new version with

    .venv/bin/python -m gongkai.release.schema --record data/releases/latest
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import pyarrow.parquet as pq
from gongkai.release.resources import RELEASE_SCHEMA_VERSION, RESOURCES

HISTORY = Path(__file__).parents[1] / "schemas" / "release_schemas.json"


def release_schema(folder: Path) -> dict[str, dict[str, str]]:
    """resource → {column: Arrow type} as written in a release's Parquet files."""
    out = {}
    for res in RESOURCES:
        path = folder / f"{res.name}.parquet"
        if not path.exists():  # partitioned by province
            path = sorted((folder / res.name).glob("*/part-0.parquet"))[0]
        out[res.name] = {f.name: str(f.type) for f in pq.read_schema(path)}
    return out


def load_history() -> dict[str, dict]:
    return json.loads(HISTORY.read_text(encoding="utf-8")) if HISTORY.exists() else {}


def schema_problems(schema: dict[str, dict[str, str]], history: dict[str, dict] | None = None) -> list[str]:
    """What breaks the policy: a difference from this version's record, or a later version that renames, retypes or
    drops a column of an earlier one."""
    history = load_history() if history is None else history
    problems = []
    recorded = history.get(str(RELEASE_SCHEMA_VERSION))
    if recorded is None:
        return [f"schema version {RELEASE_SCHEMA_VERSION} is not recorded in {HISTORY.name}; record it "
                f"(python -m gongkai.release.schema --record <release>)"]
    for name in sorted(set(schema) | set(recorded)):
        mine, theirs = schema.get(name, {}), recorded.get(name, {})
        for col in sorted(set(mine) | set(theirs)):
            if mine.get(col) != theirs.get(col):
                problems.append(f"{name}.{col}: {theirs.get(col, 'absent')} in version {RELEASE_SCHEMA_VERSION}, "
                                f"{mine.get(col, 'absent')} now; bump RELEASE_SCHEMA_VERSION (release/resources.py)")
    versions = sorted(history, key=int)
    for old, new in zip(versions, versions[1:], strict=False):
        for name, cols in history[old].items():
            for col, kind in cols.items():
                now = history[new].get(name, {}).get(col)
                if now != kind:
                    problems.append(f"version {new} {'drops' if now is None else 'retypes'} {name}.{col} of version "
                                    f"{old} ({kind} → {now}); columns are added, never renamed or retyped")
    return problems


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--record", metavar="RELEASE", required=True, help="a release folder made by this code")
    args = parser.parse_args(argv)
    history = load_history()
    history[str(RELEASE_SCHEMA_VERSION)] = release_schema(Path(args.record))
    HISTORY.write_text(json.dumps(history, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"recorded release schema version {RELEASE_SCHEMA_VERSION} in {HISTORY}")


if __name__ == "__main__":
    main()
