"""What the detectors share: the local calendar, figure formats and the exemption test."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

from zerowaste.domain.catalog_entries import is_hazardous_waste_code
from zerowaste.oversight.rules import Stage

#: China Standard Time: days, years and licence dates are reckoned on its calendar.
CHINA = timezone(timedelta(hours=8), "CST")

#: Whether the exemption list exempts a code at a stage on a day: (code, stage, day) → bool.
Exempt = Callable[[str, Stage, date], bool]


def never_exempt(code: str, stage: Stage, on: date) -> bool:
    """An exemption test that exempts nothing (tests, and codes outside the list)."""
    return False


def local_day(moment: datetime) -> date:
    """The calendar day of an instant in China."""
    return moment.astimezone(CHINA).date()


def day_text(moment: datetime | date) -> str:
    """A day as `YYYY-MM-DD` (instants on China's calendar)."""
    day = local_day(moment) if isinstance(moment, datetime) else moment
    return day.isoformat()


def instant_text(moment: datetime) -> str:
    """An instant as `YYYY-MM-DD HH:MM` in China time."""
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def kg_text(value: Decimal) -> str:
    """A mass as a plain decimal, without exponent or trailing zeros."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def pct_text(share: Decimal) -> str:
    """A share (0.05) as a percentage rounded to one decimal (`5.0`)."""
    return str((share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def days_between(earlier: datetime, later: datetime) -> int:
    """Whole days from one instant to a later one."""
    return (later - earlier).days


def is_hazardous(code: str | None) -> bool:
    """Whether a code is a hazardous waste code (`III-SSS-CC`); `SWnn` classes are not."""
    return code is not None and is_hazardous_waste_code(code)
