"""Working-day arithmetic on the official calendar: Spring Festival and National Day, make-up workdays included."""
from __future__ import annotations

from datetime import date

import pytest
from gongkai.audit.calendar import OutOfCalendar, calendar_rows, covered_years, is_workday, working_days_between


def test_spring_festival_2026_holidays_and_make_up_saturdays():
    # 国办发明电〔2025〕7号: 2月15日至23日放假, 2月14日（星期六）、2月28日（星期六）上班
    assert not any(is_workday(date(2026, 2, d)) for d in range(15, 24))
    assert is_workday(date(2026, 2, 14)) and is_workday(date(2026, 2, 28))  # Saturdays worked
    # Friday 13th → Tuesday 24th: Saturday 14th (make-up) and the 24th count, the nine holiday days do not
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 24)) == 2
    # 20 working days from a policy made on 6 February run to 12 March, not 6 March (calendar-day arithmetic)
    assert working_days_between(date(2026, 2, 6), date(2026, 3, 12)) == 20
    assert working_days_between(date(2026, 2, 6), date(2026, 3, 13)) == 21


def test_national_day_2025_with_make_up_sunday_and_saturday():
    # 10月1日至8日放假, 9月28日（星期日）、10月11日（星期六）上班
    assert is_workday(date(2025, 9, 28)) and is_workday(date(2025, 10, 11))
    assert not any(is_workday(date(2025, 10, d)) for d in range(1, 9))
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 9)) == 1
    # after Friday 26 September: Sunday 28th (make-up), 29th, 30th, then 9th, 10th and Saturday 11th (make-up)
    assert working_days_between(date(2025, 9, 26), date(2025, 10, 11)) == 6
    assert working_days_between(date(2025, 9, 26), date(2025, 10, 10)) == 5


def test_ordinals_give_the_same_count_as_day_by_day():
    rows = {day: ordinal for day, _, ordinal, _ in calendar_rows()}
    for start, end in [(date(2024, 1, 20), date(2024, 3, 1)), (date(2025, 9, 20), date(2025, 11, 2)),
                       (date(2026, 2, 6), date(2026, 3, 12))]:
        assert rows[end] - rows[start] == working_days_between(start, end)


def test_dates_outside_the_calendar_are_refused_not_guessed():
    first, last = covered_years()
    assert first <= 2019 and last >= 2025
    with pytest.raises(OutOfCalendar, match=f"covers {first}–{last}"):
        working_days_between(date(last, 12, 1), date(last + 1, 1, 15))
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0
