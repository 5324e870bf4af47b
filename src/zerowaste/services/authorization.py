"""Scope checks shared by the services: who may act on which region or organization."""

from __future__ import annotations

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
