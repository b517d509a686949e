"""The official working-day calendar (工作日): weekends, statutory holidays and make-up workdays (调休上班).

The calendar comes from the maintained `chinesecalendar` package, which carries the State Council's yearly
holiday notice (国务院办公厅关于…部分节假日安排的通知) for every year it supports. Dates outside those years are not
guessed: `working_days_between` raises OutOfCalendar, and the audit reports the document as not evaluated.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar
from chinese_calendar import constants


class OutOfCalendar(ValueError):
    """A date in a year the calendar does not cover (the holiday notice for it is not in the package)."""


@lru_cache(maxsize=1)
def covered_years() -> tuple[int, int]:
    """First and last year the installed calendar knows (the years of its holiday notices)."""
    years = {d.year for d in constants.holidays} | {d.year for d in constants.workdays}
    return min(years), max(years)


def is_workday(day: date) -> bool:
    first, last = covered_years()
    if not first <= day.year <= last:
        raise OutOfCalendar(f"{day}: the working-day calendar covers {first}–{last} (chinesecalendar "
                            f"{getattr(chinese_calendar, '__version__', '?')}); upgrade it for later years")
    return chinese_calendar.is_workday(day)


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end ≤ start): the 20-day clock of 条例 第二十六条
    starts the day after the document is made."""
    is_workday(start)
    is_workday(end)
    if end <= start:
        return 0
    return sum(1 for i in range(1, (end - start).days + 1) if is_workday(start + timedelta(days=i)))


def calendar_rows() -> list[tuple[date, bool, int, str | None]]:
    """Every day of the covered years: (day, is_workday, workday ordinal, holiday name). The ordinal counts working days
    from the first covered day, so the working days between two dates are the difference of their ordinals."""
    first, last = covered_years()
    day, end, ordinal, rows = date(first, 1, 1), date(last, 12, 31), 0, []
    while day <= end:
        work = chinese_calendar.is_workday(day)
        ordinal += work
        _, holiday = chinese_calendar.get_holiday_detail(day)
        rows.append((day, work, ordinal, holiday))
        day += timedelta(days=1)
    return rows
