"""Each hard filter of the candidate graph, on hand-made pairs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.matching_world import LAT, LON, PERIOD, demand, limits, oil, permit, problem, supply
from zerowaste.errors import InvalidInput
from zerowaste.optimize.matching import build_candidates
from zerowaste.optimize.matching.geo import great_circle_km, unit_vectors
from zerowaste.optimize.matching.model import FilterRule, Range, Window


def only_rule(graph_counts: dict[FilterRule, int], rule: FilterRule) -> None:
    assert graph_counts[rule] == 1
    assert sum(graph_counts.values()) == 1


def removed(supplies: list, demands: list, rule: FilterRule) -> str:  # type: ignore[type-arg]
    graph = build_candidates(problem(supplies, demands))
    assert len(graph) == 0
    only_rule(graph.filtered_counts, rule)
    (example,) = [f for f in graph.filtered if f.rule is rule]
    return example.detail


def test_a_plain_pair_passes_with_its_value_terms() -> None:
    graph = build_candidates(problem([supply()], [demand()]))
    (arc,) = graph.candidates
    assert sum(graph.filtered_counts.values()) == 0
    assert arc.distance_km == pytest.approx(22.24 * 1.3, rel=1e-3)
    v = arc.value
    assert v.price_cny_per_t == 10.0
    assert v.avoided_disposal_cny_per_t == 200.0
    assert v.transport_cny_per_t == pytest.approx(arc.distance_km * 0.5)
    # slag's routes have no carbon factors: no route gain, only freight emissions
    assert v.avoided_co2e_kg_per_t == pytest.approx(-arc.distance_km * 0.1)
    assert v.carbon_value_cny_per_t == pytest.approx(v.avoided_co2e_kg_per_t / 1000 * 100)
    assert v.value_cny_per_t == pytest.approx(
        10 + 200 - v.transport_cny_per_t + v.carbon_value_cny_per_t
    )


def test_carbon_route_gain_counts_when_both_factors_are_known() -> None:
    graph = build_candidates(
        problem(
            [oil()],
            [demand(accepted=frozenset({"HW08"}), route="regeneration", permits=(permit(),))],
        )
    )
    (arc,) = graph.candidates
    assert arc.permit_id == "P1"
    assert arc.value.avoided_co2e_kg_per_t == pytest.approx(1500 - arc.distance_km * 0.1)


def test_code_not_accepted_is_counted_without_forming_the_pair() -> None:
    detail = removed(
        [supply(waste_code="SW02", category="SW02")], [demand()], FilterRule.CODE_NOT_ACCEPTED
    )
    assert "SW02" in detail


def test_a_category_accepts_every_code_in_it() -> None:
    d = demand(accepted=frozenset({"HW08"}), permits=(permit(),))
    graph = build_candidates(problem([oil("S1"), oil("S2", waste_code="900-249-08")], [d]))
    assert len(graph) == 2
    exact = demand(accepted=frozenset({"900-249-08"}), permits=(permit(),))
    graph = build_candidates(problem([oil("S1"), oil("S2", waste_code="900-249-08")], [exact]))
    assert [c.supply_id for c in graph.candidates] == ["S2"]
    assert graph.filtered_counts[FilterRule.CODE_NOT_ACCEPTED] == 1


def test_too_far_beyond_the_search_radius_and_at_the_exact_limit() -> None:
    far = demand(lat=LAT + 2.0)  # about 290 km by road
    detail = removed([supply()], [far], FilterRule.TOO_FAR)
    assert "above max 100" in detail
    road = float(great_circle_km(unit_vectors(LAT, LON), unit_vectors(LAT + 0.2, LON))[0]) * 1.3
    assert len(build_candidates(problem([supply()], [demand(max_distance_km=road + 1e-6)]))) == 1
    graph = build_candidates(problem([supply()], [demand(max_distance_km=road - 1e-3)]))
    assert len(graph) == 0
    assert graph.filtered_counts[FilterRule.TOO_FAR] == 1


def test_same_organization() -> None:
    detail = removed(
        [supply(organization_id="X")], [demand(organization_id="X")], FilterRule.SAME_ORGANIZATION
    )
    assert "X" in detail


def test_windows_must_overlap_inside_the_period() -> None:
    early = Window(date(2026, 1, 1), date(2026, 12, 31))  # before the period
    removed([supply(window=early)], [demand(window=early)], FilterRule.WINDOWS_DO_NOT_OVERLAP)
    june = Window(date(2027, 6, 1), date(2027, 6, 30))
    july = Window(date(2027, 7, 1), date(2027, 7, 31))
    removed([supply(window=june)], [demand(window=july)], FilterRule.WINDOWS_DO_NOT_OVERLAP)
    graph = build_candidates(problem([supply(window=june)], [demand(window=PERIOD)]))
    assert graph.candidates[0].window == june


def test_permit_expiring_the_day_before_the_period_ends_is_missing() -> None:
    short = Window(PERIOD.start - timedelta(days=365), PERIOD.end - timedelta(days=1))
    d = demand(accepted=frozenset({"HW08"}), permits=(permit(valid=short),))
    detail = removed([oil()], [d], FilterRule.PERMIT_MISSING)
    assert "900-214-08" in detail
    assert "P1" in detail


@pytest.mark.parametrize(
    ("cover", "why"),
    [
        (permit(codes=frozenset({"HW06"})), "other category"),
        (permit(activity="dispose"), "other activity"),
        (None, "no permit"),
    ],
)
def test_permit_must_cover_code_and_activity(cover: object, why: str) -> None:
    permits = (cover,) if cover is not None else ()
    d = demand(accepted=frozenset({"HW08"}), permits=permits)
    removed([oil()], [d], FilterRule.PERMIT_MISSING)


def test_permit_for_the_exact_code_or_a_later_permit_for_a_short_window_covers() -> None:
    code_permit = permit(codes=frozenset({"900-214-08"}))
    d = demand(accepted=frozenset({"HW08"}), permits=(code_permit,))
    assert len(build_candidates(problem([oil()], [d]))) == 1
    late = Window(date(2027, 3, 1), date(2027, 12, 31))
    d = demand(accepted=frozenset({"HW08"}), permits=(permit(valid=late),))
    march = Window(date(2027, 3, 1), date(2027, 3, 31))
    assert len(build_candidates(problem([oil(window=march)], [d]))) == 1
    assert len(build_candidates(problem([oil()], [d]))) == 0


def test_non_hazardous_waste_needs_no_permit() -> None:
    assert build_candidates(problem([supply()], [demand()])).candidates[0].permit_id is None


def test_composition_above_max_below_min_or_unstated() -> None:
    d = demand(limits=limits(Pb=(None, 0.005)))
    detail = removed(
        [supply(composition={"Pb": Range(0.010, 0.012)})], [d], FilterRule.COMPOSITION_OUT_OF_LIMITS
    )
    assert detail == "Pb 0.012 above max 0.005"
    detail = removed([supply()], [d], FilterRule.COMPOSITION_OUT_OF_LIMITS)
    assert "Pb not stated" in detail
    d = demand(limits=limits(Fe=(0.3, None)))
    detail = removed(
        [supply(composition={"Fe": Range(0.25, 0.40)})], [d], FilterRule.COMPOSITION_OUT_OF_LIMITS
    )
    assert detail == "Fe 0.25 below min 0.3"
    ok = supply(composition={"Fe": Range(0.30, 0.40)})
    assert len(build_candidates(problem([ok], [d]))) == 1


def test_blend_demand_skips_the_per_supply_check_but_needs_the_component_stated() -> None:
    d = demand(limits=limits(Pb=(None, 0.005)), blend=True)
    high = supply(composition={"Pb": Range(0.010, 0.012)})
    assert len(build_candidates(problem([high], [d]))) == 1
    removed([supply()], [d], FilterRule.COMPOSITION_OUT_OF_LIMITS)


def test_minimum_lot() -> None:
    detail = removed([supply(lot_t=5.0)], [demand(min_lot_t=10.0)], FilterRule.BELOW_MIN_LOT)
    assert "5 t" in detail
    assert len(build_candidates(problem([supply(lot_t=10.0)], [demand(min_lot_t=10.0)]))) == 1


def test_price_below_ask() -> None:
    removed(
        [supply(price_cny_per_t=20.0)], [demand(price_cny_per_t=10.0)], FilterRule.PRICE_BELOW_ASK
    )
    fee = supply(price_cny_per_t=-50.0)  # the generator pays to be rid of it
    assert len(build_candidates(problem([fee], [demand(price_cny_per_t=-40.0)]))) == 1


@pytest.mark.parametrize(("allows", "accepts"), [(False, True), (True, False), (False, False)])
def test_cross_province_needs_both_sides(allows: bool, accepts: bool) -> None:
    s = supply(allows_cross_province=allows)
    d = demand(region_code="340500", accepts_cross_province=accepts)
    removed([s], [d], FilterRule.CROSS_PROVINCE_NOT_ALLOWED)


def test_cross_province_pair_pays_the_approval() -> None:
    graph = build_candidates(problem([supply()], [demand(region_code="340500")]))
    (arc,) = graph.candidates
    assert arc.cross_province
    assert arc.value.approval_cny_per_t == 50.0


def _disposer(id: str, dlat: float, region: str = "320100") -> object:
    return demand(
        id,
        accepted=frozenset({"HW08"}),
        activity="dispose",
        route="incineration",
        lat=LAT + dlat,
        region_code=region,
        permits=(permit(activity="dispose", permit_id=f"P{id}"),),
    )


def test_disposal_goes_to_the_nearest_in_province_facility() -> None:
    near, far = _disposer("D1", 0.1), _disposer("D2", 0.3)
    across = _disposer("D3", 0.05, region="340500")
    graph = build_candidates(problem([oil()], [far, near, across]))  # type: ignore[list-item]
    assert [c.demand_id for c in graph.candidates] == ["D1"]
    assert graph.filtered_counts[FilterRule.DISPOSAL_NOT_NEAREST] == 2
    details = [f.detail for f in graph.filtered if f.rule is FilterRule.DISPOSAL_NOT_NEAREST]
    assert all("D1" in text for text in details)


def test_cross_province_disposal_only_without_an_in_province_one() -> None:
    across = _disposer("D3", 0.05, region="340500")
    also = _disposer("D4", 0.2, region="340500")
    graph = build_candidates(problem([oil()], [across, also]))  # type: ignore[list-item]
    assert [c.demand_id for c in graph.candidates] == ["D3"]


def test_disposal_rule_leaves_utilization_alone() -> None:
    user = demand("D9", accepted=frozenset({"HW08"}), permits=(permit(),), lat=LAT + 0.5)
    graph = build_candidates(problem([oil()], [_disposer("D1", 0.1), user]))  # type: ignore[list-item]
    assert sorted(c.demand_id for c in graph.candidates) == ["D1", "D9"]


def test_first_failing_rule_is_counted_once_and_examples_are_capped() -> None:
    s = [supply(f"S{i}", lot_t=1.0, price_cny_per_t=99.0) for i in range(8)]
    graph = build_candidates(problem(s, [demand(min_lot_t=5.0)]), examples_per_rule=3)
    assert graph.filtered_counts[FilterRule.BELOW_MIN_LOT] == 8
    assert graph.filtered_counts[FilterRule.PRICE_BELOW_ASK] == 0
    assert len([f for f in graph.filtered if f.rule is FilterRule.BELOW_MIN_LOT]) == 3


def test_indexes_by_supply_and_demand_are_best_first() -> None:
    s1, s2 = supply("S1"), supply("S2", lat=LAT + 0.5)
    d1, d2 = demand("D1", price_cny_per_t=50.0), demand("D2")
    graph = build_candidates(problem([s1, s2], [d1, d2]))
    assert [c.demand_id for c in graph.by_supply["S1"]] == ["D1", "D2"]
    values = [c.value.value_cny_per_t for c in graph.by_demand["D1"]]
    assert values == sorted(values, reverse=True)
    assert {c.supply_id for c in graph.by_demand["D2"]} == {"S1", "S2"}


@pytest.mark.parametrize(
    ("market", "field"),
    [
        (problem([supply(quantity_t=-1.0)], [demand()]), "supplies[0].quantity_t"),
        (problem([supply()], [demand(capacity_t=float("nan"))]), "demands[0].capacity_t"),
        (problem([supply(lat=float("inf"))], [demand()]), "supplies[0].lat"),
    ],
)
def test_unusable_numbers_are_rejected_naming_the_field(market: object, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        build_candidates(market)  # type: ignore[arg-type]
    assert caught.value.field == field
