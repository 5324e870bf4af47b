"""The firm page: registry facts, sites, permits, signing keys, and for those allowed, more."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from zerowaste.bootstrap import Context
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import SigningKey, User
from zerowaste.domain.organizations import Organization, OrganizationRole
from zerowaste.domain.permits import Permit, PermitActivity
from zerowaste.domain.sites import Site
from zerowaste.errors import NotFound
from zerowaste.web.forms import Form
from zerowaste.web.i18n import Translator
from zerowaste.web.pages.common import RegionNames, collect, firm_name, map_config
from zerowaste.web.pages.holdings import holdings_view
from zerowaste.web.templating import PageRenderer


def path_id(raw: str, field: str) -> uuid.UUID:
    """Return the id in a page path, or raise `NotFound` (a malformed id names nothing).

    Args:
        raw: The path segment.
        field: The parameter's name, such as `organization_id`.
    """
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise NotFound(f"no such {field.removesuffix('_id')} {raw}", field=field) from None


def industry_name(context: Context, code: str | None) -> str | None:
    """Return `code` followed by the industry's Chinese name (the code alone if unknown)."""
    if not code:
        return None
    try:
        return f"{code} {context.registry.industry(code).name_zh}"
    except NotFound:
        return code


def permit_status(permit: Permit, today: date) -> str:
    """Return `in_force`, `expired` or `pending` for a permit on the day `today`."""
    if permit.valid_to < today:
        return "expired"
    if permit.valid_from > today:
        return "pending"
    return "in_force"


def _permit_view(
    permit: Permit, t: Translator, sites: dict[uuid.UUID, Site], today: date
) -> dict[str, Any]:
    site = sites.get(permit.site_id) if permit.site_id else None
    status = permit_status(permit, today)
    return {
        "id": permit.id,
        "number": permit.number,
        "kind": t.enum("permit_kind", permit.kind),
        "codes": permit.waste_codes,
        "activities": [t.enum("activity", a) for a in PermitActivity if a in permit.activities],
        "capacity_t": permit.annual_capacity_t,
        "valid_from": permit.valid_from,
        "valid_to": permit.valid_to,
        "site": site.name if site else "",
        "status": status,
        "issued_by": permit.issued_by,
        "revocable": status != "expired",
        "revoke_default": max(min(today, permit.valid_to), permit.valid_from).isoformat(),
    }


def _key_view(key: SigningKey, now: datetime) -> dict[str, Any]:
    return {
        "id": key.id,
        "public_key": base64.b64encode(key.public_key).decode(),
        "custodial": key.custodial,
        "valid_from": key.valid_from.date().isoformat(),
        "valid_to": key.valid_to.date().isoformat() if key.valid_to else "",
        "valid": key.valid_at(now),
    }


def _user_view(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "active": user.active,
        "created": user.created_at.date().isoformat(),
    }


def may_oversee(principal: Principal | None, organization: Organization) -> bool:
    """Whether the principal may change the firm's registration and permits."""
    return principal is not None and principal.oversees(organization.region_code)


def may_act_for(principal: Principal | None, organization: Organization) -> bool:
    """Whether the principal may see and change the firm's own data (sites, figures, keys)."""
    return principal is not None and principal.acts_for(organization.id, organization.region_code)


class FirmPage:
    """Builds and renders the firm page, also again after a refused action on it.

    Args:
        renderer: Renders the page; its context holds the services.
    """

    def __init__(self, renderer: PageRenderer) -> None:
        self.renderer = renderer
        self.context = renderer.context

    def organization(self, raw_id: str) -> Organization:
        """Return the organization a page path names, or raise `NotFound`."""
        return self.context.organizations.get(path_id(raw_id, "organization_id"))

    def render(
        self,
        request: Request,
        organization: Organization,
        *,
        status: int = 200,
        inline: Mapping[str, Form] | None = None,
    ) -> HTMLResponse:
        """Render the page of `organization`.

        Args:
            request: The request being answered.
            organization: The firm shown.
            status: The HTTP status (an error's, after a refused action on the page).
            inline: Forms on the page shown with their values and errors, keyed
                `revoke-<permit id>`, `site-<site id>` or `keys`.
        """
        context = self.context
        t = self.renderer.translator(request)
        principal = self.renderer.principal(request)
        sites = collect(lambda p: context.sites.find_sites(p, organization_id=organization.id))
        permits = collect(lambda p: context.sites.find_permits(p, organization_id=organization.id))
        by_id = {s.id: s for s in sites}
        now = context.clock()
        acting = may_act_for(principal, organization)
        economics = users = holdings = None
        if principal is not None and acting:
            holdings = holdings_view(context, principal, organization, sites, t)
            economics = context.organizations.economics(principal, organization.id)
            users = [
                _user_view(u)
                for u in collect(lambda p: context.accounts.users_of(principal, organization.id, p))
            ]
        regions = RegionNames(context)
        root = str(request.scope.get("root_path", "")).rstrip("/")
        values = {
            "active": "firms",
            "firm": organization,
            "name": firm_name(organization, t.language),
            "region": f"{organization.region_code} {regions(organization.region_code)}",
            "jurisdiction": (
                f"{organization.jurisdiction_code} {regions(organization.jurisdiction_code)}"
                if organization.jurisdiction_code
                else None
            ),
            "industry": industry_name(context, organization.industry_code),
            "roles": [t.enum("role", r) for r in OrganizationRole if r in organization.roles],
            "sites": [
                {"site": s, "kind": t.enum("site_kind", s.kind), "region": regions(s.region_code)}
                for s in sites
            ],
            "permits": [_permit_view(p, t, by_id, now.date()) for p in permits],
            "economics": economics,
            "users": users,
            "holdings": holdings,
            "keys": [_key_view(k, now) for k in context.signing_keys.keys_of(organization.id)],
            "can_oversee": may_oversee(principal, organization),
            "can_act": acting,
            "inline": dict(inline or {}),
            "map": map_config(context, t, sites, {organization.id: organization}, root),
        }
        return self.renderer.render(request, "firm.html", values, status=status)
