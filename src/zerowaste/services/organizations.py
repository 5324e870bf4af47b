"""Registering organizations and keeping their economic figures."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from zerowaste.adapters.db.unit_of_work import UnitOfWorkFactory
from zerowaste.domain.access import Principal
from zerowaste.domain.ids import new_id
from zerowaste.domain.organizations import (
    EconomicRecord,
    NewOrganization,
    Organization,
    OrganizationChanges,
    OrganizationRole,
)
from zerowaste.domain.pages import Page, PageRequest
from zerowaste.errors import DuplicateCreditCode, NotFound
from zerowaste.services.authorization import require_acts_for, require_oversight
from zerowaste.services.registry import RegistryService


class OrganizationService:
    """Organizations: register, find, and record their yearly economics."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        registry: RegistryService,
        clock: Callable[[], datetime],
    ) -> None:
        self._uow = unit_of_work
        self._registry = registry
        self._clock = clock

    def register(self, actor: Principal, new: NewOrganization) -> Organization:
        """Register an organization in a region the actor oversees."""
        self._registry.require_region(new.region_code)
        if new.industry_code:
            self._registry.require_industry(new.industry_code)
        if new.jurisdiction_code:
            self._registry.require_region(new.jurisdiction_code, field="jurisdiction_code")
        require_oversight(actor, new.region_code)
        organization = Organization.register(new, id=new_id(), at=self._clock())
        with self._uow() as uow:
            if uow.organizations.get_by_credit_code(new.credit_code):
                raise DuplicateCreditCode(
                    f"{new.credit_code} is already registered", field="credit_code"
                )
            try:
                uow.organizations.add(organization)
                uow.commit()
            except IntegrityError as exc:  # a concurrent registration of the same code
                raise DuplicateCreditCode(
                    f"{new.credit_code} is already registered", field="credit_code"
                ) from exc
        return organization

    def update(
        self, actor: Principal, organization_id: uuid.UUID, changes: OrganizationChanges
    ) -> Organization:
        """Change an organization's name, industry, roles or jurisdiction (its regulators only)."""
        current = self.get(organization_id)
        require_oversight(actor, current.region_code)
        changed = changes.apply(current)
        if changed.industry_code and changed.industry_code != current.industry_code:
            self._registry.require_industry(changed.industry_code)
        if changed.jurisdiction_code and changed.jurisdiction_code != current.jurisdiction_code:
            self._registry.require_region(changed.jurisdiction_code, field="jurisdiction_code")
        with self._uow() as uow:
            uow.organizations.update(changed)
            uow.commit()
        return changed

    def get(self, organization_id: uuid.UUID) -> Organization:
        """The organization, or `NotFound` (registry facts are public)."""
        with self._uow() as uow:
            organization = uow.organizations.get(organization_id)
        if organization is None:
            raise NotFound(f"no organization {organization_id}", field="organization_id")
        return organization

    def many(self, organization_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Organization]:
        """The registered organizations among these ids, read at once."""
        with self._uow() as uow:
            return uow.organizations.many(organization_ids)

    def find(
        self,
        page: PageRequest,
        *,
        region_code: str | None = None,
        role: OrganizationRole | None = None,
        text: str | None = None,
    ) -> Page[Organization]:
        """A page of organizations matching the filters."""
        with self._uow() as uow:
            return uow.organizations.find(page, region_code=region_code, role=role, text=text)

    def record_economics(self, actor: Principal, record: EconomicRecord) -> EconomicRecord:
        """Store (or replace) one year's figures of an organization the actor acts for."""
        organization = self.get(record.organization_id)
        require_acts_for(actor, organization)
        with self._uow() as uow:
            uow.organizations.put_economics(record)
            uow.commit()
        return record

    def record_economics_many(
        self, actor: Principal, records: Sequence[EconomicRecord]
    ) -> list[EconomicRecord]:
        """Store (or replace) several years' figures in one transaction, all or none."""
        for organization_id in dict.fromkeys(r.organization_id for r in records):
            require_acts_for(actor, self.get(organization_id))
        with self._uow() as uow:
            uow.organizations.put_economics_many(records)
            uow.commit()
        return list(records)

    def economics(self, actor: Principal, organization_id: uuid.UUID) -> list[EconomicRecord]:
        """An organization's yearly figures; only for the firm itself and its regulators."""
        require_acts_for(actor, self.get(organization_id))
        with self._uow() as uow:
            return uow.organizations.economics(organization_id)
