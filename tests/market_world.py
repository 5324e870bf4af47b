"""Listings, sites and permits for the market matching tests, built without a database."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from zerowaste.domain.factors import WasteRoute
from zerowaste.domain.listings import (
    ComponentRange,
    DemandTerms,
    Listing,
    ListingSide,
    ListingState,
    NewListing,
    QuantityBasis,
    SupplyTerms,
)
from zerowaste.domain.permits import Permit, PermitActivity, PermitKind
from zerowaste.domain.sites import Site, SiteKind

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
STORED_AT = datetime(2026, 10, 1, tzinfo=UTC)


def site(
    organization_id: uuid.UUID, region_code: str = "320505", lat: float = 31.3, lon: float = 120.6
) -> Site:
    """A site of the organization at the given place."""
    return Site(uuid.uuid4(), organization_id, "Works", SiteKind.PLANT, region_code, lat, lon, "")


def permit(
    organization_id: uuid.UUID,
    codes: tuple[str, ...] = ("HW08",),
    activities: frozenset[PermitActivity] = frozenset({PermitActivity.UTILIZE}),
    valid: tuple[date, date] = (date(2026, 1, 1), date(2027, 12, 31)),
) -> Permit:
    """A hazardous waste business licence covering `codes`."""
    return Permit(
        uuid.uuid4(),
        organization_id,
        None,
        PermitKind.HAZARDOUS_WASTE_BUSINESS,
        "JS-001",
        activities,
        codes,
        Decimal(50_000),
        valid[0],
        valid[1],
        "Jiangsu EEB",
    )


def supply(
    organization_id: uuid.UUID,
    at: Site,
    waste_code: str = "900-214-08",
    quantity_t: str = "30.4375",
    basis: QuantityBasis = QuantityBasis.MONTH,
    price: str = "-500",
    window: tuple[date, date] = NOVEMBER,
    composition: tuple[ComponentRange, ...] = (),
    lot_t: str | None = None,
) -> Listing:
    """An open supply listing."""
    terms = SupplyTerms(
        waste_code=waste_code,
        quantity_t=Decimal(quantity_t),
        basis=basis,
        composition=composition,
        price_cny_per_t=Decimal(price),
        lot_t=Decimal(lot_t) if lot_t else None,
    )
    new = NewListing(
        ListingSide.SUPPLY,
        organization_id,
        at.id,
        f"Offer {waste_code}",
        window[0],
        window[1],
        window[1],
        supply=terms,
    )
    return Listing(uuid.uuid4(), 1, ListingState.OPEN, new, STORED_AT, STORED_AT)


def demand(
    organization_id: uuid.UUID,
    at: Site,
    accepted: tuple[str, ...] = ("HW08",),
    capacity_t: str = "365.25",
    basis: QuantityBasis = QuantityBasis.YEAR,
    price: str = "200",
    route: WasteRoute = WasteRoute.RECYCLING,
    permit_ids: tuple[uuid.UUID, ...] = (),
    window: tuple[date, date] = NOVEMBER,
    limits: tuple[ComponentRange, ...] = (),
    max_distance_km: str = "300",
) -> Listing:
    """An open demand listing."""
    terms = DemandTerms(
        accepted_codes=accepted,
        capacity_t=Decimal(capacity_t),
        basis=basis,
        route=route,
        limits=limits,
        price_cny_per_t=Decimal(price),
        permit_ids=permit_ids,
        max_distance_km=Decimal(max_distance_km),
    )
    new = NewListing(
        ListingSide.DEMAND,
        organization_id,
        at.id,
        "Wanted",
        window[0],
        window[1],
        window[1],
        demand=terms,
    )
    return Listing(uuid.uuid4(), 1, ListingState.OPEN, new, STORED_AT, STORED_AT)
