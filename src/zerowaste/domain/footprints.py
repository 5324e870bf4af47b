"""Product carbon footprints as ISO 14067:2018 / GB/T 24067-2024 ask them to be reported.

The fields follow the reporting clauses of ISO 14067 (7.2-7.3: declared unit, system boundary,
reference period, data quality, allocation, recycling approach, fossil and biogenic GHG
reported apart, characterization factors) so a footprint can be published as a PACT v3
ProductFootprint without losing anything. Values are kg CO2e per declared unit.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from zerowaste.errors import InvalidInput


class FootprintStatus(StrEnum):
    """PACT's footprint status: a newer version of the same product deprecates an older one."""

    ACTIVE = "Active"
    DEPRECATED = "Deprecated"


class Allocation(StrEnum):
    """How a multi-output process shares its burdens among its products (ISO 14044 4.3.4)."""

    MASS = "mass"
    ECONOMIC = "economic"


@dataclass(frozen=True, slots=True)
class Contribution:
    """A process or supplier's share of a footprint, in kg CO2e per declared unit."""

    label: str
    organization_id: uuid.UUID | None
    co2e_kg: Decimal


@dataclass(frozen=True, slots=True)
class ProductFootprint:
    """One published footprint of a product (cradle-to-gate unless said otherwise).

    `pcf_excluding_biogenic_uptake_kg` is the headline figure (fossil + biogenic emissions +
    land-use change, removals not credited); `interval_95_kg` is its Monte Carlo interval.
    `recycled_content_share` is the mass of secondary material over the product's mass (ISO
    14021:2016 7.8; over all raw material entering the system when the product has no mass);
    secondary material is carried burden-free by the cut-off approach (the 100:0 method).
    """

    id: uuid.UUID
    product_id: str
    product_name: str
    organization_id: uuid.UUID
    company_name: str
    declared_unit: str
    unit_amount: Decimal
    product_mass_per_unit_kg: Decimal
    reference_period_start: datetime
    reference_period_end: datetime
    geography_region_code: str
    boundary: str
    pcf_excluding_biogenic_uptake_kg: Decimal
    fossil_ghg_kg: Decimal
    biogenic_ghg_kg: Decimal
    land_use_change_kg: Decimal
    interval_95_kg: tuple[Decimal, Decimal]
    allocation: Allocation
    recycled_content_share: Decimal
    primary_data_share: Decimal
    characterization: str
    standards: tuple[str, ...]
    factor_sources: tuple[str, ...]
    created: datetime
    version: int = 1
    status: FootprintStatus = FootprintStatus.ACTIVE
    contributions: tuple[Contribution, ...] = field(default=())
    comment: str = ""
    classification: str = ""
    #: The product system it was computed from, if it was computed here.
    product_system_id: uuid.UUID | None = None

    def __post_init__(self) -> None:
        if self.reference_period_end <= self.reference_period_start:
            raise InvalidInput("must end after it starts", field="reference_period_end")
        if self.unit_amount <= 0:
            raise InvalidInput("must be positive", field="unit_amount")
        if not Decimal(0) <= self.recycled_content_share <= Decimal(1):
            raise InvalidInput("must be a share between 0 and 1", field="recycled_content_share")
        if not Decimal(0) <= self.primary_data_share <= Decimal(1):
            raise InvalidInput("must be a share between 0 and 1", field="primary_data_share")
        low, high = self.interval_95_kg
        if low > high:
            raise InvalidInput("the interval's low end is above its high end", field="interval")
