"""Totals of flow figures by event, batch, firm, chain, city, period, route and material."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum

from zerowaste.carbon.accounting import Figure, FlowResult, Term
from zerowaste.carbon.flows import Unaccounted
from zerowaste.domain.factors import FactorSet

#: Periods are cut on China's calendar (UTC+8, no daylight saving).
CHINA_TIME = timezone(timedelta(hours=8))


class Granularity(StrEnum):
    """How a report cuts time."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


def period_of(moment: datetime, granularity: Granularity) -> str:
    """The period label of an instant: `2025-03`, `2025-Q1` or `2025` (China's calendar)."""
    local = moment.astimezone(CHINA_TIME)
    if granularity is Granularity.MONTH:
        return f"{local.year}-{local.month:02d}"
    if granularity is Granularity.QUARTER:
        return f"{local.year}-Q{(local.month - 1) // 3 + 1}"
    return str(local.year)


@dataclass
class SetTotal:
    """The running total of one factor set: kg CO2e, the factor coefficients, unaccounted."""

    factor_set: FactorSet
    co2e_kg: Decimal = Decimal(0)
    coefficients: dict[str, Decimal] = field(default_factory=dict)
    accounted_kg: Decimal = Decimal(0)
    unaccounted: dict[Unaccounted, int] = field(default_factory=dict)
    unaccounted_kg: Decimal = Decimal(0)

    def add(self, figure: Figure, mass_kg: Decimal) -> None:
        """Add a figure of this set (a figure of the other set is refused)."""
        if figure.factor_set is not self.factor_set:
            raise ValueError(f"a {figure.factor_set} figure cannot join a {self.factor_set} total")
        if figure.co2e_kg is None:
            reason = figure.unaccounted or Unaccounted.MISSING_FACTOR
            self.unaccounted[reason] = self.unaccounted.get(reason, 0) + 1
            self.unaccounted_kg += mass_kg
            return
        self.co2e_kg += figure.co2e_kg
        self.accounted_kg += mass_kg
        for term in figure.terms:
            self.coefficients[term.ref] = (
                self.coefficients.get(term.ref, Decimal(0)) + term.coefficient
            )

    @property
    def terms(self) -> tuple[Term, ...]:
        """The coefficients as terms (nonzero only)."""
        return tuple(Term(r, c) for r, c in self.coefficients.items() if c != 0)

    @property
    def refs(self) -> tuple[str, ...]:
        """The factors behind this total."""
        return tuple(sorted(r for r, c in self.coefficients.items() if c != 0))


@dataclass
class Group:
    """One row of a report: a key, the flows' mass and count, and the two separate totals."""

    key: str
    flows: int = 0
    mass_kg: Decimal = Decimal(0)
    avoided: SetTotal = field(default_factory=lambda: SetTotal(FactorSet.AVOIDED))
    inventory: SetTotal = field(default_factory=lambda: SetTotal(FactorSet.INVENTORY))

    def add(self, result: FlowResult) -> None:
        """Count one flow into this group."""
        self.flows += 1
        self.mass_kg += result.flow.mass_kg
        self.avoided.add(result.avoided, result.flow.mass_kg)
        self.inventory.add(result.inventory, result.flow.mass_kg)


KeyOf = Callable[[FlowResult], str]


def group_by(results: Iterable[FlowResult], key_of: KeyOf) -> list[Group]:
    """Groups of results by key, in key order."""
    groups: dict[str, Group] = {}
    for result in results:
        key = key_of(result)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(key)
        group.add(result)
    return [groups[k] for k in sorted(groups)]


def total_of(results: Iterable[FlowResult], key: str = "total") -> Group:
    """One group of every result."""
    group = Group(key)
    for result in results:
        group.add(result)
    return group


def by_period(granularity: Granularity) -> KeyOf:
    """Group key: the flow's period."""
    return lambda r: period_of(r.flow.event_time, granularity)


def by_route(result: FlowResult) -> str:
    """Group key: the actual route (`unaccounted` for a flow without one)."""
    return str(result.flow.route) if result.flow.route else "unaccounted"


def by_material(result: FlowResult) -> str:
    """Group key: the material (`unknown` if the table has none)."""
    return result.flow.material or "unknown"


def by_firm(result: FlowResult) -> str:
    """Group key: the organization that recorded the utilization or disposal."""
    return str(result.flow.organization_id)


def by_event(result: FlowResult) -> str:
    """Group key: the event."""
    return str(result.flow.event_id)


def by_batch(result: FlowResult) -> str:
    """Group key: the batch."""
    return str(result.flow.batch_id)
