"""Listing domain: every invalid field is refused naming it; documents round-trip; prorating."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from zerowaste.domain.listing_documents import (
    canonical_terms,
    listing_document,
    parse_listing,
    terms_from_json,
)
from zerowaste.domain.listings import (
    ComponentRange,
    Listing,
    ListingState,
    QuantityBasis,
    prorated_t,
)
from zerowaste.errors import InvalidInput
from zerowaste.services.listings import composition_range

ORG, SITE = str(uuid.uuid4()), str(uuid.uuid4())


def supply(**changes: Any) -> dict[str, Any]:
    terms: dict[str, Any] = {
        "waste_code": "398-004-22",
        "quantity_t": "120",
        "basis": "month",
        "composition": {"Cu": {"low": "0.08", "high": "0.12"}},
        "lot_t": "20",
        "price_cny_per_t": "-300",
    }
    terms.update(changes)
    return _listing("supply", terms)


def demand(**changes: Any) -> dict[str, Any]:
    terms: dict[str, Any] = {
        "accepted_codes": ["HW22"],
        "capacity_t": "300",
        "basis": "year",
        "route": "recycling",
        "limits": {"Pb": {"low": None, "high": "0.002"}},
    }
    terms.update(changes)
    return _listing("demand", terms)


def _listing(side: str, terms: dict[str, Any]) -> dict[str, Any]:
    return {
        "side": side,
        "organization_id": ORG,
        "site_id": SITE,
        "title": "listing",
        "available_from": "2026-06-01",
        "available_to": "2026-12-31",
        "expires_on": "2026-11-30",
        side: terms,
    }


def refused(document: dict[str, Any]) -> str | None:
    with pytest.raises(InvalidInput) as caught:
        parse_listing(document)
    return caught.value.field


def test_valid_documents_round_trip() -> None:
    for document in (supply(), demand()):
        terms = parse_listing(document)
        assert parse_listing(listing_document(terms)) == terms
        assert terms_from_json(canonical_terms(terms)) == terms
    parsed = parse_listing(supply())
    assert parsed.supply is not None
    assert parsed.supply.price_cny_per_t == Decimal("-300")
    assert parsed.supply.smallest_lot_t == Decimal(20)
    assert canonical_terms(parsed) == canonical_terms(parse_listing(supply()))
    assert '"price_cny_per_t":"-300"' in canonical_terms(parsed)


TOP_LEVEL = [
    ("side", "barter"),
    ("organization_id", "x"),
    ("site_id", None),
    ("title", " "),
    ("title", "x" * 201),
    ("available_from", "June"),
    ("available_to", "2026-05-01"),
    ("available_to", "2030-01-01"),
    ("expires_on", "2027-01-01"),
    ("note", "x" * 2001),
    ("colour", "red"),
]


@pytest.mark.parametrize(("field", "value"), TOP_LEVEL)
def test_bad_top_level_field_is_named(field: str, value: Any) -> None:
    document = supply() | {field: value}
    assert refused(document) == field


SUPPLY = [
    ("waste_code", "", "supply.waste_code"),
    ("waste_code", None, "supply.waste_code"),
    ("quantity_t", "0", "supply.quantity_t"),
    ("quantity_t", "-1", "supply.quantity_t"),
    ("quantity_t", "NaN", "supply.quantity_t"),
    ("quantity_t", "2e7", "supply.quantity_t"),
    ("quantity_t", True, "supply.quantity_t"),
    ("quantity_t", "1e-999999999", "supply.quantity_t"),
    ("basis", "week", "supply.basis"),
    ("lot_t", "0", "supply.lot_t"),
    ("lot_t", "121", "supply.lot_t"),
    ("price_cny_per_t", "-2e7", "supply.price_cny_per_t"),
    ("price_cny_per_t", "Infinity", "supply.price_cny_per_t"),
    ("composition", {"Cu": {"low": "0.2", "high": "0.1"}}, "supply.composition.Cu"),
    ("composition", {"Cu": {"low": "-0.1", "high": "0.1"}}, "supply.composition.Cu.low"),
    ("composition", {"Cu": {"low": "0.1", "high": "1.1"}}, "supply.composition.Cu.high"),
    ("composition", {"Cu": {"high": "0.1"}}, "supply.composition.Cu"),
    (
        "composition",
        {"Cu": {"low": "0.1", "high": "0.2", "mid": "0.15"}},
        "supply.composition.Cu.mid",
    ),
    ("composition", {"x" * 65: {"low": "0.1", "high": "0.2"}}, "supply.composition"),
    ("composition", ["Cu"], "supply.composition"),
    ("composition_source", "guess", "supply.composition_source"),
    ("packaging", "x" * 101, "supply.packaging"),
    ("allows_cross_province", "yes", "supply.allows_cross_province"),
    ("batch_ids", ["nope"], "supply.batch_ids[0]"),
    ("batch_ids", "nope", "supply.batch_ids"),
    ("shape", "round", "supply.shape"),
]


@pytest.mark.parametrize(("name", "value", "field"), SUPPLY)
def test_bad_supply_field_is_named(name: str, value: Any, field: str) -> None:
    assert refused(supply(**{name: value})) == field


DEMAND = [
    ("accepted_codes", [], "demand.accepted_codes"),
    ("accepted_codes", ["HW22", " "], "demand.accepted_codes[1]"),
    ("accepted_codes", "HW22", "demand.accepted_codes"),
    ("capacity_t", "0", "demand.capacity_t"),
    ("basis", None, "demand.basis"),
    ("route", "source_reduction", "demand.route"),
    ("route", "teleport", "demand.route"),
    ("limits", {"Pb": {"low": None, "high": None}}, "demand.limits.Pb"),
    ("limits", {"Pb": {"low": "0.5", "high": "0.1"}}, "demand.limits.Pb"),
    ("limits", {"Pb": {"high": "2"}}, "demand.limits.Pb.high"),
    ("blend", 1, "demand.blend"),
    ("min_lot_t", "301", "demand.min_lot_t"),
    ("min_lot_t", "-1", "demand.min_lot_t"),
    ("max_distance_km", "0", "demand.max_distance_km"),
    ("max_distance_km", "5001", "demand.max_distance_km"),
    ("price_cny_per_t", "abc", "demand.price_cny_per_t"),
    ("permit_ids", ["x"], "demand.permit_ids[0]"),
    ("accepts_cross_province", None, "demand.accepts_cross_province"),
]


@pytest.mark.parametrize(("name", "value", "field"), DEMAND)
def test_bad_demand_field_is_named(name: str, value: Any, field: str) -> None:
    assert refused(demand(**{name: value})) == field


def test_sides_must_match_their_terms() -> None:
    both = supply() | {"demand": demand()["demand"]}
    assert refused(both) == "supply"
    assert refused(supply() | {"side": "demand"}) == "demand"
    assert refused({**demand(), "side": "supply"}) == "supply"
    missing = copy.deepcopy(supply())
    del missing["supply"]["quantity_t"]
    assert refused(missing) == "supply.quantity_t"
    assert refused([1]) == "listing"


def test_component_ranges_refuse_twice_named_and_too_many() -> None:
    from zerowaste.domain.listings import check_components

    twice = (ComponentRange("Cu", Decimal(0), Decimal(1)), ComponentRange("Cu", None, Decimal(1)))
    with pytest.raises(InvalidInput) as caught:
        check_components(twice, "demand.limits")
    assert caught.value.field == "demand.limits.Cu"
    many = tuple(ComponentRange(f"c{i}", None, Decimal(1)) for i in range(101))
    with pytest.raises(InvalidInput):
        check_components(many, "supply.composition")


def test_prorated_tonnes() -> None:
    assert prorated_t(Decimal(120), QuantityBasis.LOT, 30) == Decimal(120)
    assert prorated_t(Decimal("365.25"), QuantityBasis.YEAR, 10) == Decimal(10)
    month = prorated_t(Decimal(100), QuantityBasis.MONTH, 61)
    assert Decimal(200) < month < Decimal(201)
    assert prorated_t(Decimal("91.3125"), QuantityBasis.QUARTER, 1) == Decimal(1)
    assert prorated_t(Decimal(100), QuantityBasis.MONTH, 0) == 0


def test_state_on_reads_expiry() -> None:
    terms = parse_listing(supply())
    now = datetime(2026, 6, 1, tzinfo=UTC)
    listing = Listing(uuid.uuid4(), 1, ListingState.OPEN, terms, now, now)
    assert listing.is_open_on(date(2026, 11, 30))
    assert listing.state_on(date(2026, 12, 1)) is ListingState.EXPIRED
    withdrawn = Listing(uuid.uuid4(), 2, ListingState.WITHDRAWN, terms, now, now)
    assert withdrawn.state_on(date(2026, 12, 1)) is ListingState.WITHDRAWN


def test_composition_range_needs_lab_results() -> None:
    with pytest.raises(InvalidInput) as caught:
        composition_range([])
    assert caught.value.field == "supply.batch_ids"
