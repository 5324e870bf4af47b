"""Market listings: list a supply or demand, search, read, edit with a version, withdraw."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from zerowaste.api.pagination import PageOut, page_out, page_request
from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.domain.factors import WasteRoute
from zerowaste.domain.listing_documents import listing_document, parse_listing, ranges_document
from zerowaste.domain.listings import (
    Listing,
    ListingSide,
    ListingState,
    NewListing,
    QuantityBasis,
)

router = APIRouter(prefix="/market/listings", tags=["market listings"])
signed_in = Depends(allow(Rule.AUTHENTICATED))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RangeIn(_Strict):
    """A component's mass fraction range (0..1); a demand may leave one end open (null)."""

    low: Decimal | None = None
    high: Decimal | None = None


class SupplyIn(_Strict):
    """What a supply offers; tonnes per `basis`, prices CNY per tonne (negative: a fee paid)."""

    waste_code: str = Field(max_length=32, description="HW code, HW category or class SWnn")
    quantity_t: Decimal
    basis: QuantityBasis
    composition: dict[str, RangeIn] = Field(default_factory=dict)
    composition_source: str = "declared"
    lot_t: Decimal | None = None
    price_cny_per_t: Decimal = Decimal(0)
    packaging: str = Field(default="", max_length=100)
    allows_cross_province: bool = True
    batch_ids: list[uuid.UUID] = Field(default_factory=list, max_length=200)


class DemandIn(_Strict):
    """What a demand takes; tonnes per `basis`, prices CNY per tonne (negative: a gate fee)."""

    accepted_codes: list[str] = Field(max_length=100)
    capacity_t: Decimal
    basis: QuantityBasis
    route: WasteRoute
    limits: dict[str, RangeIn] = Field(default_factory=dict)
    blend: bool = False
    min_lot_t: Decimal = Decimal(0)
    max_distance_km: Decimal = Decimal(300)
    price_cny_per_t: Decimal = Decimal(0)
    permit_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    accepts_cross_province: bool = True


class ListingIn(_Strict):
    """A listing as its firm submits it: one of `supply` or `demand`, matching `side`."""

    side: ListingSide
    organization_id: uuid.UUID
    site_id: uuid.UUID
    title: str = Field(max_length=200)
    available_from: date
    available_to: date
    expires_on: date
    supply: SupplyIn | None = None
    demand: DemandIn | None = None
    note: str = Field(default="", max_length=2000)

    def to_domain(self) -> NewListing:
        """The domain listing (checks ranges, windows and quantities, naming the field)."""
        return parse_listing(self.model_dump(mode="json", exclude={"version"}))


class ListingEditIn(ListingIn):
    """New terms of a listing and the version they replace."""

    version: int = Field(ge=1, le=2**31 - 1)


class WithdrawIn(_Strict):
    """Withdraw a listing; with `version`, only if it is still that version."""

    version: int | None = Field(default=None, ge=1, le=2**31 - 1)


class CompositionIn(_Strict):
    """Batches of one organization whose lab results give a supply's composition."""

    organization_id: uuid.UUID
    batch_ids: list[uuid.UUID] = Field(min_length=1, max_length=200)


class RangeOut(BaseModel):
    """A component's range as decimal strings (null: open end)."""

    low: str | None
    high: str | None


class ListingOut(BaseModel):
    """A stored listing: its terms, state (read on today), version, place and times."""

    id: uuid.UUID
    version: int
    state: ListingState
    side: ListingSide
    organization_id: uuid.UUID
    site_id: uuid.UUID
    region_code: str
    latitude: float | None
    longitude: float | None
    title: str
    available_from: date
    available_to: date
    expires_on: date
    supply: dict[str, Any] | None
    demand: dict[str, Any] | None
    note: str
    created_at: datetime
    updated_at: datetime
    created_by: uuid.UUID | None


def listing_out(listing: Listing) -> ListingOut:
    """Serialize a domain listing (decimals as strings)."""
    return ListingOut.model_validate(
        {
            **listing_document(listing.terms),
            "id": listing.id,
            "version": listing.version,
            "state": listing.state,
            "region_code": listing.region_code,
            "latitude": listing.latitude,
            "longitude": listing.longitude,
            "created_at": listing.created_at,
            "updated_at": listing.updated_at,
            "created_by": listing.created_by,
        }
    )


@router.post("", status_code=201, response_model=ListingOut)
def create_listing(
    request: Request, body: ListingIn, actor: Annotated[Principal, signed_in]
) -> ListingOut:
    """List a supply or demand of an organization you act for (send an Idempotency-Key)."""
    return listing_out(context_of(request).listings.create(actor, body.to_domain()))


@router.get("", response_model=PageOut[ListingOut])
def list_listings(
    request: Request,
    actor: Annotated[Principal, signed_in],
    side: ListingSide | None = None,
    code: Annotated[
        str | None, Query(max_length=32, description="A code, category (HW08) or class")
    ] = None,
    region: Annotated[
        str | None, Query(max_length=6, description="Region code (and everything under it)")
    ] = None,
    organization_id: uuid.UUID | None = None,
    state: ListingState | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, object]:
    """A page of the listings you may see: every open one, your own, your jurisdiction's."""
    page = context_of(request).listings.find(
        actor,
        page_request(cursor, limit),
        side=side,
        code=code,
        region_code=region,
        organization_id=organization_id,
        state=state,
    )
    return page_out(page, listing_out)


@router.post("/composition", response_model=dict[str, RangeOut])
def composition_from_batches(
    request: Request, body: CompositionIn, actor: Annotated[Principal, signed_in]
) -> dict[str, object]:
    """Component ranges (min..max across the batches) from the ledger's lab results."""
    ranges = context_of(request).listings.composition_from_batches(
        actor, body.organization_id, body.batch_ids
    )
    return dict(ranges_document(ranges))


@router.get("/{listing_id}", response_model=ListingOut)
def get_listing(
    request: Request, listing_id: uuid.UUID, actor: Annotated[Principal, signed_in]
) -> ListingOut:
    """One listing you may see."""
    return listing_out(context_of(request).listings.get(actor, listing_id))


@router.put("/{listing_id}", response_model=ListingOut)
def edit_listing(
    request: Request,
    listing_id: uuid.UUID,
    body: ListingEditIn,
    actor: Annotated[Principal, signed_in],
) -> ListingOut:
    """Replace an open listing's terms; `version` must be the newest (else 409)."""
    listing = context_of(request).listings.edit(actor, listing_id, body.version, body.to_domain())
    return listing_out(listing)


@router.post("/{listing_id}/withdraw", response_model=ListingOut)
def withdraw_listing(
    request: Request,
    listing_id: uuid.UUID,
    body: WithdrawIn,
    actor: Annotated[Principal, signed_in],
) -> ListingOut:
    """Withdraw an open listing of your organization."""
    return listing_out(context_of(request).listings.withdraw(actor, listing_id, body.version))
