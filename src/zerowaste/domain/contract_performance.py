"""Contract performance: delivered versus committed per month, spec compliance, money owed.

Pure arithmetic over delivery lines read from the ledger (see
`services/contract_performance.py`): a line is one batch on a received manifest naming the
contract, its accepted mass (weighed minus rejected) and the batch's lab composition.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from zerowaste.domain.composition import Composition
from zerowaste.domain.contracts import ContractTerms
from zerowaste.domain.listings import ComponentRange

KG_PER_T = Decimal(1000)


class SpecStatus(StrEnum):
    """How a delivered batch stands against the contract's specs."""

    COMPLIANT = "compliant"
    OFF_SPEC = "off_spec"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class DeliveryLine:
    """One batch received on a manifest under the contract, with its evidence."""

    manifest_id: uuid.UUID
    manifest_number: str
    batch_id: uuid.UUID
    received_on: date
    accepted_kg: Decimal
    rejected_kg: Decimal = Decimal(0)
    leaf_index: int | None = None
    composition: Composition | None = None


@dataclass(frozen=True, slots=True)
class SpecCheck:
    """One spec limit against the batch's measured fraction (None: not measured)."""

    component: str
    low: Decimal | None
    high: Decimal | None
    measured: Decimal | None
    status: SpecStatus


@dataclass(frozen=True, slots=True)
class LineResult:
    """A delivery line, the month it counts in, and its spec checks."""

    line: DeliveryLine
    month: str
    status: SpecStatus
    checks: tuple[SpecCheck, ...]

    @property
    def accepted_t(self) -> Decimal:
        """The accepted mass in tonnes."""
        return self.line.accepted_kg / KG_PER_T


@dataclass(frozen=True, slots=True)
class MonthResult:
    """One month of the term: committed, delivered, the penalty-free floor and the shortfall."""

    month: str
    first_day: date
    last_day: date
    committed_t: Decimal
    delivered_t: Decimal
    floor_t: Decimal
    shortfall_t: Decimal
    shortfall_penalty_cny: Decimal
    closed: bool
    manifest_numbers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Performance:
    """The whole contract's figures as of a day, with the month and line detail."""

    as_of: date
    months: tuple[MonthResult, ...]
    lines: tuple[LineResult, ...]
    committed_t: Decimal
    committed_to_date_t: Decimal
    delivered_t: Decimal
    compliant_t: Decimal
    off_spec_t: Decimal
    unknown_t: Decimal
    shortfall_penalty_cny: Decimal
    off_spec_penalty_cny: Decimal
    revenue_cny: Decimal
    revenue_share_due_cny: Decimal


def check_specs(
    specs: tuple[ComponentRange, ...], composition: Composition | None
) -> tuple[SpecStatus, tuple[SpecCheck, ...]]:
    """A batch against the specs: off-spec if any limit is broken, unknown if one is unmeasured."""
    if not specs:
        return SpecStatus.COMPLIANT, ()
    measured = dict(composition.fractions) if composition is not None else {}
    checks = []
    for spec in specs:
        value = measured.get(spec.component)
        if value is None:
            status = SpecStatus.UNKNOWN
        elif (spec.low is not None and value < spec.low) or (
            spec.high is not None and value > spec.high
        ):
            status = SpecStatus.OFF_SPEC
        else:
            status = SpecStatus.COMPLIANT
        checks.append(SpecCheck(spec.component, spec.low, spec.high, value, status))
    statuses = {c.status for c in checks}
    for worst in (SpecStatus.OFF_SPEC, SpecStatus.UNKNOWN):
        if worst in statuses:
            return worst, tuple(checks)
    return SpecStatus.COMPLIANT, tuple(checks)


def assess(terms: ContractTerms, deliveries: list[DeliveryLine], as_of: date) -> Performance:
    """The contract's performance as of `as_of` from its delivery lines.

    A line counts in the month it was received (clamped into the term). A month is closed once
    its last day is before `as_of`; only closed months owe a shortfall penalty, on the tonnes
    below the floor `committed × (1 − tolerance)`. Off-spec tonnes owe the off-spec rate;
    revenue is delivered tonnes × price, and the revenue share is owed on positive revenue.
    """
    months = terms.months()
    lines = []
    for line in sorted(deliveries, key=lambda d: (d.received_on, d.manifest_number)):
        day = min(max(line.received_on, terms.start_on), terms.end_on)
        month = f"{day:%Y-%m}"
        status, checks = check_specs(terms.specs, line.composition)
        lines.append(LineResult(line, month, status, checks))
    zero = Decimal(0)
    results = []
    for month, first, last, committed in months:
        mine = [x for x in lines if x.month == month]
        delivered = sum((x.accepted_t for x in mine), zero)
        floor = committed * (1 - terms.tolerance)
        closed = last < as_of
        shortfall = max(zero, floor - delivered) if closed else zero
        results.append(
            MonthResult(
                month, first, last, committed, delivered, floor, shortfall,
                shortfall * terms.shortfall_penalty_cny_per_t, closed,
                tuple(dict.fromkeys(x.line.manifest_number for x in mine)),
            )
        )  # fmt: skip
    by_status = {s: sum((x.accepted_t for x in lines if x.status is s), zero) for s in SpecStatus}
    delivered = sum((x.accepted_t for x in lines), zero)
    revenue = delivered * terms.price_cny_per_t
    to_date = sum((m.committed_t for m in results if m.first_day <= as_of), zero)
    return Performance(
        as_of=as_of,
        months=tuple(results),
        lines=tuple(lines),
        committed_t=sum((m.committed_t for m in results), zero),
        committed_to_date_t=to_date,
        delivered_t=delivered,
        compliant_t=by_status[SpecStatus.COMPLIANT],
        off_spec_t=by_status[SpecStatus.OFF_SPEC],
        unknown_t=by_status[SpecStatus.UNKNOWN],
        shortfall_penalty_cny=sum((m.shortfall_penalty_cny for m in results), zero),
        off_spec_penalty_cny=by_status[SpecStatus.OFF_SPEC] * terms.off_spec_penalty_cny_per_t,
        revenue_cny=revenue,
        revenue_share_due_cny=max(zero, revenue * terms.revenue_share),
    )
