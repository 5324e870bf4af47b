"""The factor library pages: every factor with its source, and a page per factor."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query
from starlette.requests import Request
from starlette.responses import HTMLResponse

from zerowaste.domain.factor_datasets import FactorDataset, FactorFilter, region_label
from zerowaste.domain.factors import Factor, FactorCategory, FactorSet, WasteRoute
from zerowaste.domain.pages import MAX_PAGE_SIZE, PageRequest
from zerowaste.errors import InvalidInput
from zerowaste.services.factors import FactorService
from zerowaste.web.i18n import Translator
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer, format_number

#: Verification status -> CSS class of its badge.
BADGES = {
    "verified": "status status-in_force",
    "transcribed": "tag",
    "illustrative": "status status-pending",
}
Text = Annotated[str, Query(max_length=80)]


def factor_ref_link(root: str, ref: str) -> str:
    """The page of the factor with reference `ref` (`avoided/waste_route/steel/...`)."""
    return f"{root}/carbon/factors/{quote(ref)}"


def factor_link(root: str, factor: Factor) -> str:
    """The page of a factor (what every figure produced by it links to)."""
    return factor_ref_link(root, factor.ref)


def _number(value: float | None) -> str:
    """A float for display: four significant digits, thousands separated."""
    if value is None:
        return ""
    if value == 0:
        return "0"
    exact = Decimal(repr(value))
    return format_number(exact.quantize(Decimal(1).scaleb(exact.adjusted() - 3)))


def distribution_text(factor: Factor, t: Translator) -> str:
    """The factor's distribution as a short phrase in the page's language."""
    d = factor.distribution
    return t(
        f"factors.dist.{d.kind.value}",
        spread=_number(d.spread),
        low=_number(d.low),
        high=_number(d.high),
    )


def factor_view(factor: Factor, t: Translator, root: str) -> dict[str, Any]:
    """What the pages show of a factor."""
    low, high = factor.distribution.interval_95(float(factor.value))
    return {
        "ref": factor.ref,
        "link": factor_link(root, factor),
        "set": factor.factor_set.value,
        "category": factor.category.value,
        "subject": factor.subject,
        "route": factor.route,
        "region": region_label(factor.region),
        "year": factor.year,
        "value": format_number(factor.value),
        "unit": factor.unit,
        "interval": f"{_number(low)} … {_number(high)}",
        "distribution": distribution_text(factor, t),
        "source": factor.source,
        "edition": factor.edition,
        "verification": factor.verification.value,
        "badge": BADGES[factor.verification.value],
        "note": factor.note,
    }


def _all(
    service: FactorService, chosen: FactorFilter, dataset_id: uuid.UUID | None
) -> list[Factor]:
    found: list[Factor] = []
    after: str | None = None
    while True:
        page = service.factors(chosen, PageRequest(after, MAX_PAGE_SIZE), dataset_id)
        found += page.items
        if page.next_after is None:
            return found
        after = page.next_after


def _dataset_id(text: str) -> uuid.UUID | None:
    if not text:
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a dataset id", field="dataset") from None


def _dataset_options(datasets: list[FactorDataset], chosen: FactorDataset) -> list[dict[str, Any]]:
    return [
        {"id": str(d.id), "label": d.label, "active": d.is_active, "selected": d.id == chosen.id}
        for d in datasets
    ]


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the factor library pages.

    Args:
        renderer: Renders the pages.
    """
    router = page_router(renderer)
    service = renderer.context.factors

    @router.get("/carbon/factors", response_class=HTMLResponse)
    def library(
        request: Request,
        set: Text = "",  # noqa: A002 - the query parameter is called `set`
        category: Text = "",
        subject: Text = "",
        route: Text = "",
        region: Text = "",
        dataset: Text = "",
    ) -> HTMLResponse:
        """Every factor of a dataset (the active one by default), inventory and avoided apart."""
        t = renderer.translator(request)
        root = str(request.scope.get("root_path", "")).rstrip("/")
        chosen = FactorFilter.parse(
            factor_set=set, category=category, subject=subject, route=route, region=region
        )
        dataset_id = _dataset_id(dataset)
        shown = service.dataset(dataset_id)
        found = _all(service, chosen, shown.id)
        sections = [
            {
                "set": s.value,
                "rows": [factor_view(f, t, root) for f in found if f.factor_set is s],
            }
            for s in (FactorSet.INVENTORY, FactorSet.AVOIDED)
            if chosen.factor_set in (None, s)
        ]
        values = {
            "active": "carbon",
            "sections": sections,
            "count": len(found),
            "datasets": _dataset_options(service.datasets(), shown),
            "dataset": shown,
            "csv_link": f"{root}/api/v1/carbon/factor-datasets/{shown.id}/factors.csv",
            "filters": {
                "set": set,
                "category": category,
                "subject": subject,
                "route": route,
                "region": region,
            },
            "sets": [s.value for s in FactorSet],
            "categories": [c.value for c in FactorCategory],
            "routes": [r.value for r in WasteRoute],
        }
        return renderer.render(request, "carbon_factors.html", values)

    @router.get("/carbon/factors/{ref:path}", response_class=HTMLResponse)
    def factor_page(request: Request, ref: str, dataset: Text = "") -> HTMLResponse:
        """One factor: value, unit, interval, distribution, source, edition and note."""
        t = renderer.translator(request)
        root = str(request.scope.get("root_path", "")).rstrip("/")
        dataset_id = _dataset_id(dataset)
        shown = service.dataset(dataset_id)
        factor = service.factor(ref, shown.id)
        values = {
            "active": "carbon",
            "f": factor_view(factor, t, root),
            "dataset": shown,
            "api_link": f"{root}/api/v1/carbon/factors/{quote(factor.ref)}?dataset_id={shown.id}",
        }
        return renderer.render(request, "carbon_factor.html", values)

    return router
