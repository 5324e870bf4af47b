"""Sites and permits."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection, Row, bindparam, func, insert, select, update

from zerowaste.adapters.db.id_lists import in_list, rows_in
from zerowaste.adapters.db.paging import fetch_page
from zerowaste.adapters.db.tables import permits, sites
from zerowaste.domain.pages import Page, PageRequest
from zerowaste.domain.permits import Permit, PermitActivity, PermitKind
from zerowaste.domain.regions import region_prefix
from zerowaste.domain.sites import Site, SiteKind


def _site(row: Row[Any]) -> Site:
    return Site(
        id=row.id,
        organization_id=row.organization_id,
        name=row.name,
        kind=SiteKind(row.kind),
        region_code=row.region_code,
        latitude=row.latitude,
        longitude=row.longitude,
        address=row.address,
    )


def _details(site: Site) -> dict[str, object]:
    """The columns of a site that may change."""
    return {
        "name": site.name,
        "kind": site.kind,
        "region_code": site.region_code,
        "latitude": site.latitude,
        "longitude": site.longitude,
        "address": site.address,
    }


def _permit(row: Row[Any]) -> Permit:
    return Permit(
        id=row.id,
        organization_id=row.organization_id,
        site_id=row.site_id,
        kind=PermitKind(row.kind),
        number=row.number,
        activities=frozenset(PermitActivity(a) for a in row.activities),
        waste_codes=tuple(row.waste_codes),
        annual_capacity_t=row.annual_capacity_t,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        issued_by=row.issued_by,
    )


# Built once: the hot look-up skips building and caching a statement per call.
_SITE = select(sites).where(sites.c.id == bindparam("id"))


class SiteRepository:
    """Stores and finds sites."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, site: Site) -> None:
        """Insert a site."""
        self._connection.execute(
            insert(sites).values(id=site.id, organization_id=site.organization_id, **_details(site))
        )

    def replace(self, site: Site) -> None:
        """Overwrite a site's name, kind, region, coordinates and address."""
        self._connection.execute(
            update(sites).where(sites.c.id == site.id).values(**_details(site))
        )

    def delete(self, site_id: uuid.UUID) -> None:
        """Remove a site."""
        self._connection.execute(sites.delete().where(sites.c.id == site_id))

    def get(self, site_id: uuid.UUID) -> Site | None:
        """The site with this id, if any."""
        row = self._connection.execute(_SITE, {"id": site_id}).first()
        return _site(row) if row else None

    def many(self, site_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Site]:
        """The sites among `site_ids`."""
        return {row.id: _site(row) for row in rows_in(self._connection, _SITES, site_ids)}

    def find(
        self,
        page: PageRequest,
        *,
        organization_id: uuid.UUID | None = None,
        region_code: str | None = None,
        kind: SiteKind | None = None,
    ) -> Page[Site]:
        """A page of sites, filtered by owner, region or kind."""
        query = select(sites)
        if organization_id:
            query = query.where(sites.c.organization_id == organization_id)
        if region_code:
            query = query.where(sites.c.region_code.startswith(region_prefix(region_code)))
        if kind:
            query = query.where(sites.c.kind == kind)
        return fetch_page(self._connection, query, sites.c.id, page, _site)

    def count_by_kind(self, region_code: str | None = None) -> dict[SiteKind, int]:
        """How many sites of each kind (within a region if given)."""
        query = select(sites.c.kind, func.count()).group_by(sites.c.kind)
        if region_code:
            query = query.where(sites.c.region_code.startswith(region_prefix(region_code)))
        return {SiteKind(kind): n for kind, n in self._connection.execute(query).all()}


class PermitRepository:
    """Stores and finds permits."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, permit: Permit) -> None:
        """Insert a permit."""
        self._connection.execute(
            insert(permits).values(
                id=permit.id,
                organization_id=permit.organization_id,
                site_id=permit.site_id,
                kind=permit.kind,
                number=permit.number,
                activities=sorted(permit.activities),
                waste_codes=list(permit.waste_codes),
                annual_capacity_t=permit.annual_capacity_t,
                valid_from=permit.valid_from,
                valid_to=permit.valid_to,
                issued_by=permit.issued_by,
            )
        )

    def end_validity(self, permit_id: uuid.UUID, last_day: date) -> None:
        """Make `last_day` the permit's last valid day (revocation or surrender)."""
        self._connection.execute(
            update(permits).where(permits.c.id == permit_id).values(valid_to=last_day)
        )

    def count_for_site(self, site_id: uuid.UUID) -> int:
        """How many permits name a site."""
        query = select(func.count()).select_from(permits).where(permits.c.site_id == site_id)
        return int(self._connection.execute(query).scalar_one())

    def get(self, permit_id: uuid.UUID) -> Permit | None:
        """The permit with this id, if any."""
        row = self._connection.execute(select(permits).where(permits.c.id == permit_id)).first()
        return _permit(row) if row else None

    def find(
        self,
        page: PageRequest,
        *,
        organization_id: uuid.UUID | None = None,
        kind: PermitKind | None = None,
    ) -> Page[Permit]:
        """A page of permits, filtered by holder or kind."""
        query = select(permits)
        if organization_id:
            query = query.where(permits.c.organization_id == organization_id)
        if kind:
            query = query.where(permits.c.kind == kind)
        return fetch_page(self._connection, query, permits.c.id, page, _permit)

    def of_organizations(self, organization_ids: Iterable[uuid.UUID]) -> list[Permit]:
        """Every permit held by one of `organization_ids`, by id."""
        ids = list(set(organization_ids))
        found: list[Permit] = []
        for start in range(0, len(ids), 500):
            query = select(permits).where(permits.c.organization_id.in_(ids[start : start + 500]))
            found.extend(_permit(row) for row in self._connection.execute(query))
        return sorted(found, key=lambda p: p.id)

    def count_by_kind(self) -> dict[PermitKind, int]:
        """How many permits of each kind."""
        query = select(permits.c.kind, func.count()).group_by(permits.c.kind)
        return {PermitKind(kind): n for kind, n in self._connection.execute(query).all()}


_SITES = in_list(sites.c.id, sites)
