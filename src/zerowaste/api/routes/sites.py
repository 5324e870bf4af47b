"""Sites and permits of organizations."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field

from zerowaste.api.pagination import PageOut, page_out, page_request
from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.domain.permits import NewPermit, Permit, PermitActivity, PermitKind
from zerowaste.domain.sites import NewSite, Site, SiteKind

router = APIRouter(tags=["sites and permits"])
public = Depends(allow(Rule.PUBLIC))


class SiteIn(BaseModel):
    """A site to register; WGS84 degrees."""

    name: str = Field(min_length=1, max_length=200)
    kind: SiteKind
    region_code: str
    latitude: float
    longitude: float
    address: str = Field(default="", max_length=300)

    def to_domain(self) -> NewSite:
        """The domain submission (checks coordinate bounds)."""
        return NewSite(**self.model_dump())


class SiteOut(SiteIn):
    """A registered site."""

    id: uuid.UUID
    organization_id: uuid.UUID

    @classmethod
    def of(cls, site: Site) -> SiteOut:
        """Serialize a domain site."""
        return cls.model_validate(site, from_attributes=True)


class PermitIn(BaseModel):
    """A permit to record; `waste_codes` lists HW codes (`900-214-08`) or categories (`HW08`)."""

    kind: PermitKind
    number: str = Field(min_length=1, max_length=64)
    activities: list[PermitActivity]
    waste_codes: list[str] = Field(default_factory=list)
    annual_capacity_t: Decimal = Field(description="Licensed tonnes a year, decimal string")
    valid_from: date
    valid_to: date
    site_id: uuid.UUID | None = None
    issued_by: str = Field(default="", max_length=200)

    def to_domain(self) -> NewPermit:
        """The domain submission (checks the period, capacity and activities)."""
        return NewPermit(
            kind=self.kind,
            number=self.number,
            activities=frozenset(self.activities),
            waste_codes=tuple(self.waste_codes),
            annual_capacity_t=self.annual_capacity_t,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            site_id=self.site_id,
            issued_by=self.issued_by,
        )


class PermitOut(PermitIn):
    """A recorded permit."""

    id: uuid.UUID
    organization_id: uuid.UUID

    @classmethod
    def of(cls, permit: Permit) -> PermitOut:
        """Serialize a domain permit."""
        return cls(
            id=permit.id,
            organization_id=permit.organization_id,
            kind=permit.kind,
            number=permit.number,
            activities=sorted(permit.activities),
            waste_codes=list(permit.waste_codes),
            annual_capacity_t=permit.annual_capacity_t,
            valid_from=permit.valid_from,
            valid_to=permit.valid_to,
            site_id=permit.site_id,
            issued_by=permit.issued_by,
        )


@router.post("/organizations/{organization_id}/sites", status_code=201, response_model=SiteOut)
def add_site(
    request: Request,
    organization_id: uuid.UUID,
    body: SiteIn,
    actor: Annotated[Principal, Depends(allow(Rule.ORGANIZATION))],
) -> SiteOut:
    """Register a site (the firm itself or its regulator)."""
    return SiteOut.of(context_of(request).sites.add_site(actor, organization_id, body.to_domain()))


@router.put("/organizations/{organization_id}/sites/{site_id}", response_model=SiteOut)
def update_site(
    request: Request,
    organization_id: uuid.UUID,
    site_id: uuid.UUID,
    body: SiteIn,
    actor: Annotated[Principal, Depends(allow(Rule.ORGANIZATION))],
) -> SiteOut:
    """Replace a site's details (the firm itself or its regulator)."""
    site = context_of(request).sites.update_site(actor, organization_id, site_id, body.to_domain())
    return SiteOut.of(site)


@router.delete("/organizations/{organization_id}/sites/{site_id}", status_code=204)
def remove_site(
    request: Request,
    organization_id: uuid.UUID,
    site_id: uuid.UUID,
    actor: Annotated[Principal, Depends(allow(Rule.ORGANIZATION))],
) -> Response:
    """Remove a site that no permit names."""
    context_of(request).sites.remove_site(actor, organization_id, site_id)
    return Response(status_code=204)


@router.get("/sites", response_model=PageOut[SiteOut], dependencies=[public])
def list_sites(
    request: Request,
    organization_id: uuid.UUID | None = None,
    region: Annotated[
        str | None, Query(description="Region code (and everything under it)")
    ] = None,
    kind: SiteKind | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, object]:
    """A page of sites (locations of licensed facilities are public)."""
    page = context_of(request).sites.find_sites(
        page_request(cursor, limit), organization_id=organization_id, region_code=region, kind=kind
    )
    return page_out(page, SiteOut.of)


@router.get("/sites/{site_id}", response_model=SiteOut, dependencies=[public])
def get_site(request: Request, site_id: uuid.UUID) -> SiteOut:
    """One site."""
    return SiteOut.of(context_of(request).sites.site(site_id))


@router.post("/organizations/{organization_id}/permits", status_code=201, response_model=PermitOut)
def grant_permit(
    request: Request,
    organization_id: uuid.UUID,
    body: PermitIn,
    actor: Annotated[Principal, Depends(allow(Rule.REGULATOR))],
) -> PermitOut:
    """Record a permit (regulators over the holder's region)."""
    permit = context_of(request).sites.grant_permit(actor, organization_id, body.to_domain())
    return PermitOut.of(permit)


class RevocationIn(BaseModel):
    """The last day a revoked permit is valid."""

    last_day: date


@router.post(
    "/organizations/{organization_id}/permits/{permit_id}/revoke", response_model=PermitOut
)
def revoke_permit(
    request: Request,
    organization_id: uuid.UUID,
    permit_id: uuid.UUID,
    body: RevocationIn,
    actor: Annotated[Principal, Depends(allow(Rule.REGULATOR))],
) -> PermitOut:
    """End a permit early (regulators over the holder's region)."""
    sites = context_of(request).sites
    return PermitOut.of(sites.revoke_permit(actor, organization_id, permit_id, body.last_day))


@router.get("/permits", response_model=PageOut[PermitOut], dependencies=[public])
def list_permits(
    request: Request,
    organization_id: uuid.UUID | None = None,
    kind: PermitKind | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, object]:
    """A page of permits (licences are published by regulators)."""
    page = context_of(request).sites.find_permits(
        page_request(cursor, limit), organization_id=organization_id, kind=kind
    )
    return page_out(page, PermitOut.of)


@router.get("/permits/{permit_id}", response_model=PermitOut, dependencies=[public])
def get_permit(request: Request, permit_id: uuid.UUID) -> PermitOut:
    """One permit."""
    return PermitOut.of(context_of(request).sites.permit(permit_id))
