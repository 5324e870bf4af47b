"""Scope checks shared by the services: who may act on which region or organization."""

from __future__ import annotations

import uuid

from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.organizations import Organization
from zerowaste.errors import Forbidden


def require_admin(actor: Principal) -> None:
    """Raise `Forbidden` unless the actor is an administrator."""
    if actor.role is not UserRole.ADMIN:
        raise Forbidden("administrators only")


def require_oversight(actor: Principal, region_code: str, *, field: str = "region_code") -> None:
    """Raise `Forbidden` unless the actor is an admin or a regulator over `region_code`."""
    if not actor.oversees(region_code):
        raise Forbidden(f"region {region_code} is outside your jurisdiction", field=field)


def require_acts_for(actor: Principal, organization: Organization) -> None:
    """Raise `Forbidden` unless the actor may read and write this organization's own data."""
    if not actor.acts_for(organization.id, organization.region_code):
        raise Forbidden("this organization's data is not yours to see or change")


def listing_scope(
    actor: Principal, organization_id: uuid.UUID | None
) -> tuple[uuid.UUID | None, str | None]:
    """What a list without a named organization shows: (organization, region code prefix).

    An admin sees all; a regulator its jurisdiction; a firm user its own organization.
    """
    if organization_id is not None or actor.role is UserRole.ADMIN:
        return organization_id, None
    if actor.jurisdiction_code is not None:
        return None, actor.jurisdiction_code
    if actor.organization_id is not None:
        return actor.organization_id, None
    raise Forbidden("name an organization you act for", field="organization_id")
