"""Forecast and scenario pages: a series with forecast bands and backtest; what-if projections."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse

from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.errors import InvalidInput, NotAuthenticated
from zerowaste.errors.evaluation import SeriesTooShort
from zerowaste.evaluation.forecast import DEFAULT_LEVELS, MAX_HORIZON, Forecast
from zerowaste.evaluation.scenarios import MAX_SCENARIO_MONTHS, ChangeKind, Fate, Projection
from zerowaste.services.forecasts import GenerationSeries, SeriesLevel, parse_month
from zerowaste.web.i18n import Translator
from zerowaste.web.pages.trace import PLOTLY_PREFIX
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer


def _int(raw: str | None, field: str, default: int, low: int, high: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput(f"{raw!r} is not a whole number", field=field) from None
    if not low <= value <= high:
        raise InvalidInput(f"must be {low} to {high}", field=field)
    return value


def _float(raw: str | None, field: str) -> float | None:
    if raw is None or raw.strip() == "":
        return None
    try:
        return float(raw)
    except ValueError:
        raise InvalidInput(f"{raw!r} is not a number", field=field) from None


def default_subject(principal: Principal) -> tuple[SeriesLevel, str]:
    """What the page shows first: a firm user's own firm, a regulator's jurisdiction."""
    if principal.role is UserRole.FIRM and principal.organization_id is not None:
        return SeriesLevel.FIRM, str(principal.organization_id)
    if principal.jurisdiction_code:
        return SeriesLevel.CITY, principal.jurisdiction_code
    return SeriesLevel.CITY, ""


def forecast_chart(t: Translator, found: GenerationSeries, result: Forecast) -> dict[str, Any]:
    """The series the page script draws: history, the chosen forecast and its bands."""
    chosen = result.chosen
    return {
        "history": {
            "months": [f"{m:%Y-%m}" for m in found.series.months],
            "tonnes": list(found.series.values),
        },
        "forecast": {
            "months": [f"{m:%Y-%m}" for m in result.months],
            "mean": list(chosen.mean),
            "bands": [
                {
                    "level": level,
                    "lower": list(chosen.lower[level]),
                    "upper": list(chosen.upper[level]),
                }
                for level in sorted(result.levels, reverse=True)
            ],
        },
        "labels": {
            "history": t("forecasts.chart.history"),
            "forecast": t("forecasts.chart.forecast", model=chosen.model),
            "band": t("forecasts.chart.band"),
            "unit": "t",
        },
    }


def scenario_chart(t: Translator, projection: Projection) -> dict[str, Any]:
    """Monthly landfill and emissions, baseline beside scenario."""
    months = [f"{m.month:%Y-%m}" for m in projection.months]
    return {
        "months": months,
        "landfill": {
            "baseline": [m.baseline.landfill_t for m in projection.months],
            "scenario": [m.scenario.landfill_t for m in projection.months],
        },
        "emissions": {
            "baseline": [m.baseline.emissions_t for m in projection.months],
            "scenario": [m.scenario.emissions_t for m in projection.months],
        },
        "labels": {
            "baseline": t("scenarios.baseline"),
            "scenario": t("scenarios.scenario"),
            "landfill": t("scenarios.landfill_t"),
            "emissions": t("scenarios.emissions_t"),
        },
    }


def scenario_body(query: Any, region: str, year: int, horizon: int) -> dict[str, Any]:
    """The JSON scenario the form's fields describe (blank fields add no change)."""
    changes: list[dict[str, Any]] = []
    stream = query.get("stream") or None
    sector = query.get("sector") or None
    scope = {k: v for k, v in (("stream", stream), ("sector", sector)) if v}
    if (pct := _float(query.get("reduction_pct"), "reduction_pct")) is not None:
        changes.append({"kind": ChangeKind.GENERATION.value, "reduction_pct": pct, **scope})
    if (points := _float(query.get("points"), "points")) is not None:
        changes.append({"kind": ChangeKind.UTILIZATION.value, "points": points, **scope})
    if (share := _float(query.get("route_share"), "route_share")) is not None:
        change: dict[str, Any] = {
            "kind": ChangeKind.ROUTE.value,
            "from": query.get("route_from", ""),
            "to": query.get("route_to", ""),
            "share": share,
            **scope,
        }
        if (km := _float(query.get("distance_km"), "distance_km")) is not None:
            change["distance_km"] = km
        changes.append(change)
    if (ban := _float(query.get("ban_share"), "ban_share")) is not None:
        changes.append(
            {
                "kind": ChangeKind.LANDFILL_BAN.value,
                "share": ban,
                "to": query.get("ban_to") or Fate.UTILIZATION.value,
                **scope,
            }
        )
    return {"region": region, "year": year, "horizon": horizon, "changes": changes}


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the forecast and scenario pages.

    Args:
        renderer: Renders the pages.
    """
    router = page_router(renderer)
    context = renderer.context

    @router.get("/forecasts", response_class=HTMLResponse)
    def forecasts(request: Request) -> HTMLResponse:
        """A series (firm, sector or city) with its forecast bands and the backtest table."""
        principal = renderer.principal(request)
        if principal is None:
            raise NotAuthenticated("sign in to see forecasts")
        t = renderer.translator(request)
        query = request.query_params
        default_level, default = default_subject(principal)
        try:
            level = SeriesLevel(query.get("level") or default_level.value)
        except ValueError:
            raise InvalidInput("choose firm, sector or city", field="level") from None
        subject = query.get("subject", default if level is default_level else "").strip()
        region = query.get("region", "").strip() or None
        horizon = _int(query.get("horizon"), "horizon", 12, 1, MAX_HORIZON)
        start, end = parse_month(query.get("start"), "start"), parse_month(query.get("end"), "end")
        values: dict[str, Any] = {
            "active": "forecasts",
            "title": t("forecasts.title"),
            "level": level.value,
            "levels": [lv.value for lv in SeriesLevel],
            "subject": subject,
            "region": region or "",
            "horizon": horizon,
            "start": query.get("start", ""),
            "end": query.get("end", ""),
            "result": None,
            "found": None,
            "short": None,
            "plotly_js": "",
        }
        if subject:
            try:
                found, result = context.forecasts.forecast(
                    principal,
                    level,
                    subject,
                    horizon,
                    DEFAULT_LEVELS,
                    start=start,
                    end=end,
                    region=region,
                )
            except SeriesTooShort as exc:
                values["short"] = exc.detail
            else:
                root = str(request.scope.get("root_path", "")).rstrip("/")
                chosen = result.chosen
                values |= {
                    "found": found,
                    "result": result,
                    "chart": forecast_chart(t, found, result),
                    "plotly_js": f"{root}{PLOTLY_PREFIX}/plotly.min.js",
                    "rows": [
                        {
                            "month": f"{m:%Y-%m}",
                            "mean": chosen.mean[i],
                            "bands": [
                                (lv, chosen.lower[lv][i], chosen.upper[lv][i])
                                for lv in result.levels
                            ],
                        }
                        for i, m in enumerate(result.months)
                    ],
                }
        return renderer.render(request, "forecasts.html", values)

    @router.get("/scenarios", response_class=HTMLResponse)
    def scenarios(request: Request) -> HTMLResponse:
        """The scenario form; with `run`, baseline beside scenario, chart, factors, notes."""
        principal = renderer.principal(request)
        if principal is None:
            raise NotAuthenticated("sign in to run scenarios")
        t = renderer.translator(request)
        query = request.query_params
        region = query.get("region", principal.jurisdiction_code or "").strip()
        year = _int(query.get("year"), "year", context.scenarios.default_year(), 1990, 2100)
        horizon = _int(query.get("horizon"), "horizon", 12, 1, MAX_SCENARIO_MONTHS)
        values: dict[str, Any] = {
            "active": "forecasts",
            "title": t("scenarios.title"),
            "region": region,
            "year": year,
            "horizon": horizon,
            "form": {k: query.get(k, "") for k in _FORM_FIELDS},
            "fates": [f.value for f in Fate],
            "projection": None,
            "plotly_js": "",
        }
        if query.get("run") and region:
            body = scenario_body(query, region, year, horizon)
            projection = context.scenarios.run(principal, body)
            root = str(request.scope.get("root_path", "")).rstrip("/")
            values |= {
                "projection": projection,
                "chart": scenario_chart(t, projection),
                "plotly_js": f"{root}{PLOTLY_PREFIX}/plotly.min.js",
                "sides": [
                    ("scenarios.baseline", projection.baseline_total),
                    ("scenarios.scenario", projection.scenario_total),
                ],
            }
        return renderer.render(request, "scenarios.html", values)

    return router


_FORM_FIELDS = (
    "stream",
    "sector",
    "reduction_pct",
    "points",
    "route_from",
    "route_to",
    "route_share",
    "distance_km",
    "ban_share",
    "ban_to",
)
