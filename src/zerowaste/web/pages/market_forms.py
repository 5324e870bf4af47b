"""Listing forms of firm users: publish a supply or demand, edit it, withdraw it."""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from zerowaste.domain.access import Principal
from zerowaste.domain.factors import WasteRoute
from zerowaste.domain.listing_documents import listing_document, parse_listing
from zerowaste.domain.listings import ROUTE_ACTIVITY, Listing, ListingSide, QuantityBasis
from zerowaste.errors import InvalidInput, ZeroWasteError
from zerowaste.web.forms import Form
from zerowaste.web.pages.actions import Actions, form_pairs, options, read_form
from zerowaste.web.pages.common import collect
from zerowaste.web.pages.firm_page import path_id
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer

FormBody = Annotated[FormData, Depends(read_form)]
COMMON_FIELDS: tuple[str, ...] = (
    "organization_id",
    "site_id",
    "title",
    "available_from",
    "available_to",
    "expires_on",
    "note",
)
SUPPLY_FIELDS: tuple[str, ...] = (
    "waste_code",
    "quantity_t",
    "basis",
    "lot_t",
    "price_cny_per_t",
    "packaging",
    "allows_cross_province",
    "batch_ids",
    "composition",
)
DEMAND_FIELDS: tuple[str, ...] = (
    "accepted_codes",
    "capacity_t",
    "basis",
    "route",
    "limits",
    "blend",
    "min_lot_t",
    "max_distance_km",
    "price_cny_per_t",
    "permit_ids",
    "accepts_cross_province",
)
_FLAGS = {"allows_cross_province", "blend", "accepts_cross_province"}
_LISTS = {"batch_ids", "accepted_codes", "permit_ids"}
_SEPARATORS = re.compile(r"[\s,;，、；]+")


def form_fields(side: ListingSide) -> tuple[str, ...]:
    """The form's field names: the common ones and `supply.x` or `demand.x`."""
    part = SUPPLY_FIELDS if side is ListingSide.SUPPLY else DEMAND_FIELDS
    return COMMON_FIELDS + tuple(f"{side.value}.{name}" for name in part)


def _ranges_text(ranges: dict[str, dict[str, str | None]]) -> str:
    return "\n".join(
        f"{name} {bounds['low'] or '-'} {bounds['high'] or '-'}" for name, bounds in ranges.items()
    )


def _parse_ranges(text: str, field: str) -> dict[str, dict[str, str | None]]:
    """`Cu 0.08 0.12` lines into `{"Cu": {"low": "0.08", "high": "0.12"}}` (`-`: open end)."""
    ranges: dict[str, dict[str, str | None]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        parts = [p for p in re.split(r"[\s,;:，；]+", line.strip()) if p]
        if not parts:
            continue
        if len(parts) != 3:
            raise InvalidInput(f"line {number}: write `name low high`", field=field)
        name, low, high = parts
        ranges[name] = {"low": None if low == "-" else low, "high": None if high == "-" else high}
    return ranges


def form_values(listing: Listing) -> dict[str, str | list[str]]:
    """A stored listing's terms as the form's prefilled values."""
    document = listing_document(listing.terms)
    side = listing.terms.side.value
    values: dict[str, str | list[str]] = {name: str(document[name] or "") for name in COMMON_FIELDS}
    for name, value in document[side].items():
        key = f"{side}.{name}"
        if name in ("composition", "limits"):
            values[key] = _ranges_text(value)
        elif name in _FLAGS:
            values[key] = ["on"] if value else []
        elif name == "permit_ids":
            values[key] = list(value)
        elif name in _LISTS:
            values[key] = ", ".join(value)
        else:
            values[key] = "" if value is None else str(value)
    return values


def document_of(form: Form, side: ListingSide) -> dict[str, Any]:
    """The listing document (API shape) of a submitted form."""
    document: dict[str, Any] = {name: form.value(name).strip() for name in COMMON_FIELDS}
    document["side"] = side.value
    names = SUPPLY_FIELDS if side is ListingSide.SUPPLY else DEMAND_FIELDS
    part: dict[str, Any] = {}
    for name in names:
        key = f"{side.value}.{name}"
        if name in ("composition", "limits"):
            part[name] = _parse_ranges(form.value(key), key)
        elif name in _FLAGS:
            part[name] = bool(form.all(key))
        elif name == "permit_ids":
            part[name] = [v for v in form.all(key) if v]
        elif name in _LISTS:
            part[name] = [c for c in _SEPARATORS.split(form.value(key)) if c]
        else:
            raw = form.value(key).strip()
            part[name] = raw if raw or name == "packaging" else None
    if side is ListingSide.SUPPLY and part.get("batch_ids") and not part["composition"]:
        part["composition_source"] = "lab"
    for name in ("price_cny_per_t", "min_lot_t", "max_distance_km"):
        if name in part and part[name] is None:
            del part[name]
    document[side.value] = part
    return document


def _on_form(exc: ZeroWasteError) -> ZeroWasteError:
    """Point an error on one component (`supply.composition.Pb.high`) at its text area."""
    field = exc.field or ""
    for area in ("supply.composition", "demand.limits"):
        if field.startswith(area + "."):
            exc.detail = f"{field.removeprefix(area + '.')}: {exc.detail}"
            exc.field = area
    return exc


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the listing forms (firm users, their regulators, admins).

    Args:
        renderer: Renders the pages.
    """
    router = page_router(renderer)
    context = renderer.context
    actions = Actions(renderer)

    def page_values(
        request: Request,
        principal: Principal,
        side: ListingSide,
        organization_id: uuid.UUID | None,
        listing: Listing | None = None,
    ) -> dict[str, Any]:
        t = renderer.translator(request)
        sites, permits = [], []
        if organization_id is not None:
            sites = collect(lambda p: context.sites.find_sites(p, organization_id=organization_id))
            permits = collect(
                lambda p: context.sites.find_permits(p, organization_id=organization_id)
            )
        return {
            "active": "market",
            "side": side.value,
            "listing": listing,
            "fixed_organization": principal.organization_id is not None or listing is not None,
            "site_options": options((str(s.id), f"{s.name} ({s.region_code})") for s in sites),
            "permit_options": options((str(p.id), f"{p.number} · {p.kind.value}") for p in permits),
            "basis_options": options(
                (b.value, t(f"market.basis.{b.value}")) for b in QuantityBasis
            ),
            "route_options": options((r.value, r.value) for r in WasteRoute if r in ROUTE_ACTIVITY),
        }

    def organization_of(principal: Principal, raw: str) -> uuid.UUID | None:
        if principal.organization_id is not None:
            return principal.organization_id
        try:
            return uuid.UUID(raw) if raw else None
        except ValueError:
            return None

    @router.get("/market/listings/new", response_class=HTMLResponse)
    def new_form(request: Request) -> Response:
        """The form publishing a supply (`?side=supply`) or demand listing."""
        principal = actions.viewer(request)
        side = ListingSide.DEMAND if request.query_params.get("side") == "demand" else None
        side = side or ListingSide.SUPPLY
        organization_id = organization_of(
            principal, request.query_params.get("organization_id", "")
        )
        today = context.clock().date()
        prefill: dict[str, str | list[str]] = {
            "organization_id": str(organization_id or ""),
            "available_from": today.isoformat(),
            f"{side.value}.basis": QuantityBasis.MONTH.value,
        }
        if side is ListingSide.SUPPLY:
            prefill["supply.allows_cross_province"] = ["on"]
        else:
            prefill |= {"demand.accepts_cross_province": ["on"], "demand.max_distance_km": "300"}
        form = Form(form_fields(side), prefill)
        values = page_values(request, principal, side, organization_id)
        return actions.show(request, "market_listing_form.html", form, values)

    @router.post("/market/listings/new", response_class=HTMLResponse)
    def create(request: Request, data: FormBody) -> Response:
        """Publish the listing, then show its page."""
        principal = actions.poster(request, data)
        side = ListingSide.DEMAND if data.get("side") == "demand" else ListingSide.SUPPLY
        form = Form.submitted(form_fields(side), form_pairs(data))
        organization_id = organization_of(principal, form.value("organization_id"))
        if principal.organization_id is not None:
            form.values["organization_id"] = [str(principal.organization_id)]
        try:
            new = parse_listing(document_of(form, side))
            listing = context.listings.create(principal, new)
        except ZeroWasteError as exc:
            values = page_values(request, principal, side, organization_id)
            return actions.refuse(request, _on_form(exc), "market_listing_form.html", form, values)
        return actions.redirect(request, f"/market/listings/{listing.id}", "flash.listing_added")

    def own_listing(principal: Principal, raw_id: str) -> Listing:
        listing = context.listings.get(principal, path_id(raw_id, "listing_id"))
        actions.require(context.listings.may_edit(principal, listing))
        return listing

    @router.get("/market/listings/{listing_id}/edit", response_class=HTMLResponse)
    def edit_form(request: Request, listing_id: str) -> Response:
        """The form changing one of the organization's open listings."""
        principal = actions.viewer(request)
        listing = own_listing(principal, listing_id)
        side = listing.terms.side
        form = Form(form_fields(side), form_values(listing))
        values = page_values(request, principal, side, listing.terms.organization_id, listing)
        return actions.show(request, "market_listing_form.html", form, values)

    @router.post("/market/listings/{listing_id}/edit", response_class=HTMLResponse)
    def edit(request: Request, listing_id: str, data: FormBody) -> Response:
        """Store the listing's new terms (the version shown must still be the newest)."""
        principal = actions.poster(request, data)
        listing = own_listing(principal, listing_id)
        side = listing.terms.side
        form = Form.submitted(form_fields(side), form_pairs(data))
        form.values["organization_id"] = [str(listing.terms.organization_id)]
        values = page_values(request, principal, side, listing.terms.organization_id, listing)
        try:
            version = form.integer("version") if data.get("version") else listing.version
            new = parse_listing(document_of(form, side))
            context.listings.edit(principal, listing.id, version, new)
        except ZeroWasteError as exc:
            return actions.refuse(request, _on_form(exc), "market_listing_form.html", form, values)
        return actions.redirect(request, f"/market/listings/{listing.id}", "flash.listing_updated")

    @router.post("/market/listings/{listing_id}/withdraw", response_class=HTMLResponse)
    def withdraw(request: Request, listing_id: str, data: FormBody) -> Response:
        """Withdraw the listing, then show its page."""
        principal = actions.poster(request, data)
        listing = own_listing(principal, listing_id)
        raw = data.get("version")
        version = int(raw) if isinstance(raw, str) and raw.isdigit() else None
        context.listings.withdraw(principal, listing.id, version)
        path = f"/market/listings/{listing.id}"
        return actions.redirect(request, path, "flash.listing_withdrawn")

    return router
