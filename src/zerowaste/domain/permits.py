"""Permits: hazardous waste business licences and dangerous-goods transport licences."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from zerowaste.domain.quantities import non_negative
from zerowaste.errors import InvalidInput, InvalidPeriod


class PermitKind(StrEnum):
    """The licence a permit is.

    `hazardous_waste_business`: 危险废物经营许可证 (《危险废物经营许可证管理办法》).
    `dangerous_goods_transport`: 道路危险货物运输许可 (《道路危险货物运输管理规定》).
    """

    HAZARDOUS_WASTE_BUSINESS = "hazardous_waste_business"
    DANGEROUS_GOODS_TRANSPORT = "dangerous_goods_transport"


class PermitActivity(StrEnum):
    """What a permit allows its holder to do with the covered wastes."""

    COLLECT = "collect"
    STORE = "store"
    UTILIZE = "utilize"
    DISPOSE = "dispose"
    TRANSPORT = "transport"


_ACTIVITIES_BY_KIND = {
    PermitKind.HAZARDOUS_WASTE_BUSINESS: frozenset(
        {
            PermitActivity.COLLECT,
            PermitActivity.STORE,
            PermitActivity.UTILIZE,
            PermitActivity.DISPOSE,
        }
    ),
    PermitKind.DANGEROUS_GOODS_TRANSPORT: frozenset({PermitActivity.TRANSPORT}),
}

#: No single licence covers more than this many tonnes a year (the largest Chinese HW
#: facilities are licensed for a few million tonnes); larger figures are typing errors.
MAX_ANNUAL_CAPACITY_T = Decimal(10_000_000)


@dataclass(frozen=True, slots=True)
class NewPermit:
    """A permit as submitted; `waste_codes` lists HW codes or categories it covers."""

    kind: PermitKind
    number: str
    activities: frozenset[PermitActivity]
    waste_codes: tuple[str, ...]
    annual_capacity_t: Decimal
    valid_from: date
    valid_to: date
    site_id: uuid.UUID | None = None
    issued_by: str = ""

    def __post_init__(self) -> None:
        if not self.number.strip():
            raise InvalidInput("must not be empty", field="number")
        if self.valid_to < self.valid_from:
            raise InvalidPeriod(
                f"ends {self.valid_to} before it starts {self.valid_from}", field="valid_to"
            )
        non_negative(
            self.annual_capacity_t, field="annual_capacity_t", maximum=MAX_ANNUAL_CAPACITY_T
        )
        if not self.activities:
            raise InvalidInput("name at least one activity", field="activities")
        allowed = _ACTIVITIES_BY_KIND[self.kind]
        if stray := sorted(self.activities - allowed):
            raise InvalidInput(
                f"{', '.join(stray)} not allowed on a {self.kind} permit", field="activities"
            )
        if self.kind is PermitKind.HAZARDOUS_WASTE_BUSINESS and not self.waste_codes:
            raise InvalidInput("a business licence lists the wastes it covers", field="waste_codes")


@dataclass(frozen=True, slots=True)
class Permit:
    """A registered permit held by an organization."""

    id: uuid.UUID
    organization_id: uuid.UUID
    site_id: uuid.UUID | None
    kind: PermitKind
    number: str
    activities: frozenset[PermitActivity]
    waste_codes: tuple[str, ...]
    annual_capacity_t: Decimal
    valid_from: date
    valid_to: date
    issued_by: str

    def in_force(self, on: date) -> bool:
        """Whether the permit is valid on `on`."""
        return self.valid_from <= on <= self.valid_to
