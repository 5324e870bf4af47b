"""Stored region-wide allocation runs, their explained lines, and allocation periods."""

from __future__ import annotations

import calendar
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from zerowaste.errors import InvalidAllocationPeriod

#: The longest period one allocation covers, in days (a leap year).
MAX_PERIOD_DAYS = 366
_YEAR = re.compile(r"(\d{4})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-[Qq]([1-4])")
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\s*(?:/|\.\.)\s*(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True, slots=True)
class AllocationPeriod:
    """The days an allocation is for, both ends included, and how it was named."""

    start: date
    end: date
    label: str

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidAllocationPeriod(
                f"ends {self.end} before it starts {self.start}", field="period"
            )
        if self.days > MAX_PERIOD_DAYS:
            raise InvalidAllocationPeriod(
                f"{self.days} days; at most {MAX_PERIOD_DAYS}", field="period"
            )

    @property
    def days(self) -> int:
        """Number of days, both ends counted."""
        return (self.end - self.start).days + 1

    @classmethod
    def parse(cls, text: str) -> AllocationPeriod:
        """Read `2026`, `2026-11`, `2026-Q4`, or `2026-11-01/2026-11-30` (or `..`).

        Raises:
            InvalidAllocationPeriod: Malformed, reversed, or longer than a year (`period`).
        """
        raw = text.strip()
        try:
            if match := _RANGE.fullmatch(raw):
                start = date.fromisoformat(match.group(1))
                end = date.fromisoformat(match.group(2))
                return cls(start, end, f"{start.isoformat()}/{end.isoformat()}")
            if match := _QUARTER.fullmatch(raw):
                year, quarter = int(match.group(1)), int(match.group(2))
                first = 3 * quarter - 2
                last_day = calendar.monthrange(year, first + 2)[1]
                return cls(
                    date(year, first, 1), date(year, first + 2, last_day), f"{year}-Q{quarter}"
                )
            if match := _MONTH.fullmatch(raw):
                year, month = int(match.group(1)), int(match.group(2))
                last_day = calendar.monthrange(year, month)[1]
                return cls(date(year, month, 1), date(year, month, last_day), raw)
            if match := _YEAR.fullmatch(raw):
                year = int(match.group(1))
                return cls(date(year, 1, 1), date(year, 12, 31), raw)
        except ValueError as exc:
            raise InvalidAllocationPeriod(
                f"{text!r} is not a valid period ({exc})", field="period"
            ) from None
        raise InvalidAllocationPeriod(
            f"{text!r} is not a period: write YYYY, YYYY-MM, YYYY-Qn or YYYY-MM-DD/YYYY-MM-DD",
            field="period",
        )

    @classmethod
    def between(cls, start: date, end: date) -> AllocationPeriod:
        """An explicit period of two dates (checked like a parsed one)."""
        return cls(start, end, f"{start.isoformat()}/{end.isoformat()}")


@dataclass(frozen=True, slots=True)
class AllocationLineRecord:
    """One stored line: tonnes of a supply to a demand (None: its disposal route), explained.

    Attributes:
        value: The per-tonne breakdown (the engine's `ArcValue` fields).
        binding: The constraints that limit the line.
        alternative: The next best use of the tonnes and why it lost (or None).
    """

    line_no: int
    supply_listing_id: uuid.UUID
    demand_listing_id: uuid.UUID | None
    quantity_t: float
    value: dict[str, float]
    value_cny: float
    avoided_co2e_kg: float
    distance_km: float
    binding: tuple[str, ...]
    alternative: dict[str, Any] | None

    @property
    def disposed(self) -> bool:
        """Whether the line sends the tonnes to the supply's default disposal route."""
        return self.demand_listing_id is None


@dataclass(frozen=True, slots=True)
class AllocationRecord:
    """A stored region-wide allocation run with its figures and explanations.

    Attributes:
        params: What the run was asked and built from (period label, factor dataset, counts).
        filtered_counts: Filter rule → pairs it removed.
        filtered: Examples of removed pairs (supply, demand, rule, detail).
        timings: Stage → seconds.
    """

    id: uuid.UUID
    region_code: str
    period_start: date
    period_end: date
    carbon_price: float
    params: dict[str, Any]
    objective_cny: float
    matched_t: float
    disposed_t: float
    avoided_co2e_kg: float
    solver: str
    candidates: int
    filtered_counts: dict[str, int]
    filtered: list[dict[str, str]]
    timings: dict[str, float]
    created_at: datetime
    created_by: uuid.UUID | None
    lines: tuple[AllocationLineRecord, ...] = field(default=())

    @property
    def period_label(self) -> str:
        """The period as it was asked for."""
        label = self.params.get("period")
        return str(label) if label else f"{self.period_start}/{self.period_end}"
