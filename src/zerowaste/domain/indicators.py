"""Indicators: their definitions, the periods they are computed for, and computed values."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from enum import StrEnum

from zerowaste.errors import InvalidInput

#: Periods are China's calendar (UTC+8), as firms and statistics bureaus report them.
CHINA_TIME = timezone(timedelta(hours=8))


class IndicatorLevel(StrEnum):
    """Whose indicator it is: one firm, a chain master's chain, or a city (region)."""

    FIRM = "firm"
    CHAIN = "chain"
    CITY = "city"


class Direction(StrEnum):
    """Which way is better; TOPSIS treats the first as a benefit, the second as a cost."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"


class IndicatorFamily(StrEnum):
    """The group an indicator belongs to.

    `outcome`, `driver` and `mediator` are the seed paper's three variable families
    (被解释变量, 核心解释变量, 中介变量); `city_system` are indicators of the zero-waste city
    indicator system (“无废城市”建设指标体系) outside those families.
    """

    OUTCOME = "outcome"
    DRIVER = "driver"
    MEDIATOR = "mediator"
    CITY_SYSTEM = "city_system"


class DataOrigin(StrEnum):
    """Where an indicator's inputs come from: the ledger, uploaded statistics, or both."""

    PLATFORM = "platform"
    STATISTICS = "statistics"
    COMBINED = "combined"


@dataclass(frozen=True, slots=True)
class IndicatorDefinition:
    """One indicator of the registry.

    Attributes:
        indicator_id: Stable snake_case id (`general_iswu_rate`).
        name_zh: Chinese name as the defining source words it.
        name_en: English name.
        formula: The formula in words and symbols (numerator ÷ denominator, with units).
        unit: The unit of the value (`%`, `t/10^4 CNY`, `t CO2e`, …).
        scope: The 口径: what is counted and what is not.
        levels: The levels it is computed for.
        direction: Which way is better.
        family: Its group.
        origin: Platform data, uploaded statistics, or both.
        source: The defining document (title, edition, item), or "platform" with the reason.
        statistics: The uploaded statistics it needs (`StatisticKind` values), if any.
        zero_waste_city: Whether it is an indicator of the zero-waste city indicator system.
    """

    indicator_id: str
    name_zh: str
    name_en: str
    formula: str
    unit: str
    scope: str
    levels: tuple[IndicatorLevel, ...]
    direction: Direction
    family: IndicatorFamily
    origin: DataOrigin
    source: str
    statistics: tuple[str, ...] = ()
    zero_waste_city: bool = False

    def name(self, locale: str) -> str:
        """The name in `locale` (`zh-CN` or `en`)."""
        return self.name_zh if locale.startswith("zh") else self.name_en


_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A span of China calendar days, `[start, end)`; a year, quarter, month or any range."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidInput("a period must end after it starts", field="period")
        if not 1990 <= self.start.year <= 2100 or not 1990 <= self.end.year <= 2101:
            raise InvalidInput("a period must lie within 1990-2100", field="period")

    @classmethod
    def parse(cls, text: str) -> Period:
        """`2026`, `2026-Q2`, `2026-03` or `2026-01-01/2026-07-01` (end exclusive).

        Raises:
            InvalidInput: `text` is none of these (field `period`).
        """
        value = text.strip()
        try:
            if m := _YEAR.match(value):
                return cls.year(int(m[1]))
            if m := _QUARTER.match(value):
                year, quarter = int(m[1]), int(m[2])
                return cls(date(year, 3 * quarter - 2, 1), _month_after(year, 3 * quarter))
            if m := _MONTH.match(value):
                year, month = int(m[1]), int(m[2])
                return cls(date(year, month, 1), _month_after(year, month))
            if m := _RANGE.match(value):
                return cls(date.fromisoformat(m[1]), date.fromisoformat(m[2]))
        except ValueError as exc:
            raise InvalidInput(f"{text!r} is not a valid period: {exc}", field="period") from exc
        raise InvalidInput(
            f"{text!r} is not a period: use 2026, 2026-Q2, 2026-03 or 2026-01-01/2026-07-01",
            field="period",
        )

    @classmethod
    def year(cls, year: int) -> Period:
        """The calendar year `year`."""
        return cls(date(year, 1, 1), date(year + 1, 1, 1))

    @property
    def label(self) -> str:
        """The shortest text `parse` reads back to this period."""
        s, e = self.start, self.end
        if s.month == 1 and s.day == 1 and e == date(s.year + 1, 1, 1):
            return str(s.year)
        if s.day == 1 and e == _month_after(s.year, s.month):
            return f"{s.year}-{s.month:02d}"
        if s.day == 1 and s.month % 3 == 1 and e == _month_after(s.year, s.month + 2):
            return f"{s.year}-Q{(s.month + 2) // 3}"
        return f"{s.isoformat()}/{e.isoformat()}"

    @property
    def whole_year(self) -> int | None:
        """The year if this period is exactly one calendar year, else None."""
        s = self.start
        return s.year if (s.month, s.day) == (1, 1) and self.end == date(s.year + 1, 1, 1) else None

    @property
    def years(self) -> tuple[int, ...]:
        """The calendar years this period touches."""
        return tuple(range(self.start.year, (self.end - timedelta(days=1)).year + 1))

    def instants(self) -> tuple[datetime, datetime]:
        """The first instant of the period and the first after it, in China time."""
        return (
            datetime.combine(self.start, time(0), CHINA_TIME),
            datetime.combine(self.end, time(0), CHINA_TIME),
        )

    def previous(self) -> Period:
        """The calendar month, quarter or year before this one; else the span of equal length."""
        s, e = self.start, self.end
        if s.day == 1 and e.day == 1:
            months = (e.year - s.year) * 12 + e.month - s.month
            if months in (1, 3, 12) and (months != 3 or s.month % 3 == 1):
                return Period(_months_back(s, months), s)
        return Period(s - (e - s), s)


def _months_back(day: date, months: int) -> date:
    """The first day of the month `months` months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _month_after(year: int, month: int) -> date:
    """The first day of the month after `month` of `year`."""
    return date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)


@dataclass(frozen=True, slots=True)
class IndicatorInput:
    """One figure a value was computed from, and where it came from.

    `origin` names the record: `ledger` (with what was counted, e.g. "412 generated
    events"), `statistics` (with the upload's source), `registry`, `contracts`, ….
    """

    name: str
    value: Decimal | None
    unit: str
    origin: str


@dataclass(frozen=True, slots=True)
class IndicatorValue:
    """An indicator computed for one subject and period, with what it was computed from.

    `subject` is the organization id (firm level), the chain master's organization id
    (chain level) or the region code (city level), as text. `value` is None when the
    indicator cannot be computed; `missing` then says why (no statistics uploaded, zero
    denominator, …). `numerator` and `denominator` are set for ratios.
    """

    indicator_id: str
    level: IndicatorLevel
    subject: str
    period: Period
    value: Decimal | None
    inputs: tuple[IndicatorInput, ...] = ()
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    missing: str | None = None
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if (self.value is None) == (self.missing is None):
            raise ValueError("exactly one of value and missing must be set")
