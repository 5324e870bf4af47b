"""The allocation as a min-cost flow, solved by OR-Tools' `SimpleMinCostFlow`.

Network: every supply node is a source of its quantity; it sends flow along its candidate
arcs to demand nodes (unit cost −value) or along its disposal arc straight to the sink
(cost 0, the baseline); each demand node reaches the sink through an arc capped at its
capacity. (A super source with source → supply arcs capped at the quantity is equivalent to
the node supplies used here, and saves one arc per supply.) Minimizing cost maximizes the
value over disposal, so arcs of value ≤ 0 can never carry flow in an optimum and are left out.

OR-Tools works in int64. Flow is counted in units of `unit_t` tonnes (1 kg at finest) and
cost in `1 / cost_scale` CNY per tonne (0.0001 CNY/t at finest, never coarser than a fen).
Quantities and capacities are rounded *down* to whole units, so no supply ships more than
it has and no demand takes more than it can; each arc value is rounded to the nearest cost
unit. The objective reported is recomputed from the float values; against the exact
optimum it is off by at most 1 / cost_scale CNY/t × shipped tonnes (value rounding can pick
a slightly worse arc) + the units lost to rounding down × the best value per tonne.
The scales are the finest for which total flow × largest cost stays under 2^60 (OR-Tools
sums costs in int64) and largest cost × node count too (its cost scaling multiplies costs
by the node count): first the cost unit coarsens to a fen, then the flow unit tenfold.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped]

from zerowaste.errors import InvalidInput
from zerowaste.optimize.matching.candidates import CandidateGraph
from zerowaste.optimize.matching.tables import BoolArray, FloatArray, IntArray

#: Finest flow unit, tonnes (1 kg).
BASE_UNIT_T = 0.001
#: Finest and coarsest cost units per CNY (per tonne).
FINE_COST_PER_CNY = 10_000
COARSE_COST_PER_CNY = 100
#: Headroom under int64 for totals and for OR-Tools' internal cost scaling.
_INT_LIMIT = 2**60


@dataclass(frozen=True, eq=False)
class FlowSolution:
    """Tonnes per candidate arc and per supply's disposal arc, with the scaling used.

    Attributes:
        flow_t: Arc index → tonnes (for every arc of the graph; 0 where not solved here).
        disposal_t: Supply index → tonnes to its disposal route.
        objective_cny: Σ flow × value over the arcs solved here (float values).
        unit_t: Tonnes per flow unit used.
        cost_per_cny: Integer cost units per CNY per tonne used.
        arcs: Arc indexes given to OR-Tools.
        build_s: Seconds spent building the arrays and the network.
        solve_s: Seconds inside `SimpleMinCostFlow.solve`.
    """

    flow_t: FloatArray
    disposal_t: FloatArray
    objective_cny: float
    unit_t: float
    cost_per_cny: int
    arcs: IntArray
    build_s: float
    solve_s: float


def choose_scales(total_t: float, max_value: float, n_nodes: int) -> tuple[float, int]:
    """The finest (flow unit in tonnes, cost units per CNY) keeping int64 products in range.

    Raises:
        InvalidInput: Arc values so large that even fen per tonne would overflow.
    """
    unit, scale = BASE_UNIT_T, FINE_COST_PER_CNY

    def fits(unit: float, scale: int) -> bool:
        cost = max(max_value * scale, 1.0)
        return cost * (n_nodes + 1) <= _INT_LIMIT and (total_t / unit + 1) * cost <= _INT_LIMIT

    while not fits(unit, scale) and scale > COARSE_COST_PER_CNY:
        scale //= 10
    if max(max_value * scale, 1.0) * (n_nodes + 1) > _INT_LIMIT:
        raise InvalidInput("arc values too large for the integer solver", field="economics")
    while not fits(unit, scale):
        unit *= 10.0
    return unit, scale


def solve_flow(
    graph: CandidateGraph, *, supplies: BoolArray | None = None, arcs: IntArray | None = None
) -> FlowSolution:
    """Maximize value over disposal on the given supplies with OR-Tools min-cost flow.

    Args:
        graph: The candidate graph.
        supplies: Mask of supply indexes to allocate (default all); the others get no flow.
        arcs: Arc indexes that may carry flow (default every arc); arcs of non-positive
            value and arcs of excluded supplies are dropped.

    Returns:
        Flows per arc and per disposal arc.
    """
    t0 = time.perf_counter()
    a = graph.arrays
    n_s, n_d = len(a.s_quantity), len(a.d_capacity)
    take = np.ones(n_s, dtype=np.bool_) if supplies is None else supplies
    rows = np.arange(len(graph), dtype=np.int64) if arcs is None else arcs
    value = graph.values.value
    rows = rows[(value[rows] > 0) & take[graph.supply[rows]]]
    quantity = np.where(take, a.s_quantity, 0.0)
    n_nodes = n_s + n_d + 1
    top = float(value[rows].max()) if len(rows) else 1.0
    unit, scale = choose_scales(float(quantity.sum()), top, n_nodes)
    cost = np.rint(value[rows] * scale).astype(np.int64)
    keep = cost > 0
    rows, cost = rows[keep], cost[keep]
    q_units = np.floor(quantity / unit + 1e-9).astype(np.int64)
    cap_units = np.floor(a.d_capacity / unit + 1e-9).astype(np.int64)
    s, d = graph.supply[rows], graph.demand[rows]
    sink = n_s + n_d
    supply_nodes = np.flatnonzero(q_units > 0)
    tails = np.concatenate((s, supply_nodes, n_s + np.arange(n_d))).astype(np.int32)
    heads = np.concatenate((n_s + d, np.full(len(supply_nodes) + n_d, sink))).astype(np.int32)
    caps = np.concatenate((np.minimum(q_units[s], cap_units[d]), q_units[supply_nodes], cap_units))
    costs = np.concatenate((-cost, np.zeros(len(supply_nodes) + n_d, dtype=np.int64)))

    solver = min_cost_flow.SimpleMinCostFlow()
    handles = solver.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    nodes = np.concatenate((supply_nodes, [sink])).astype(np.int32)
    solver.set_nodes_supplies(nodes, np.concatenate((q_units[supply_nodes], [-q_units.sum()])))
    build = time.perf_counter() - t0
    t1 = time.perf_counter()
    status = solver.solve()
    solve_s = time.perf_counter() - t1
    if status != solver.OPTIMAL:
        raise InvalidInput(f"min-cost flow ended with status {status}", field="problem")
    units = np.asarray(solver.flows(np.asarray(handles, dtype=np.int32)), dtype=np.int64)
    flow_t = np.zeros(len(graph))
    flow_t[rows] = units[: len(rows)] * unit
    shipped = np.bincount(s, weights=units[: len(rows)] * unit, minlength=n_s)
    disposal_t = np.maximum(quantity - shipped, 0.0)
    return FlowSolution(
        flow_t=flow_t,
        disposal_t=disposal_t,
        objective_cny=float(flow_t[rows] @ value[rows]),
        unit_t=unit,
        cost_per_cny=scale,
        arcs=rows,
        build_s=build,
        solve_s=solve_s,
    )
