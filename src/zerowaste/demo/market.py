"""The demo city's market: listings derived from its streams and licences, and delivery lots (pure).

Generators list the wastes that go to utilization (or could): slag, ash, gypsum, scrap,
waste oil, solvents, circuit boards, etchants, sludges. The quantity per period is the
stream's typical tonnage, from its archetype's yearly rate scaled by the firm's size (the
basis the event planner starts from). Each firm declares a composition range drawn inside its
material's spec (`market_specs.py`). Facilities list what they take: codes from their licence,
capacity from its annual capacity (or an illustrative yearly intake for general waste),
composition limits, a price and the farthest supply. Everything follows from the seed.

Listings name firms and sites by their reference ids and licences by number (see
`model.py`); whoever stores them swaps in the stored ids.
"""

from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from zerowaste.demo.archetypes import archetype
from zerowaste.demo.events import output_value
from zerowaste.demo.market_specs import DEMAND_SPECS, DemandSpec, SupplySpec, supply_spec
from zerowaste.demo.model import DemoCity, DemoFirm, ref_of
from zerowaste.demo.planner import CST, kilograms
from zerowaste.demo.routes import is_hazardous
from zerowaste.demo.streams import RATES_T, cadence_months, size_factor
from zerowaste.domain.listings import (
    ComponentRange,
    DemandTerms,
    ListingSide,
    NewListing,
    QuantityBasis,
    SupplyTerms,
)
from zerowaste.domain.organizations import OrganizationRole
from zerowaste.domain.permits import NewPermit

#: Listings go up this many days before the allocation period starts.
LISTED_DAYS_BEFORE = 21
#: The region-wide allocation runs this many days before its period starts.
ALLOCATED_DAYS_BEFORE = 10
#: Proposals go out, are accepted, and the contracts are signed on these days before it.
PROPOSED_DAYS_BEFORE = 9
ACCEPTED_DAYS_BEFORE = 8
SIGNED_DAYS_BEFORE = 7
#: Contracts run this many months from the allocation period's first day.
CONTRACT_MONTHS = 12
#: Open listings stay open this many days after the as-of day, available this many.
EXPIRES_DAYS_AFTER = 90
AVAILABLE_DAYS_AFTER = 180
#: The heaviest lot one truck carries, in tonnes.
TRUCK_T = 32.0
#: The most deliveries a contract gets in the allocation period.
MAX_LOTS = 4

_BASIS_OF_CADENCE = {1: QuantityBasis.MONTH, 2: QuantityBasis.MONTH, 3: QuantityBasis.QUARTER}
_MONTHS_OF_BASIS = {QuantityBasis.MONTH: 1, QuantityBasis.QUARTER: 3, QuantityBasis.YEAR: 12}


@dataclass(frozen=True, slots=True)
class ListingSpec:
    """One listing to store: its reference id, firm, the licences it relies on, the listing.

    `listing.organization_id` and `listing.site_id` hold reference ids; `permit_numbers`
    name the licences whose stored ids go into `demand.permit_ids`.
    """

    ref: uuid.UUID
    firm_key: str
    kind: str
    listing: NewListing
    permit_numbers: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True, slots=True)
class MarketPlan:
    """The demo market: the allocation period, the listings and when each step happens.

    Attributes:
        period_start: First day of the allocation period (the last full month before as-of).
        period_end: Its last day.
        listings: Supply listings first, then demand listings.
    """

    period_start: date
    period_end: date
    listings: tuple[ListingSpec, ...]

    def at(self, days_before: int, hour: int = 10) -> datetime:
        """The instant `days_before` days before the period starts, at `hour` CST."""
        return datetime.combine(self.period_start - timedelta(days=days_before), time(hour), CST)

    @property
    def contract_end(self) -> date:
        """The last day of contracts that start with the period."""
        start = self.period_start
        months = start.month - 1 + CONTRACT_MONTHS
        return date(start.year + months // 12, months % 12 + 1, 1) - timedelta(days=1)

    def of_side(self, side: ListingSide) -> tuple[ListingSpec, ...]:
        """The listings of one side."""
        return tuple(s for s in self.listings if s.listing.side is side)


def last_full_month(as_of: date) -> tuple[date, date]:
    """The first and last day of the latest calendar month that ends before `as_of`."""
    end = as_of.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def market_opens(as_of: date) -> datetime:
    """When the first listing goes up (the market's parties' keys must be valid by then)."""
    start, _ = last_full_month(as_of)
    return datetime.combine(start - timedelta(days=LISTED_DAYS_BEFORE), time(8), CST)


def _rng(city: DemoCity, *parts: str) -> random.Random:
    return random.Random("/".join(("zerowaste-demo-market", str(city.seed), *parts)))


def _fraction(value: float) -> Decimal:
    """A fraction to three significant digits (never negative)."""
    return Decimal(f"{max(value, 0.0):.3g}")


def _declared(rng: random.Random, spec: SupplySpec) -> tuple[ComponentRange, ...]:
    """A firm's declared component ranges: a band drawn inside the material's ranges."""
    ranges = []
    for name, low_text, high_text in spec.components:
        low, high = float(low_text), float(high_text)
        centre = rng.uniform(low, high)
        half = (high - low) * rng.uniform(0.15, 0.35)
        a, b = _fraction(max(low, centre - half)), _fraction(min(high, centre + half))
        ranges.append(ComponentRange(name, min(a, b), max(a, b)))
    return tuple(ranges)


def stream_tonnes_per_year(firm: DemoFirm, code: str, year: int) -> float:
    """A firm's typical yearly tonnes of one waste: its archetype's rate times its size."""
    low, high = RATES_T[firm.archetype][code]
    return math.sqrt(low * high) * size_factor(archetype(firm.archetype), output_value(firm, year))


def _window(city: DemoCity, period_start: date) -> tuple[date, date, date]:
    listed = period_start - timedelta(days=LISTED_DAYS_BEFORE)
    return (
        listed,
        city.as_of + timedelta(days=AVAILABLE_DAYS_AFTER),
        city.as_of + timedelta(days=EXPIRES_DAYS_AFTER),
    )


def _tonnes(value: float) -> Decimal:
    return Decimal(f"{value:.1f}") if value < 1000 else Decimal(round(value))


def supply_listings(city: DemoCity, period_start: date) -> list[ListingSpec]:
    """Every generator stream the market lists (a share per code; the first always)."""
    available_from, available_to, expires_on = _window(city, period_start)
    year = period_start.year
    found: list[ListingSpec] = []
    seen: set[str] = set()
    for firm in city.firms:
        if OrganizationRole.GENERATOR not in firm.organization.roles or not firm.sites:
            continue
        for code in firm.wastes:
            spec = supply_spec(firm.archetype, code)
            if spec is None or code not in RATES_T.get(firm.archetype, {}):
                continue
            rng = _rng(city, firm.key, code)
            if code in seen and rng.random() >= spec.listed_share:
                continue
            seen.add(code)
            per_year = stream_tonnes_per_year(firm, code, year)
            basis = _BASIS_OF_CADENCE.get(cadence_months(per_year), QuantityBasis.YEAR)
            quantity = _tonnes(per_year * _MONTHS_OF_BASIS[basis] / 12)
            if quantity <= 0:
                continue
            lot = min(quantity, _tonnes(spec.lot_t))
            price = round(rng.uniform(*spec.price_cny_per_t) / 5) * 5
            terms = SupplyTerms(
                waste_code=code,
                quantity_t=quantity,
                basis=basis,
                composition=_declared(rng, spec),
                lot_t=lot,
                price_cny_per_t=Decimal(price),
                packaging=spec.packaging,
                allows_cross_province=spec.cross_province,
            )
            zh, en = spec.title
            listing = NewListing(
                side=ListingSide.SUPPLY,
                organization_id=firm.ref,
                site_id=firm.sites[0].ref,
                title=f"{zh} {en} ({code})",
                available_from=available_from,
                available_to=available_to,
                expires_on=expires_on,
                supply=terms,
                note=f"成分为申报值 declared composition; ranges {spec.source}",
            )
            ref = ref_of(f"{firm.organization.credit_code}/listing/supply/{code}")
            found.append(ListingSpec(ref, firm.key, code, listing, source=spec.source))
    return found


def _in_force(permits: tuple[NewPermit, ...], start: date, end: date) -> tuple[NewPermit, ...]:
    """The licences valid on some day of [start, end]."""
    return tuple(p for p in permits if p.valid_from <= end and p.valid_to >= start)


def _demand(
    city: DemoCity, firm: DemoFirm, spec: DemandSpec, period: tuple[date, date]
) -> ListingSpec | None:
    rng = _rng(city, firm.key, spec.key)
    listed = period[0] - timedelta(days=LISTED_DAYS_BEFORE)
    permits = _in_force(firm.permits, listed, period[1])
    if spec.capacity_t_per_year is None:
        covering = [p for p in permits if p.valid_from <= period[0] and p.valid_to >= period[1]]
        if not covering or not any(p.valid_from <= listed <= p.valid_to for p in permits):
            return None  # not licensed from listing to the period's end: it cannot take waste
        per_year = float(max(p.annual_capacity_t for p in covering))
        accepted = spec.accepted or covering[-1].waste_codes
    else:
        per_year = rng.uniform(*spec.capacity_t_per_year)
        accepted = spec.accepted or ()
    capacity = Decimal(max(10, round(per_year * spec.capacity_share / 12 / 10) * 10))
    hazardous = any(is_hazardous(c) or c.startswith("HW") for c in accepted)
    terms = DemandTerms(
        accepted_codes=tuple(accepted),
        capacity_t=capacity,
        basis=QuantityBasis.MONTH,
        route=spec.route,
        limits=tuple(
            ComponentRange(
                name, None if low is None else Decimal(low), None if high is None else Decimal(high)
            )
            for name, low, high in spec.limits
        ),  # fmt: skip
        blend=spec.blend,
        min_lot_t=Decimal(str(spec.min_lot_t)),
        max_distance_km=Decimal(spec.max_distance_km),
        price_cny_per_t=Decimal(round(rng.uniform(*spec.price_cny_per_t) / 5) * 5),
    )
    available_from, available_to, expires_on = _window(city, period[0])
    zh, en = spec.title
    listing = NewListing(
        side=ListingSide.DEMAND,
        organization_id=firm.ref,
        site_id=firm.sites[0].ref,
        title=f"求购 {zh} · wanted: {en}",
        available_from=available_from,
        available_to=available_to,
        expires_on=expires_on,
        demand=terms,
        note=f"limits: {spec.source}",
    )
    numbers = tuple(p.number for p in permits) if hazardous else ()
    ref = ref_of(f"{firm.organization.credit_code}/listing/demand/{spec.key}")
    return ListingSpec(ref, firm.key, spec.key, listing, numbers, spec.source)


def demand_listings(city: DemoCity, period: tuple[date, date]) -> list[ListingSpec]:
    """Every facility's demand listings (a licensed one only while its licence is in force)."""
    found = []
    for spec in DEMAND_SPECS:
        for firm in city.firms_of(spec.archetype):
            if firm.sites and (listing := _demand(city, firm, spec, period)) is not None:
                found.append(listing)
    return found


def plan_market(city: DemoCity) -> MarketPlan:
    """The demo market of `city`: its allocation period (the last full month) and listings."""
    period = last_full_month(city.as_of)
    listings = supply_listings(city, period[0]) + demand_listings(city, period)
    return MarketPlan(period[0], period[1], tuple(listings))


@dataclass(frozen=True, slots=True)
class Lot:
    """One delivery under a contract: when, how much, and the receiver's lab result if any.

    Attributes:
        number: 1-based position among the contract's lots.
        shipped_at: When the truck leaves the supplier.
        mass_kg: The shipped mass.
        fractions: (component, fraction) the receiver's lab measured; empty without a lab.
        off_spec: Whether a measured fraction breaks the buyer's limit.
    """

    number: int
    shipped_at: datetime
    mass_kg: Decimal
    fractions: tuple[tuple[str, Decimal], ...]
    off_spec: bool = False


def _off_spec_value(limit: ComponentRange) -> float | None:
    if limit.high is not None:
        return min(1.0, float(limit.high) * 1.5)
    if limit.low is not None:
        return float(limit.low) * 0.6
    return None


def delivery_lots(
    seed: int,
    key: str,
    *,
    committed_t: float,
    period: tuple[date, date],
    composition: tuple[ComponentRange, ...],
    limits: tuple[ComponentRange, ...] = (),
    lab: bool = True,
    off_spec: bool = False,
) -> tuple[Lot, ...]:
    """The lots a contract delivers in the period: up to `MAX_LOTS` trucks spread over it.

    Args:
        seed: The demo seed.
        key: A stable handle of the contract (e.g. supply and demand reference ids).
        committed_t: Tonnes committed for the period.
        period: First and last day of the period.
        composition: The supplier's declared ranges; lab values are drawn inside them.
        limits: The buyer's limits; an off-spec lot breaks the first one that `composition`
            reports.
        lab: Whether the receiver's lab measures each lot.
        off_spec: Whether the last lot is off spec (needs `lab` and a usable limit).
    """
    rng = random.Random(f"zerowaste-demo-market-lots/{seed}/{key}")
    count = min(MAX_LOTS, max(1, math.ceil(committed_t / TRUCK_T)))
    each = min(TRUCK_T, committed_t / count)
    days = (period[1] - period[0]).days + 1
    reported = {r.component for r in composition}
    breach = next((lim for lim in limits if lim.component in reported), None) if off_spec else None
    lots = []
    for index in range(count):
        day = period[0] + timedelta(days=min(days - 1, int((index + 0.5) * days / count)))
        at = datetime.combine(day, time(8 + rng.randint(0, 7), rng.choice((0, 15, 30, 45))), CST)
        mass = kilograms(each * rng.uniform(0.93, 1.03) * 1000)
        fractions: dict[str, float] = {}
        if lab:
            fractions = {r.component: rng.uniform(float(r.low or 0), float(r.high or 0))
                         for r in composition}  # fmt: skip
        bad = breach is not None and index == count - 1
        if bad and breach is not None:
            value = _off_spec_value(breach)
            others = sum(v for c, v in fractions.items() if c != breach.component)
            if value is not None:
                fractions[breach.component] = min(value, 1.0 - others)
        lots.append(
            Lot(
                number=index + 1,
                shipped_at=at,
                mass_kg=max(mass, Decimal("100.0")),
                fractions=tuple(sorted((c, _fraction(v)) for c, v in fractions.items())),
                off_spec=bad,
            )
        )
    return tuple(lots)
