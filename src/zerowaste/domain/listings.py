"""Market listings: what a firm offers (supply) or wants (demand), with specs, site and window."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from zerowaste.domain.factors import WasteRoute
from zerowaste.domain.permits import PermitActivity
from zerowaste.domain.quantities import non_negative
from zerowaste.errors import InvalidInput, InvalidPeriod

#: Bounds that catch typing errors: no listing offers more than this many tonnes per period.
MAX_QUANTITY_T = Decimal(10_000_000)
#: Prices beyond ±this CNY per tonne are typing errors (precious-metal boards are ~10^5).
MAX_ABS_PRICE_CNY_PER_T = Decimal(10_000_000)
#: Farthest distance a demand may name (road km across China).
MAX_DISTANCE_KM = Decimal(5_000)
#: Longest a listing stays open.
MAX_LISTING_DAYS = 3 * 366


class ListingSide(StrEnum):
    """Supply (a waste or by-product on offer) or demand (a material wanted)."""

    SUPPLY = "supply"
    DEMAND = "demand"


class ListingState(StrEnum):
    """Open listings are matched; withdrawn and expired ones are kept but never matched."""

    OPEN = "open"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class QuantityBasis(StrEnum):
    """What a listing's quantity is per: a month, quarter, year, or one lot."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    LOT = "lot"


#: Days each basis spans when a quantity is prorated onto an allocation period.
BASIS_DAYS = {
    QuantityBasis.MONTH: Decimal("30.4375"),
    QuantityBasis.QUARTER: Decimal("91.3125"),
    QuantityBasis.YEAR: Decimal("365.25"),
}

#: Routes a demand may apply, and the permit activity that route needs for hazardous wastes.
ROUTE_ACTIVITY = {
    WasteRoute.RECYCLING: PermitActivity.UTILIZE,
    WasteRoute.CO_PROCESSING: PermitActivity.UTILIZE,
    WasteRoute.COMPOSTING: PermitActivity.UTILIZE,
    WasteRoute.ANAEROBIC_DIGESTION: PermitActivity.UTILIZE,
    WasteRoute.INCINERATION: PermitActivity.DISPOSE,
    WasteRoute.LANDFILL: PermitActivity.DISPOSE,
}


@dataclass(frozen=True, slots=True)
class ComponentRange:
    """A component's mass fraction range: a supply's spec, or a demand's min/max limit."""

    component: str
    low: Decimal | None
    high: Decimal | None

    def __post_init__(self) -> None:
        field = f"composition.{self.component}"
        if not self.component.strip() or len(self.component) > 64:
            raise InvalidInput("component names are 1-64 characters", field="composition")
        if self.low is None and self.high is None:
            raise InvalidInput("give a low or a high fraction", field=field)
        for end, value in (("low", self.low), ("high", self.high)):
            if value is not None and (not value.is_finite() or not 0 <= value <= 1):
                raise InvalidInput(
                    f"{value} is not a fraction between 0 and 1", field=f"{field}.{end}"
                )
        if self.low is not None and self.high is not None and self.low > self.high:
            raise InvalidInput(f"low {self.low} is above high {self.high}", field=field)


def check_components(ranges: tuple[ComponentRange, ...], field: str) -> None:
    """Refuse a component named twice or more than 100 components."""
    names = [r.component for r in ranges]
    if len(names) > 100:
        raise InvalidInput("at most 100 components", field=field)
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise InvalidInput(f"{twice[0]} is named twice", field=f"{field}.{twice[0]}")


def _price(value: Decimal, field: str) -> None:
    if not value.is_finite() or abs(value) > MAX_ABS_PRICE_CNY_PER_T:
        raise InvalidInput(f"{value} is not a price in CNY per tonne", field=field)


def _positive(value: Decimal, field: str) -> None:
    non_negative(value, field=field, maximum=MAX_QUANTITY_T)
    if value == 0:
        raise InvalidInput("must be more than zero", field=field)


@dataclass(frozen=True, slots=True)
class SupplyTerms:
    """What a supply listing offers.

    Attributes:
        waste_code: HW code, HW category, general solid waste class, or by-product code.
        quantity_t: Tonnes per `basis`.
        basis: What the quantity is per.
        composition: Component fraction ranges (from lab results when the ledger has them).
        composition_source: `declared` by the seller, or `lab` (derived from batch results).
        lot_t: The smallest lot shipped (equal to the quantity for a single-lot listing).
        price_cny_per_t: Asking price; negative is a fee the generator pays.
        packaging: How it is packed (bulk, drums, IBC, bags …).
        allows_cross_province: Whether the seller would send it out of its province.
        batch_ids: Ledger batches the listing offers, whose lab results fed its composition.
    """

    waste_code: str
    quantity_t: Decimal
    basis: QuantityBasis
    composition: tuple[ComponentRange, ...] = ()
    composition_source: str = "declared"
    lot_t: Decimal | None = None
    price_cny_per_t: Decimal = Decimal(0)
    packaging: str = ""
    allows_cross_province: bool = True
    batch_ids: tuple[uuid.UUID, ...] = ()

    def __post_init__(self) -> None:
        if not self.waste_code.strip():
            raise InvalidInput("must not be empty", field="supply.waste_code")
        _positive(self.quantity_t, "supply.quantity_t")
        if self.lot_t is not None:
            _positive(self.lot_t, "supply.lot_t")
            if self.lot_t > self.quantity_t:
                raise InvalidInput("a lot is at most the whole quantity", field="supply.lot_t")
        _price(self.price_cny_per_t, "supply.price_cny_per_t")
        check_components(self.composition, "supply.composition")
        for r in self.composition:
            if r.low is None or r.high is None:
                field = f"supply.composition.{r.component}"
                raise InvalidInput("a supply states both low and high", field=field)
        if self.composition_source not in ("declared", "lab"):
            raise InvalidInput("is declared or lab", field="supply.composition_source")
        if len(self.packaging) > 100:
            raise InvalidInput("at most 100 characters", field="supply.packaging")

    @property
    def smallest_lot_t(self) -> Decimal:
        """The lot size, or the whole quantity when no lot is given."""
        return self.lot_t if self.lot_t is not None else self.quantity_t


@dataclass(frozen=True, slots=True)
class DemandTerms:
    """What a demand listing wants.

    Attributes:
        accepted_codes: HW codes, categories, classes or by-products it takes.
        capacity_t: Tonnes per `basis` it can take.
        limits: Component min/max fractions (per supply, or of the blend when `blend`).
        blend: Whether the limits apply to the weighted average of the supplies it takes.
        min_lot_t: Smallest lot it accepts from one supplier.
        max_distance_km: Farthest supply site (road km).
        price_cny_per_t: What it pays; negative is a gate fee it charges.
        route: The management route it applies.
        permit_ids: The buyer's permits the listing relies on for hazardous wastes.
        accepts_cross_province: Whether it takes waste from other provinces.
    """

    accepted_codes: tuple[str, ...]
    capacity_t: Decimal
    basis: QuantityBasis
    route: WasteRoute
    limits: tuple[ComponentRange, ...] = ()
    blend: bool = False
    min_lot_t: Decimal = Decimal(0)
    max_distance_km: Decimal = Decimal(300)
    price_cny_per_t: Decimal = Decimal(0)
    permit_ids: tuple[uuid.UUID, ...] = ()
    accepts_cross_province: bool = True

    def __post_init__(self) -> None:
        if not self.accepted_codes or any(not c.strip() for c in self.accepted_codes):
            raise InvalidInput("name at least one code", field="demand.accepted_codes")
        _positive(self.capacity_t, "demand.capacity_t")
        non_negative(self.min_lot_t, field="demand.min_lot_t", maximum=self.capacity_t)
        _positive(self.max_distance_km, "demand.max_distance_km")
        if self.max_distance_km > MAX_DISTANCE_KM:
            raise InvalidInput(f"at most {MAX_DISTANCE_KM} km", field="demand.max_distance_km")
        _price(self.price_cny_per_t, "demand.price_cny_per_t")
        check_components(self.limits, "demand.limits")
        if self.route not in ROUTE_ACTIVITY:
            raise InvalidInput(f"{self.route} is not a receiving route", field="demand.route")

    @property
    def activity(self) -> PermitActivity:
        """The permit activity the route needs."""
        return ROUTE_ACTIVITY[self.route]


@dataclass(frozen=True, slots=True)
class NewListing:
    """A listing as its firm submits or edits it."""

    side: ListingSide
    organization_id: uuid.UUID
    site_id: uuid.UUID
    title: str
    available_from: date
    available_to: date
    expires_on: date
    supply: SupplyTerms | None = None
    demand: DemandTerms | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if not self.title.strip() or len(self.title) > 200:
            raise InvalidInput("1-200 characters", field="title")
        if self.available_to < self.available_from:
            detail = f"ends {self.available_to} before it starts {self.available_from}"
            raise InvalidPeriod(detail, field="available_to")
        if (self.available_to - self.available_from).days > MAX_LISTING_DAYS:
            raise InvalidPeriod(f"at most {MAX_LISTING_DAYS} days", field="available_to")
        if self.expires_on > self.available_to:
            raise InvalidPeriod("expires at the latest when availability ends", field="expires_on")
        if self.side is ListingSide.SUPPLY and (self.supply is None or self.demand is not None):
            raise InvalidInput("a supply listing carries supply terms only", field="supply")
        if self.side is ListingSide.DEMAND and (self.demand is None or self.supply is not None):
            raise InvalidInput("a demand listing carries demand terms only", field="demand")
        if len(self.note) > 2000:
            raise InvalidInput("at most 2000 characters", field="note")


@dataclass(frozen=True, slots=True)
class Listing:
    """A stored listing: its terms, state, version (bumped on each edit) and times."""

    id: uuid.UUID
    version: int
    state: ListingState
    terms: NewListing
    created_at: datetime
    updated_at: datetime
    created_by: uuid.UUID | None = None
    #: The site's region and WGS84 coordinates when the listing was stored (for the map).
    region_code: str = ""
    latitude: float | None = None
    longitude: float | None = None

    def state_on(self, on: date) -> ListingState:
        """The state on a day: an open listing past its expiry day reads as expired."""
        if self.state is ListingState.OPEN and on > self.terms.expires_on:
            return ListingState.EXPIRED
        return self.state

    def is_open_on(self, on: date) -> bool:
        """Whether the listing is open (and not expired) on `on`."""
        return self.state_on(on) is ListingState.OPEN


def prorated_t(quantity_t: Decimal, basis: QuantityBasis, days: int) -> Decimal:
    """Tonnes a per-basis quantity amounts to over `days` days (a lot is offered once)."""
    if basis is QuantityBasis.LOT:
        return quantity_t
    return quantity_t * Decimal(days) / BASIS_DAYS[basis]
