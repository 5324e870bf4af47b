"""The public city page: what is registered, and a map of every site."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse

from zerowaste.domain.organizations import OrganizationRole
from zerowaste.domain.permits import PermitKind
from zerowaste.domain.sites import SiteKind
from zerowaste.web.pages.common import collect, map_config
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the home page.

    Args:
        renderer: Renders the pages.
    """
    router = page_router(renderer)
    context = renderer.context

    @router.get("/", response_class=HTMLResponse)
    def home(request: Request) -> HTMLResponse:
        """The city overview: counts by role and kind, and the map of sites."""
        t = renderer.translator(request)
        summary = context.registry.summary()
        sites = collect(lambda page: context.sites.find_sites(page))
        organizations = {o.id: o for o in collect(lambda page: context.organizations.find(page))}
        root = str(request.scope.get("root_path", "")).rstrip("/")
        tables = [
            (
                "home.by_role",
                [
                    (t.enum("role", r), summary.organizations_by_role.get(r, 0))
                    for r in OrganizationRole
                ],
            ),
            (
                "home.sites_by_kind",
                [(t.enum("site_kind", k), summary.sites_by_kind.get(k, 0)) for k in SiteKind],
            ),
            (
                "home.permits_by_kind",
                [(t.enum("permit_kind", k), summary.permits_by_kind.get(k, 0)) for k in PermitKind],
            ),
        ]
        values = {
            "active": "home",
            "summary": summary,
            "tables": tables,
            "site_count": len(sites),
            "map": map_config(context, t, sites, organizations, root),
        }
        return renderer.render(request, "home.html", values)

    return router
