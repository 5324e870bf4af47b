"""Product carbon footprints: firms' processes and shares, product systems, published PCFs."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from zerowaste.adapters.db.product_systems_repository import exchange_json
from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.domain.factors import Distribution, DistributionKind
from zerowaste.domain.footprints import Allocation, FootprintStatus, ProductFootprint
from zerowaste.domain.product_systems import (
    CoProduct,
    Exchange,
    ExchangeKind,
    Process,
    ProcessShare,
    ProductSystem,
)
from zerowaste.services.footprints import LedgerLink, ProductTree, by_supplier

router = APIRouter(prefix="/carbon", tags=["carbon"])
signed_in = Depends(allow(Rule.AUTHENTICATED))
public = Depends(allow(Rule.PUBLIC))


class DistributionIn(BaseModel):
    """An entered amount's uncertainty (see the factor library's distributions)."""

    kind: DistributionKind = DistributionKind.FIXED
    spread: float | None = None
    low: float | None = None
    high: float | None = None


class ExchangeIn(BaseModel):
    """One exchange per reference amount of the process."""

    kind: ExchangeKind
    amount: Decimal
    subject: str = Field(default="", max_length=200)
    source_process_id: uuid.UUID | None = None
    route: str = Field(default="", max_length=40)
    waste_code: str = Field(default="", max_length=40)
    distribution: DistributionIn = DistributionIn()
    comment: str = Field(default="", max_length=500)


class CoProductIn(BaseModel):
    """A co-product: amount, mass of that amount, price per unit."""

    name: str = Field(max_length=200)
    amount: Decimal
    unit: str = Field(max_length=40)
    mass_kg: Decimal
    price_cny: Decimal


class LedgerLinkIn(BaseModel):
    """An exchange to read from the ledger: a waste code's output, or secondary material."""

    subject: str = Field(max_length=200)
    waste_code: str = Field(default="", max_length=40)
    route: str = Field(default="", max_length=40)


class ProcessIn(BaseModel):
    """A firm's unit process over its reference period."""

    organization_id: uuid.UUID
    site_id: uuid.UUID | None = None
    name: str = Field(max_length=200)
    reference_product: str = Field(max_length=200)
    reference_amount: Decimal
    unit: str = Field(max_length=40)
    reference_mass_kg: Decimal
    reference_price_cny: Decimal = Decimal(0)
    region_code: str = Field(default="", max_length=6)
    period_start: datetime
    period_end: datetime
    exchanges: list[ExchangeIn] = Field(default_factory=list, max_length=500)
    co_products: list[CoProductIn] = Field(default_factory=list, max_length=20)
    ledger_links: list[LedgerLinkIn] = Field(default_factory=list, max_length=50)
    period_production: Decimal | None = None


class ShareIn(BaseModel):
    """The firm to share a process with."""

    organization_id: uuid.UUID


class ShareOut(BaseModel):
    """A firm a process is shared with."""

    process_id: uuid.UUID
    organization_id: uuid.UUID
    shared_at: datetime


class ProductSystemIn(BaseModel):
    """A firm's product: top process and declared unit."""

    organization_id: uuid.UUID
    product_id: str = Field(max_length=200)
    name: str = Field(max_length=200)
    top_process_id: uuid.UUID
    declared_unit: str = Field(max_length=200)
    unit_amount: Decimal = Decimal(1)
    reference_flow: Decimal = Decimal(1)
    product_mass_per_unit_kg: Decimal = Decimal(0)
    allocation: Allocation = Allocation.MASS
    classification: str = Field(default="", max_length=200)
    comment: str = Field(default="", max_length=2000)


class ComputeIn(BaseModel):
    """Monte Carlo settings of a footprint computation."""

    iterations: int = 1000
    seed: int = 0
    comment: str = Field(default="", max_length=2000)


def process_out(process: Process) -> dict[str, Any]:
    """The API (and CLI) form of a process."""
    return {
        "id": str(process.id),
        "organization_id": str(process.organization_id),
        "site_id": str(process.site_id) if process.site_id else None,
        "name": process.name,
        "reference_product": process.reference_product,
        "reference_amount": str(process.reference_amount),
        "unit": process.unit,
        "reference_mass_kg": str(process.reference_mass_kg),
        "reference_price_cny": str(process.reference_price_cny),
        "region_code": process.region_code,
        "period_start": process.period_start.isoformat(),
        "period_end": process.period_end.isoformat(),
        "exchanges": [exchange_json(x) for x in process.exchanges],
        "co_products": [
            {
                "name": c.name,
                "amount": str(c.amount),
                "unit": c.unit,
                "mass_kg": str(c.mass_kg),
                "price_cny": str(c.price_cny),
            }
            for c in process.co_products
        ],
    }


def system_out(system: ProductSystem) -> dict[str, Any]:
    """The API form of a product system."""
    return {
        "id": str(system.id),
        "organization_id": str(system.organization_id),
        "product_id": system.product_id,
        "name": system.name,
        "top_process_id": str(system.top_process_id),
        "declared_unit": system.declared_unit,
        "unit_amount": str(system.unit_amount),
        "reference_flow": str(system.reference_flow),
        "product_mass_per_unit_kg": str(system.product_mass_per_unit_kg),
        "allocation": system.allocation.value,
        "classification": system.classification,
        "comment": system.comment,
    }


def footprint_out(f: ProductFootprint) -> dict[str, Any]:
    """The API (and CLI) form of a footprint, with contributions per process and supplier."""
    return {
        "id": str(f.id),
        "product_id": f.product_id,
        "product_name": f.product_name,
        "organization_id": str(f.organization_id),
        "company_name": f.company_name,
        "version": f.version,
        "status": f.status.value,
        "declared_unit": f.declared_unit,
        "unit_amount": str(f.unit_amount),
        "product_mass_per_unit_kg": str(f.product_mass_per_unit_kg),
        "reference_period_start": f.reference_period_start.isoformat(),
        "reference_period_end": f.reference_period_end.isoformat(),
        "geography_region_code": f.geography_region_code,
        "boundary": f.boundary,
        "pcf_excluding_biogenic_uptake_kg": str(f.pcf_excluding_biogenic_uptake_kg),
        "fossil_ghg_kg": str(f.fossil_ghg_kg),
        "biogenic_ghg_kg": str(f.biogenic_ghg_kg),
        "land_use_change_kg": str(f.land_use_change_kg),
        "interval_95_kg": [str(f.interval_95_kg[0]), str(f.interval_95_kg[1])],
        "allocation": f.allocation.value,
        "recycled_content_share": str(f.recycled_content_share),
        "primary_data_share": str(f.primary_data_share),
        "characterization": f.characterization,
        "standards": list(f.standards),
        "factor_sources": list(f.factor_sources),
        "contributions": [
            {
                "label": c.label,
                "organization_id": str(c.organization_id) if c.organization_id else None,
                "co2e_kg": str(c.co2e_kg),
            }
            for c in f.contributions
        ],
        "by_supplier": [
            {"organization_id": str(k) if k else None, "co2e_kg": str(v)}
            for k, v in by_supplier(f).items()
        ],
        "product_system_id": str(f.product_system_id) if f.product_system_id else None,
        "created": f.created.isoformat(),
        "comment": f.comment,
    }


def _share_out(share: ProcessShare) -> ShareOut:
    return ShareOut(
        process_id=share.process_id,
        organization_id=share.organization_id,
        shared_at=share.shared_at,
    )


def draft_process(body: ProcessIn) -> Process:
    """The domain process of a request (validated by the domain)."""
    return Process(
        id=uuid.uuid4(),
        organization_id=body.organization_id,
        site_id=body.site_id,
        name=body.name,
        reference_product=body.reference_product,
        reference_amount=body.reference_amount,
        unit=body.unit,
        reference_mass_kg=body.reference_mass_kg,
        reference_price_cny=body.reference_price_cny,
        region_code=body.region_code,
        period_start=body.period_start,
        period_end=body.period_end,
        exchanges=tuple(
            Exchange(
                kind=x.kind,
                amount=x.amount,
                subject=x.subject,
                source_process_id=x.source_process_id,
                route=x.route,
                waste_code=x.waste_code,
                comment=x.comment,
                distribution=Distribution(
                    x.distribution.kind,
                    x.distribution.spread,
                    x.distribution.low,
                    x.distribution.high,
                ),
            )
            for x in body.exchanges
        ),
        co_products=tuple(
            CoProduct(c.name, c.amount, c.unit, c.mass_kg, c.price_cny) for c in body.co_products
        ),
    )


@router.post("/processes", status_code=201)
def add_process(
    request: Request, body: ProcessIn, actor: Annotated[Principal, signed_in]
) -> dict[str, Any]:
    """Enter a process for the caller's firm (inputs from its own or shared processes)."""
    links = [LedgerLink(x.subject, x.waste_code, x.route) for x in body.ledger_links]
    process = context_of(request).footprints.add_process(
        actor, draft_process(body), ledger_links=links, period_production=body.period_production
    )
    return process_out(process)


@router.get("/processes")
def list_processes(
    request: Request,
    actor: Annotated[Principal, signed_in],
    organization_id: uuid.UUID | None = None,
) -> list[dict[str, Any]]:
    """A firm's processes (the caller's own firm unless one is named)."""
    found = context_of(request).footprints.processes(actor, organization_id)
    return [process_out(p) for p in found]


@router.get("/processes/{process_id}")
def get_process(
    request: Request, process_id: uuid.UUID, actor: Annotated[Principal, signed_in]
) -> dict[str, Any]:
    """One process: its owner's, or shared with the caller's firm."""
    return process_out(context_of(request).footprints.process(actor, process_id))


@router.delete("/processes/{process_id}", status_code=204)
def remove_process(
    request: Request, process_id: uuid.UUID, actor: Annotated[Principal, signed_in]
) -> None:
    """Delete a process of the caller's firm that nothing draws on (409 otherwise)."""
    context_of(request).footprints.remove_process(actor, process_id)


@router.get("/processes/{process_id}/shares", response_model=list[ShareOut])
def list_shares(
    request: Request, process_id: uuid.UUID, actor: Annotated[Principal, signed_in]
) -> list[ShareOut]:
    """The firms a process is shared with (its owner only)."""
    return [_share_out(s) for s in context_of(request).footprints.shares(actor, process_id)]


@router.post("/processes/{process_id}/shares", status_code=201, response_model=list[ShareOut])
def share_process(
    request: Request,
    process_id: uuid.UUID,
    body: ShareIn,
    actor: Annotated[Principal, signed_in],
) -> list[ShareOut]:
    """Let another firm use this process as an input of its own."""
    shares = context_of(request).footprints.share(actor, process_id, body.organization_id)
    return [_share_out(s) for s in shares]


@router.delete("/processes/{process_id}/shares/{organization_id}", response_model=list[ShareOut])
def unshare_process(
    request: Request,
    process_id: uuid.UUID,
    organization_id: uuid.UUID,
    actor: Annotated[Principal, signed_in],
) -> list[ShareOut]:
    """Withdraw a share."""
    shares = context_of(request).footprints.unshare(actor, process_id, organization_id)
    return [_share_out(s) for s in shares]


@router.post("/product-systems", status_code=201)
def add_system(
    request: Request, body: ProductSystemIn, actor: Annotated[Principal, signed_in]
) -> dict[str, Any]:
    """Declare a product of the caller's firm on its top process."""
    draft = ProductSystem(id=uuid.uuid4(), **body.model_dump())
    return system_out(context_of(request).footprints.add_system(actor, draft))


@router.get("/product-systems", dependencies=[public])
def list_systems(
    request: Request, organization_id: uuid.UUID | None = None
) -> list[dict[str, Any]]:
    """Product systems (public: they are what published footprints were computed from)."""
    return [system_out(s) for s in context_of(request).footprints.systems(organization_id)]


def tree_out(tree: ProductTree) -> dict[str, Any]:
    """A product system with its processes."""
    return {**system_out(tree.system), "processes": [process_out(p) for p in tree.processes]}


@router.get("/product-systems/{product_system_id}", dependencies=[public])
def get_system(request: Request, product_system_id: uuid.UUID) -> dict[str, Any]:
    """A product system and the process tree it reaches."""
    return tree_out(context_of(request).footprints.tree(product_system_id))


@router.post("/product-systems/{product_system_id}/footprints", status_code=201)
def compute_footprint(
    request: Request,
    product_system_id: uuid.UUID,
    body: ComputeIn,
    actor: Annotated[Principal, signed_in],
) -> dict[str, Any]:
    """Solve the product system and publish its footprint as the product's next version."""
    footprint = context_of(request).footprints.compute(
        actor, product_system_id, iterations=body.iterations, seed=body.seed, comment=body.comment
    )
    return footprint_out(footprint)


@router.get("/footprints", dependencies=[public])
def list_footprints(
    request: Request,
    organization_id: uuid.UUID | None = None,
    product_id: str | None = None,
    status: FootprintStatus | None = FootprintStatus.ACTIVE,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[dict[str, Any]]:
    """Published footprints, newest first (active ones unless a status is named)."""
    found = context_of(request).footprints.footprints(
        organization_id=organization_id,
        product_id=product_id,
        status=status,
        limit=limit,
        offset=offset,
    )
    return [footprint_out(f) for f in found]


@router.get("/footprints/{footprint_id}", dependencies=[public])
def get_footprint(request: Request, footprint_id: uuid.UUID) -> dict[str, Any]:
    """One published footprint with its ISO 14067 fields and contributions."""
    return footprint_out(context_of(request).footprints.footprint(footprint_id))
