"""Builders of valid registry records for tests."""

from __future__ import annotations

import itertools
import uuid
from datetime import date
from decimal import Decimal

from zerowaste.bootstrap import Context
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import NewUser, UserRole
from zerowaste.domain.credit_codes import make_credit_code
from zerowaste.domain.organizations import NewOrganization, Organization, OrganizationRole
from zerowaste.domain.permits import NewPermit, Permit, PermitActivity, PermitKind
from zerowaste.domain.sites import NewSite, Site, SiteKind

OPERATOR = Principal(user_id=uuid.UUID(int=0), username="operator", role=UserRole.ADMIN)
PASSWORD = "correct-horse-battery"
_serial = itertools.count(1)


def credit_code(region_code: str = "320505") -> str:
    """A fresh valid credit code."""
    return make_credit_code("9", "1", region_code, f"MA{next(_serial):06d}")


class Factory:
    """Create organizations, sites, permits, users and API keys through the services."""

    def __init__(self, context: Context) -> None:
        self.context = context

    def organization(
        self,
        region_code: str = "320505",
        roles: tuple[OrganizationRole, ...] = (OrganizationRole.GENERATOR,),
        name: str = "测试企业",
        industry_code: str | None = "3670",
    ) -> Organization:
        """Register an organization."""
        new = NewOrganization(
            credit_code(region_code), name, region_code, industry_code, None, frozenset(roles)
        )
        return self.context.organizations.register(OPERATOR, new)

    def site(self, organization: Organization, kind: SiteKind = SiteKind.PLANT) -> Site:
        """Register a site near Suzhou."""
        new = NewSite("一号厂区", kind, organization.region_code, 31.3, 120.6, "测试路1号")
        return self.context.sites.add_site(OPERATOR, organization.id, new)

    def permit(self, organization: Organization, codes: tuple[str, ...] = ("HW08",)) -> Permit:
        """Record a hazardous waste business licence."""
        new = NewPermit(
            kind=PermitKind.HAZARDOUS_WASTE_BUSINESS,
            number=f"JSSZ{next(_serial):06d}",
            activities=frozenset({PermitActivity.COLLECT, PermitActivity.UTILIZE}),
            waste_codes=codes,
            annual_capacity_t=Decimal("5000"),
            valid_from=date(2025, 1, 1),
            valid_to=date(2029, 12, 31),
        )
        return self.context.sites.grant_permit(OPERATOR, organization.id, new)

    def user(
        self,
        role: UserRole,
        *,
        organization: Organization | None = None,
        jurisdiction_code: str | None = None,
    ) -> Principal:
        """Create a user and return the principal it acts as."""
        username = f"{role.value}-{next(_serial)}"
        new = NewUser(
            username,
            PASSWORD,
            role,
            organization_id=organization.id if organization else None,
            jurisdiction_code=jurisdiction_code,
        )
        self.context.accounts.create_user(OPERATOR, new)
        return self.context.accounts.principal_by_username(username)

    def api_key(self, principal: Principal) -> dict[str, str]:
        """Authorization headers carrying a new API key of `principal`."""
        _, token = self.context.accounts.issue_api_key(principal, "test")
        return {"Authorization": f"Bearer {token}"}
