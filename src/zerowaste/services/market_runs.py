"""Inputs and records of market matching runs: region codes, periods, prices, stored lines."""

from __future__ import annotations

import math
import uuid

from zerowaste.domain.market_allocations import AllocationLineRecord, AllocationPeriod
from zerowaste.errors import InvalidAllocationPeriod, InvalidInput
from zerowaste.optimize.matching.model import Allocation, Filtered

#: Highest carbon price accepted (CNY per t CO2e); beyond it is a typing error.
MAX_CARBON_PRICE = 10_000.0
#: Most partners one recommendation returns.
MAX_K = 50
#: Filtered-pair examples kept per rule with a stored run.
EXAMPLES_PER_RULE = 5


def region_code_of(raw: str) -> str:
    """A six-digit region code from `32`, `3205` or `320505`.

    Raises:
        InvalidInput: Not two, four or six digits (`region_code`).
    """
    text = raw.strip()
    if not text.isdigit() or len(text) not in (2, 4, 6):
        raise InvalidInput(
            f"{raw!r} is not a region code (2, 4 or 6 digits of GB/T 2260)", field="region_code"
        )
    return text.ljust(6, "0")


def check_carbon_price(price: float | None) -> float | None:
    """The carbon price if it is a finite number in 0..`MAX_CARBON_PRICE`."""
    if price is None:
        return None
    if not math.isfinite(price) or not 0 <= price <= MAX_CARBON_PRICE:
        raise InvalidInput(
            f"{price} is not a carbon price in 0..{MAX_CARBON_PRICE:g} CNY/t CO2e",
            field="carbon_price_cny_per_t",
        )
    return float(price)


def period_of(period: str | AllocationPeriod) -> AllocationPeriod:
    """A period from its text form (or as given)."""
    if isinstance(period, AllocationPeriod):
        return period
    if not isinstance(period, str):
        raise InvalidAllocationPeriod("write the period as text", field="period")
    return AllocationPeriod.parse(period)


def examples_of(filtered: tuple[Filtered, ...]) -> list[dict[str, str]]:
    """Up to `EXAMPLES_PER_RULE` filtered pairs of each rule, as plain dicts."""
    kept: dict[str, int] = {}
    examples = []
    for item in filtered:
        rule = str(item.rule)
        if kept.get(rule, 0) >= EXAMPLES_PER_RULE:
            continue
        kept[rule] = kept.get(rule, 0) + 1
        examples.append(
            {
                "supply_id": item.supply_id,
                "demand_id": item.demand_id,
                "rule": rule,
                "detail": item.detail,
            }
        )
    return examples


def line_records(allocation: Allocation) -> tuple[AllocationLineRecord, ...]:
    """The engine's lines as stored records, numbered from 1."""
    lines = []
    for number, line in enumerate(allocation.lines, start=1):
        alternative = None
        if line.alternative is not None:
            alternative = {
                "demand_listing_id": line.alternative.demand_id,
                "value_cny_per_t": line.alternative.value_cny_per_t,
                "reason": line.alternative.reason,
            }
        value = line.value
        lines.append(
            AllocationLineRecord(
                line_no=number,
                supply_listing_id=uuid.UUID(line.supply_id),
                demand_listing_id=uuid.UUID(line.demand_id) if line.demand_id else None,
                quantity_t=line.quantity_t,
                value={
                    "price_cny_per_t": value.price_cny_per_t,
                    "avoided_disposal_cny_per_t": value.avoided_disposal_cny_per_t,
                    "transport_cny_per_t": value.transport_cny_per_t,
                    "approval_cny_per_t": value.approval_cny_per_t,
                    "avoided_co2e_kg_per_t": value.avoided_co2e_kg_per_t,
                    "carbon_value_cny_per_t": value.carbon_value_cny_per_t,
                    "value_cny_per_t": value.value_cny_per_t,
                },
                value_cny=line.value_cny,
                avoided_co2e_kg=line.avoided_co2e_kg,
                distance_km=line.distance_km,
                binding=tuple(line.binding),
                alternative=alternative,
            )
        )
    return tuple(lines)
