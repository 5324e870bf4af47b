"""Property tests on random small markets: the allocation is an LP optimum and breaks no rule.

The reference here is written independently of the engine: a brute-force filter over all
pairs (haversine distances, plain Python), a value per tonne from the model's formula and a
dense `linprog` over every pair that passes.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from tests.matching_world import ECONOMICS, LAT, LON, PERIOD, demand, oil, permit, problem, supply
from zerowaste.optimize.matching import allocate, build_candidates, solve_lp
from zerowaste.optimize.matching.allocate import blend_components
from zerowaste.optimize.matching.colgen import solve_lp_generated
from zerowaste.optimize.matching.model import (
    DISPOSE,
    DemandBid,
    MatchingProblem,
    Range,
    SupplyOffer,
    Window,
)

EARTH_KM = 6371.0088
CODES = (("900-214-08", "HW08"), ("900-249-08", "HW08"), ("SW01", "SW01"), ("SW02", "SW02"))
TOKENS = ("HW08", "900-214-08", "900-249-08", "SW01", "SW02")


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lat1, lon1), (lat2, lon2) = (tuple(map(math.radians, p)) for p in (a, b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_KM * math.asin(math.sqrt(h))


def road_km(s: SupplyOffer, d: DemandBid) -> float:
    return haversine_km((s.lat, s.lon), (d.lat, d.lon)) * ECONOMICS.road_factor


def overlap(s: SupplyOffer, d: DemandBid, period: Window) -> tuple[date, date]:
    return max(s.window.start, d.window.start, period.start), min(
        s.window.end, d.window.end, period.end
    )


def passes_pair(p: MatchingProblem, s: SupplyOffer, d: DemandBid) -> bool:
    """Every rule but the nearest-disposal one, written out plainly."""
    if s.waste_code not in d.accepted and s.category not in d.accepted:
        return False
    if road_km(s, d) > d.max_distance_km or s.organization_id == d.organization_id:
        return False
    start, end = overlap(s, d, p.period)
    if start > end:
        return False
    if s.hazardous and not any(
        d.activity in c.activities
        and (s.waste_code in c.codes or s.category in c.codes)
        and c.valid.start <= start
        and c.valid.end >= end
        for c in d.permits
    ):
        return False
    for name, limit in d.limits.items():
        stated = s.composition.get(name)
        if stated is None:
            return False
        if not d.blend and (
            (limit.high is not None and stated.high > limit.high)  # type: ignore[operator]
            or (limit.low is not None and stated.low < limit.low)  # type: ignore[operator]
        ):
            return False
    if s.lot_t < d.min_lot_t or d.price_cny_per_t < s.price_cny_per_t:
        return False
    cross = s.region_code[:2] != d.region_code[:2]
    return not cross or (s.allows_cross_province and d.accepts_cross_province)


def brute_force_pairs(p: MatchingProblem) -> set[tuple[int, int]]:
    pairs = set()
    for i, s in enumerate(p.supplies):
        ok = [j for j, d in enumerate(p.demands) if passes_pair(p, s, d)]
        disposal = [j for j in ok if p.demands[j].activity == DISPOSE]
        home = [j for j in disposal if p.demands[j].region_code[:2] == s.region_code[:2]]
        pool = home or disposal
        keep = min(pool, key=lambda j: road_km(s, p.demands[j])) if pool else None
        pairs |= {(i, j) for j in ok if p.demands[j].activity != DISPOSE or j == keep}
    return pairs


def value_per_t(p: MatchingProblem, s: SupplyOffer, d: DemandBid) -> float:
    eco, km = p.economics, road_km(s, d)
    net = eco.net_co2e_kg_per_t
    base, new = net.get((s.material, s.disposal_route)), net.get((s.material, d.route))
    gain = base - new if base is not None and new is not None else 0.0
    co2e = gain - km * eco.transport_co2e_kg_per_tkm
    cross = s.region_code[:2] != d.region_code[:2]
    return (
        d.price_cny_per_t
        + s.disposal_cost_cny_per_t
        - km * eco.transport_cny_per_tkm[s.hazard_class]
        - (eco.cross_province_cny_per_t if cross else 0.0)
        + co2e / 1000 * eco.carbon_price_cny_per_t
    )


def dense_lp(p: MatchingProblem, pairs: list[tuple[int, int]]) -> float:
    """The LP over all brute-force pairs, dense matrices, blend rows included."""
    if not pairs:
        return 0.0
    n = len(pairs)
    rows, bounds = [], []
    for i, s in enumerate(p.supplies):
        rows.append([1.0 if a == i else 0.0 for a, _ in pairs])
        bounds.append(s.quantity_t)
    for j, d in enumerate(p.demands):
        rows.append([1.0 if b == j else 0.0 for _, b in pairs])
        bounds.append(d.capacity_t)
        if not d.blend:
            continue
        for name, limit in d.limits.items():
            if limit.high is not None:
                rows.append(
                    [
                        (p.supplies[a].composition[name].high - limit.high) if b == j else 0.0  # type: ignore[operator]
                        for a, b in pairs
                    ]
                )
                bounds.append(0.0)
            if limit.low is not None:
                rows.append(
                    [
                        (limit.low - p.supplies[a].composition[name].low) if b == j else 0.0  # type: ignore[operator]
                        for a, b in pairs
                    ]
                )
                bounds.append(0.0)
    c = [-value_per_t(p, p.supplies[a], p.demands[b]) for a, b in pairs]
    res = linprog(c, A_ub=np.array(rows), b_ub=bounds, bounds=(0, None), method="highs")
    assert res.status == 0
    assert len(res.x) == n
    return float(-res.fun)


def windows(draw: st.DrawFn) -> Window:
    start = PERIOD.start + timedelta(days=draw(st.integers(-100, 250)))
    return Window(start, start + timedelta(days=draw(st.integers(0, 450))))


def permit_window(draw: st.DrawFn) -> Window:
    start = PERIOD.start - timedelta(days=draw(st.integers(-30, 60)))
    return Window(start, PERIOD.end - timedelta(days=draw(st.integers(-30, 200))))


@st.composite
def markets(draw: st.DrawFn) -> MatchingProblem:
    supplies = []
    for i in range(draw(st.integers(1, 7))):
        code, cat = draw(st.sampled_from(CODES))
        maker = oil if cat.startswith("HW") else supply
        composition = {}
        if draw(st.sampled_from([True, True, False])):
            low = draw(st.integers(0, 12)) / 1000
            composition["Pb"] = Range(low, low + draw(st.integers(0, 5)) / 1000)
        supplies.append(
            maker(
                f"S{i}",
                organization_id=f"o{draw(st.integers(0, 12))}",
                waste_code=code,
                category=cat,
                quantity_t=float(draw(st.integers(1, 200))),
                lot_t=float(draw(st.sampled_from([1, 5, 10]))),
                composition=composition,
                lat=LAT + draw(st.integers(0, 80)) / 100,
                lon=LON + draw(st.integers(0, 60)) / 100,
                region_code=draw(st.sampled_from(["320100", "320500", "340500"])),
                window=windows(draw),
                price_cny_per_t=float(draw(st.integers(-300, 20))),
                allows_cross_province=draw(st.sampled_from([True, True, False])),
            )
        )
    demands = []
    for j in range(draw(st.integers(1, 7))):
        accepted = frozenset(draw(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=2)))
        activity = draw(st.sampled_from(["utilize", "utilize", DISPOSE]))
        covers = tuple(
            permit(
                codes=frozenset(draw(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=2))),
                activity=draw(st.sampled_from([activity, activity, "utilize"])),
                valid=permit_window(draw),
                permit_id=f"P{j}{k}",
            )
            for k in range(draw(st.integers(0, 2)))
        )
        blend = draw(st.booleans())
        limit = {"Pb": Range(None, draw(st.integers(2, 20)) / 1000)} if draw(st.booleans()) else {}
        demands.append(
            demand(
                f"D{j}",
                organization_id=f"o{draw(st.integers(0, 12))}",
                accepted=accepted,
                limits=limit,
                blend=blend and bool(limit),
                capacity_t=float(draw(st.integers(1, 300))),
                min_lot_t=float(draw(st.sampled_from([0, 0, 1, 5]))),
                lat=LAT + draw(st.integers(0, 80)) / 100,
                lon=LON + draw(st.integers(0, 60)) / 100,
                region_code=draw(st.sampled_from(["320100", "320500", "340500"])),
                max_distance_km=float(draw(st.integers(30, 200))),
                window=windows(draw),
                price_cny_per_t=float(draw(st.integers(-100, 150))),
                activity=activity,
                route="incineration" if activity == DISPOSE else "regeneration",
                permits=covers,
                accepts_cross_province=draw(st.sampled_from([True, True, False])),
            )
        )
    return problem(supplies, demands)


def unambiguous(p: MatchingProblem) -> bool:
    """No pair sits within 1e-6 km of its limit, no two disposal sites tie for a supply."""
    for s in p.supplies:
        seen = []
        for d in p.demands:
            km = road_km(s, d)
            if abs(km - d.max_distance_km) < 1e-6:
                return False
            if d.activity == DISPOSE:
                if any(abs(km - other) < 1e-6 for other in seen):
                    return False
                seen.append(km)
    return True


PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(markets())
def test_candidates_are_exactly_the_brute_force_pairs(p: MatchingProblem) -> None:
    assume(unambiguous(p))
    graph = build_candidates(p)
    got = set(zip(graph.supply.tolist(), graph.demand.tolist(), strict=True))
    assert got == brute_force_pairs(p)
    assert sum(graph.filtered_counts.values()) + len(graph) == len(p.supplies) * len(p.demands)
    for i in range(len(graph)):
        s, d = p.supplies[int(graph.supply[i])], p.demands[int(graph.demand[i])]
        assert math.isclose(graph.values.value[i], value_per_t(p, s, d), abs_tol=1e-6)


@PROPERTY
@given(markets())
def test_allocation_is_an_lp_optimum_and_breaks_no_rule(p: MatchingProblem) -> None:
    assume(unambiguous(p))
    result = allocate(p)
    pairs = brute_force_pairs(p)
    reference = dense_lp(p, sorted(pairs))
    total = sum(s.quantity_t for s in p.supplies)
    tolerance = 1e-3 * total + 1e-6 * abs(reference) + 1e-6
    assert abs(result.objective_cny - reference) <= tolerance
    graph = build_candidates(p)
    assert abs(solve_lp(p, graph).objective_cny - reference) <= tolerance

    index_s = {s.id: i for i, s in enumerate(p.supplies)}
    index_d = {d.id: j for j, d in enumerate(p.demands)}
    shipped = dict.fromkeys(index_s, 0.0)
    received = dict.fromkeys(index_d, 0.0)
    for line in result.lines:
        assert line.quantity_t > 0
        shipped[line.supply_id] += line.quantity_t
        if line.demand_id is not None:
            assert (index_s[line.supply_id], index_d[line.demand_id]) in pairs
            received[line.demand_id] += line.quantity_t
    for s in p.supplies:
        assert shipped[s.id] <= s.quantity_t + 1e-6
        assert math.isclose(shipped[s.id], s.quantity_t, rel_tol=1e-9, abs_tol=1e-6)
    for d in p.demands:
        assert received[d.id] <= d.capacity_t + 1e-6
        if d.blend and received[d.id] > 0:
            for name, limit in d.limits.items():
                mass = sum(
                    line.quantity_t * p.supplies[index_s[line.supply_id]].composition[name].high  # type: ignore[operator]
                    for line in result.lines
                    if line.demand_id == d.id
                )
                assert limit.high is None or mass <= limit.high * received[d.id] + 1e-6


@PROPERTY
@given(markets())
def test_column_generation_matches_the_whole_lp(p: MatchingProblem) -> None:
    graph = build_candidates(p)
    _, arcs = blend_components(graph)
    whole = solve_lp(p, graph, arcs=arcs).objective_cny
    generated, _ = solve_lp_generated(p, graph, arcs)
    assert math.isclose(generated.objective_cny, whole, rel_tol=1e-7, abs_tol=1e-5)
