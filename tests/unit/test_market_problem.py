"""The matching problem built from listings: prorating, catalog, permits, economics, carbon."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from tests.market_world import NOVEMBER, demand, permit, site, supply
from zerowaste.adapters.carbon_files import load_waste_materials
from zerowaste.adapters.catalog_files import load_catalog
from zerowaste.adapters.factor_files import load_default_book
from zerowaste.adapters.market_files import load_market_economics
from zerowaste.domain.factors import WasteRoute
from zerowaste.domain.listings import ComponentRange, ListingState, QuantityBasis
from zerowaste.domain.permits import PermitActivity
from zerowaste.optimize.matching.model import Range, Window
from zerowaste.services.catalog import CatalogService
from zerowaste.services.market_problem import CarbonBasis, problem_for, waste_kind

PERIOD = Window(*NOVEMBER)
SELLER, BUYER, STRANGER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


@pytest.fixture(scope="module")
def catalog() -> CatalogService:
    return CatalogService(load_catalog(), lambda: date(2026, 11, 1))


@pytest.fixture(scope="module")
def carbon() -> CarbonBasis:
    return CarbonBasis(load_default_book(), load_waste_materials(), "320505")


def test_supply_is_prorated_placed_and_priced(catalog: CatalogService, carbon: CarbonBasis) -> None:
    at = site(SELLER, lat=31.25, lon=120.55)
    lab = (ComponentRange("water", Decimal("0.02"), Decimal("0.05")),)
    offer = supply(SELLER, at, "900-214-08", "30.4375", QuantityBasis.MONTH, composition=lab)
    problem = problem_for(
        [offer], {at.id: at}, {}, catalog, load_market_economics(), carbon, PERIOD
    )
    (got,) = problem.supplies
    assert got.quantity_t == pytest.approx(30.0)  # 30 of 30.4375 days a month
    assert (got.category, got.hazardous) == ("HW08", True)
    assert got.hazard_class == "flammable"  # waste engine oil is T,I: flammable wins
    assert got.disposal_route == "incineration"
    assert got.disposal_cost_cny_per_t == 2500.0
    assert got.material == "waste_oil"
    assert got.composition == {"water": Range(0.02, 0.05)}
    assert (got.lat, got.lon, got.region_code) == (31.25, 120.55, "320505")
    assert got.price_cny_per_t == -500.0
    assert got.window == PERIOD
    assert got.lot_t == pytest.approx(30.0)  # a lot is never more than the period's tonnes


def test_general_waste_lot_listing_and_clipped_window(
    catalog: CatalogService, carbon: CarbonBasis
) -> None:
    at = site(SELLER)
    offer = supply(
        SELLER, at, "sw01", "500", QuantityBasis.LOT, window=(date(2026, 11, 20), date(2027, 1, 31))
    )
    (got,) = problem_for(
        [offer], {at.id: at}, {}, catalog, load_market_economics(), carbon, PERIOD
    ).supplies
    assert (got.waste_code, got.category, got.hazardous, got.hazard_class) == (
        "SW01",
        "SW01",
        False,
        "general",
    )
    assert got.quantity_t == 500.0  # a lot is offered whole
    assert got.window == Window(date(2026, 11, 20), date(2026, 11, 30))
    assert (got.disposal_route, got.disposal_cost_cny_per_t, got.material) == (
        "landfill",
        60.0,
        "slag",
    )


def test_demand_keeps_only_its_own_firms_permits(
    catalog: CatalogService, carbon: CarbonBasis
) -> None:
    at = site(BUYER, region_code="320583")
    own = permit(BUYER, ("HW08", "900-041-49"), frozenset({PermitActivity.UTILIZE}))
    foreign = permit(STRANGER)
    wanted = demand(
        BUYER,
        at,
        ("hw08",),
        "365.25",
        QuantityBasis.YEAR,
        permit_ids=(own.id, foreign.id, uuid.uuid4()),
        limits=(ComponentRange("water", None, Decimal("0.1")),),
    )
    problem = problem_for(
        [wanted],
        {at.id: at},
        {own.id: own, foreign.id: foreign},
        catalog,
        load_market_economics(),
        carbon,
        PERIOD,
    )
    (got,) = problem.demands
    assert got.accepted == frozenset({"HW08"})
    assert got.capacity_t == pytest.approx(30.0)
    assert [p.permit_id for p in got.permits] == [str(own.id)]
    cover = got.permits[0]
    assert cover.codes == frozenset({"HW08", "900-041-49"})
    assert cover.activities == frozenset({"utilize"})
    assert cover.valid == Window(date(2026, 1, 1), date(2027, 12, 31))
    assert got.limits == {"water": Range(None, 0.1)}
    assert (got.activity, got.route, got.region_code) == ("utilize", "recycling", "320583")


def test_economics_and_carbon_come_from_the_files_and_the_book(
    catalog: CatalogService, carbon: CarbonBasis
) -> None:
    problem = problem_for([], {}, {}, catalog, load_market_economics(), carbon, PERIOD)
    economics = problem.economics
    assert economics.carbon_price_cny_per_t == 90.0
    assert economics.transport_cny_per_tkm["general"] == 0.5
    assert economics.transport_cny_per_tkm["hazardous"] > economics.transport_cny_per_tkm["general"]
    assert economics.cross_province_cny_per_t == 150.0
    assert economics.road_factor == 1.3
    assert economics.transport_co2e_kg_per_tkm == pytest.approx(0.11)  # the CN road factor
    assert economics.net_co2e_kg_per_t[("waste_oil", "recycling")] == pytest.approx(-700)
    assert economics.net_co2e_kg_per_t[("waste_oil", "incineration")] == pytest.approx(2933.3)
    assert ("waste_oil", "composting") not in economics.net_co2e_kg_per_t
    priced = problem_for(
        [], {}, {}, catalog, load_market_economics(), carbon, PERIOD, carbon_price=0.0
    )
    assert priced.economics.carbon_price_cny_per_t == 0.0


def test_listings_outside_the_period_closed_or_siteless_are_left_out(
    catalog: CatalogService, carbon: CarbonBasis
) -> None:
    at = site(SELLER)
    inside = supply(SELLER, at)
    before = supply(SELLER, at, window=(date(2026, 9, 1), date(2026, 10, 31)))
    withdrawn = replace(supply(SELLER, at), state=ListingState.WITHDRAWN)
    nowhere = supply(SELLER, site(SELLER))
    problem = problem_for(
        [inside, before, withdrawn, nowhere],
        {at.id: at},
        {},
        catalog,
        load_market_economics(),
        carbon,
        PERIOD,
    )
    assert [s.id for s in problem.supplies] == [str(inside.id)]


def test_order_is_by_listing_id_whatever_the_input_order(
    catalog: CatalogService, carbon: CarbonBasis
) -> None:
    at = site(SELLER)
    listings = [supply(SELLER, at) for _ in range(5)] + [demand(BUYER, at) for _ in range(3)]
    forward = problem_for(
        listings, {at.id: at}, {}, catalog, load_market_economics(), carbon, PERIOD
    )
    backward = problem_for(
        listings[::-1], {at.id: at}, {}, catalog, load_market_economics(), carbon, PERIOD
    )
    assert forward == backward
    assert [s.id for s in forward.supplies] == sorted(s.id for s in forward.supplies)


@pytest.mark.parametrize(
    ("code", "category", "hazardous", "hazard_class"),
    [
        ("900-041-49", "HW49", True, "infectious"),  # T/In in the list
        ("HW34", "HW34", True, "hazardous"),
        ("90021408", "HW08", True, "flammable"),
        ("SW17", "SW17", False, "general"),
        ("BP-slag-aggregate", "BP-SLAG-AGGREGATE", False, "general"),
    ],
)
def test_waste_kind(
    catalog: CatalogService, code: str, category: str, hazardous: bool, hazard_class: str
) -> None:
    kind = waste_kind(code, catalog, date(2026, 11, 1))
    assert (kind.category, kind.hazardous, kind.hazard_class) == (category, hazardous, hazard_class)


def test_hazardous_default_disposal_for_an_unlisted_category() -> None:
    economics = load_market_economics()
    assert economics.disposal_of("HW99", True).route is WasteRoute.LANDFILL
    assert economics.disposal_of("BP-X", False).cost_cny_per_t == 100.0
