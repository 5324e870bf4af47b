"""Organizations and their yearly economic figures."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from zerowaste.api.pagination import PageOut, page_out, page_request
from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.domain.organizations import (
    EconomicRecord,
    NewOrganization,
    Organization,
    OrganizationChanges,
    OrganizationRole,
)

router = APIRouter(prefix="/organizations", tags=["organizations"])


class OrganizationIn(BaseModel):
    """An organization to register."""

    credit_code: str = Field(description="18-character unified social credit code (GB 32100)")
    name: str = Field(min_length=1, max_length=200)
    region_code: str = Field(description="GB/T 2260 code of the registered address")
    industry_code: str | None = Field(default=None, description="GB/T 4754-2017 code")
    name_en: str | None = Field(default=None, max_length=200)
    roles: list[OrganizationRole] = Field(default_factory=list)
    jurisdiction_code: str | None = Field(default=None, description="For regulators only")

    def to_domain(self) -> NewOrganization:
        """The domain submission (validates the credit code and role rules)."""
        return NewOrganization(
            credit_code=self.credit_code,
            name=self.name,
            region_code=self.region_code,
            industry_code=self.industry_code,
            name_en=self.name_en,
            roles=frozenset(self.roles),
            jurisdiction_code=self.jurisdiction_code,
        )


class OrganizationOut(BaseModel):
    """A registered organization."""

    id: uuid.UUID
    credit_code: str
    name: str
    name_en: str | None
    region_code: str
    industry_code: str | None
    roles: list[OrganizationRole]
    jurisdiction_code: str | None
    created_at: datetime

    @classmethod
    def of(cls, organization: Organization) -> OrganizationOut:
        """Serialize a domain organization."""
        return cls(
            id=organization.id,
            credit_code=organization.credit_code,
            name=organization.name,
            name_en=organization.name_en,
            region_code=organization.region_code,
            industry_code=organization.industry_code,
            roles=sorted(organization.roles),
            jurisdiction_code=organization.jurisdiction_code,
            created_at=organization.created_at,
        )


class OrganizationPatch(BaseModel):
    """Fields to change; omitted fields stay as they are."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    name_en: str | None = Field(default=None, max_length=200)
    industry_code: str | None = None
    roles: list[OrganizationRole] | None = None
    jurisdiction_code: str | None = None

    def to_domain(self) -> OrganizationChanges:
        """The domain change set."""
        return OrganizationChanges(
            name=self.name,
            name_en=self.name_en,
            industry_code=self.industry_code,
            roles=frozenset(self.roles) if self.roles is not None else None,
            jurisdiction_code=self.jurisdiction_code,
        )


class EconomicRecordIn(BaseModel):
    """One year's figures; amounts in yuan as decimal strings."""

    output_value_cny: Decimal
    industrial_added_value_cny: Decimal
    product_output: Decimal
    product_unit: str = Field(min_length=1, max_length=32)


class EconomicRecordOut(EconomicRecordIn):
    """Stored figures of one year."""

    organization_id: uuid.UUID
    year: int


@router.post("", status_code=201, response_model=OrganizationOut)
def register_organization(
    request: Request,
    body: OrganizationIn,
    actor: Annotated[Principal, Depends(allow(Rule.REGULATOR))],
) -> OrganizationOut:
    """Register an organization (regulators, within their jurisdiction)."""
    organization = context_of(request).organizations.register(actor, body.to_domain())
    return OrganizationOut.of(organization)


@router.get("", response_model=PageOut[OrganizationOut], dependencies=[Depends(allow(Rule.PUBLIC))])
def list_organizations(
    request: Request,
    region: Annotated[
        str | None, Query(description="Region code (and everything under it)")
    ] = None,
    role: OrganizationRole | None = None,
    q: Annotated[str | None, Query(description="Name fragment or credit code prefix")] = None,
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, object]:
    """A page of organizations (registry facts are public)."""
    page = context_of(request).organizations.find(
        page_request(cursor, limit), region_code=region, role=role, text=q
    )
    return page_out(page, OrganizationOut.of)


@router.get(
    "/{organization_id}",
    response_model=OrganizationOut,
    dependencies=[Depends(allow(Rule.PUBLIC))],
)
def get_organization(request: Request, organization_id: uuid.UUID) -> OrganizationOut:
    """One organization."""
    return OrganizationOut.of(context_of(request).organizations.get(organization_id))


@router.patch("/{organization_id}", response_model=OrganizationOut)
def update_organization(
    request: Request,
    organization_id: uuid.UUID,
    body: OrganizationPatch,
    actor: Annotated[Principal, Depends(allow(Rule.REGULATOR))],
) -> OrganizationOut:
    """Change name, industry, roles or jurisdiction (regulators over its region)."""
    changed = context_of(request).organizations.update(actor, organization_id, body.to_domain())
    return OrganizationOut.of(changed)


@router.put("/{organization_id}/economics/{year}", response_model=EconomicRecordOut)
def put_economics(
    request: Request,
    organization_id: uuid.UUID,
    year: int,
    body: EconomicRecordIn,
    actor: Annotated[Principal, Depends(allow(Rule.ORGANIZATION))],
) -> EconomicRecordOut:
    """Record one year's economic figures (the firm itself or its regulator)."""
    record = EconomicRecord(organization_id=organization_id, year=year, **body.model_dump())
    context_of(request).organizations.record_economics(actor, record)
    return EconomicRecordOut.model_validate(record, from_attributes=True)


@router.get("/{organization_id}/economics", response_model=list[EconomicRecordOut])
def list_economics(
    request: Request,
    organization_id: uuid.UUID,
    actor: Annotated[Principal, Depends(allow(Rule.ORGANIZATION))],
) -> list[EconomicRecordOut]:
    """An organization's yearly figures (the firm itself and its regulators only)."""
    records = context_of(request).organizations.economics(actor, organization_id)
    return [EconomicRecordOut.model_validate(r, from_attributes=True) for r in records]
