"""Carbon views: the city's avoided emissions (and the carbon hub), a firm's and a chain's."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse

from zerowaste.carbon.aggregate import Granularity
from zerowaste.errors import InvalidInput, NotAuthenticated
from zerowaste.services.carbon_report import CarbonReport, ReportRow, Scope, SetFigure
from zerowaste.web.i18n import Translator
from zerowaste.web.pages.firm_page import path_id
from zerowaste.web.pages.trace import PLOTLY_PREFIX
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer

#: Iterations of the Monte Carlo behind a page's intervals.
PAGE_ITERATIONS = 1000
#: Sibling pages of the carbon hub, built by the other parts of carbon accounting.
HUB_LINKS = ("factors", "footprints", "pact", "cbam")
TONNE = Decimal(1000)


def _day(raw: str | None, field: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"{raw!r} is not a YYYY-MM-DD date", field=field) from None


def _granularity(raw: str | None) -> Granularity:
    try:
        return Granularity(raw or "month")
    except ValueError:
        raise InvalidInput(f"{raw!r} is not month, quarter or year", field="granularity") from None


def _set(figure: SetFigure) -> dict[str, Any]:
    interval = figure.interval
    return {
        "t": figure.co2e_kg / TONNE,
        "low_t": interval.low_kg / 1000 if interval else None,
        "high_t": interval.high_kg / 1000 if interval else None,
        "refs": figure.refs,
        "unaccounted": sum(figure.unaccounted.values()),
        "unaccounted_t": figure.unaccounted_kg / TONNE,
    }


def _row(t: Translator, row: ReportRow, group: str) -> dict[str, Any]:
    label = row.key
    if group == "route":
        label = t(f"carbon.route.{row.key}")
    elif group == "material":
        label = t(f"carbon.material.{row.key}")
    return {
        "key": row.key,
        "label": label,
        "flows": row.flows,
        "mass_t": row.mass_kg / TONNE,
        "avoided": _set(row.avoided),
        "inventory": _set(row.inventory),
    }


def chart_of(t: Translator, report: CarbonReport) -> dict[str, Any]:
    """The series the page script draws: avoided with its band, inventory apart (t CO2e)."""
    rows = report.by_period

    def series(pick: str) -> dict[str, list[float | None]]:
        figures = [getattr(r, pick) for r in rows]
        return {
            "value": [float(f.co2e_kg / TONNE) for f in figures],
            "low": [f.interval.low_kg / 1000 if f.interval else None for f in figures],
            "high": [f.interval.high_kg / 1000 if f.interval else None for f in figures],
        }

    return {
        "periods": [r.key for r in rows],
        "avoided": series("avoided"),
        "inventory": series("inventory"),
        "labels": {
            "avoided": t("carbon.chart.avoided"),
            "inventory": t("carbon.chart.inventory"),
            "band": t("carbon.chart.band"),
            "unit": t("carbon.unit_t"),
        },
    }


class CarbonPages:
    """Renders the three carbon views from one template."""

    def __init__(self, renderer: PageRenderer) -> None:
        self.renderer = renderer
        self.context = renderer.context

    def render(
        self,
        request: Request,
        scope: Scope,
        scope_id: str | None,
        title: str,
        extra: dict[str, Any] | None = None,
    ) -> HTMLResponse:
        """A scope's report with its chart, tables and factors."""
        t = self.renderer.translator(request)
        query = request.query_params
        period_from, period_to = _day(query.get("from"), "from"), _day(query.get("to"), "to")
        granularity = _granularity(query.get("granularity"))
        principal = self.renderer.principal(request)
        report = self.context.carbon.avoided(
            principal, scope, scope_id, period_from, period_to, granularity, PAGE_ITERATIONS
        )
        root = str(request.scope.get("root_path", "")).rstrip("/")
        chart = chart_of(t, report)
        values = {
            "active": "carbon",
            "title": title,
            "scope": scope.value,
            "scope_id": scope_id or "",
            "report": report,
            "total": _row(t, report.total, "total"),
            "by_period": [_row(t, r, "period") for r in report.by_period],
            "by_route": [_row(t, r, "route") for r in report.by_route],
            "by_material": [_row(t, r, "material") for r in report.by_material],
            "factors": report.factors,
            "chart": chart,
            "has_chart": bool(chart["periods"]),
            "plotly_js": f"{root}{PLOTLY_PREFIX}/plotly.min.js",
            "hub": HUB_LINKS if scope is Scope.CITY else (),
            "period_from": period_from.isoformat() if period_from else "",
            "period_to": period_to.isoformat() if period_to else "",
            "granularity": granularity.value,
            "granularities": [g.value for g in Granularity],
            "factor_url": lambda ref: f"{root}/carbon/factors/{ref}",
            "members": [],
            **(extra or {}),
        }
        return self.renderer.render(request, "carbon.html", values)


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the carbon views.

    Args:
        renderer: Renders the pages.
    """
    router = page_router(renderer)
    pages = CarbonPages(renderer)
    context = renderer.context

    @router.get("/carbon", response_class=HTMLResponse)
    def city(request: Request) -> HTMLResponse:
        """The carbon hub and the city's avoided emissions (public aggregates)."""
        region = request.query_params.get("region") or None
        t = renderer.translator(request)
        return pages.render(request, Scope.CITY, region, t("carbon.city_title"))

    @router.get("/carbon/firms/{organization_id}", response_class=HTMLResponse)
    def firm(request: Request, organization_id: str) -> HTMLResponse:
        """A firm's avoided emissions: its users, regulators over its region, admins."""
        firm_id = path_id(organization_id, "organization_id")
        if renderer.principal(request) is None:
            raise NotAuthenticated("sign in to see a firm's carbon figures")
        organization = context.organizations.get(firm_id)
        t = renderer.translator(request)
        return pages.render(
            request, Scope.FIRM, str(firm_id), t("carbon.firm_title", name=organization.name)
        )

    @router.get("/carbon/chains/{chain_master_id}", response_class=HTMLResponse)
    def chain(request: Request, chain_master_id: str) -> HTMLResponse:
        """A chain's avoided emissions: the chain master's users, regulators, admins."""
        master_id: uuid.UUID = path_id(chain_master_id, "chain_master_id")
        principal = renderer.principal(request)
        if principal is None:
            raise NotAuthenticated("sign in to see a chain's carbon figures")
        organization = context.organizations.get(master_id)
        chain = context.chains.chain(principal, master_id)
        firms = context.organizations.many(m.supplier_id for m in chain.members)
        members = [firms[m.supplier_id] for m in chain.members if m.supplier_id in firms]
        t = renderer.translator(request)
        title = t("carbon.chain_title", name=organization.name)
        return pages.render(request, Scope.CHAIN, str(master_id), title, {"members": members})

    return router
