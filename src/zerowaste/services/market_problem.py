"""Build the matching engine's `MatchingProblem` from stored listings, registry and factors.

Pure but for the catalog lookups: listings, sites and permits are passed in, nothing is read
from the database here. Quantities per month, quarter or year are prorated onto the days a
listing is available within the period; windows are clipped to the period.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from zerowaste.carbon.materials import MATERIALS, WasteMaterials
from zerowaste.domain.catalog import (
    HazardCharacteristic,
    category_of,
    is_hazardous_waste_category,
    is_hazardous_waste_code,
    normalize_code_or_category,
)
from zerowaste.domain.factors import FactorBook, FactorCategory, FactorSet, WasteRoute
from zerowaste.domain.listings import ComponentRange, Listing, ListingSide, prorated_t
from zerowaste.domain.market_economics import DisposalCost, HazardClass, MarketEconomics
from zerowaste.domain.permits import Permit
from zerowaste.domain.sites import Site
from zerowaste.errors import NotFound
from zerowaste.optimize.matching.model import (
    DemandBid,
    Economics,
    MatchingProblem,
    PermitCover,
    Range,
    SupplyOffer,
    Window,
)
from zerowaste.services.catalog import CatalogService

#: Road freight mode whose factor prices the carriage's emissions.
ROAD_TRUCK = "road_truck"
#: Material of a waste the material table cannot place (it has defaults, so rarely used).
FALLBACK_MATERIAL = "mixed_industrial_solid"
#: Hazard characteristics in the order that decides a waste's freight class (first wins).
_CLASS_ORDER = (
    (HazardCharacteristic.INFECTIVITY, HazardClass.INFECTIOUS),
    (HazardCharacteristic.REACTIVITY, HazardClass.REACTIVE),
    (HazardCharacteristic.IGNITABILITY, HazardClass.FLAMMABLE),
    (HazardCharacteristic.CORROSIVITY, HazardClass.CORROSIVE),
    (HazardCharacteristic.TOXICITY, HazardClass.TOXIC),
)


@dataclass(frozen=True, slots=True)
class CarbonBasis:
    """What the carbon side of the objective is read from.

    Attributes:
        book: The active factor book.
        materials: The waste material table (code → material).
        region_code: Region whose factors apply (falls back to province, China, global).
    """

    book: FactorBook
    materials: WasteMaterials
    region_code: str


@dataclass(frozen=True, slots=True)
class WasteKind:
    """How the catalog places a waste code: category, hazardous, freight class."""

    code: str
    category: str
    hazardous: bool
    hazard_class: str


def category_and_hazard(code: str) -> tuple[str, str, bool]:
    """A code's normalized form, its category (or class) and whether it is hazardous."""
    normalized = normalize_code_or_category(code)
    if is_hazardous_waste_code(normalized):
        return normalized, category_of(normalized), True
    return normalized, normalized, is_hazardous_waste_category(normalized)


def default_disposal(code: str, economics: MarketEconomics) -> DisposalCost:
    """The default disposal route and cost of a waste code, class or by-product."""
    _, category, hazardous = category_and_hazard(code)
    return economics.disposal_of(category, hazardous)


def waste_kind(code: str, catalog: CatalogService, on: date) -> WasteKind:
    """Place a code, category, class or by-product: HW codes and categories are hazardous."""
    normalized, category, hazardous = category_and_hazard(code)
    if not hazardous:
        return WasteKind(normalized, category, False, HazardClass.GENERAL.value)
    characteristics: frozenset[HazardCharacteristic] = frozenset()
    if is_hazardous_waste_code(normalized):
        with contextlib.suppress(NotFound):
            characteristics = catalog.get(normalized, on).characteristics
    hazard = next(
        (cls for mark, cls in _CLASS_ORDER if mark in characteristics), HazardClass.HAZARDOUS
    )
    return WasteKind(normalized, category, True, hazard.value)


def _clip(listing: Listing, period: Window) -> Window | None:
    terms = listing.terms
    return Window(terms.available_from, terms.available_to).overlap(period)


def _days(window: Window) -> int:
    return (window.end - window.start).days + 1


def _ranges(ranges: Iterable[ComponentRange]) -> dict[str, Range]:
    return {
        r.component: Range(
            None if r.low is None else float(r.low), None if r.high is None else float(r.high)
        )
        for r in ranges
    }


def supply_offer(
    listing: Listing,
    site: Site,
    window: Window,
    catalog: CatalogService,
    economics: MarketEconomics,
    materials: WasteMaterials,
) -> SupplyOffer:
    """The engine's view of a supply listing over `window` (already clipped to the period)."""
    terms = listing.terms
    supply = terms.supply
    assert supply is not None
    kind = waste_kind(supply.waste_code, catalog, window.start)
    quantity = float(prorated_t(supply.quantity_t, supply.basis, _days(window)))
    disposal = economics.disposal_of(kind.category, kind.hazardous)
    return SupplyOffer(
        id=str(listing.id),
        organization_id=str(terms.organization_id),
        waste_code=kind.code,
        category=kind.category,
        hazardous=kind.hazardous,
        hazard_class=kind.hazard_class,
        quantity_t=quantity,
        lot_t=min(float(supply.smallest_lot_t), quantity),
        composition=_ranges(supply.composition),
        lat=site.latitude,
        lon=site.longitude,
        region_code=site.region_code,
        window=window,
        price_cny_per_t=float(supply.price_cny_per_t),
        disposal_cost_cny_per_t=disposal.cost_cny_per_t,
        disposal_route=disposal.route.value,
        material=materials.material_of(kind.code) or FALLBACK_MATERIAL,
        allows_cross_province=supply.allows_cross_province,
    )


def permit_cover(permit: Permit) -> PermitCover:
    """A permit as the engine sees it: codes, activities and validity."""
    return PermitCover(
        permit_id=str(permit.id),
        codes=frozenset(normalize_code_or_category(code) for code in permit.waste_codes),
        activities=frozenset(activity.value for activity in permit.activities),
        valid=Window(permit.valid_from, permit.valid_to),
    )


def demand_bid(
    listing: Listing, site: Site, window: Window, permits: Mapping[uuid.UUID, Permit]
) -> DemandBid:
    """The engine's view of a demand listing over `window`, with the buyer's own permits.

    A permit the listing names but its firm does not hold is left out (it covers nothing).
    """
    terms = listing.terms
    demand = terms.demand
    assert demand is not None
    covers = tuple(
        permit_cover(permits[pid])
        for pid in demand.permit_ids
        if pid in permits and permits[pid].organization_id == terms.organization_id
    )
    return DemandBid(
        id=str(listing.id),
        organization_id=str(terms.organization_id),
        accepted=frozenset(normalize_code_or_category(c) for c in demand.accepted_codes),
        limits=_ranges(demand.limits),
        blend=demand.blend,
        capacity_t=float(prorated_t(demand.capacity_t, demand.basis, _days(window))),
        min_lot_t=float(demand.min_lot_t),
        lat=site.latitude,
        lon=site.longitude,
        region_code=site.region_code,
        max_distance_km=float(demand.max_distance_km),
        window=window,
        price_cny_per_t=float(demand.price_cny_per_t),
        activity=demand.activity.value,
        route=demand.route.value,
        permits=covers,
        accepts_cross_province=demand.accepts_cross_province,
    )


def net_co2e_by_route(carbon: CarbonBasis, year: int) -> dict[tuple[str, str], float]:
    """(material, route) → avoided-set waste-route factor (kg CO2e/t), where the book has one."""
    table: dict[tuple[str, str], float] = {}
    for material in sorted(MATERIALS):
        for route in WasteRoute:
            factor = carbon.book.find(
                FactorSet.AVOIDED,
                FactorCategory.WASTE_ROUTE,
                material,
                route=route.value,
                region_code=carbon.region_code,
                year=year,
            )
            if factor is not None:
                table[(material, route.value)] = float(factor.value)
    return table


def transport_co2e(carbon: CarbonBasis, year: int) -> float:
    """Road freight kg CO2e per t.km: the avoided set's if it has one, else the inventory's."""
    for factor_set in (FactorSet.AVOIDED, FactorSet.INVENTORY):
        factor = carbon.book.find(
            factor_set,
            FactorCategory.TRANSPORT,
            ROAD_TRUCK,
            region_code=carbon.region_code,
            year=year,
        )
        if factor is not None:
            return float(factor.value)
    return 0.0


def economics_for(
    economics: MarketEconomics, carbon: CarbonBasis, year: int, carbon_price: float | None
) -> Economics:
    """The objective's prices and factors; `carbon_price` None takes the file's default."""
    return Economics(
        carbon_price_cny_per_t=(
            economics.carbon_price_cny_per_t if carbon_price is None else carbon_price
        ),
        transport_cny_per_tkm=dict(economics.freight_cny_per_tkm),
        transport_co2e_kg_per_tkm=transport_co2e(carbon, year),
        net_co2e_kg_per_t=net_co2e_by_route(carbon, year),
        road_factor=economics.road_factor,
        cross_province_cny_per_t=economics.cross_province_cny_per_t,
    )


def problem_for(
    listings: Iterable[Listing],
    sites: Mapping[uuid.UUID, Site],
    permits: Mapping[uuid.UUID, Permit],
    catalog: CatalogService,
    economics: MarketEconomics,
    carbon: CarbonBasis,
    period: Window,
    *,
    carbon_price: float | None = None,
) -> MatchingProblem:
    """The matching problem of the listings open in `period`, in listing-id order.

    Listings that are not open on some day of the period, whose window misses the period, or
    whose site is unknown are left out.
    """
    supplies: list[SupplyOffer] = []
    demands: list[DemandBid] = []
    for listing in sorted(listings, key=lambda item: str(item.id)):
        window = _clip(listing, period)
        site = sites.get(listing.terms.site_id)
        if window is None or site is None or not listing.is_open_on(window.start):
            continue
        if listing.terms.side is ListingSide.SUPPLY:
            supplies.append(
                supply_offer(listing, site, window, catalog, economics, carbon.materials)
            )
        else:
            demands.append(demand_bid(listing, site, window, permits))
    return MatchingProblem(
        supplies=tuple(supplies),
        demands=tuple(demands),
        economics=economics_for(economics, carbon, period.start.year, carbon_price),
        period=period,
    )
