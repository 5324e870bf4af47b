"""Builders of listing documents and the firms that list them, shared by the listing tests."""

from __future__ import annotations

from typing import Any

from tests.factories import Factory
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.organizations import Organization, OrganizationRole
from zerowaste.domain.sites import Site, SiteKind


def supply_document(organization: Organization, site: Site, **supply: Any) -> dict[str, Any]:
    """A valid supply listing document (spent copper etching solution, 120 t a month)."""
    terms: dict[str, Any] = {
        "waste_code": "398-004-22",
        "quantity_t": "120",
        "basis": "month",
        "composition": {"Cu": {"low": "0.08", "high": "0.12"}},
        "lot_t": "20",
        "price_cny_per_t": "-300",
        "packaging": "IBC",
    }
    terms.update(supply)
    return {
        "side": "supply",
        "organization_id": str(organization.id),
        "site_id": str(site.id),
        "title": "废蚀刻液 spent etchant",
        "available_from": "2026-06-01",
        "available_to": "2026-12-31",
        "expires_on": "2026-11-30",
        "supply": terms,
    }


def demand_document(organization: Organization, site: Site, **demand: Any) -> dict[str, Any]:
    """A valid demand listing document (a recycler taking HW22, 300 t a month)."""
    terms: dict[str, Any] = {
        "accepted_codes": ["HW22"],
        "capacity_t": "300",
        "basis": "month",
        "route": "recycling",
        "limits": {"Cu": {"low": "0.05", "high": None}},
        "max_distance_km": "200",
        "price_cny_per_t": "150",
        "permit_ids": [],
    }
    terms.update(demand)
    return {
        "side": "demand",
        "organization_id": str(organization.id),
        "site_id": str(site.id),
        "title": "收铜蚀刻液 copper etchant wanted",
        "available_from": "2026-06-01",
        "available_to": "2027-05-31",
        "expires_on": "2027-05-31",
        "demand": terms,
    }


class Firm:
    """An organization with one site and one user."""

    def __init__(
        self,
        factory: Factory,
        region_code: str = "320505",
        roles: tuple[OrganizationRole, ...] = (OrganizationRole.GENERATOR,),
        kind: SiteKind = SiteKind.PLANT,
    ) -> None:
        self.organization = factory.organization(region_code, roles)
        self.site = factory.site(self.organization, kind)
        self.user: Principal = factory.user(UserRole.FIRM, organization=self.organization)
