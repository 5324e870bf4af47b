"""CBAM pages: the reports a signed-in user may see, and one report's goods and their inputs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse

from zerowaste.api.router import API_PREFIX
from zerowaste.domain.access import Principal
from zerowaste.errors import NotAuthenticated
from zerowaste.web.pages.firm_page import path_id
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer

#: Where the factor browser shows one factor (its `ref` appended).
FACTOR_PAGE = "/carbon/factors/"


def _signed_in(renderer: PageRenderer, request: Request) -> Principal:
    principal = renderer.principal(request)
    if principal is None:
        raise NotAuthenticated("sign in to see CBAM reports")
    return principal


def _row(report: Any) -> dict[str, Any]:
    goods = report.results["goods"]
    return {
        "id": report.id,
        "installation": report.results["installation"]["name"],
        "operator": report.results["installation"]["operator"],
        "period": report.period,
        "version": report.version,
        "goods": ", ".join(dict.fromkeys(good["cn_code"] for good in goods)),
        "created_at": report.created_at.strftime("%Y-%m-%d %H:%M"),
    }


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the CBAM pages.

    Args:
        renderer: Renders the pages; its context holds the services.
    """
    router = page_router(renderer)
    context = renderer.context

    @router.get("/carbon/cbam", response_class=HTMLResponse)
    def reports(request: Request) -> HTMLResponse:
        """The reports the user may see, newest first (a firm its own, a regulator its area's)."""
        principal = _signed_in(renderer, request)
        rows = [_row(report) for report in context.cbam.list(principal)]
        return renderer.render(request, "cbam.html", {"active": "carbon", "rows": rows})

    @router.get("/carbon/cbam/{report_id}", response_class=HTMLResponse)
    def report(request: Request, report_id: str) -> HTMLResponse:
        """One report: goods with SEE, each process's precursors, electricity and fuels."""
        principal = _signed_in(renderer, request)
        found = context.cbam.get(principal, path_id(report_id, "report_id"))
        root = str(request.scope.get("root_path", "")).rstrip("/")
        api = f"{root}{API_PREFIX}/carbon/cbam/reports/{found.id}"
        values = {
            "active": "carbon",
            "report": found,
            "doc": found.results,
            "csv_url": f"{api}.csv",
            "json_url": f"{api}.json",
            "factor_page": f"{root}{FACTOR_PAGE}",
        }
        return renderer.render(request, "cbam_report.html", values)

    return router
