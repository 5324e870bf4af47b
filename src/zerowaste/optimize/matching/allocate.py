"""Region-wide allocation: candidates, split into components, solve, explain.

The candidate graph falls apart into connected components (supplies and demands linked by
arcs). A component holding a blend demand needs the LP (its limits couple the supplies);
every other component is a pure transportation problem. One OR-Tools min-cost flow solve
over the whole graph, blind to blend limits, is exact on the components without a blend
demand (components do not interact); on the blend components its used arcs seed the LP,
which is solved whole when small and by column generation (`colgen`) when large. The parts
are exact, so their sum is the optimum of the whole.
"""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from zerowaste.optimize.matching.candidates import CandidateGraph, build_candidates
from zerowaste.optimize.matching.colgen import solve_lp_generated
from zerowaste.optimize.matching.explain import Solved, demand_marginals, explain
from zerowaste.optimize.matching.flow import solve_flow
from zerowaste.optimize.matching.lp import solve_lp
from zerowaste.optimize.matching.model import Allocation, MatchingProblem
from zerowaste.optimize.matching.tables import BoolArray, IntArray

#: Blend components up to this many arcs are solved as one LP, larger by column generation.
WHOLE_LP_ARCS = 20_000
#: Blend rows with slack below this (in tonne × fraction) count as binding.
_BLEND_SLACK_TOL = 1e-7


def blend_components(graph: CandidateGraph) -> tuple[BoolArray, IntArray]:
    """Supplies in a component with a blend demand (mask), and those components' arcs."""
    a = graph.arrays
    n_s, n_d = len(a.s_quantity), len(a.d_capacity)
    if not a.d_blend.any() or len(graph) == 0:
        return np.zeros(n_s, dtype=np.bool_), np.zeros(0, dtype=np.int64)
    adjacency = sp.coo_matrix(
        (np.ones(len(graph)), (graph.supply, n_s + graph.demand)), shape=(n_s + n_d,) * 2
    )
    _, label = connected_components(adjacency, directed=False)
    blend_labels = np.unique(label[n_s:][a.d_blend])
    in_blend = np.isin(label, blend_labels)
    arcs = np.flatnonzero(in_blend[graph.supply]).astype(np.int64)
    return in_blend[:n_s], arcs


def allocate(problem: MatchingProblem) -> Allocation:
    """The value-maximizing allocation of every supply to demands or to disposal.

    Args:
        problem: Supplies, demands, economics and period.

    Returns:
        The explained allocation; `solver` names what solved it.
    """
    t0 = time.perf_counter()
    graph = build_candidates(problem)
    t1 = time.perf_counter()
    a = graph.arrays
    lp_supplies, lp_arcs = blend_components(graph)
    flow_supplies = ~lp_supplies
    flow_t = np.zeros(len(graph))
    solvers = []
    n_d = len(problem.demands)
    marginal_lp = np.full(n_d, np.nan)
    blend_binding: dict[int, tuple[str, ...]] = {}
    flow = solve_flow(graph)
    unit = flow.unit_t
    if flow_supplies.any():
        flow_t += np.where(flow_supplies[graph.supply], flow.flow_t, 0.0)
        solvers.append("min_cost_flow")
    if lp_supplies.any():
        if len(lp_arcs) <= WHOLE_LP_ARCS:
            lp = solve_lp(problem, graph, arcs=lp_arcs)
        else:
            seed = lp_arcs[flow.flow_t[lp_arcs] > 0]
            lp, _ = solve_lp_generated(problem, graph, lp_arcs, seed=seed)
        flow_t += lp.flow_t
        solvers.append("lp")
        lp_demands = np.unique(graph.demand[lp_arcs])
        marginal_lp[lp_demands] = lp.demand_dual[lp_demands]
        texts: dict[int, list[str]] = {}
        for (d, name, side), slack in zip(lp.blend_rows, lp.blend_slack, strict=True):
            if abs(slack) <= _BLEND_SLACK_TOL * max(1.0, float(a.d_capacity[d])):
                texts.setdefault(d, []).append(
                    f"blend limit {name} ({side}) at {problem.demands[d].id}"
                )
        blend_binding = {d: tuple(v) for d, v in texts.items()}
    t2 = time.perf_counter()
    shipped = np.bincount(graph.supply, weights=flow_t, minlength=len(problem.supplies))
    disposal_t = np.maximum(a.s_quantity - shipped, 0.0)
    tol = max(unit, 1e-9)
    received = np.bincount(graph.demand, weights=flow_t, minlength=n_d)
    full = received >= a.d_capacity - tol
    marginal = demand_marginals(graph, flow_t, full)
    marginal = np.where(np.isnan(marginal_lp), marginal, np.where(full, marginal_lp, np.nan))
    solved = Solved(flow_t, disposal_t, tol, marginal, blend_binding)
    lines = explain(graph, solved)
    t3 = time.perf_counter()
    return Allocation(
        lines=lines,
        objective_cny=float(flow_t @ graph.values.value),
        solver="+".join(solvers) if solvers else "min_cost_flow",
        candidates=len(graph),
        filtered_counts=graph.filtered_counts,
        filtered=graph.filtered,
        timings_s={"candidates": t1 - t0, "solve": t2 - t1, "explain": t3 - t2},
    )
