"""Market matching pages: allocation runs, one run's explained lines, a listing's partners."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.listings import Listing
from zerowaste.domain.market_allocations import AllocationLineRecord, AllocationRecord
from zerowaste.domain.pages import PageRequest
from zerowaste.errors import InvalidInput, NotAuthenticated, ZeroWasteError
from zerowaste.services.market import ListingRecommendations
from zerowaste.services.market_runs import MAX_K
from zerowaste.web.forms import Form
from zerowaste.web.i18n import Translator
from zerowaste.web.pages.actions import Actions, form_pairs, read_form
from zerowaste.web.pages.firm_page import path_id
from zerowaste.web.pages.trace import PLOTLY_PREFIX
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer

#: Where a listing's own page is (built by the listings pages).
LISTING_PAGE = "/market/listings/"
#: Where a deal is proposed (built by the contracts pages).
PROPOSE_PAGE = "/market/proposals/new"
#: The fields of the run form.
RUN_FIELDS = ("region_code", "period", "carbon_price_cny_per_t")
FormBody = Annotated[FormData, Depends(read_form)]
#: Most supplies and demands drawn in the flow chart (the table lists every line).
CHART_NODES = 60


def _signed_in(renderer: PageRenderer, request: Request) -> Principal:
    principal = renderer.principal(request)
    if principal is None:
        raise NotAuthenticated("sign in to see market allocations")
    return principal


def _label(listing: Listing | None, listing_id: uuid.UUID | str) -> str:
    if listing is None:
        return str(listing_id)[:8]
    code = listing.terms.supply.waste_code if listing.terms.supply else ""
    return f"{listing.terms.title} {code}".strip()


def run_row(run: AllocationRecord) -> dict[str, Any]:
    """A run as a row of the list."""
    return {
        "id": run.id,
        "region": run.region_code,
        "period": run.period_label,
        "carbon_price": run.carbon_price,
        "objective": run.objective_cny,
        "matched_t": run.matched_t,
        "disposed_t": run.disposed_t,
        "avoided_t": run.avoided_co2e_kg / 1000,
        "created_at": run.created_at.strftime("%Y-%m-%d %H:%M"),
    }


def line_row(
    t: Translator,
    line: AllocationLineRecord,
    listings: dict[uuid.UUID, Listing],
    disposal_routes: dict[uuid.UUID, str],
) -> dict[str, Any]:
    """A line with its listings' labels, its breakdown and its explanation."""
    supply = listings.get(line.supply_listing_id)
    demand = listings.get(line.demand_listing_id) if line.demand_listing_id else None
    if line.demand_listing_id is None:
        route = disposal_routes.get(line.supply_listing_id, "")
        demand_label = t("market_match.disposal", route=t(f"carbon.route.{route}"))
    else:
        demand_label = _label(demand, line.demand_listing_id)
    alternative = line.alternative or {}
    alt_id = alternative.get("demand_listing_id")
    return {
        "line": line,
        "supply_label": _label(supply, line.supply_listing_id),
        "demand_label": demand_label,
        "alternative_label": (
            _label(listings.get(uuid.UUID(alt_id)), alt_id)
            if alt_id
            else t("market_match.disposal_short")
        ),
        "alternative": alternative,
    }


def sankey_of(
    t: Translator, run: AllocationRecord, listings: dict[uuid.UUID, Listing], root: str
) -> dict[str, Any]:
    """Supplies → demands and disposal as nodes and links (the trace page's Sankey format)."""
    weight: dict[uuid.UUID, float] = {}
    for line in run.lines:
        weight[line.supply_listing_id] = weight.get(line.supply_listing_id, 0.0) + line.quantity_t
    kept = set(sorted(weight, key=lambda sid: -weight[sid])[:CHART_NODES])
    nodes: list[dict[str, str]] = []
    index: dict[str, int] = {}

    def node(key: str, label: str, group: str, url: str) -> int:
        if key not in index:
            index[key] = len(nodes)
            nodes.append({"label": label, "group": group, "url": url})
        return index[key]

    links = []
    for line in run.lines:
        if line.supply_listing_id not in kept or line.quantity_t <= 0:
            continue
        source = node(
            str(line.supply_listing_id),
            _label(listings.get(line.supply_listing_id), line.supply_listing_id),
            "ancestor",
            f"{root}{LISTING_PAGE}{line.supply_listing_id}",
        )
        if line.demand_listing_id is None:
            target = node("disposal", t("market_match.disposal_short"), "fate", "")
        else:
            target = node(
                str(line.demand_listing_id),
                _label(listings.get(line.demand_listing_id), line.demand_listing_id),
                "descendant",
                f"{root}{LISTING_PAGE}{line.demand_listing_id}",
            )
        links.append({"source": source, "target": target, "value": round(line.quantity_t, 3)})
    return {"nodes": nodes, "links": links, "labels": {"unit": "t"}}


def filtered_rows(
    t: Translator, counts: dict[str, int], examples: list[dict[str, str]]
) -> list[dict[str, Any]]:
    """Each filter rule with its count and examples."""
    return [
        {
            "rule": rule,
            "label": t(f"market_match.rule.{rule}"),
            "pairs": n,
            "examples": [e for e in examples if e.get("rule") == rule],
        }
        for rule, n in sorted(counts.items(), key=lambda item: -item[1])
    ]


def recommendation_rows(found: ListingRecommendations, root: str) -> list[dict[str, Any]]:
    """The partners with their labels and the link to propose a deal."""
    listing_id = str(found.listing.id)
    rows = []
    for item in found.items:
        partner = found.partners.get(item.partner_id)
        supply, demand = (
            (listing_id, item.partner_id)
            if found.listing.terms.supply
            else (item.partner_id, listing_id)
        )
        rows.append(
            {
                "item": item,
                "label": _label(partner, item.partner_id),
                "partner_url": f"{root}{LISTING_PAGE}{item.partner_id}",
                "propose_url": f"{root}{PROPOSE_PAGE}?supply={supply}&demand={demand}",
            }
        )
    return rows


def _k(raw: str | None) -> int:
    if not raw:
        return 5
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_K:
        raise InvalidInput(f"k is 1 to {MAX_K}", field="k")
    return int(raw)


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the allocation and recommendation pages.

    Args:
        renderer: Renders the pages; its context holds the services.
    """
    router = page_router(renderer)
    context = renderer.context

    actions = Actions(renderer)

    def list_page(
        request: Request, principal: Principal, form: Form, status: int = 200
    ) -> HTMLResponse:
        region = request.query_params.get("region") or None
        page = context.market.allocations(principal, PageRequest(None, 100), region)
        values = {
            "active": "market",
            "rows": [run_row(r) for r in page.items],
            "form": form,
            "may_run": principal.role in (UserRole.ADMIN, UserRole.REGULATOR),
        }
        return renderer.render(request, "market_allocations.html", values, status=status)

    @router.get("/market/allocations", response_class=HTMLResponse)
    def runs(request: Request) -> HTMLResponse:
        """Stored runs newest first (a regulator's region's, an admin's all), and the run form."""
        principal = _signed_in(renderer, request)
        today = context.clock().date()
        prefill = {
            "region_code": principal.jurisdiction_code or "",
            "period": f"{today.year}-{today.month:02d}",
        }
        return list_page(request, principal, Form(RUN_FIELDS, prefill))

    @router.post("/market/allocations", response_class=HTMLResponse)
    def run_now(request: Request, data: FormBody) -> Response:
        """Run and store an allocation, then show it; a refused run shows the form's errors."""
        principal = actions.poster(request, data)
        form = Form.submitted(RUN_FIELDS, form_pairs(data))
        try:
            raw_price = form.optional_text("carbon_price_cny_per_t", max_length=40)
            price = form.number("carbon_price_cny_per_t") if raw_price else None
            made = context.market.allocate(
                principal,
                form.text("region_code", required=True, max_length=6),
                form.text("period", required=True, max_length=40),
                price,
            )
        except ZeroWasteError as exc:
            form.fail(exc, renderer.translator(request))
            return list_page(request, principal, form, exc.status)
        return actions.redirect(request, f"/market/allocations/{made.id}")

    @router.get("/market/allocations/{allocation_id}", response_class=HTMLResponse)
    def run(request: Request, allocation_id: str) -> HTMLResponse:
        """One run: figures, flow chart, explained lines and what was filtered out."""
        principal = _signed_in(renderer, request)
        found = context.market.allocation(principal, path_id(allocation_id, "allocation_id"))
        t = renderer.translator(request)
        listings = context.market.listings_of(found)
        routes = context.market.disposal_routes(listings)
        root = str(request.scope.get("root_path", "")).rstrip("/")
        ranked = sorted(found.lines, key=lambda line: (line.disposed, -line.value_cny))
        chart = sankey_of(t, found, listings, root)
        values = {
            "active": "market",
            "run": found,
            "lines": [line_row(t, line, listings, routes) for line in ranked],
            "filtered": filtered_rows(t, found.filtered_counts, found.filtered),
            "chart": chart,
            "has_chart": bool(chart["links"]),
            "plotly_js": f"{root}{PLOTLY_PREFIX}/plotly.min.js",
        }
        return renderer.render(request, "market_allocation.html", values)

    @router.get("/market/listings/{listing_id}/recommendations", response_class=HTMLResponse)
    def recommendations(request: Request, listing_id: str) -> HTMLResponse:
        """A listing's top-k partners, each with its breakdown and a link to propose."""
        principal = _signed_in(renderer, request)
        k = _k(request.query_params.get("k"))
        period = request.query_params.get("period") or None
        found = context.market.recommend(principal, path_id(listing_id, "listing_id"), k, period)
        t = renderer.translator(request)
        root = str(request.scope.get("root_path", "")).rstrip("/")
        values = {
            "active": "market",
            "found": found,
            "k": k,
            "period": period or "",
            "rows": recommendation_rows(found, root),
            "filtered": filtered_rows(t, found.filtered_counts, found.filtered),
            "listing_url": f"{root}{LISTING_PAGE}{found.listing.id}",
        }
        return renderer.render(request, "market_recommendations.html", values)

    return router
