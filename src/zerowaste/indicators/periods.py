"""The period before a period, by the calendar: the previous month, quarter or year.

`Period.previous` steps back by the period's length in days, which for a quarter or a month
lands off the calendar (2026-Q2 → 2025-12-31/2026-04-01); comparisons with the period
before use this instead.
"""

from __future__ import annotations

from datetime import date

from zerowaste.domain.indicators import Period


def _months_back(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def previous_period(period: Period) -> Period:
    """The calendar month, quarter or year before `period`; else the span of equal length."""
    s, e = period.start, period.end
    if s.day == 1 and e.day == 1:
        months = (e.year - s.year) * 12 + e.month - s.month
        if months in (1, 3, 12) and (months != 3 or s.month % 3 == 1):
            return Period(_months_back(s, months), s)
    return period.previous()
