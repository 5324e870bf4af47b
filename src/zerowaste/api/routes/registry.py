"""Regions, industries and the registry summary."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Rule
from zerowaste.domain.regions import IndustryLevel, RegionLevel

router = APIRouter(tags=["registry"])
public = Depends(allow(Rule.PUBLIC))


class RegionOut(BaseModel):
    """A GB/T 2260 division."""

    code: str
    name_zh: str
    level: RegionLevel
    parent_code: str | None


class IndustryOut(BaseModel):
    """A GB/T 4754-2017 industry."""

    code: str
    name_zh: str
    level: IndustryLevel
    parent_code: str | None


class SummaryOut(BaseModel):
    """Counts for the public city page."""

    organizations: int
    organizations_by_role: dict[str, int]
    sites_by_kind: dict[str, int]
    permits_by_kind: dict[str, int]


@router.get("/regions", response_model=list[RegionOut], dependencies=[public])
def list_regions(
    request: Request,
    parent: Annotated[str | None, Query(description="Parent code; provinces if omitted")] = None,
    q: Annotated[str | None, Query(description="Code prefix or name fragment")] = None,
) -> list[RegionOut]:
    """Divisions under a parent, or matching a search."""
    registry = context_of(request).registry
    found = registry.search_regions(q) if q else registry.subregions(parent)
    return [RegionOut.model_validate(r, from_attributes=True) for r in found]


@router.get("/regions/{code}", response_model=RegionOut, dependencies=[public])
def get_region(request: Request, code: str) -> RegionOut:
    """One division."""
    region = context_of(request).registry.region(code)
    return RegionOut.model_validate(region, from_attributes=True)


@router.get("/industries", response_model=list[IndustryOut], dependencies=[public])
def list_industries(
    request: Request, q: Annotated[str, Query(min_length=1, description="Code prefix or name")]
) -> list[IndustryOut]:
    """Industries matching a search."""
    found = context_of(request).registry.search_industries(q)
    return [IndustryOut.model_validate(i, from_attributes=True) for i in found]


@router.get("/industries/{code}", response_model=IndustryOut, dependencies=[public])
def get_industry(request: Request, code: str) -> IndustryOut:
    """One industry."""
    industry = context_of(request).registry.industry(code)
    return IndustryOut.model_validate(industry, from_attributes=True)


@router.get("/registry/summary", response_model=SummaryOut, dependencies=[public])
def registry_summary(
    request: Request, region: Annotated[str | None, Query(description="Region code")] = None
) -> SummaryOut:
    """How many organizations, sites and permits are registered, by role and kind."""
    s = context_of(request).registry.summary(region)
    return SummaryOut(
        organizations=s.organizations,
        organizations_by_role={str(k): v for k, v in s.organizations_by_role.items()},
        sites_by_kind={str(k): v for k, v in s.sites_by_kind.items()},
        permits_by_kind={str(k): v for k, v in s.permits_by_kind.items()},
    )
