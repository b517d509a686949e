"""Crawler traps (爬虫陷阱) and the budgets that bound a walk: pagers that never end, calendars that page into the
future, lists that repeat themselves.

A column's list is walked page by page (`ListWalk`); the walk stops, saying why, when
- it has walked the column's page budget (`harvest.max_list_pages`), more pages still announced;
- `STALE_PAGES` list pages in a row brought no item it had not seen (a pager past its end, a loop whose pages differ
  only in the highlighted page number, a calendar's empty months) while more are still queued;
- a page's address names a year no list of a county's documents can reach (a calendar link walking past next year,
  or before 1949).
The column's tree is bounded elsewhere (harvesters.tree: MAX_DEPTH levels, MAX_COLUMNS columns), announced page
counts by pagers.MAX_PAGES, and a run's requests by `harvest.max_requests`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import unquote, urlsplit

STALE_PAGES = 3
FIRST_YEAR = 1949
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)")
_DATE_KEY = re.compile(r"(?:^|[?&])(?:y|year|yyyy|date|day|month|ym|time|rq|nian)=([^&]*)", re.IGNORECASE)


def calendar_trap(url: str, today: date | None = None) -> str | None:
    """Why a list page's address is a calendar trap, or None: a date parameter naming a year past next year or before
    1949 (documents are dated in the past; a calendar's "next month" link walks on for ever)."""
    last = (today or date.today()).year + 1
    for value in _DATE_KEY.findall(urlsplit(url).query):
        for year in map(int, _YEAR.findall(unquote(value))):
            if not FIRST_YEAR <= year <= last:
                return (f"{url}: a calendar page for the year {year} (outside {FIRST_YEAR}–{last}); stopped paging "
                        "this column there (a calendar trap)")
    return None


@dataclass
class ListWalk:
    """One column's walk through its list pages: counts pages and new items, and says when to stop."""

    budget: int
    pages: int = 0
    stale: int = 0
    seen: set[str] = field(default_factory=set)

    def page(self, item_urls: list[str]) -> None:
        """Count a walked list page and its items."""
        self.pages += 1
        new = set(item_urls) - self.seen
        self.seen |= new
        self.stale = 0 if new else self.stale + 1

    def stop(self, url: str, queued: int) -> str | None:
        """Why the walk stops before the next page (`queued` pages still to walk), or None to go on."""
        if not queued:
            return None
        if self.pages >= self.budget:
            return (f"{url}: walked {self.pages} list pages of this column and {queued} more are announced; stopped at "
                    "the budget (raise harvest.max_list_pages in the registry if the column is really this long)")
        if self.stale >= STALE_PAGES:
            return (f"{url}: {self.stale} list pages in a row showed no item not seen before; stopped paging this "
                    f"column ({queued} more queued): a pager past its end or a pagination trap")
        return None
