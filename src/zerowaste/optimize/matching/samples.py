"""Example pairs for the rules counted only in aggregate (code not accepted, beyond radius).

The candidate search never forms these pairs; to show a few of them with a reason this
module looks at a bounded number of supplies (never every pair).
"""

from __future__ import annotations

import numpy as np

from zerowaste.optimize.matching import filters as f
from zerowaste.optimize.matching.geo import great_circle_km
from zerowaste.optimize.matching.model import Filtered, FilterRule, MatchingProblem
from zerowaste.optimize.matching.tables import IntArray, ProblemArrays

#: At most this many supplies (and demands per supply) are looked at for examples.
_SCAN_SUPPLIES = 50
_SCAN_DEMANDS = 2000


def sample_code_rejects(
    problem: MatchingProblem, per_supply: IntArray, count: int
) -> list[Filtered]:
    """Up to `count` pairs whose demand does not accept the supply's code or category."""
    out: list[Filtered] = []
    rule = FilterRule.CODE_NOT_ACCEPTED
    rows = np.flatnonzero(per_supply[:, f.RULE_INDEX[rule]] > 0)[:_SCAN_SUPPLIES]
    for s in rows:
        supply = problem.supplies[int(s)]
        for d, demand in enumerate(problem.demands[:_SCAN_DEMANDS]):
            if supply.waste_code in demand.accepted or supply.category in demand.accepted:
                continue
            text = f.detail(rule, problem, int(s), d)
            out.append(Filtered(supply.id, demand.id, rule, text))
            break
        if len(out) >= count:
            break
    return out


def sample_far_pairs(
    problem: MatchingProblem, a: ProblemArrays, per_supply: IntArray, count: int
) -> list[Filtered]:
    """Up to `count` code-compatible pairs beyond the demand's maximum road distance."""
    out: list[Filtered] = []
    if count <= 0:
        return out
    rule = FilterRule.TOO_FAR
    rows = np.flatnonzero(per_supply[:, f.RULE_INDEX[rule]] > 0)[:_SCAN_SUPPLIES]
    for s in rows:
        supply = problem.supplies[int(s)]
        demands = np.asarray(
            [
                d
                for d, demand in enumerate(problem.demands[:_SCAN_DEMANDS])
                if supply.waste_code in demand.accepted or supply.category in demand.accepted
            ],
            dtype=np.int64,
        )
        if len(demands) == 0:
            continue
        road = great_circle_km(a.s_xyz[int(s)], a.d_xyz[demands]) * problem.economics.road_factor
        far = np.flatnonzero(road > a.d_max_km[demands])
        if len(far) == 0:
            continue
        d = int(demands[far[0]])
        text = f.detail(rule, problem, int(s), d, distance_km=float(road[far[0]]))
        out.append(Filtered(supply.id, problem.demands[d].id, rule, text))
        if len(out) >= count:
            break
    return out
