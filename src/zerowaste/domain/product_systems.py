"""Process data entered by firms and the product systems built from it (ISO 14067 / 14044).

A `Process` is one firm's unit process for a reference period: per `reference_amount` of its
reference product it lists exchanges. Background exchanges (virgin material, electricity,
transport, fuel, waste treatment) are resolved through the factor library; technosphere inputs
name another firm-entered process; secondary (recycled) material is burden-free by the cut-off
approach (ISO 14067:2018 6.4.9.3, the 100:0 method), only its own transport and processing,
entered as separate exchanges, carry emissions. Direct emissions are kg of a gas, characterized
with IPCC AR6 GWP100 (AR6 WG1 ch. 7, Table 7.15: fossil CH4 29.8, non-fossil CH4 27.0, N2O 273).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from zerowaste.domain.factors import Distribution, WasteRoute
from zerowaste.domain.footprints import Allocation
from zerowaste.errors import InvalidInput

MAX_NAME_CHARS = 200


class ExchangeKind(StrEnum):
    """What an exchange of a process is."""

    #: The reference product of another firm-entered process, in that process's unit.
    TECHNOSPHERE = "technosphere"
    #: Virgin material made outside the system (t), a virgin_production factor per material.
    VIRGIN_MATERIAL = "virgin_material"
    #: Grid electricity (kWh); `subject` is the grid region code (empty: the process's).
    ELECTRICITY = "electricity"
    #: Freight (t.km) by mode (`road_truck`, `rail`, `waterway`).
    TRANSPORT = "transport"
    #: Fuel burnt (GJ) by fuel.
    FUEL = "fuel"
    #: Secondary (recycled) material (t): burden-free by the cut-off approach.
    SECONDARY_MATERIAL = "secondary_material"
    #: A direct emission (kg) of one of `Gas`.
    EMISSION = "emission"
    #: A waste output (t) by waste code, treated by `route` (an inventory waste_route factor).
    WASTE = "waste"


#: The unit each kind's amount is in.
EXCHANGE_UNITS: dict[ExchangeKind, str] = {
    ExchangeKind.TECHNOSPHERE: "",
    ExchangeKind.VIRGIN_MATERIAL: "t",
    ExchangeKind.ELECTRICITY: "kWh",
    ExchangeKind.TRANSPORT: "t.km",
    ExchangeKind.FUEL: "GJ",
    ExchangeKind.SECONDARY_MATERIAL: "t",
    ExchangeKind.EMISSION: "kg",
    ExchangeKind.WASTE: "t",
}


class Gas(StrEnum):
    """Greenhouse gases a process emits directly, fossil and biogenic apart (ISO 14067 6.4.9.4)."""

    CO2_FOSSIL = "co2_fossil"
    CH4_FOSSIL = "ch4_fossil"
    N2O = "n2o"
    CO2_BIOGENIC = "co2_biogenic"
    CH4_BIOGENIC = "ch4_biogenic"


#: IPCC AR6 WG1 (2021) ch. 7, Table 7.15, GWP100: kg CO2e per kg of gas.
GWP100_AR6: dict[Gas, Decimal] = {
    Gas.CO2_FOSSIL: Decimal("1"),
    Gas.CH4_FOSSIL: Decimal("29.8"),
    Gas.N2O: Decimal("273"),
    Gas.CO2_BIOGENIC: Decimal("1"),
    Gas.CH4_BIOGENIC: Decimal("27.0"),
}

BIOGENIC_GASES = frozenset({Gas.CO2_BIOGENIC, Gas.CH4_BIOGENIC})


@dataclass(frozen=True, slots=True)
class Exchange:
    """One input or output of a process, per `reference_amount` of its reference product.

    `subject` is the material, grid region, mode, fuel or gas (a waste output's material);
    `source_process_id` the supplying process of a technosphere input; `route` the treatment
    of a waste output.
    `from_ledger` marks an amount taken from what the ledger recorded at the firm's sites.
    `distribution` is the entered amount's uncertainty (in the amount's unit).
    """

    kind: ExchangeKind
    amount: Decimal
    subject: str = ""
    source_process_id: uuid.UUID | None = None
    route: str = ""
    from_ledger: bool = False
    distribution: Distribution = field(default_factory=Distribution)
    #: The waste code (GB/T 39198 / 国家危险废物名录) of a waste output; `subject` is its material.
    waste_code: str = ""
    comment: str = ""

    def __post_init__(self) -> None:
        if not self.amount.is_finite() or self.amount < 0:
            raise InvalidInput("must be a finite amount of 0 or more", field="amount")
        if self.kind is ExchangeKind.TECHNOSPHERE:
            if self.source_process_id is None:
                raise InvalidInput("a technosphere input names its process", field="source")
        elif self.source_process_id is not None:
            raise InvalidInput("only technosphere inputs name a process", field="source")
        if self.kind is ExchangeKind.EMISSION and self.subject not in set(Gas):
            raise InvalidInput(f"{self.subject!r} is not one of {', '.join(Gas)}", field="subject")
        needs_subject = self.kind not in (ExchangeKind.TECHNOSPHERE, ExchangeKind.ELECTRICITY)
        if needs_subject and not self.subject.strip():
            raise InvalidInput(f"a {self.kind} exchange names its subject", field="subject")
        if self.kind is ExchangeKind.WASTE:
            if self.route not in set(WasteRoute):
                raise InvalidInput(f"{self.route!r} is not a waste route", field="route")
        elif self.route:
            raise InvalidInput("only waste outputs have a route", field="route")
        self.distribution.check(float(self.amount) or 1.0, field="distribution")

    @property
    def unit(self) -> str:
        """The unit of `amount` (a technosphere input is in its process's unit)."""
        return EXCHANGE_UNITS[self.kind]


@dataclass(frozen=True, slots=True)
class CoProduct:
    """A further product of a multi-output process: amount, mass of that amount, price per unit."""

    name: str
    amount: Decimal
    unit: str
    mass_kg: Decimal
    price_cny: Decimal

    def __post_init__(self) -> None:
        _name(self.name, "co_products.name")
        for name in ("amount", "mass_kg", "price_cny"):
            value: Decimal = getattr(self, name)
            if not value.is_finite() or value <= 0:
                raise InvalidInput("must be positive", field=f"co_products.{name}")


@dataclass(frozen=True, slots=True)
class Process:
    """A firm's unit process over its reference period.

    `reference_mass_kg` is the mass of `reference_amount` of the reference product and
    `reference_price_cny` its price per unit; with the co-products' (mass of their amount, price
    per unit) they give the mass or economic allocation shares (ISO 14044:2006 4.3.4.2).
    """

    id: uuid.UUID
    organization_id: uuid.UUID
    site_id: uuid.UUID | None
    name: str
    reference_product: str
    reference_amount: Decimal
    unit: str
    reference_mass_kg: Decimal
    reference_price_cny: Decimal
    region_code: str
    period_start: datetime
    period_end: datetime
    exchanges: tuple[Exchange, ...]
    co_products: tuple[CoProduct, ...] = ()
    created: datetime | None = None

    def __post_init__(self) -> None:
        _name(self.name, "name")
        _name(self.reference_product, "reference_product")
        if not self.unit.strip():
            raise InvalidInput("must not be empty", field="unit")
        if not self.reference_amount.is_finite() or self.reference_amount <= 0:
            raise InvalidInput("must be positive", field="reference_amount")
        for name in ("reference_mass_kg", "reference_price_cny"):
            value: Decimal = getattr(self, name)
            if not value.is_finite() or value < 0:
                raise InvalidInput("must be 0 or more", field=name)
        if self.period_end <= self.period_start:
            raise InvalidInput("must end after it starts", field="period_end")
        names = [self.reference_product, *(co.name for co in self.co_products)]
        if len(set(names)) != len(names):
            raise InvalidInput("products of a process need distinct names", field="co_products")
        for exchange in self.exchanges:
            if exchange.source_process_id == self.id:
                raise InvalidInput("a process cannot supply itself", field="source")

    def shares(self, allocation: Allocation) -> tuple[Decimal, ...]:
        """Allocation shares of the reference product and each co-product (sum to 1)."""
        if not self.co_products:
            return (Decimal(1),)
        if allocation is Allocation.MASS:
            keys = [self.reference_mass_kg, *(co.mass_kg for co in self.co_products)]
            what = "reference_mass_kg"
        else:
            reference_value = self.reference_price_cny * self.reference_amount
            keys = [reference_value, *(co.price_cny * co.amount for co in self.co_products)]
            what = "reference_price_cny"
        total = sum(keys, Decimal(0))
        if keys[0] <= 0 or total <= 0:
            raise InvalidInput(f"{allocation} allocation needs a positive {what}", field=what)
        return tuple(key / total for key in keys)


@dataclass(frozen=True, slots=True)
class ProcessShare:
    """A process its owner lets another firm use as an input of that firm's processes."""

    process_id: uuid.UUID
    organization_id: uuid.UUID
    shared_at: datetime


@dataclass(frozen=True, slots=True)
class ProductSystem:
    """A firm's product: its top process and the declared unit a footprint is stated per.

    One declared unit (`unit_amount` of `declared_unit`) is `reference_flow` of the top
    process's reference product and weighs `product_mass_per_unit_kg`.
    """

    id: uuid.UUID
    organization_id: uuid.UUID
    product_id: str
    name: str
    top_process_id: uuid.UUID
    declared_unit: str
    unit_amount: Decimal
    reference_flow: Decimal
    product_mass_per_unit_kg: Decimal
    allocation: Allocation
    classification: str = ""
    comment: str = ""
    created: datetime | None = None

    def __post_init__(self) -> None:
        _name(self.name, "name")
        _name(self.product_id, "product_id")
        _name(self.declared_unit, "declared_unit")
        for name in ("unit_amount", "reference_flow"):
            value: Decimal = getattr(self, name)
            if not value.is_finite() or value <= 0:
                raise InvalidInput("must be positive", field=name)
        if not self.product_mass_per_unit_kg.is_finite() or self.product_mass_per_unit_kg < 0:
            raise InvalidInput("must be 0 or more", field="product_mass_per_unit_kg")


def may_use(process: Process, user_organization_id: uuid.UUID, shared_with: set[uuid.UUID]) -> bool:
    """Whether a firm may use `process` as an input: its own, or shared with it by its owner."""
    return process.organization_id == user_organization_id or user_organization_id in shared_with


def _name(value: str, field_name: str) -> None:
    if not value.strip():
        raise InvalidInput("must not be empty", field=field_name)
    if len(value) > MAX_NAME_CHARS:
        raise InvalidInput(f"at most {MAX_NAME_CHARS} characters", field=field_name)
