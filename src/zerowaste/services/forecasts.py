"""Generation series from the ledger, their forecasts with intervals, and their backtests.

Who may see which series:

- `firm` (subject: the organization id): the firm's own users, regulators over its region,
  admins (`Principal.acts_for`).
- `city` (subject: a six-digit region code; the region and everything under it) and `sector`
  (subject: a two-digit GB/T 4754 industry division, optionally within `region`): any
  signed-in user, as aggregates; but an aggregate of fewer than `MIN_FIRMS` generating firms
  would show a firm's own figures, so only admins and regulators over the region see it.
  A sector without a region is the whole platform's (regulators outside a region get their
  jurisdiction by default).

The window defaults to the `DEFAULT_MONTHS` complete China calendar months before the
current one, starting at the subject's first month with generation when no start is given
(earlier months are before its data, not zeros).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from zerowaste.adapters.db.unit_of_work import UnitOfWork
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.indicators import CHINA_TIME, Period
from zerowaste.domain.regions import is_region_code, region_prefix
from zerowaste.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound
from zerowaste.evaluation.forecast import (
    DEFAULT_LEVELS,
    Backtest,
    Forecast,
    MonthlySeries,
    add_months,
    backtest,
    forecast,
)
from zerowaste.indicators.formulas import KG_PER_TONNE

#: Months of history a series reads by default (three years).
DEFAULT_MONTHS = 36
#: The longest window a series may span.
MAX_MONTHS = 240
#: Fewest generating firms an aggregate needs to be shown beyond regulators and admins.
MIN_FIRMS = 3


class SeriesLevel(StrEnum):
    """Whose generation a series is: one firm, an industry division, or a city."""

    FIRM = "firm"
    SECTOR = "sector"
    CITY = "city"


@dataclass(frozen=True, slots=True)
class GenerationSeries:
    """A series read from the ledger: what it covers and how many firms it adds up."""

    level: SeriesLevel
    subject: str
    region: str | None
    label: str
    firms: int
    series: MonthlySeries


def parse_month(text: str | None, field: str) -> date | None:
    """The month `YYYY-MM` (or any `YYYY-MM-DD` in it) names; None when blank.

    Raises:
        InvalidInput: `text` is not such a month (field `field`).
    """
    if not text:
        return None
    try:
        return date.fromisoformat(f"{text}-01" if len(text) == 7 else text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a YYYY-MM month", field=field) from None


class ForecastService:
    """Reads generation series and forecasts or backtests them."""

    def __init__(self, uow: Callable[[], UnitOfWork], clock: Callable[[], datetime]) -> None:
        self._uow = uow
        self._clock = clock

    def window(self, start: date | None, end: date | None) -> tuple[date, date]:
        """The first month and the month after the last (defaults: the last 36 full months).

        Raises:
            InvalidInput: The window is empty, longer than `MAX_MONTHS` (field `start`) or
                outside 1990-2100 (field `start` or `end`).
        """
        for name, day in (("start", start), ("end", end)):
            if day is not None and not 1990 <= day.year <= 2100:
                raise InvalidInput("must lie within 1990-2100", field=name)
        today = self._clock().astimezone(CHINA_TIME).date()
        last = date(end.year, end.month, 1) if end else date(today.year, today.month, 1)
        first = date(start.year, start.month, 1) if start else add_months(last, -DEFAULT_MONTHS)
        months = (last.year - first.year) * 12 + last.month - first.month
        if months <= 0:
            raise InvalidInput("the series must start before it ends", field="start")
        if months > MAX_MONTHS:
            raise InvalidInput(f"a series spans at most {MAX_MONTHS} months", field="start")
        return first, last

    def series(
        self,
        actor: Principal | None,
        level: SeriesLevel,
        subject: str,
        start: date | None = None,
        end: date | None = None,
        region: str | None = None,
    ) -> GenerationSeries:
        """Tonnes generated per month by the subject, zero-filled, `end` exclusive.

        Raises:
            NotAuthenticated: No one is signed in.
            Forbidden: The actor may not see this series (see the module docstring).
            InvalidInput: The subject or region is malformed (field `subject` or `region`).
            NotFound: No firm has this id.
        """
        if actor is None:
            raise NotAuthenticated("sign in to see generation series")
        first, last = self.window(start, end)
        period = Period(first, last).instants()
        with self._uow() as uow:
            reader = uow.generation_series
            if level is SeriesLevel.FIRM:
                firm_id = _uuid(subject)
                organization = uow.organizations.get(firm_id)
                if organization is None:
                    raise NotFound(f"no organization {firm_id}", field="subject")
                if not actor.acts_for(organization.id, organization.region_code):
                    raise Forbidden("this firm's series is not yours to see", field="subject")
                kg, firms = reader.monthly_kg(*period, organization_id=firm_id)
                label, scope = organization.name, organization.region_code
            elif level is SeriesLevel.CITY:
                if not is_region_code(subject):
                    raise InvalidInput(
                        f"{subject!r} is not a six-digit region code", field="subject"
                    )
                kg, firms = reader.monthly_kg(*period, region_prefix=region_prefix(subject))
                label, scope = subject, subject
            else:
                if len(subject) != 2 or not subject.isdigit():
                    raise InvalidInput(
                        f"{subject!r} is not a two-digit industry division", field="subject"
                    )
                if region is None and actor.role is UserRole.REGULATOR:
                    region = actor.jurisdiction_code
                if region is not None and not is_region_code(region):
                    raise InvalidInput(f"{region!r} is not a six-digit region code", field="region")
                kg, firms = reader.monthly_kg(
                    *period,
                    division=subject,
                    region_prefix=region_prefix(region) if region else None,
                )
                label, scope = (f"{subject} @ {region}" if region else subject), region or ""
        if level is not SeriesLevel.FIRM and firms < MIN_FIRMS and not _oversees(actor, scope):
            raise Forbidden(
                f"fewer than {MIN_FIRMS} firms make up this aggregate; only regulators over "
                "the region see it",
                field="subject",
            )
        count = (last.year - first.year) * 12 + last.month - first.month
        months = [add_months(first, i) for i in range(count)]
        if start is None and kg:
            # Without an explicit start the series begins when the subject's data do: months
            # before a firm joined the platform are unknown, not zero.
            months = [m for m in months if m >= min(kg)]
            first = months[0]
        values = tuple(float(kg.get(m, Decimal(0)) / KG_PER_TONNE) for m in months)
        return GenerationSeries(
            level, subject, region, label, firms, MonthlySeries(label, first, values)
        )

    def forecast(
        self,
        actor: Principal | None,
        level: SeriesLevel,
        subject: str,
        horizon: int = 12,
        levels: Sequence[int] = DEFAULT_LEVELS,
        *,
        start: date | None = None,
        end: date | None = None,
        region: str | None = None,
    ) -> tuple[GenerationSeries, Forecast]:
        """The series and its forecast `horizon` months on (see `evaluation.forecast`)."""
        found = self.series(actor, level, subject, start, end, region)
        return found, forecast(found.series, horizon, levels)

    def backtest(
        self,
        actor: Principal | None,
        level: SeriesLevel,
        subject: str,
        horizon: int = 3,
        windows: int = 3,
        step: int = 1,
        *,
        start: date | None = None,
        end: date | None = None,
        region: str | None = None,
    ) -> tuple[GenerationSeries, Backtest]:
        """The series and a rolling-origin backtest of every model on it."""
        found = self.series(actor, level, subject, start, end, region)
        return found, backtest(found.series, horizon, windows, step)


def _oversees(actor: Principal, region: str) -> bool:
    """Whether the actor oversees `region` (the whole platform: admins only)."""
    return actor.oversees(region) if region else actor.role is UserRole.ADMIN


def _uuid(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise InvalidInput(f"{raw!r} is not a firm id (a UUID)", field="subject") from None
