"""The firm list (search, role filter, pages) and the firm page (built by `firm_page`)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from starlette.requests import Request
from starlette.responses import HTMLResponse

from zerowaste.api.pagination import encode_cursor, page_request
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.organizations import OrganizationRole
from zerowaste.errors import InvalidInput
from zerowaste.web.pages.common import RegionNames, firm_name
from zerowaste.web.pages.firm_page import FirmPage
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


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the firm list and firm pages.

    Args:
        renderer: Renders the pages.
    """
    router = page_router(renderer)
    context = renderer.context
    firm_page = FirmPage(renderer)

    @router.get("/firms", response_class=HTMLResponse)
    def firms(
        request: Request,
        q: Annotated[str, Query(max_length=200)] = "",
        role: Annotated[str, Query(max_length=40)] = "",
        cursor: Annotated[str, Query(max_length=400)] = "",
    ) -> HTMLResponse:
        """A page of firms matching the search text and role."""
        t = renderer.translator(request)
        principal = renderer.principal(request)
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
            "can_register": principal is not None
            and principal.role in (UserRole.ADMIN, UserRole.REGULATOR),
            "first_url": f"{path}?{urlencode(filters)}".rstrip("?") if cursor else None,
            "next_url": (
                f"{path}?{urlencode([*filters, ('cursor', next_cursor)])}" if next_cursor else None
            ),
        }
        return renderer.render(request, "firms.html", values)

    @router.get("/firms/{firm_id}", response_class=HTMLResponse)
    def firm(request: Request, firm_id: str) -> HTMLResponse:
        """One firm: registry facts, sites, permits, keys, and more for those acting for it."""
        return firm_page.render(request, firm_page.organization(firm_id))

    return router
