"""Sites and permits of registered organizations."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date

from zerowaste.adapters.db.unit_of_work import UnitOfWorkFactory
from zerowaste.domain.access import Principal
from zerowaste.domain.ids import new_id
from zerowaste.domain.pages import Page, PageRequest
from zerowaste.domain.permits import NewPermit, Permit, PermitKind
from zerowaste.domain.sites import NewSite, Site, SiteKind
from zerowaste.errors import Conflict, InvalidInput, InvalidPeriod, NotFound
from zerowaste.services.authorization import require_acts_for, require_oversight
from zerowaste.services.organizations import OrganizationService
from zerowaste.services.registry import RegistryService

WasteCodeCheck = Callable[[str, date | None, str], str]


class SiteService:
    """Register and list sites and permits."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        registry: RegistryService,
        organizations: OrganizationService,
        check_waste_code: WasteCodeCheck,
    ) -> None:
        self._uow = unit_of_work
        self._registry = registry
        self._organizations = organizations
        self._check_waste_code = check_waste_code

    def add_site(self, actor: Principal, organization_id: uuid.UUID, new: NewSite) -> Site:
        """Register a site of an organization the actor acts for."""
        organization = self._organizations.get(organization_id)
        self._registry.require_region(new.region_code)
        require_acts_for(actor, organization)
        site = Site.place(new, id=new_id(), organization_id=organization_id)
        with self._uow() as uow:
            uow.sites.add(site)
            uow.commit()
        return site

    def update_site(
        self, actor: Principal, organization_id: uuid.UUID, site_id: uuid.UUID, new: NewSite
    ) -> Site:
        """Replace a site's details (the firm itself or its regulator)."""
        site = self._own_site(actor, organization_id, site_id)
        self._registry.require_region(new.region_code)
        changed = Site.place(new, id=site.id, organization_id=organization_id)
        with self._uow() as uow:
            uow.sites.replace(changed)
            uow.commit()
        return changed

    def remove_site(self, actor: Principal, organization_id: uuid.UUID, site_id: uuid.UUID) -> None:
        """Remove a site no permit names."""
        self._own_site(actor, organization_id, site_id)
        with self._uow() as uow:
            if uow.permits.count_for_site(site_id):
                raise Conflict("permits name this site; revoke or move them first", field="site_id")
            uow.sites.delete(site_id)
            uow.commit()

    def _own_site(self, actor: Principal, organization_id: uuid.UUID, site_id: uuid.UUID) -> Site:
        require_acts_for(actor, self._organizations.get(organization_id))
        site = self.site(site_id)
        if site.organization_id != organization_id:
            raise NotFound(f"no site {site_id} of this organization", field="site_id")
        return site

    def site(self, site_id: uuid.UUID) -> Site:
        """The site, or `NotFound`."""
        with self._uow() as uow:
            site = uow.sites.get(site_id)
        if site is None:
            raise NotFound(f"no site {site_id}", field="site_id")
        return site

    def sites(self, site_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Site]:
        """The registered sites among these ids, read at once."""
        with self._uow() as uow:
            return uow.sites.many(site_ids)

    def find_sites(
        self,
        page: PageRequest,
        *,
        organization_id: uuid.UUID | None = None,
        region_code: str | None = None,
        kind: SiteKind | None = None,
    ) -> Page[Site]:
        """A page of sites matching the filters."""
        with self._uow() as uow:
            return uow.sites.find(
                page, organization_id=organization_id, region_code=region_code, kind=kind
            )

    def grant_permit(self, actor: Principal, organization_id: uuid.UUID, new: NewPermit) -> Permit:
        """Record a permit; only a regulator over the holder's region (or an admin) may."""
        organization = self._organizations.get(organization_id)
        codes = [
            self._check_waste_code(code, new.valid_from, f"waste_codes[{index}]")
            for index, code in enumerate(new.waste_codes)
        ]
        if new.site_id is not None:
            site = self.site(new.site_id)
            if site.organization_id != organization_id:
                raise InvalidInput("the site belongs to another organization", field="site_id")
        require_oversight(actor, organization.region_code)
        permit = Permit(
            id=new_id(),
            organization_id=organization_id,
            site_id=new.site_id,
            kind=new.kind,
            number=new.number.strip(),
            activities=new.activities,
            waste_codes=tuple(dict.fromkeys(codes)),
            annual_capacity_t=new.annual_capacity_t,
            valid_from=new.valid_from,
            valid_to=new.valid_to,
            issued_by=new.issued_by,
        )
        with self._uow() as uow:
            uow.permits.add(permit)
            uow.commit()
        return permit

    def revoke_permit(
        self, actor: Principal, organization_id: uuid.UUID, permit_id: uuid.UUID, last_day: date
    ) -> Permit:
        """End a permit early: `last_day` becomes its last valid day (regulators only)."""
        require_oversight(actor, self._organizations.get(organization_id).region_code)
        permit = self.permit(permit_id)
        if permit.organization_id != organization_id:
            raise NotFound(f"no permit {permit_id} of this organization", field="permit_id")
        if not permit.valid_from <= last_day <= permit.valid_to:
            raise InvalidPeriod(
                f"must lie within {permit.valid_from}..{permit.valid_to}", field="last_day"
            )
        with self._uow() as uow:
            uow.permits.end_validity(permit_id, last_day)
            uow.commit()
        return replace(permit, valid_to=last_day)

    def permit(self, permit_id: uuid.UUID) -> Permit:
        """The permit, or `NotFound`."""
        with self._uow() as uow:
            permit = uow.permits.get(permit_id)
        if permit is None:
            raise NotFound(f"no permit {permit_id}", field="permit_id")
        return permit

    def find_permits(
        self,
        page: PageRequest,
        *,
        organization_id: uuid.UUID | None = None,
        kind: PermitKind | None = None,
    ) -> Page[Permit]:
        """A page of permits matching the filters."""
        with self._uow() as uow:
            return uow.permits.find(page, organization_id=organization_id, kind=kind)
