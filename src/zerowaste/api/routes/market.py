"""Market matching: region-wide allocation runs (run, list, read) and a listing's top-k partners."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from zerowaste.api.pagination import PageOut, page_out, page_request
from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.domain.market_allocations import AllocationLineRecord, AllocationRecord
from zerowaste.services.market import ListingRecommendations
from zerowaste.services.market_runs import MAX_CARBON_PRICE, MAX_K

router = APIRouter(prefix="/market", tags=["market"])
regulator = Depends(allow(Rule.REGULATOR))
signed_in = Depends(allow(Rule.AUTHENTICATED))


class AllocationIn(BaseModel):
    """What to allocate: a region, a period, and optionally a carbon price."""

    region_code: str = Field(
        min_length=2, max_length=6, description="GB/T 2260 code or prefix: 32, 3205, 320505"
    )
    period: str = Field(
        min_length=4,
        max_length=40,
        description="YYYY, YYYY-MM, YYYY-Qn or YYYY-MM-DD/YYYY-MM-DD (at most 366 days)",
    )
    carbon_price_cny_per_t: float | None = Field(
        default=None,
        ge=0,
        le=MAX_CARBON_PRICE,
        allow_inf_nan=False,
        description="CNY per t CO2e; default from the market economics file",
    )


class AlternativeOut(BaseModel):
    """The next best use of a line's tonnes and why it lost."""

    demand_listing_id: str | None
    value_cny_per_t: float
    reason: str


class AllocationLineOut(BaseModel):
    """One line: tonnes of a supply to a demand (null: its disposal route), explained."""

    line_no: int
    supply_listing_id: uuid.UUID
    demand_listing_id: uuid.UUID | None
    disposed: bool
    quantity_t: float
    value: dict[str, float] = Field(description="Per-tonne breakdown: price, avoided disposal…")
    value_cny: float
    avoided_co2e_kg: float
    distance_km: float
    binding: list[str]
    alternative: AlternativeOut | None


class AllocationOut(BaseModel):
    """A stored run's summary figures."""

    id: uuid.UUID
    region_code: str
    period: str
    period_start: date
    period_end: date
    carbon_price_cny_per_t: float
    objective_cny: float
    matched_t: float
    disposed_t: float
    avoided_co2e_kg: float
    solver: str
    candidates: int
    filtered_counts: dict[str, int]
    timings_s: dict[str, float]
    params: dict[str, Any]
    created_at: datetime
    created_by: uuid.UUID | None


class AllocationDetailOut(AllocationOut):
    """A stored run with its explained lines and examples of filtered pairs."""

    lines: list[AllocationLineOut]
    filtered: list[dict[str, str]]


class ValueOut(BaseModel):
    """Per-tonne value of an arc, term by term (CNY/t, kg CO2e/t)."""

    price_cny_per_t: float
    avoided_disposal_cny_per_t: float
    transport_cny_per_t: float
    approval_cny_per_t: float
    avoided_co2e_kg_per_t: float
    carbon_value_cny_per_t: float
    value_cny_per_t: float


class RecommendationOut(BaseModel):
    """One ranked partner, the arc's value and what limits it."""

    rank: int
    partner_listing_id: str
    partner_title: str | None
    partner_organization_id: str | None
    quantity_t: float
    distance_km: float
    cross_province: bool
    window_start: date
    window_end: date
    permit_id: str | None
    value: ValueOut
    note: str
    propose_url: str


class RecommendationsOut(BaseModel):
    """A listing's top-k partners over a period and what the filters removed."""

    listing_id: uuid.UUID
    side: str
    period: str
    carbon_price_cny_per_t: float
    items: list[RecommendationOut]
    filtered_counts: dict[str, int]
    filtered: list[dict[str, str]]


def line_out(line: AllocationLineRecord) -> AllocationLineOut:
    """The API form of a stored line."""
    return AllocationLineOut(
        line_no=line.line_no,
        supply_listing_id=line.supply_listing_id,
        demand_listing_id=line.demand_listing_id,
        disposed=line.disposed,
        quantity_t=line.quantity_t,
        value=line.value,
        value_cny=line.value_cny,
        avoided_co2e_kg=line.avoided_co2e_kg,
        distance_km=line.distance_km,
        binding=list(line.binding),
        alternative=AlternativeOut(**line.alternative) if line.alternative else None,
    )


def allocation_out(run: AllocationRecord) -> AllocationOut:
    """The API form of a run's summary."""
    return AllocationOut(
        id=run.id,
        region_code=run.region_code,
        period=run.period_label,
        period_start=run.period_start,
        period_end=run.period_end,
        carbon_price_cny_per_t=run.carbon_price,
        objective_cny=run.objective_cny,
        matched_t=run.matched_t,
        disposed_t=run.disposed_t,
        avoided_co2e_kg=run.avoided_co2e_kg,
        solver=run.solver,
        candidates=run.candidates,
        filtered_counts=run.filtered_counts,
        timings_s=run.timings,
        params=run.params,
        created_at=run.created_at,
        created_by=run.created_by,
    )


def allocation_detail(run: AllocationRecord) -> AllocationDetailOut:
    """The API form of a run with its lines."""
    return AllocationDetailOut(
        **allocation_out(run).model_dump(),
        lines=[line_out(line) for line in run.lines],
        filtered=run.filtered,
    )


def propose_url(found: ListingRecommendations, partner_id: str) -> str:
    """Where to propose a deal with a partner (the contracts pages)."""
    listing_id = str(found.listing.id)
    supply, demand = (
        (listing_id, partner_id) if found.listing.terms.supply else (partner_id, listing_id)
    )
    return f"/market/proposals/new?supply={supply}&demand={demand}"


def recommendations_out(found: ListingRecommendations) -> RecommendationsOut:
    """The API form of a listing's recommendations."""
    items = []
    for item in found.items:
        partner = found.partners.get(item.partner_id)
        arc = item.candidate
        items.append(
            RecommendationOut(
                rank=item.rank,
                partner_listing_id=item.partner_id,
                partner_title=partner.terms.title if partner else None,
                partner_organization_id=str(partner.terms.organization_id) if partner else None,
                quantity_t=item.quantity_t,
                distance_km=arc.distance_km,
                cross_province=arc.cross_province,
                window_start=arc.window.start,
                window_end=arc.window.end,
                permit_id=arc.permit_id,
                value=ValueOut(
                    price_cny_per_t=arc.value.price_cny_per_t,
                    avoided_disposal_cny_per_t=arc.value.avoided_disposal_cny_per_t,
                    transport_cny_per_t=arc.value.transport_cny_per_t,
                    approval_cny_per_t=arc.value.approval_cny_per_t,
                    avoided_co2e_kg_per_t=arc.value.avoided_co2e_kg_per_t,
                    carbon_value_cny_per_t=arc.value.carbon_value_cny_per_t,
                    value_cny_per_t=arc.value.value_cny_per_t,
                ),
                note=item.note,
                propose_url=propose_url(found, item.partner_id),
            )
        )
    return RecommendationsOut(
        listing_id=found.listing.id,
        side=str(found.listing.terms.side),
        period=found.period.label,
        carbon_price_cny_per_t=found.carbon_price,
        items=items,
        filtered_counts=found.filtered_counts,
        filtered=found.filtered,
    )


@router.post("/allocations", status_code=201, response_model=AllocationDetailOut)
def run_allocation(
    request: Request, body: AllocationIn, actor: Annotated[Principal, regulator]
) -> AllocationDetailOut:
    """Allocate every open listing of a region over a period; the run is stored and returned.

    Regulators over the region and administrators only. Send an `Idempotency-Key` so a retry
    does not store a second run. Bad values are refused naming the field (`region_code`,
    `period`, `carbon_price_cny_per_t`), and nothing is stored.
    """
    run = context_of(request).market.allocate(
        actor, body.region_code, body.period, body.carbon_price_cny_per_t
    )
    return allocation_detail(run)


@router.get("/allocations", response_model=PageOut[AllocationOut])
def list_allocations(
    request: Request,
    actor: Annotated[Principal, regulator],
    region: Annotated[str | None, Query(max_length=6)] = None,
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, object]:
    """Stored runs newest first: a regulator's region's, an admin's all (or one region's)."""
    page = context_of(request).market.allocations(actor, page_request(cursor, limit), region)
    return page_out(page, allocation_out)


@router.get("/allocations/{allocation_id}", response_model=AllocationDetailOut)
def get_allocation(
    request: Request, allocation_id: uuid.UUID, actor: Annotated[Principal, regulator]
) -> AllocationDetailOut:
    """One run: summary, lines with their explanations, filtered counts and examples."""
    return allocation_detail(context_of(request).market.allocation(actor, allocation_id))


@router.get("/listings/{listing_id}/recommendations", response_model=RecommendationsOut)
def listing_recommendations(
    request: Request,
    listing_id: uuid.UUID,
    actor: Annotated[Principal, signed_in],
    k: Annotated[int, Query(ge=1, le=MAX_K)] = 5,
    period: Annotated[str | None, Query(max_length=40)] = None,
    carbon_price_cny_per_t: Annotated[
        float | None, Query(ge=0, le=MAX_CARBON_PRICE, allow_inf_nan=False)
    ] = None,
) -> RecommendationsOut:
    """The listing's best `k` partners among open listings of the other side, explained.

    For the listing's own firm, regulators over its region and administrators.
    """
    found = context_of(request).market.recommend(
        actor, listing_id, k, period, carbon_price_cny_per_t
    )
    return recommendations_out(found)
