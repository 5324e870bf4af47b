"""Demo firms' yearly economic figures: output value, added value and product output."""

from __future__ import annotations

import math
import random
import uuid
from decimal import Decimal

from zerowaste.demo.archetypes import Archetype
from zerowaste.domain.organizations import EconomicRecord

#: Number of years of figures the demo records, ending with the year it is generated in.
ECONOMIC_YEARS = 6
#: Standard deviation of the yearly deviation from a firm's growth trend.
GROWTH_NOISE = 0.04
#: The worst single-year fall the demo allows (a bad year, not a collapse).
WORST_YEAR = -0.20


def log_uniform(rng: random.Random, low: float, high: float) -> float:
    """A draw spread evenly over orders of magnitude between `low` and `high`."""
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def economic_series(
    rng: random.Random, kind: Archetype, organization_ref: uuid.UUID, last_year: int
) -> tuple[EconomicRecord, ...]:
    """Figures for the `ECONOMIC_YEARS` years up to `last_year`, growing along a trend.

    Args:
        rng: The generator's random source.
        kind: The firm's archetype (size, margins, growth, product unit and price).
        organization_ref: The firm's reference id.
        last_year: The last year to record.
    """
    output = log_uniform(rng, *kind.output_cny)
    trend = rng.uniform(*kind.growth)
    share = rng.uniform(*kind.added_value_share)
    price = kind.unit_price_cny * rng.uniform(0.85, 1.15)
    records: list[EconomicRecord] = []
    for year in range(last_year - ECONOMIC_YEARS + 1, last_year + 1):
        if records:
            output *= 1 + max(WORST_YEAR, trend + rng.gauss(0, GROWTH_NOISE))
        year_share = min(max(share + rng.gauss(0, 0.01), 0.01), 0.9)
        year_price = price * rng.uniform(0.97, 1.03)
        records.append(
            EconomicRecord(
                organization_id=organization_ref,
                year=year,
                output_value_cny=Decimal(round(output)),
                industrial_added_value_cny=Decimal(round(output * year_share)),
                product_output=Decimal(max(1, round(output / year_price))),
                product_unit=kind.product_unit,
            )
        )
    return tuple(records)
