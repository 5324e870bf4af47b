"""The demo market generator: listings from streams and licences, the period, delivery lots."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zerowaste.adapters.catalog_files import load_catalog
from zerowaste.demo import DemoCity, generate_city
from zerowaste.demo.geography import HOME_PROVINCE
from zerowaste.demo.market import (
    MAX_LOTS,
    TRUCK_T,
    MarketPlan,
    delivery_lots,
    last_full_month,
    plan_market,
)
from zerowaste.demo.market_specs import DEMAND_SPECS, SUPPLY_SPECS, supply_spec
from zerowaste.demo.routes import category_of, is_hazardous
from zerowaste.domain.catalog import Catalog
from zerowaste.domain.listings import ComponentRange, ListingSide

AS_OF = date(2026, 6, 1)


@pytest.fixture(scope="module")
def city() -> DemoCity:
    return generate_city(7, 1.0, as_of=AS_OF)


@pytest.fixture(scope="module")
def market(city: DemoCity) -> MarketPlan:
    return plan_market(city)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _accepts(accepted: tuple[str, ...], code: str) -> bool:
    return code in accepted or (is_hazardous(code) and category_of(code) in accepted)


def test_the_same_seed_gives_the_same_market(city: DemoCity, market: MarketPlan) -> None:
    assert plan_market(city) == market
    other = plan_market(generate_city(8, 1.0, as_of=AS_OF))
    assert other.listings != market.listings


@pytest.mark.parametrize(
    ("as_of", "start", "end"),
    [
        (date(2026, 6, 1), date(2026, 5, 1), date(2026, 5, 31)),
        (date(2026, 6, 30), date(2026, 5, 1), date(2026, 5, 31)),
        (date(2026, 3, 2), date(2026, 2, 1), date(2026, 2, 28)),
        (date(2027, 1, 15), date(2026, 12, 1), date(2026, 12, 31)),
    ],
)
def test_the_period_is_the_last_full_month(as_of: date, start: date, end: date) -> None:
    assert last_full_month(as_of) == (start, end)


def test_both_sides_are_listed_with_unique_references(market: MarketPlan) -> None:
    supplies = market.of_side(ListingSide.SUPPLY)
    demands = market.of_side(ListingSide.DEMAND)
    assert len(supplies) > 100
    assert len(demands) > 15
    assert len({s.ref for s in market.listings}) == len(market.listings)
    kinds = {s.kind for s in supplies}
    assert {"SW01", "SW02", "SW06", "SW17", "900-214-08", "900-404-06", "900-045-49"} <= kinds
    assert "900-252-12" in kinds
    demand_kinds = {s.kind for s in demands}
    assert {"cement.admixture", "precious.boards", "hazardous.incineration"} <= demand_kinds


def test_supplies_are_the_firms_own_streams_within_their_specs(
    city: DemoCity, market: MarketPlan, catalog: Catalog
) -> None:
    for spec in market.of_side(ListingSide.SUPPLY):
        firm = city.firm(spec.firm_key)
        terms = spec.listing.supply
        assert terms is not None
        assert spec.listing.organization_id == firm.ref
        assert spec.listing.site_id == firm.sites[0].ref
        assert terms.waste_code in firm.wastes
        if is_hazardous(terms.waste_code):
            assert catalog.validate_code_or_category(terms.waste_code, AS_OF)
        material = supply_spec(firm.archetype, terms.waste_code)
        assert material is not None
        bounds = {name: (Decimal(lo), Decimal(hi)) for name, lo, hi in material.components}
        assert {r.component for r in terms.composition} == set(bounds)
        for declared in terms.composition:
            low, high = bounds[declared.component]
            assert declared.low is not None
            assert declared.high is not None
            assert low <= declared.low <= declared.high <= high
        assert terms.lot_t is not None
        assert 0 < terms.lot_t <= terms.quantity_t
        assert material.price_cny_per_t[0] - 5 <= terms.price_cny_per_t
        assert terms.price_cny_per_t <= material.price_cny_per_t[1] + 5
        assert terms.allows_cross_province == is_hazardous(terms.waste_code)


def test_generators_pay_to_be_rid_of_hazardous_sludges(market: MarketPlan) -> None:
    prices = {
        s.kind: s.listing.supply.price_cny_per_t
        for s in market.of_side(ListingSide.SUPPLY)
        if s.listing.supply is not None
    }
    assert prices["900-252-12"] < 0
    assert prices["336-064-17"] < 0
    assert prices["900-045-49"] > 0
    assert prices["SW17"] > 0


def test_licensed_demands_accept_only_what_their_licences_cover(
    city: DemoCity, market: MarketPlan
) -> None:
    licensed = 0
    for spec in market.of_side(ListingSide.DEMAND):
        firm = city.firm(spec.firm_key)
        terms = spec.listing.demand
        assert terms is not None
        hazardous = [c for c in terms.accepted_codes if is_hazardous(c) or c.startswith("HW")]
        if not hazardous:
            assert spec.permit_numbers == ()
            continue
        licensed += 1
        permits = [p for p in firm.permits if p.number in spec.permit_numbers]
        assert permits
        in_force = [
            p
            for p in permits
            if p.valid_from <= market.period_start and p.valid_to >= market.period_end
        ]
        assert in_force
        for code in hazardous:
            assert any(code in p.waste_codes for p in in_force)
        share = next(d.capacity_share for d in DEMAND_SPECS if d.key == spec.kind)
        yearly = max(p.annual_capacity_t for p in in_force)
        assert abs(terms.capacity_t - yearly * Decimal(str(share)) / 12) <= 10
    assert licensed >= 6


def test_every_limit_names_a_component_each_accepted_supply_reports() -> None:
    for demand in DEMAND_SPECS:
        limited = {name for name, _, _ in demand.limits}
        for (_, code), material in SUPPLY_SPECS.items():
            accepted = demand.accepted
            if accepted is None or not _accepts(accepted, code):
                continue
            reported = {name for name, _, _ in material.components}
            assert limited <= reported, (demand.key, code)


def test_specs_are_fractions_that_sum_to_at_most_one(catalog: Catalog) -> None:
    for material in SUPPLY_SPECS.values():
        highs = sum(Decimal(hi) for _, _, hi in material.components)
        assert highs <= 1, material.code
        for name, low, high in material.components:
            assert 0 <= Decimal(low) <= Decimal(high) <= 1, (material.code, name)
        assert material.source
        if is_hazardous(material.code):
            assert catalog.validate_code_or_category(material.code, AS_OF)


def test_the_cement_kiln_limits_its_blend_and_a_neighbour_takes_cross_province(
    city: DemoCity, market: MarketPlan
) -> None:
    demands = market.of_side(ListingSide.DEMAND)
    kiln = next(s for s in demands if s.kind == "cement.admixture")
    assert kiln.listing.demand is not None
    assert kiln.listing.demand.blend
    assert {r.component for r in kiln.listing.demand.limits} == {"Cl", "SO3"}
    neighbours = [
        s
        for s in demands
        if city.firm(s.firm_key).organization.region_code[:2] != HOME_PROVINCE[:2]
        and s.permit_numbers
    ]
    assert neighbours
    supplies = market.of_side(ListingSide.SUPPLY)
    pairs = [
        (supply, demand)
        for demand in neighbours
        for supply in supplies
        if supply.listing.supply is not None
        and demand.listing.demand is not None
        and supply.listing.supply.allows_cross_province
        and city.firm(supply.firm_key).organization.region_code[:2] == HOME_PROVINCE[:2]
        and _accepts(demand.listing.demand.accepted_codes, supply.listing.supply.waste_code)
    ]
    assert pairs


def test_listings_are_open_over_the_period_and_after_as_of(market: MarketPlan) -> None:
    for spec in market.listings:
        listing = spec.listing
        assert listing.available_from < market.period_start
        assert listing.available_to > AS_OF
        assert listing.expires_on > AS_OF
    assert market.at(0).date() == market.period_start
    assert market.contract_end == date(2027, 4, 30)


_SOLVENT = (
    ComponentRange("H2O", Decimal("0.05"), Decimal("0.09")),
    ComponentRange("Cl", Decimal("0.001"), Decimal("0.002")),
)
_LIMITS = (ComponentRange("H2O", None, Decimal("0.15")),)
_PERIOD = (date(2026, 5, 1), date(2026, 5, 31))


@pytest.mark.parametrize("committed", [0.4, 12.0, 60.0, 500.0])
def test_lots_spread_over_the_period_within_the_declared_ranges(committed: float) -> None:
    lots = delivery_lots(7, "k", committed_t=committed, period=_PERIOD, composition=_SOLVENT)
    assert 1 <= len(lots) <= MAX_LOTS
    assert lots == delivery_lots(
        7, "k", committed_t=committed, period=_PERIOD, composition=_SOLVENT
    )
    days = [lot.shipped_at.date() for lot in lots]
    assert days == sorted(days)
    assert all(_PERIOD[0] <= day <= _PERIOD[1] for day in days)
    total_t = sum(float(lot.mass_kg) for lot in lots) / 1000
    if committed <= MAX_LOTS * TRUCK_T:
        assert committed * 0.9 <= total_t <= max(committed * 1.05, 0.1)
    else:
        assert total_t <= MAX_LOTS * TRUCK_T * 1.05
    for lot in lots:
        assert lot.mass_kg == lot.mass_kg.quantize(Decimal("0.1"))
        measured = dict(lot.fractions)
        assert not lot.off_spec
        assert Decimal("0.05") <= measured["H2O"] <= Decimal("0.09")
        assert Decimal("0.001") <= measured["Cl"] <= Decimal("0.002")


def test_an_off_spec_lot_breaks_the_buyers_limit() -> None:
    lots = delivery_lots(
        7, "k", committed_t=40, period=_PERIOD, composition=_SOLVENT, limits=_LIMITS, off_spec=True
    )
    *good, bad = lots
    assert bad.off_spec
    assert dict(bad.fractions)["H2O"] > Decimal("0.15")
    assert sum(dict(bad.fractions).values()) <= 1
    assert all(not lot.off_spec and dict(lot.fractions)["H2O"] <= Decimal("0.15") for lot in good)
    floor = (ComponentRange("Cu", Decimal("0.10"), None),)
    copper = (ComponentRange("Cu", Decimal("0.12"), Decimal("0.2")),)
    low = delivery_lots(
        7, "b", committed_t=3, period=_PERIOD, composition=copper, limits=floor, off_spec=True
    )
    assert dict(low[-1].fractions)["Cu"] < Decimal("0.10")


def test_lots_without_a_lab_carry_no_fractions() -> None:
    lots = delivery_lots(7, "k", committed_t=20, period=_PERIOD, composition=_SOLVENT, lab=False)
    assert all(lot.fractions == () for lot in lots)
