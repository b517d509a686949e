"""The audit rules (审计规则), one SQL file each in `audit/rules/`: the rule's view and, in its header, what it rests on.

    -- basis: 条例 第二十六条                       the legal basis (法律依据)
    -- description: more than 20 working days …     what a finding means, in a sentence
    -- severity: medium                             low | medium | high
    -- dimension: timeliness                        the score dimension it costs points in (schemas/audit.yaml `score`)
    -- thresholds: [proactive_wd]                   the keys of schemas/audit.yaml it reads (through site_settings)
    -- threshold_note: …                            optional: a threshold that lives elsewhere (the taxonomy)

    CREATE OR REPLACE VIEW rule_<file name> AS SELECT site_id, rule, requirement_key, subject, subject_url, measured,
        threshold, unit, detail, detail_en, evidence_urls …

Everything else about a rule is made from this folder: the `findings` union (findings.sql), the `audit_rules` table and
the rules table in docs/audit.md (`python -m gongkai.audit.rulebook` prints it; a test keeps the doc current). Adding a rule is
adding its file (and its fixture in tests/audit_rules/).
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from gongkai.schemas.vocabulary import SEVERITIES

FOLDER = Path(__file__).with_name("rules")
FINDINGS_SQL = Path(__file__).with_name("findings.sql")
COLUMNS = ("site_id", "rule", "requirement_key", "subject", "subject_url", "measured", "threshold", "unit", "detail",
           "detail_en", "evidence_urls")
HEADER_KEYS = {"basis", "description", "severity", "dimension", "thresholds", "threshold_note"}


class RuleFileError(ValueError):
    """A rule file whose header or view is not as the rulebook expects; the message names the file and line."""


@dataclass(frozen=True)
class Rule:
    name: str
    basis: str
    description: str
    severity: str
    dimension: str
    thresholds: tuple[str, ...]
    threshold_note: str | None
    sql: str
    path: Path


def read_rule(path: Path) -> Rule:
    """One rule file: its header (the leading `-- key: value` lines, YAML) and its view."""
    text = path.read_text(encoding="utf-8")
    header, body = [], []
    for line in text.splitlines():
        if not body and re.match(r"-- \w+:", line):
            header.append(line[3:])
        elif body or line.strip():
            body.append(line)
    try:
        meta = yaml.safe_load("\n".join(header)) or {}
    except yaml.YAMLError as exc:
        raise RuleFileError(f"{path}: the header is not valid YAML ({exc})") from None
    name = path.stem
    missing, unknown = sorted(HEADER_KEYS - {"threshold_note"} - set(meta)), sorted(set(meta) - HEADER_KEYS)
    if missing or unknown:
        raise RuleFileError(f"{path}: header {'lacks ' + ', '.join(missing) if missing else ''}"
                            f"{'; ' if missing and unknown else ''}{'has unknown keys ' + ', '.join(unknown) if unknown else ''}"
                            f" (expected {', '.join(sorted(HEADER_KEYS))})")
    if meta["severity"] not in SEVERITIES:
        raise RuleFileError(f"{path}: severity {meta['severity']!r} is not one of {', '.join(SEVERITIES)}")
    sql = "\n".join(body).strip() + "\n"
    if not re.match(rf"CREATE OR REPLACE VIEW rule_{name} AS\b", sql):
        raise RuleFileError(f"{path}: the file must define the view rule_{name} (CREATE OR REPLACE VIEW rule_{name} AS …)")
    return Rule(name=name, basis=str(meta["basis"]), description=str(meta["description"]), severity=meta["severity"],
                dimension=str(meta["dimension"]), thresholds=tuple(meta["thresholds"] or ()),
                threshold_note=meta.get("threshold_note"), sql=sql, path=path)


@cache
def rules(folder: Path = FOLDER) -> tuple[Rule, ...]:
    """Every rule of the folder, by name."""
    return tuple(read_rule(p) for p in sorted(folder.glob("*.sql")))


def findings_sql(every: tuple[Rule, ...]) -> str:
    """findings.sql with its union filled in: one `SELECT * FROM rule_<name>` per rule."""
    union = " UNION ALL BY NAME\n    ".join(f"SELECT * FROM rule_{r.name}" for r in every)
    return FINDINGS_SQL.read_text(encoding="utf-8").replace("{every_rule}", union)


def install_rules(con, every: tuple[Rule, ...] | None = None) -> None:
    """Create every rule's view, then `findings` over them (the shared views must exist)."""
    every = rules() if every is None else every
    for rule in every:
        con.execute(rule.sql)
    con.execute(findings_sql(every))


def markdown(every: tuple[Rule, ...] | None = None) -> str:
    """The rules table of docs/audit.md."""
    every = rules() if every is None else every
    lines = ["| rule | basis | finds | threshold (`schemas/audit.yaml`) | severity | dimension |",
             "|---|---|---|---|---|---|"]
    for r in every:
        threshold = ", ".join(f"`{t}`" for t in r.thresholds) or r.threshold_note or "–"
        lines.append(f"| `{r.name}` | {r.basis} | {r.description} | {threshold} | {r.severity} | {r.dimension} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python -m gongkai.audit.rulebook > the table in docs/audit.md
    sys.stdout.write(markdown())
