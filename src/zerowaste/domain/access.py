"""Who may do what: principals and the access rules every route declares."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from zerowaste.domain.accounts import UserRole
from zerowaste.domain.regions import in_jurisdiction


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller: an admin, a regulator over a region, or a firm's user."""

    user_id: uuid.UUID
    username: str
    role: UserRole
    organization_id: uuid.UUID | None = None
    jurisdiction_code: str | None = None

    def oversees(self, region_code: str) -> bool:
        """Whether this principal may see everything in `region_code`."""
        if self.role is UserRole.ADMIN:
            return True
        return (
            self.role is UserRole.REGULATOR
            and self.jurisdiction_code is not None
            and in_jurisdiction(region_code, self.jurisdiction_code)
        )

    def acts_for(self, organization_id: uuid.UUID, region_code: str) -> bool:
        """Whether this principal may read and write an organization's own data."""
        return self.organization_id == organization_id or self.oversees(region_code)


class Rule(StrEnum):
    """The access rule a route declares.

    - `public`: anyone, signed in or not.
    - `authenticated`: any signed-in user (acting on their own account).
    - `regulator`: an admin, or a regulator; the target region must be in its jurisdiction.
    - `organization`: an admin, a regulator over the organization's region, or that
      organization's own users.
    - `admin`: administrators only.
    - `pact_client`: a PACT v3 data recipient with a bearer token from `/pact/auth/token`;
      no API key or web session passes it (the PACT routes answer in PACT's error shape).
    """

    PUBLIC = "public"
    AUTHENTICATED = "authenticated"
    REGULATOR = "regulator"
    ORGANIZATION = "organization"
    ADMIN = "admin"
    PACT_CLIENT = "pact_client"


def role_may_attempt(rule: Rule, role: UserRole | None) -> bool:
    """Whether a caller of `role` (None: anonymous) can pass `rule` for some target."""
    if rule is Rule.PUBLIC:
        return True
    if rule is Rule.PACT_CLIENT:
        return False
    if role is None:
        return False
    if rule is Rule.ADMIN:
        return role is UserRole.ADMIN
    if rule is Rule.REGULATOR:
        return role in (UserRole.ADMIN, UserRole.REGULATOR)
    return True
