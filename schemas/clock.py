"""Dates in China Standard Time: a county's 'today' is Beijing's, whatever the harvesting machine's zone."""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

CST = ZoneInfo("Asia/Shanghai")


def china_today() -> date:
    return datetime.now(UTC).astimezone(CST).date()


def china_date(ts: datetime) -> date:
    return ts.astimezone(CST).date()
