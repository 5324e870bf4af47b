"""Indicator pages: the registry, the public city dashboard, firm and chain scorecards."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse

from zerowaste.domain.indicators import (
    IndicatorDefinition,
    IndicatorLevel,
    IndicatorValue,
    Period,
)
from zerowaste.errors import NotAuthenticated
from zerowaste.web.i18n import Translator
from zerowaste.web.pages.firm_page import path_id
from zerowaste.web.pages.trace import PLOTLY_PREFIX
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer

#: Years a city page's trend charts reach back, the period's own year included.
TREND_YEARS = 5


def definition_row(t: Translator, d: IndicatorDefinition) -> dict[str, Any]:
    """What the pages show of a definition, in the page language."""
    return {
        "id": d.indicator_id,
        "name": d.name(t.language),
        "other_name": d.name_en if t.language.startswith("zh") else d.name_zh,
        "formula": d.formula,
        "unit": d.unit,
        "scope": d.scope,
        "levels": [t(f"ind.level.{v.value}") for v in d.levels],
        "direction": t(f"ind.direction.{d.direction.value}"),
        "family": t(f"ind.family.{d.family.value}"),
        "origin": d.origin.value,
        "origin_label": t(f"ind.origin.{d.origin.value}"),
        "source": d.source,
        "statistics": d.statistics,
        "zero_waste_city": d.zero_waste_city,
    }


class IndicatorPages:
    """Renders the registry, city and scorecard pages from the indicator service."""

    def __init__(self, renderer: PageRenderer) -> None:
        self.renderer = renderer
        self.context = renderer.context

    def _period(self, request: Request) -> Period:
        raw = request.query_params.get("period")
        return Period.parse(raw) if raw else Period.year(self.context.clock().year)

    def _rows(self, t: Translator, values: list[IndicatorValue]) -> list[dict[str, Any]]:
        service = self.context.indicators
        rows = []
        for v in values:
            d = service.definition(v.indicator_id)
            target, met = service.judge(v)
            rows.append(
                {
                    "definition": definition_row(t, d),
                    "value": v,
                    "target": target,
                    "met": met,
                }
            )
        return rows

    def registry(self, request: Request) -> HTMLResponse:
        """Every indicator with its formula, scope, origin and source."""
        t = self.renderer.translator(request)
        rows = [definition_row(t, d) for d in self.context.indicators.definitions()]
        return self.renderer.render(
            request, "indicators.html", {"active": "cities", "definitions": rows}
        )

    def detail(self, request: Request, indicator_id: str) -> HTMLResponse:
        """One indicator's definition."""
        t = self.renderer.translator(request)
        d = definition_row(t, self.context.indicators.definition(indicator_id))
        return self.renderer.render(request, "indicator.html", {"active": "cities", "d": d})

    def cities(self, request: Request) -> HTMLResponse:
        """The cities with data."""
        found = self.context.indicators.cities()
        return self.renderer.render(request, "cities.html", {"active": "cities", "cities": found})

    def city(self, request: Request, region: str) -> HTMLResponse:
        """A city's public dashboard: the indicator set against targets, trends, how computed."""
        t = self.renderer.translator(request)
        period = self._period(request)
        service = self.context.indicators
        values = service.values(None, IndicatorLevel.CITY, region, period)
        name = self.context.registry.region(region).name_zh
        trend: dict[str, dict[str, Any]] = {}
        last = period.years[-1]
        for year in range(last - TREND_YEARS + 1, last + 1):
            yearly = Period.year(year)
            found = (
                values
                if yearly == period
                else service.values(None, IndicatorLevel.CITY, region, yearly)
            )
            for v in found:
                series = trend.setdefault(v.indicator_id, {"x": [], "y": []})
                series["x"].append(str(year))
                series["y"].append(float(v.value) if v.value is not None else None)
        rows = self._rows(t, values)
        for row in rows:
            d = row["definition"]
            series = trend.get(d["id"], {"x": [], "y": []})
            target = row["target"]
            row["chart"] = {
                "x": series["x"],
                "y": series["y"],
                "target": float(target.value) if target else None,
                "labels": {"value": d["name"], "target": t("ind.target"), "unit": d["unit"]},
            }
            row["has_chart"] = any(y is not None for y in series["y"])
        root = str(request.scope.get("root_path", "")).rstrip("/")
        statistics = service.statistics(region, period.whole_year) if period.whole_year else []
        return self.renderer.render(
            request,
            "city_indicators.html",
            {
                "active": "cities",
                "region": region,
                "name": name,
                "period": period.label,
                "rows": rows,
                "has_chart": any(r["has_chart"] for r in rows),
                "plotly_js": f"{root}{PLOTLY_PREFIX}/plotly.min.js",
                "statistics": statistics,
            },
        )

    def scorecard(self, request: Request, level: IndicatorLevel, raw_id: str) -> HTMLResponse:
        """A firm's or a chain's scorecard (signed in; the service checks access)."""
        organization_id = path_id(raw_id, "organization_id")
        principal = self.renderer.principal(request)
        if principal is None:
            raise NotAuthenticated(f"sign in to see a {level}'s scorecard")
        t = self.renderer.translator(request)
        period = self._period(request)
        values = self.context.indicators.values(principal, level, str(organization_id), period)
        organization = self.context.organizations.get(organization_id)
        members = []
        if level is IndicatorLevel.CHAIN:
            chain = self.context.chains.chain(principal, organization_id)
            firms = self.context.organizations.many(m.supplier_id for m in chain.members)
            members = [firms[m.supplier_id] for m in chain.members if m.supplier_id in firms]
        key = "ind.scorecard_firm" if level is IndicatorLevel.FIRM else "ind.scorecard_chain"
        return self.renderer.render(
            request,
            "scorecard.html",
            {
                "active": "",
                "title": t(key, name=organization.name),
                "level": level.value,
                "organization": organization,
                "period": period.label,
                "rows": self._rows(t, values),
                "members": members,
            },
        )


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the indicator pages.

    Args:
        renderer: Renders the pages.
    """
    router = page_router(renderer)
    pages = IndicatorPages(renderer)

    @router.get("/indicators", response_class=HTMLResponse)
    def registry(request: Request) -> HTMLResponse:
        """The indicator registry (public)."""
        return pages.registry(request)

    @router.get("/indicators/{indicator_id}", response_class=HTMLResponse)
    def indicator(request: Request, indicator_id: str) -> HTMLResponse:
        """One indicator's definition (public)."""
        return pages.detail(request, indicator_id)

    @router.get("/cities", response_class=HTMLResponse)
    def cities(request: Request) -> HTMLResponse:
        """The cities with data (public)."""
        return pages.cities(request)

    @router.get("/cities/{region}", response_class=HTMLResponse)
    def city(request: Request, region: str) -> HTMLResponse:
        """A city's zero-waste dashboard (public aggregates)."""
        return pages.city(request, region)

    @router.get("/firms/{organization_id}/scorecard", response_class=HTMLResponse)
    def firm_scorecard(request: Request, organization_id: str) -> HTMLResponse:
        """A firm's scorecard: its users, regulators over it, admins."""
        return pages.scorecard(request, IndicatorLevel.FIRM, organization_id)

    @router.get("/chains/{chain_master_id}/scorecard", response_class=HTMLResponse)
    def chain_scorecard(request: Request, chain_master_id: str) -> HTMLResponse:
        """A chain's scorecard: the chain master's users, regulators over it, admins."""
        return pages.scorecard(request, IndicatorLevel.CHAIN, chain_master_id)

    return router
