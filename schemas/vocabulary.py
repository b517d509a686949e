"""The audit's words, said once: coverage verdicts (覆盖判定) and finding severities (严重程度), with the letter and
labels every reader shows (the terminal table, the report cards, the static site)."""
from __future__ import annotations

# verdict → (letter in a table cell, Chinese label, English label); the values of coverage.verdict
VERDICTS = {
    "present": ("P", "已公开", "present"),
    "blank_with_note": ("N", "空栏目（有说明）", "blank with a note"),
    "blank": ("B", "空栏目", "blank"),
    "stale": ("S", "未及时更新", "stale"),
    "missing": ("M", "缺失", "missing"),
    "not_harvested": ("U", "未采集", "not harvested"),
}
FAILING = ("missing", "blank", "stale")  # the verdicts that are a finding against the county
GAP_FREE = ("present", "blank_with_note")  # the verdicts that meet the requirement

SEVERITIES = ("low", "medium", "high")  # ascending: the catalogue's `severity` ENUM (ORDER BY severity DESC: high first)
SEVERITY_ZH = {"high": "高", "medium": "中", "low": "低"}
SEVERITY_ORDER = {s: i for i, s in enumerate(reversed(SEVERITIES))}  # for sorting most severe first: high 0 … low 2


def legend() -> str:
    """One line naming each verdict's letter, for a terminal table."""
    return "   ".join(f"{letter} {en}" for letter, _, en in VERDICTS.values())
