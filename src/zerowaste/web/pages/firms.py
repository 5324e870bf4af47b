"""The firm list (search, role filter, pages) and the firm page (sites, permits, economics)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from starlette.requests import Request
from starlette.responses import HTMLResponse

from zerowaste.api.pagination import encode_cursor, page_request
from zerowaste.bootstrap import Context
from zerowaste.domain.organizations import Organization, OrganizationRole
from zerowaste.domain.permits import Permit, PermitActivity
from zerowaste.domain.sites import Site
from zerowaste.errors import InvalidInput, NotFound
from zerowaste.web.i18n import Translator
from zerowaste.web.pages.common import RegionNames, collect, firm_name, map_config
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer

FIRMS_PER_PAGE = 25


def _role(value: str) -> OrganizationRole | None:
    if not value:
        return None
    try:
        return OrganizationRole(value)
    except ValueError:
        raise InvalidInput(f"{value!r} is not a role", field="role") from None


def _industry_name(context: Context, code: str | None) -> str | None:
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
    return {
        "number": permit.number,
        "kind": t.enum("permit_kind", permit.kind),
        "codes": permit.waste_codes,
        "activities": [t.enum("activity", a) for a in PermitActivity if a in permit.activities],
        "capacity_t": permit.annual_capacity_t,
        "valid_from": permit.valid_from,
        "valid_to": permit.valid_to,
        "site": site.name if site else "",
        "status": permit_status(permit, today),
        "issued_by": permit.issued_by,
    }


def _organization_id(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise NotFound(f"no organization {raw}", field="organization_id") from None


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the firm list and firm pages.

    Args:
        renderer: Renders the pages.
    """
    router = page_router(renderer)
    context = renderer.context

    @router.get("/firms", response_class=HTMLResponse)
    def firms(
        request: Request,
        q: Annotated[str, Query(max_length=200)] = "",
        role: Annotated[str, Query(max_length=40)] = "",
        cursor: Annotated[str, Query(max_length=400)] = "",
    ) -> HTMLResponse:
        """A page of firms matching the search text and role."""
        t = renderer.translator(request)
        text = q.strip()
        chosen = _role(role)
        page = context.organizations.find(
            page_request(cursor or None, FIRMS_PER_PAGE), role=chosen, text=text or None
        )
        regions = RegionNames(context)
        rows = [
            {
                "id": o.id,
                "name": firm_name(o, t.language),
                "credit_code": o.credit_code,
                "region": regions(o.region_code),
                "roles": [t.enum("role", r) for r in OrganizationRole if r in o.roles],
            }
            for o in page.items
        ]
        filters = [(k, v) for k, v in (("q", text), ("role", role)) if v]
        next_cursor = encode_cursor(page.next_after)
        path = request.url.path
        values = {
            "active": "firms",
            "q": text,
            "role": role,
            "roles": [(r.value, t.enum("role", r)) for r in OrganizationRole],
            "rows": rows,
            "first_url": f"{path}?{urlencode(filters)}".rstrip("?") if cursor else None,
            "next_url": (
                f"{path}?{urlencode([*filters, ('cursor', next_cursor)])}" if next_cursor else None
            ),
        }
        return renderer.render(request, "firms.html", values)

    @router.get("/firms/{firm_id}", response_class=HTMLResponse)
    def firm(request: Request, firm_id: str) -> HTMLResponse:
        """One firm: registry facts, sites, permits, and economics for those acting for it."""
        t = renderer.translator(request)
        organization: Organization = context.organizations.get(_organization_id(firm_id))
        principal = renderer.principal(request)
        sites = collect(lambda p: context.sites.find_sites(p, organization_id=organization.id))
        permits = collect(lambda p: context.sites.find_permits(p, organization_id=organization.id))
        by_id = {s.id: s for s in sites}
        today = context.clock().date()
        economics = None
        if principal is not None and principal.acts_for(organization.id, organization.region_code):
            economics = context.organizations.economics(principal, organization.id)
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
            "industry": _industry_name(context, organization.industry_code),
            "roles": [t.enum("role", r) for r in OrganizationRole if r in organization.roles],
            "sites": [
                {"site": s, "kind": t.enum("site_kind", s.kind), "region": regions(s.region_code)}
                for s in sites
            ],
            "permits": [_permit_view(p, t, by_id, today) for p in permits],
            "economics": economics,
            "map": map_config(context, t, sites, {organization.id: organization}, root),
        }
        return renderer.render(request, "firm.html", values)

    return router
