"""Regions, industries and the public summary of the registry."""

from __future__ import annotations

from dataclasses import dataclass

from zerowaste.adapters.db.unit_of_work import UnitOfWorkFactory
from zerowaste.domain.organizations import OrganizationRole
from zerowaste.domain.permits import PermitKind
from zerowaste.domain.regions import Industry, Region
from zerowaste.domain.sites import SiteKind
from zerowaste.errors import NotFound, UnknownIndustry, UnknownRegion


@dataclass(frozen=True, slots=True)
class RegistrySummary:
    """Counts shown on the public city page."""

    organizations: int
    organizations_by_role: dict[OrganizationRole, int]
    sites_by_kind: dict[SiteKind, int]
    permits_by_kind: dict[PermitKind, int]


class RegistryService:
    """Look-ups in the reference tables, and the summary of what is registered."""

    def __init__(self, unit_of_work: UnitOfWorkFactory) -> None:
        self._uow = unit_of_work

    def region(self, code: str) -> Region:
        """The division with `code`, or `NotFound`."""
        with self._uow() as uow:
            region = uow.regions.get(code)
        if region is None:
            raise NotFound(f"no region {code}", field="code")
        return region

    def require_region(self, code: str, *, field: str = "region_code") -> Region:
        """The division with `code`, or `UnknownRegion` naming `field` (for validating input)."""
        with self._uow() as uow:
            region = uow.regions.get(code)
        if region is None:
            raise UnknownRegion(f"{code} is not a GB/T 2260 division", field=field)
        return region

    def require_industry(self, code: str, *, field: str = "industry_code") -> Industry:
        """The industry with `code`, or `UnknownIndustry` naming `field`."""
        with self._uow() as uow:
            industry = uow.industries.get(code)
        if industry is None:
            raise UnknownIndustry(f"{code} is not a GB/T 4754-2017 industry", field=field)
        return industry

    def subregions(self, parent_code: str | None = None) -> list[Region]:
        """Divisions directly under `parent_code` (the provinces for None)."""
        with self._uow() as uow:
            return uow.regions.children(parent_code)

    def search_regions(self, text: str, limit: int = 50) -> list[Region]:
        """Divisions whose code starts with or name contains `text`."""
        with self._uow() as uow:
            return uow.regions.search(text, limit)

    def industry(self, code: str) -> Industry:
        """The industry with `code`, or `NotFound`."""
        with self._uow() as uow:
            industry = uow.industries.get(code)
        if industry is None:
            raise NotFound(f"no industry {code}", field="code")
        return industry

    def search_industries(self, text: str, limit: int = 50) -> list[Industry]:
        """Industries whose code starts with or name contains `text`."""
        with self._uow() as uow:
            return uow.industries.search(text, limit)

    def summary(self, region_code: str | None = None) -> RegistrySummary:
        """Counts of organizations by role, sites by kind and permits by kind."""
        with self._uow() as uow:
            return RegistrySummary(
                organizations=uow.organizations.count(),
                organizations_by_role=uow.organizations.count_by_role(region_code),
                sites_by_kind=uow.sites.count_by_kind(region_code),
                permits_by_kind=uow.permits.count_by_kind(),
            )
