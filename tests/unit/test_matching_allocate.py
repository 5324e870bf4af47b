"""Allocation, its explanations, the blend LP and top-k recommendations on hand-made markets."""

from __future__ import annotations

import pytest

from tests.matching_world import LAT, demand, limits, oil, permit, problem, supply
from zerowaste.errors import ListingNotFound
from zerowaste.optimize.matching import allocate, build_candidates, recommend, solve_lp
from zerowaste.optimize.matching.model import FilterRule, Range


def lines_of(allocation, supply_id):  # type: ignore[no-untyped-def]
    return [line for line in allocation.lines if line.supply_id == supply_id]


def test_a_supply_fills_the_best_demand_then_the_next_then_disposal() -> None:
    s = supply(quantity_t=300.0)
    best = demand("D1", price_cny_per_t=80.0, capacity_t=200.0)
    second = demand("D2", price_cny_per_t=20.0, capacity_t=50.0)
    result = allocate(problem([s], [best, second]))
    assert result.solver == "min_cost_flow"
    by_demand = {line.demand_id: line for line in result.lines}
    assert by_demand["D1"].quantity_t == pytest.approx(200.0)
    assert by_demand["D2"].quantity_t == pytest.approx(50.0)
    assert by_demand[None].quantity_t == pytest.approx(50.0)
    assert "demand capacity full: D1" in by_demand["D1"].binding
    assert by_demand["D1"].alternative.demand_id == "D2"
    assert "worth 60.0 CNY/t less" in by_demand["D1"].alternative.reason
    assert by_demand[None].value.value_cny_per_t == 0.0
    assert by_demand[None].alternative.demand_id == "D1"
    assert "capacity full at D1" in by_demand[None].alternative.reason
    expected = sum(line.value_cny for line in result.lines)
    assert result.objective_cny == pytest.approx(expected)
    assert set(result.timings_s) == {"candidates", "solve", "explain"}
    assert result.candidates == 2


def test_the_loser_of_a_contested_demand_is_told_its_marginal_worth() -> None:
    near = supply("S1", quantity_t=100.0)
    far = supply("S2", quantity_t=100.0, lat=LAT + 0.6)  # pays more freight to D1
    contested = demand("D1", capacity_t=100.0, price_cny_per_t=100.0, lat=LAT + 0.3)
    fallback = demand("D2", capacity_t=100.0, price_cny_per_t=0.0, lat=LAT + 0.6)
    result = allocate(problem([near, far], [contested, fallback]))
    (s2,) = lines_of(result, "S2")
    assert s2.demand_id == "D2"
    assert s2.alternative.demand_id == "D1"
    assert "capacity full at D1" in s2.alternative.reason
    assert "marginal tonne is worth" in s2.alternative.reason
    (s1,) = lines_of(result, "S1")
    assert s1.demand_id == "D1"
    assert "supply exhausted" in s1.binding


def test_a_supply_without_candidates_is_disposed_and_says_which_filters() -> None:
    s = oil(quantity_t=40.0)
    d = demand(accepted=frozenset({"HW08"}))  # holds no permit
    result = allocate(problem([s], [d, demand("D2")]))
    (line,) = result.lines
    assert line.demand_id is None
    assert line.quantity_t == 40.0
    assert "permit_missing 1" in line.alternative.reason
    assert "code_not_accepted 1" in line.alternative.reason
    assert result.filtered_counts[FilterRule.PERMIT_MISSING] == 1


def test_an_arc_worth_less_than_disposal_loses_to_it() -> None:
    s = supply(disposal_cost_cny_per_t=0.0, price_cny_per_t=-50.0)
    d = demand(price_cny_per_t=-30.0)  # a gate fee above the (zero) disposal cost
    result = allocate(problem([s], [d]))
    (line,) = result.lines
    assert line.demand_id is None
    assert line.alternative.reason.startswith("loses to disposal")
    assert result.objective_cny == 0.0


def blend_market(cap: float = 100.0):  # type: ignore[no-untyped-def]
    high = supply("HI", quantity_t=80.0, composition={"Pb": Range(0.010, 0.012)})
    low = supply("LO", quantity_t=50.0, composition={"Pb": Range(0.001, 0.002)}, lat=LAT + 0.1)
    d = demand("B", capacity_t=cap, limits=limits(Pb=(None, 0.005)), blend=True)
    return problem([high, low], [d])


def test_blend_mixes_high_and_low_lead_to_meet_the_average_limit() -> None:
    market = blend_market()
    result = allocate(market)
    assert result.solver == "lp"
    taken = {line.supply_id: line.quantity_t for line in result.lines if line.demand_id == "B"}
    # all of LO (0.002) and as much HI (0.012) as keeps the average at 0.005: 50·3/7 t
    assert taken["LO"] == pytest.approx(50.0, abs=1e-6)
    assert taken["HI"] == pytest.approx(50.0 * 3 / 7, abs=1e-6)
    average = (taken["HI"] * 0.012 + taken["LO"] * 0.002) / sum(taken.values())
    assert average <= 0.005 + 1e-9
    hi_line = next(x for x in result.lines if x.supply_id == "HI" and x.demand_id == "B")
    assert "blend limit Pb (max) at B" in hi_line.binding
    assert result.objective_cny == pytest.approx(
        solve_lp(market, build_candidates(market)).objective_cny
    )


def test_without_the_blend_flag_the_high_lead_supply_is_filtered() -> None:
    market = blend_market()
    d = market.demands[0]
    plain = problem(market.supplies, [type(d)(**{**_fields(d), "blend": False})])
    result = allocate(plain)
    assert result.filtered_counts[FilterRule.COMPOSITION_OUT_OF_LIMITS] == 1
    assert {x.supply_id for x in result.lines if x.demand_id == "B"} == {"LO"}


def _fields(obj: object) -> dict[str, object]:
    return {name: getattr(obj, name) for name in obj.__slots__}  # type: ignore[attr-defined]


def test_blend_and_plain_components_are_solved_together() -> None:
    market = blend_market()
    other = supply("X", lat=LAT + 5.0)
    far_demand = demand("Y", lat=LAT + 5.2)
    mixed = problem([*market.supplies, other], [*market.demands, far_demand])
    result = allocate(mixed)
    assert result.solver == "min_cost_flow+lp"
    assert {x.demand_id for x in lines_of(result, "X")} == {"Y"}


def test_recommend_for_a_supply_ranks_demands_by_value() -> None:
    s = supply(quantity_t=70.0)
    demands = [
        demand("D1", price_cny_per_t=5.0, capacity_t=500.0),
        demand("D2", price_cny_per_t=100.0, capacity_t=30.0, region_code="340500"),
        demand("D3", price_cny_per_t=30.0),
        demand("D4", accepted=frozenset({"SW09"})),
    ]
    result = recommend(problem([s], demands), "S1", k=2)
    assert [item.partner_id for item in result.items] == ["D2", "D3"]
    assert [item.rank for item in result.items] == [1, 2]
    assert result.items[0].quantity_t == 30.0
    assert "cross-province approval needed" in result.items[0].note
    assert result.items[1].quantity_t == 70.0
    assert result.filtered_counts[FilterRule.CODE_NOT_ACCEPTED] == 1


def test_recommend_for_a_demand_ranks_supplies() -> None:
    supplies = [supply("S1", lat=LAT + 0.5), supply("S2"), supply("S3", price_cny_per_t=99.0)]
    result = recommend(problem(supplies, [demand("D1")]), "D1")
    assert [item.partner_id for item in result.items] == ["S2", "S1"]
    assert result.filtered_counts[FilterRule.PRICE_BELOW_ASK] == 1
    assert result.filtered[0].supply_id == "S3"


def test_recommend_for_a_disposal_facility_respects_the_nearest_rule() -> None:
    def disposer(id: str, dlat: float) -> object:
        return demand(
            id,
            accepted=frozenset({"HW08"}),
            activity="dispose",
            lat=LAT + dlat,
            route="incineration",
            permits=(permit(activity="dispose"),),
        )

    near, far = disposer("N", 0.1), disposer("F", 0.4)
    market = problem([oil("S1"), oil("S2", lat=LAT + 0.5)], [near, far])  # type: ignore[list-item]
    result = recommend(market, "F")
    assert [item.partner_id for item in result.items] == ["S2"]
    assert result.filtered_counts[FilterRule.DISPOSAL_NOT_NEAREST] == 1
    nearest = recommend(market, "N")
    assert [item.partner_id for item in nearest.items] == ["S1"]


def test_recommend_unknown_listing() -> None:
    with pytest.raises(ListingNotFound):
        recommend(problem([supply()], [demand()]), "nope")
