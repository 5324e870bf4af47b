"""Organizations, their roles in the waste chain, and their yearly economic data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from zerowaste.domain.credit_codes import validate_credit_code
from zerowaste.domain.quantities import non_negative
from zerowaste.domain.regions import is_region_code
from zerowaste.errors import InvalidInput, UnknownRegion


class OrganizationRole(StrEnum):
    """What an organization does in the waste chain."""

    GENERATOR = "generator"
    TRANSPORTER = "transporter"
    UTILIZER = "utilizer"
    DISPOSER = "disposer"
    CHAIN_MASTER = "chain_master"
    REGULATOR = "regulator"


@dataclass(frozen=True, slots=True)
class NewOrganization:
    """An organization as submitted for registration; checks its own invariants."""

    credit_code: str
    name: str
    region_code: str
    industry_code: str | None = None
    name_en: str | None = None
    roles: frozenset[OrganizationRole] = field(default_factory=frozenset)
    jurisdiction_code: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "credit_code", validate_credit_code(self.credit_code))
        if not self.name.strip():
            raise InvalidInput("must not be empty", field="name")
        if not is_region_code(self.region_code):
            raise UnknownRegion(
                f"{self.region_code!r} is not a six-digit code", field="region_code"
            )
        if OrganizationRole.REGULATOR in self.roles:
            if not self.jurisdiction_code:
                raise InvalidInput("a regulator needs a jurisdiction", field="jurisdiction_code")
        elif self.jurisdiction_code:
            raise InvalidInput("only regulators have a jurisdiction", field="jurisdiction_code")


@dataclass(frozen=True, slots=True)
class Organization:
    """A registered organization."""

    id: uuid.UUID
    credit_code: str
    name: str
    region_code: str
    industry_code: str | None
    name_en: str | None
    roles: frozenset[OrganizationRole]
    jurisdiction_code: str | None
    created_at: datetime

    @classmethod
    def register(cls, new: NewOrganization, *, id: uuid.UUID, at: datetime) -> Organization:
        """Build the stored organization from a validated submission."""
        return cls(
            id=id,
            credit_code=new.credit_code,
            name=new.name.strip(),
            region_code=new.region_code,
            industry_code=new.industry_code,
            name_en=new.name_en,
            roles=new.roles,
            jurisdiction_code=new.jurisdiction_code,
            created_at=at,
        )


@dataclass(frozen=True, slots=True)
class OrganizationChanges:
    """Fields to change on a registered organization; None leaves a field as it is.

    The credit code and region identify the registration and do not change; a firm that moves
    to another region is registered there anew.
    """

    name: str | None = None
    name_en: str | None = None
    industry_code: str | None = None
    roles: frozenset[OrganizationRole] | None = None
    jurisdiction_code: str | None = None

    def apply(self, current: Organization) -> Organization:
        """The organization with these changes, its invariants checked again.

        An empty string clears an optional field (English name, industry, jurisdiction).
        """

        def pick(change: str | None, now: str | None) -> str | None:
            if change is None:
                return now
            return change.strip() or None

        checked = NewOrganization(
            credit_code=current.credit_code,
            name=self.name if self.name is not None else current.name,
            region_code=current.region_code,
            industry_code=pick(self.industry_code, current.industry_code),
            name_en=pick(self.name_en, current.name_en),
            roles=self.roles if self.roles is not None else current.roles,
            jurisdiction_code=pick(self.jurisdiction_code, current.jurisdiction_code),
        )
        return Organization.register(checked, id=current.id, at=current.created_at)


#: A plausible ceiling for one firm's yearly figures, in yuan (10^13 = 10 trillion).
MAX_YEARLY_CNY = Decimal(10) ** 13


@dataclass(frozen=True, slots=True)
class EconomicRecord:
    """One organization's economic figures for a year, the denominators of intensity indicators."""

    organization_id: uuid.UUID
    year: int
    output_value_cny: Decimal
    industrial_added_value_cny: Decimal
    product_output: Decimal
    product_unit: str

    def __post_init__(self) -> None:
        if not 1990 <= self.year <= 2100:
            raise InvalidInput(f"{self.year} is outside 1990-2100", field="year")
        for name in ("output_value_cny", "industrial_added_value_cny"):
            non_negative(getattr(self, name), field=name, maximum=MAX_YEARLY_CNY)
        non_negative(self.product_output, field="product_output")
        if not self.product_unit.strip():
            raise InvalidInput("must not be empty", field="product_unit")
