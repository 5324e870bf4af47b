"""The JSON form of listing terms (API bodies, CLI files, the stored `terms` column) and its parser.

Decimals travel as strings (`"0.012"`), dates as ISO days, ids as UUID strings; a composition
or limit set is an object keyed by component: `{"Pb": {"low": "0.001", "high": "0.004"}}`.
Every refusal is an `InvalidInput` naming the offending field by its dotted path
(`supply.composition.Pb.high`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from zerowaste.domain.factors import WasteRoute
from zerowaste.domain.listings import (
    ComponentRange,
    DemandTerms,
    ListingSide,
    NewListing,
    QuantityBasis,
    SupplyTerms,
)
from zerowaste.errors import InvalidInput, ZeroWasteError

T = TypeVar("T")

_TOP = {"side", "organization_id", "site_id", "title", "available_from", "available_to"}
_TOP |= {"expires_on", "supply", "demand", "note"}
_SUPPLY = {"waste_code", "quantity_t", "basis", "composition", "composition_source", "lot_t"}
_SUPPLY |= {"price_cny_per_t", "packaging", "allows_cross_province", "batch_ids"}
_DEMAND = {"accepted_codes", "capacity_t", "basis", "route", "limits", "blend", "min_lot_t"}
_DEMAND |= {"max_distance_km", "price_cny_per_t", "permit_ids", "accepts_cross_province"}


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def ranges_document(ranges: tuple[ComponentRange, ...]) -> dict[str, dict[str, str | None]]:
    """Component ranges as `{component: {"low": …, "high": …}}`."""
    return {r.component: {"low": _text(r.low), "high": _text(r.high)} for r in ranges}


def listing_document(terms: NewListing) -> dict[str, Any]:
    """The JSON-ready form of a listing's terms (what `parse_listing` reads back)."""
    document: dict[str, Any] = {
        "side": terms.side.value,
        "organization_id": str(terms.organization_id),
        "site_id": str(terms.site_id),
        "title": terms.title,
        "available_from": terms.available_from.isoformat(),
        "available_to": terms.available_to.isoformat(),
        "expires_on": terms.expires_on.isoformat(),
        "note": terms.note,
        "supply": None,
        "demand": None,
    }
    if terms.supply is not None:
        s = terms.supply
        document["supply"] = {
            "waste_code": s.waste_code,
            "quantity_t": _text(s.quantity_t),
            "basis": s.basis.value,
            "composition": ranges_document(s.composition),
            "composition_source": s.composition_source,
            "lot_t": _text(s.lot_t),
            "price_cny_per_t": _text(s.price_cny_per_t),
            "packaging": s.packaging,
            "allows_cross_province": s.allows_cross_province,
            "batch_ids": [str(b) for b in s.batch_ids],
        }
    if terms.demand is not None:
        d = terms.demand
        document["demand"] = {
            "accepted_codes": list(d.accepted_codes),
            "capacity_t": _text(d.capacity_t),
            "basis": d.basis.value,
            "route": d.route.value,
            "limits": ranges_document(d.limits),
            "blend": d.blend,
            "min_lot_t": _text(d.min_lot_t),
            "max_distance_km": _text(d.max_distance_km),
            "price_cny_per_t": _text(d.price_cny_per_t),
            "permit_ids": [str(p) for p in d.permit_ids],
            "accepts_cross_province": d.accepts_cross_province,
        }
    return document


def canonical_terms(terms: NewListing) -> str:
    """The terms as canonical JSON text: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(
        listing_document(terms), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def terms_from_json(text: str) -> NewListing:
    """Read what `canonical_terms` wrote."""
    return parse_listing(json.loads(text))


def _decimal(value: Any, field: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InvalidInput("must be a decimal number (as a string)", field=field)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput(f"{value!r} is not a decimal number", field=field) from None
    if not number.is_finite():
        raise InvalidInput(f"{value!r} is not a finite number", field=field)
    return number


def _optional_decimal(value: Any, field: str) -> Decimal | None:
    return None if value is None or value == "" else _decimal(value, field)


def _string(value: Any, field: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput("must be text", field=field)
    return value


def _day(value: Any, field: str) -> date:
    try:
        return date.fromisoformat(_string(value, field))
    except ValueError:
        raise InvalidInput(f"{value!r} is not a day (YYYY-MM-DD)", field=field) from None


def _uuid(value: Any, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(_string(value, field))
    except ValueError:
        raise InvalidInput(f"{value!r} is not a UUID", field=field) from None


def _bool(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput("must be true or false", field=field)
    return value


def _choice(kind: Callable[[str], T], value: Any, field: str, choices: str) -> T:
    try:
        return kind(_string(value, field))
    except ValueError:
        raise InvalidInput(f"{value!r} is not one of {choices}", field=field) from None


def _object(value: Any, field: str, known: set[str] | None = None) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidInput("must be an object", field=field)
    if known is not None:
        unknown = sorted(set(value) - known)
        if unknown:
            raise InvalidInput("is not a field of a listing", field=f"{field}.{unknown[0]}")
    return value


def _list(value: Any, field: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInput("must be a list", field=field)
    return value


def _reprefixed(exc: ZeroWasteError, prefix: str) -> ZeroWasteError:
    """A component error (`composition.Pb.high`) renamed under its part (`demand.limits.Pb`)."""
    field = exc.field or ""
    if field == "composition" or field.startswith("composition."):
        exc.field = prefix + field.removeprefix("composition")
    return exc


def parse_ranges(value: Any, field: str) -> tuple[ComponentRange, ...]:
    """Read `{component: {"low": …, "high": …}}` into component ranges, sorted by name."""
    if value is None:
        return ()
    ranges = []
    for name, bounds in sorted(_object(value, field).items()):
        where = f"{field}.{name}"
        item = _object(bounds, where, {"low", "high"})
        low = _optional_decimal(item.get("low"), f"{where}.low")
        high = _optional_decimal(item.get("high"), f"{where}.high")
        try:
            ranges.append(ComponentRange(str(name), low, high))
        except ZeroWasteError as exc:
            raise _reprefixed(exc, field) from None
    return tuple(ranges)


def _basis(value: Any, field: str) -> QuantityBasis:
    return _choice(QuantityBasis, value, field, "month, quarter, year, lot")


def parse_supply(value: Any) -> SupplyTerms:
    """Read the `supply` part of a listing document."""
    s = _object(value, "supply", _SUPPLY)
    for required in ("waste_code", "quantity_t", "basis"):
        if s.get(required) is None:
            raise InvalidInput("is required", field=f"supply.{required}")
    return SupplyTerms(
        waste_code=_string(s["waste_code"], "supply.waste_code").strip(),
        quantity_t=_decimal(s["quantity_t"], "supply.quantity_t"),
        basis=_basis(s["basis"], "supply.basis"),
        composition=parse_ranges(s.get("composition"), "supply.composition"),
        composition_source=_string(
            s.get("composition_source", "declared"), "supply.composition_source"
        ),
        lot_t=_optional_decimal(s.get("lot_t"), "supply.lot_t"),
        price_cny_per_t=_decimal(s.get("price_cny_per_t", "0"), "supply.price_cny_per_t"),
        packaging=_string(s.get("packaging", ""), "supply.packaging"),
        allows_cross_province=_bool(
            s.get("allows_cross_province", True), "supply.allows_cross_province"
        ),
        batch_ids=tuple(
            _uuid(b, f"supply.batch_ids[{i}]")
            for i, b in enumerate(_list(s.get("batch_ids"), "supply.batch_ids"))
        ),
    )


def parse_demand(value: Any) -> DemandTerms:
    """Read the `demand` part of a listing document."""
    d = _object(value, "demand", _DEMAND)
    for required in ("accepted_codes", "capacity_t", "basis", "route"):
        if d.get(required) is None:
            raise InvalidInput("is required", field=f"demand.{required}")
    codes = _list(d["accepted_codes"], "demand.accepted_codes")
    if len(codes) > 100:
        raise InvalidInput("at most 100 codes", field="demand.accepted_codes")
    return DemandTerms(
        accepted_codes=tuple(
            _string(c, f"demand.accepted_codes[{i}]").strip() for i, c in enumerate(codes)
        ),
        capacity_t=_decimal(d["capacity_t"], "demand.capacity_t"),
        basis=_basis(d["basis"], "demand.basis"),
        route=_choice(WasteRoute, d["route"], "demand.route", "a waste route"),
        limits=parse_ranges(d.get("limits"), "demand.limits"),
        blend=_bool(d.get("blend", False), "demand.blend"),
        min_lot_t=_decimal(d.get("min_lot_t", "0"), "demand.min_lot_t"),
        max_distance_km=_decimal(d.get("max_distance_km", "300"), "demand.max_distance_km"),
        price_cny_per_t=_decimal(d.get("price_cny_per_t", "0"), "demand.price_cny_per_t"),
        permit_ids=tuple(
            _uuid(p, f"demand.permit_ids[{i}]")
            for i, p in enumerate(_list(d.get("permit_ids"), "demand.permit_ids"))
        ),
        accepts_cross_province=_bool(
            d.get("accepts_cross_province", True), "demand.accepts_cross_province"
        ),
    )


def parse_listing(value: Any) -> NewListing:
    """Read a listing document into `NewListing`; `InvalidInput` names the first bad field."""
    doc = _object(value, "listing", _TOP)
    for required in ("side", "organization_id", "site_id", "title", "available_from"):
        if doc.get(required) is None:
            raise InvalidInput("is required", field=required)
    for required in ("available_to", "expires_on"):
        if doc.get(required) is None:
            raise InvalidInput("is required", field=required)
    side = _choice(ListingSide, doc["side"], "side", "supply, demand")
    supply = parse_supply(doc["supply"]) if doc.get("supply") is not None else None
    demand = parse_demand(doc["demand"]) if doc.get("demand") is not None else None
    return NewListing(
        side=side,
        organization_id=_uuid(doc["organization_id"], "organization_id"),
        site_id=_uuid(doc["site_id"], "site_id"),
        title=_string(doc["title"], "title").strip(),
        available_from=_day(doc["available_from"], "available_from"),
        available_to=_day(doc["available_to"], "available_to"),
        expires_on=_day(doc["expires_on"], "expires_on"),
        supply=supply,
        demand=demand,
        note=_string(doc.get("note", ""), "note"),
    )
