"""The blend LP on large components by column generation: exact, a fraction of the arcs.

Most candidate arcs carry nothing at the optimum. The LP is solved on a restricted set of
arcs: each supply's best arcs and the arcs a blend-blind min-cost flow used. The duals of
that LP (π_s per supply, μ_d per demand, λ per blend row) price every other arc: its
reduced cost is value − π_s − μ_d − Σ λ_r × (its coefficient in blend row r), where a blend
row not yet in the restricted LP has λ = 0 (a row without columns is slack). If no reduced
cost is positive the restricted optimum is optimal for the whole LP (LP duality);
otherwise the best violators of each supply join and the LP is solved again.

Arcs of value ≤ 0 into non-blend demands are never needed: their flow could go to disposal
without touching a blend row, at no loss, so they are left out from the start.
"""

from __future__ import annotations

import numpy as np

from zerowaste.optimize.matching.candidates import CandidateGraph
from zerowaste.optimize.matching.lp import LpSolution, solve_lp
from zerowaste.optimize.matching.model import MatchingProblem
from zerowaste.optimize.matching.tables import IntArray

#: Arcs per supply in the first restricted LP and added per supply per round.
FIRST_PER_SUPPLY = 3
ADD_PER_SUPPLY = 8
#: A reduced cost above this (CNY/t, relative to the arc's value) is a violation.
_RC_TOL = 1e-7
MAX_ROUNDS = 50


def _best_per_supply(graph: CandidateGraph, rows: IntArray, score: np.ndarray, k: int) -> IntArray:
    """Up to k rows of each supply with the highest score."""
    if len(rows) == 0:
        return rows
    order = np.lexsort((-score, graph.supply[rows]))
    s = graph.supply[rows][order]
    start = np.ones(len(order), dtype=np.bool_)
    start[1:] = s[1:] != s[:-1]
    group_start = np.maximum.accumulate(np.where(start, np.arange(len(order)), 0))
    rank = np.arange(len(order)) - group_start
    return np.asarray(rows[order[rank < k]], dtype=np.int64)


def _blend_price(graph: CandidateGraph, solution: LpSolution, rows: IntArray) -> np.ndarray:
    """Σ_r λ_r × coefficient of each arc in the blend rows of its demand."""
    a = graph.arrays
    price = np.zeros(len(rows))
    if not solution.blend_rows:
        return price
    index = {name: k for k, name in enumerate(a.components)}
    lam_max = np.zeros_like(a.d_max)
    lam_min = np.zeros_like(a.d_min)
    for (row_d, name, side), dual in zip(solution.blend_rows, solution.blend_dual, strict=True):
        (lam_max if side == "max" else lam_min)[row_d, index[name]] = dual
    hit = a.d_blend[graph.demand[rows]]
    s, d = graph.supply[rows][hit], graph.demand[rows][hit]
    with np.errstate(invalid="ignore"):
        over = np.nan_to_num(a.s_high[s] - a.d_max[d]) * lam_max[d]
        under = np.nan_to_num(a.d_min[d] - a.s_low[s]) * lam_min[d]
    price[hit] = over.sum(axis=1) + under.sum(axis=1)
    return price


def solve_lp_generated(
    problem: MatchingProblem,
    graph: CandidateGraph,
    arcs: IntArray,
    *,
    seed: IntArray | None = None,
) -> tuple[LpSolution, int]:
    """The LP over `arcs`, solved by column generation.

    Args:
        problem: The problem.
        graph: Its candidate graph.
        arcs: The arcs of the LP (a set of whole components).
        seed: Arcs to start with besides the defaults (e.g. a flow solution's used arcs).

    Returns:
        The optimum (exact for all of `arcs`) and the number of LP solves.
    """
    a = graph.arrays
    value = graph.values.value
    arcs = np.asarray(arcs, dtype=np.int64)
    blend_arc = a.d_blend[graph.demand[arcs]]
    universe = arcs[(value[arcs] > 0) | blend_arc]
    in_set = np.zeros(len(graph), dtype=np.bool_)
    in_set[_best_per_supply(graph, universe, value[universe], FIRST_PER_SUPPLY)] = True
    if seed is not None:
        in_set[seed] = True
    allowed = np.zeros(len(graph), dtype=np.bool_)
    allowed[universe] = True
    in_set &= allowed
    rounds = 0
    while True:
        rounds += 1
        current = np.flatnonzero(in_set)
        solution = solve_lp(problem, graph, arcs=current)
        out = universe[~in_set[universe]]
        if len(out) == 0:
            return solution, rounds
        if rounds >= MAX_ROUNDS:  # not converging: solve the whole LP once
            return solve_lp(problem, graph, arcs=universe), rounds + 1
        reduced = (
            value[out]
            - solution.supply_dual[graph.supply[out]]
            - solution.demand_dual[graph.demand[out]]
            - _blend_price(graph, solution, out)
        )
        violating = reduced > _RC_TOL * np.maximum(1.0, np.abs(value[out]))
        if not violating.any():
            return solution, rounds
        rows = out[violating]
        in_set[_best_per_supply(graph, rows, reduced[violating], ADD_PER_SUPPLY)] = True
