"""Market pages: the map and search of listings, and one listing's page (signed-in users)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse

from zerowaste.domain.listings import ComponentRange, Listing, ListingSide, ListingState
from zerowaste.domain.pages import PageRequest
from zerowaste.errors import InvalidInput, NotFound
from zerowaste.web.i18n import Translator
from zerowaste.web.pages.actions import Actions, options
from zerowaste.web.pages.common import firm_name
from zerowaste.web.pages.firm_page import path_id
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer

#: Listings shown on one page of the search (and on its map).
PAGE_SIZE = 200


def plain(value: Decimal | None) -> str:
    """A decimal in plain notation (`1E+2` shows as `100`), empty for None."""
    return "" if value is None else format(value.normalize() if value else value, "f")


def codes_of(listing: Listing) -> str:
    """The codes a listing names, comma-separated."""
    terms = listing.terms
    if terms.supply is not None:
        return terms.supply.waste_code
    assert terms.demand is not None
    return ", ".join(terms.demand.accepted_codes)


def quantity_of(t: Translator, listing: Listing) -> str:
    """`120 t per month`: a supply's quantity or a demand's capacity."""
    terms = listing.terms
    if terms.supply is not None:
        amount, basis = terms.supply.quantity_t, terms.supply.basis
    else:
        assert terms.demand is not None
        amount, basis = terms.demand.capacity_t, terms.demand.basis
    return t("market.per", amount=plain(amount), basis=t(f"market.basis.{basis.value}"))


def price_of(listing: Listing) -> Decimal:
    """The listing's price in CNY per tonne."""
    part = listing.terms.supply or listing.terms.demand
    assert part is not None
    return part.price_cny_per_t


def range_rows(t: Translator, ranges: tuple[ComponentRange, ...]) -> list[dict[str, str]]:
    """Component ranges as table rows (an open end reads "no limit")."""
    return [
        {
            "component": r.component,
            "low": plain(r.low) if r.low is not None else t("market.open_end"),
            "high": plain(r.high) if r.high is not None else t("market.open_end"),
        }
        for r in ranges
    ]


class MarketPages:
    """Builds the market pages from the listing, organization and site services."""

    def __init__(self, renderer: PageRenderer) -> None:
        self.renderer = renderer
        self.context = renderer.context
        self.actions = Actions(renderer)

    def _owners(self, listings: list[Listing], language: str) -> dict[uuid.UUID, str]:
        names: dict[uuid.UUID, str] = {}
        for organization_id in {item.terms.organization_id for item in listings}:
            try:
                names[organization_id] = firm_name(
                    self.context.organizations.get(organization_id), language
                )
            except NotFound:
                names[organization_id] = str(organization_id)
        return names

    def _row(self, t: Translator, listing: Listing, owners: dict[uuid.UUID, str]) -> dict[str, Any]:
        terms = listing.terms
        return {
            "id": listing.id,
            "side": terms.side.value,
            "side_label": t(f"market.side.{terms.side.value}"),
            "state": listing.state.value,
            "state_label": t(f"market.state.{listing.state.value}"),
            "title": terms.title,
            "codes": codes_of(listing),
            "quantity": quantity_of(t, listing),
            "price": plain(price_of(listing)),
            "owner": owners.get(terms.organization_id, ""),
            "organization_id": terms.organization_id,
            "region_code": listing.region_code,
            "window": f"{terms.available_from} – {terms.available_to}",
        }

    def search(self, request: Request) -> HTMLResponse:
        """The map and table of the listings matching the filters in the query string."""
        principal = self.actions.viewer(request)
        t = self.renderer.translator(request)
        query = request.query_params
        filters = {k: query.get(k, "").strip() for k in ("side", "code", "region", "state")}
        if "state" not in query:
            filters["state"] = ListingState.OPEN.value
        side = _enum(ListingSide, filters["side"], "side")
        state = _enum(ListingState, filters["state"], "state")
        cursor = query.get("after") or None
        page = self.context.listings.find(
            principal,
            PageRequest(cursor, PAGE_SIZE),
            side=side,
            code=filters["code"] or None,
            region_code=filters["region"] or None,
            state=state,
        )
        owners = self._owners(page.items, t.language)
        rows = [self._row(t, item, owners) for item in page.items]
        root = str(request.scope.get("root_path", "")).rstrip("/")
        points = [
            {
                "lat": item.latitude,
                "lng": item.longitude,
                "name": item.terms.title,
                "kind": f"{row['side_label']} · {row['codes']} · {row['quantity']}",
                "kind_code": f"listing-{item.terms.side.value}",
                "firm": t("market.view_listing"),
                "url": f"{root}/market/listings/{item.id}",
            }
            for item, row in zip(page.items, rows, strict=True)
            if item.latitude is not None and item.longitude is not None
        ]
        settings = self.context.settings
        kept = [(k, v) for k, v in filters.items() if v]
        values = {
            "active": "market",
            "rows": rows,
            "filters": filters,
            "side_options": options((s.value, t(f"market.side.{s.value}")) for s in ListingSide),
            "state_options": options((s.value, t(f"market.state.{s.value}")) for s in ListingState),
            "map": {
                "tiles": settings.map_tile_url,
                "attribution": settings.map_tile_attribution,
                "labels": {"view_firm": t("market.view_listing")},
                "points": points,
            },
            "may_list": principal.organization_id is not None,
            "first_url": f"{root}/market?{urlencode(kept)}" if cursor else None,
            "next_url": (
                f"{root}/market?{urlencode([*kept, ('after', page.next_after)])}"
                if page.next_after
                else None
            ),
        }
        return self.renderer.render(request, "market.html", values)

    def listing(self, request: Request, raw_id: str) -> HTMLResponse:
        """One listing: its terms, composition, site, state and owner; owners may edit it."""
        principal = self.actions.viewer(request)
        t = self.renderer.translator(request)
        listing = self.context.listings.get(principal, path_id(raw_id, "listing_id"))
        terms = listing.terms
        owners = self._owners([listing], t.language)
        try:
            site = self.context.sites.site(terms.site_id)
        except NotFound:
            site = None
        yes_no = {True: t("market.yes"), False: t("market.no")}
        fields: list[tuple[str, str]] = [
            (t("market.side"), t(f"market.side.{terms.side.value}")),
            (t("market.state"), t(f"market.state.{listing.state.value}")),
            (t("market.codes"), codes_of(listing)),
            (t("market.quantity"), quantity_of(t, listing)),
            (t("market.price"), plain(price_of(listing))),
            (t("market.window"), f"{terms.available_from} – {terms.available_to}"),
            (t("market.expires_on"), terms.expires_on.isoformat()),
        ]
        ranges: tuple[ComponentRange, ...] = ()
        if terms.supply is not None:
            s = terms.supply
            ranges = s.composition
            fields += [
                (t("market.lot"), plain(s.smallest_lot_t)),
                (t("market.packaging"), s.packaging or "—"),
                (t("market.cross_province"), yes_no[s.allows_cross_province]),
                (t("market.source"), t(f"market.composition_source.{s.composition_source}")),
            ]
        if terms.demand is not None:
            d = terms.demand
            ranges = d.limits
            fields += [
                (t("market.route"), d.route.value),
                (t("market.blend"), yes_no[d.blend]),
                (t("market.min_lot"), plain(d.min_lot_t)),
                (t("market.max_distance"), plain(d.max_distance_km)),
                (t("market.cross_province"), yes_no[d.accepts_cross_province]),
            ]
        fields.append((t("market.version"), str(listing.version)))
        open_now = listing.state is ListingState.OPEN
        values = {
            "active": "market",
            "listing": listing,
            "terms": terms,
            "fields": fields,
            "ranges": range_rows(t, ranges),
            "ranges_title": t("market.composition" if terms.supply else "market.limits"),
            "batches": [str(b) for b in terms.supply.batch_ids] if terms.supply else [],
            "permits": [str(p) for p in terms.demand.permit_ids] if terms.demand else [],
            "owner": owners[terms.organization_id],
            "site": site,
            "may_edit": open_now and self.context.listings.may_edit(principal, listing),
        }
        return self.renderer.render(request, "market_listing.html", values)


def _enum(kind: type[ListingSide] | type[ListingState], raw: str, field: str) -> Any:
    if not raw:
        return None
    try:
        return kind(raw)
    except ValueError:
        raise InvalidInput(f"{raw!r} is not a {field}", field=field) from None


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the market map, search and listing pages.

    Args:
        renderer: Renders the pages.
    """
    router = page_router(renderer)
    pages = MarketPages(renderer)

    @router.get("/market", response_class=HTMLResponse)
    def market(request: Request) -> HTMLResponse:
        """The market map and search (signed-in users)."""
        return pages.search(request)

    @router.get("/market/listings/{listing_id}", response_class=HTMLResponse)
    def listing(request: Request, listing_id: str) -> HTMLResponse:
        """One listing."""
        return pages.listing(request, listing_id)

    return router
