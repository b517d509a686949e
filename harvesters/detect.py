"""Which CMS family a page comes from (识别建站系统), from the marks each family leaves (shared/domain/site-patterns.md).

Used by `gongkai inspect` and by the harvest when the registry names no adapter: the entry page is fetched, the
family with the most weight of marks (at least 2) is used, and a page no family claims goes to the generic adapter.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai.harvesters.adapters import ADAPTERS

THRESHOLD = 2


@dataclass
class Detection:
    adapter: str | None
    reasons: list[str] = field(default_factory=list)
    scores: dict[str, int] = field(default_factory=dict)


def detect(html: str) -> Detection:
    """The family whose marks weigh most (at least THRESHOLD); None when none does (the generic adapter's case)."""
    found = {name: [(why, w) for pattern, why, w in adapter.signs if re.search(pattern, html)]
             for name, adapter in ADAPTERS.items() if adapter.signs}  # in ADAPTERS' order, which breaks ties
    scores = {family: sum(w for _, w in marks) for family, marks in found.items()}
    best = max(scores, key=lambda f: scores[f])
    if scores[best] < THRESHOLD:
        weak = [why for marks in found.values() for why, _ in marks]
        return Detection(None, [f"no family's marks weigh {THRESHOLD} or more" + (f" (weak: {', '.join(weak)})" if weak else "")],
                         scores)
    return Detection(best, [why for why, _ in found[best]], scores)
