"""Organizations, their roles and their yearly economic records."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Row, bindparam, func, insert, select, update

from zerowaste.adapters.db.id_lists import in_list, rows_in
from zerowaste.adapters.db.paging import fetch_page
from zerowaste.adapters.db.tables import economic_records, organization_roles, organizations
from zerowaste.domain.organizations import EconomicRecord, Organization, OrganizationRole
from zerowaste.domain.pages import Page, PageRequest
from zerowaste.domain.regions import region_prefix

# Built once: the hot look-ups skip building and caching a statement per call.
_BY_ID = select(organizations).where(organizations.c.id == bindparam("id"))
_ROLES_OF = select(organization_roles).where(
    organization_roles.c.organization_id == bindparam("id")
)
_ROLES_IN = select(organization_roles).where(
    organization_roles.c.organization_id.in_(bindparam("ids", expanding=True))
)


class OrganizationRepository:
    """Stores and finds organizations."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, organization: Organization) -> None:
        """Insert an organization and its roles."""
        self._connection.execute(
            insert(organizations).values(
                id=organization.id,
                credit_code=organization.credit_code,
                name=organization.name,
                name_en=organization.name_en,
                region_code=organization.region_code,
                industry_code=organization.industry_code,
                jurisdiction_code=organization.jurisdiction_code,
                created_at=organization.created_at,
            )
        )
        if organization.roles:
            self._connection.execute(
                insert(organization_roles),
                [{"organization_id": organization.id, "role": r} for r in organization.roles],
            )

    def update(self, organization: Organization) -> None:
        """Write an organization's changeable fields and replace its roles."""
        self._connection.execute(
            update(organizations)
            .where(organizations.c.id == organization.id)
            .values(
                name=organization.name,
                name_en=organization.name_en,
                industry_code=organization.industry_code,
                jurisdiction_code=organization.jurisdiction_code,
            )
        )
        self._connection.execute(
            organization_roles.delete().where(
                organization_roles.c.organization_id == organization.id
            )
        )
        if organization.roles:
            self._connection.execute(
                insert(organization_roles),
                [{"organization_id": organization.id, "role": r} for r in organization.roles],
            )

    def _roles(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, frozenset[OrganizationRole]]:
        found: dict[uuid.UUID, set[OrganizationRole]] = defaultdict(set)
        if ids:
            # one id (the common look-up) compares directly: an IN list is expanded per call
            query, values = (
                (_ROLES_OF, {"id": ids[0]}) if len(ids) == 1 else (_ROLES_IN, {"ids": ids})
            )
            for row in self._connection.execute(query, values):
                found[row.organization_id].add(OrganizationRole(row.role))
        return {i: frozenset(found[i]) for i in ids}

    def _hydrate(self, rows: list[Row[Any]]) -> list[Organization]:
        roles = self._roles([r.id for r in rows])
        return [
            Organization(
                id=r.id,
                credit_code=r.credit_code,
                name=r.name,
                region_code=r.region_code,
                industry_code=r.industry_code,
                name_en=r.name_en,
                roles=roles[r.id],
                jurisdiction_code=r.jurisdiction_code,
                created_at=r.created_at,
            )
            for r in rows
        ]

    def get(self, organization_id: uuid.UUID) -> Organization | None:
        """The organization with this id, if any."""
        row = self._connection.execute(_BY_ID, {"id": organization_id}).first()
        return self._hydrate([row])[0] if row else None

    def regions_of(self, organization_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
        """The region code of each registered organization among `organization_ids`."""
        wanted = list(set(organization_ids))
        if not wanted:
            return {}
        query = select(organizations.c.id, organizations.c.region_code).where(
            organizations.c.id.in_(wanted)
        )
        return {row.id: row.region_code for row in self._connection.execute(query)}

    def many(self, organization_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Organization]:
        """The organizations among `organization_ids` (a batch's look-ups in two queries)."""
        rows = list(rows_in(self._connection, _ORGANIZATIONS, organization_ids))
        return {o.id: o for o in self._hydrate(rows)}

    def get_by_credit_code(self, credit_code: str) -> Organization | None:
        """The organization registered under this credit code, if any."""
        row = self._connection.execute(
            select(organizations).where(organizations.c.credit_code == credit_code)
        ).first()
        return self._hydrate([row])[0] if row else None

    def find(
        self,
        page: PageRequest,
        *,
        region_code: str | None = None,
        role: OrganizationRole | None = None,
        text: str | None = None,
    ) -> Page[Organization]:
        """A page of organizations, optionally within a region, with a role, or matching text."""
        query = select(organizations)
        if region_code:
            query = query.where(organizations.c.region_code.startswith(region_prefix(region_code)))
        if role:
            query = query.where(
                organizations.c.id.in_(
                    select(organization_roles.c.organization_id).where(
                        organization_roles.c.role == role
                    )
                )
            )
        if text:
            query = query.where(
                organizations.c.name.icontains(text, autoescape=True)
                | organizations.c.name_en.icontains(text, autoescape=True)
                | organizations.c.credit_code.startswith(text.upper(), autoescape=True)
            )
        raw = fetch_page(self._connection, query, organizations.c.id, page, lambda row: row)
        return Page(self._hydrate(raw.items), raw.next_after)

    def count_by_role(self, region_code: str | None = None) -> dict[OrganizationRole, int]:
        """How many organizations hold each role (within a region if given)."""
        query = (
            select(organization_roles.c.role, func.count())
            .join(organizations, organizations.c.id == organization_roles.c.organization_id)
            .group_by(organization_roles.c.role)
        )
        if region_code:
            query = query.where(organizations.c.region_code.startswith(region_prefix(region_code)))
        return {OrganizationRole(role): n for role, n in self._connection.execute(query).all()}

    def count(self) -> int:
        """How many organizations are registered."""
        return int(
            self._connection.execute(select(func.count()).select_from(organizations)).scalar_one()
        )

    def put_economics(self, record: EconomicRecord) -> None:
        """Insert or replace an organization's figures for one year."""
        self.put_economics_many([record])

    def put_economics_many(self, records: Sequence[EconomicRecord]) -> None:
        """Insert or replace yearly figures (a later record of the same year wins)."""
        latest = {(r.organization_id, r.year): r for r in records}
        c = economic_records.c
        for organization_id in dict.fromkeys(o for o, _ in latest):
            years = [y for o, y in latest if o == organization_id]
            self._connection.execute(
                economic_records.delete().where(
                    (c.organization_id == organization_id) & c.year.in_(years)
                )
            )
        if latest:
            self._connection.execute(
                insert(economic_records),
                [
                    {
                        "organization_id": r.organization_id,
                        "year": r.year,
                        "output_value_cny": r.output_value_cny,
                        "industrial_added_value_cny": r.industrial_added_value_cny,
                        "product_output": r.product_output,
                        "product_unit": r.product_unit,
                    }
                    for r in latest.values()
                ],
            )

    def economics(self, organization_id: uuid.UUID) -> list[EconomicRecord]:
        """All yearly records of an organization, oldest first."""
        query = (
            select(economic_records)
            .where(economic_records.c.organization_id == organization_id)
            .order_by(economic_records.c.year)
        )
        return [
            EconomicRecord(
                organization_id=r.organization_id,
                year=r.year,
                output_value_cny=r.output_value_cny,
                industrial_added_value_cny=r.industrial_added_value_cny,
                product_output=r.product_output,
                product_unit=r.product_unit,
            )
            for r in self._connection.execute(query)
        ]


_ORGANIZATIONS = in_list(organizations.c.id, organizations)
