"""A small market for the matching tests: an oil seller, a permitted and an unpermitted buyer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from tests.factories import OPERATOR, Factory
from zerowaste.bootstrap import Context
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.factors import WasteRoute
from zerowaste.domain.listings import (
    DemandTerms,
    Listing,
    ListingSide,
    ListingState,
    NewListing,
    QuantityBasis,
    SupplyTerms,
)
from zerowaste.domain.organizations import Organization, OrganizationRole
from zerowaste.domain.sites import NewSite, Site, SiteKind

START, END = date(2026, 10, 1), date(2027, 3, 31)


def place(
    factory: Factory, organization: Organization, lat: float, lon: float, kind: SiteKind
) -> Site:
    """A site of the organization at these coordinates."""
    new = NewSite("厂区", kind, organization.region_code, lat, lon, "")
    return factory.context.sites.add_site(OPERATOR, organization.id, new)


def supply_listing(
    organization: Organization,
    site: Site,
    code: str,
    quantity_t: str,
    basis: QuantityBasis = QuantityBasis.MONTH,
    price: str = "-300",
) -> NewListing:
    """A supply listing open from October to March."""
    terms = SupplyTerms(code, Decimal(quantity_t), basis, price_cny_per_t=Decimal(price))
    return NewListing(
        ListingSide.SUPPLY,
        organization.id,
        site.id,
        f"{code} on offer",
        START,
        END,
        END,
        supply=terms,
    )


def demand_listing(
    organization: Organization,
    site: Site,
    codes: tuple[str, ...],
    capacity_t: str,
    price: str,
    permit_ids: tuple[uuid.UUID, ...] = (),
) -> NewListing:
    """A recycler's demand listing open from October to March."""
    terms = DemandTerms(
        codes,
        Decimal(capacity_t),
        QuantityBasis.MONTH,
        WasteRoute.RECYCLING,
        price_cny_per_t=Decimal(price),
        permit_ids=permit_ids,
        max_distance_km=Decimal(200),
    )
    return NewListing(
        ListingSide.DEMAND,
        organization.id,
        site.id,
        f"{codes[0]} wanted",
        START,
        END,
        END,
        demand=terms,
    )


def store_unchecked(context: Context, new: NewListing, site: Site) -> Listing:
    """Store a listing through the repository, skipping the service's permit check."""
    now = context.clock()
    listing = Listing(
        uuid.uuid4(),
        1,
        ListingState.OPEN,
        new,
        now,
        now,
        None,
        region_code=site.region_code,
        latitude=site.latitude,
        longitude=site.longitude,
    )
    with context.unit_of_work() as uow:
        uow.listings.add(listing)
        uow.commit()
    return listing


@dataclass
class Market:
    """The listings of the small market and the regulator over Suzhou."""

    oil: Listing
    slag: Listing
    permitted: Listing
    unpermitted: Listing
    regulator: Principal
    outsider: Principal


def small_market(factory: Factory) -> Market:
    """Oil (HW08) and slag (SW01) sellers in Suzhou, two HW08 recyclers near Kunshan.

    The unpermitted recycler bids more but holds no permit: the oil must never go to it.
    """
    context = factory.context
    seller = factory.organization("320505")
    buyer = factory.organization("320583", (OrganizationRole.UTILIZER,))
    rogue = factory.organization("320583", (OrganizationRole.UTILIZER,))
    works = place(factory, seller, 31.30, 120.60, SiteKind.PLANT)
    plant = place(factory, buyer, 31.38, 120.95, SiteKind.RECYCLER)
    yard = place(factory, rogue, 31.36, 120.90, SiteKind.RECYCLER)
    permit = factory.permit(buyer, ("HW08",))
    oil = context.listings.create(OPERATOR, supply_listing(seller, works, "900-214-08", "30"))
    slag = context.listings.create(
        OPERATOR, supply_listing(seller, works, "SW01", "100", QuantityBasis.LOT, "0")
    )
    permitted = context.listings.create(
        OPERATOR, demand_listing(buyer, plant, ("HW08",), "20", "100", (permit.id,))
    )
    unpermitted = store_unchecked(
        context, demand_listing(rogue, yard, ("HW08",), "50", "800"), yard
    )
    return Market(
        oil=oil,
        slag=slag,
        permitted=permitted,
        unpermitted=replace(unpermitted),
        regulator=factory.user(UserRole.REGULATOR, jurisdiction_code="320500"),
        outsider=factory.user(UserRole.REGULATOR, jurisdiction_code="330400"),
    )
