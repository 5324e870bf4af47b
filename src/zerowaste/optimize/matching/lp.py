"""The allocation as a linear programme (SciPy's HiGHS), which also handles blend limits.

Variables are the candidate arcs' tonnes x_sd ≥ 0; a supply's disposal is the slack of its
row. Maximize Σ value_sd x_sd subject to

- Σ_d x_sd ≤ q_s (supply quantity), Σ_s x_sd ≤ cap_d (demand capacity);
- for a blend demand d and each component k it limits by a maximum:
  Σ_s x_sd (high_s,k − max_k) ≤ 0 (the tonnage-weighted average of the supplies' upper
  ends stays under the limit), and by a minimum: Σ_s x_sd (low_s,k − min_k) ≥ 0.

A supply that does not state a component a blend demand limits never becomes its candidate
(the filters remove it), so every coefficient is known. Without blend rows the LP is the
same problem as the min-cost flow; the benchmark and tests check the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from zerowaste.errors import InvalidInput
from zerowaste.optimize.matching.candidates import CandidateGraph
from zerowaste.optimize.matching.model import MatchingProblem
from zerowaste.optimize.matching.tables import FloatArray, IntArray


@dataclass(frozen=True, eq=False)
class LpSolution:
    """The LP optimum.

    Attributes:
        objective_cny: Σ value × tonnes at the optimum.
        flows: (supply id, demand id) → tonnes, for arcs with positive flow.
        flow_t: Arc index → tonnes (every arc of the graph; 0 outside `arcs`).
        disposal_t: Supply index → tonnes left to disposal.
        supply_dual: Supply index → CNY one more tonne of that supply would add.
        demand_dual: Demand index → CNY one more tonne of that demand's capacity would add.
        blend_rows: (demand index, component, "max" | "min") of each blend row.
        blend_dual: CNY per unit relaxation of each blend row.
        blend_slack: Slack of each blend row (≈ 0 where the limit binds).
        arcs: Arc indexes in the LP.
    """

    objective_cny: float
    flows: dict[tuple[str, str], float]
    flow_t: FloatArray
    disposal_t: FloatArray
    supply_dual: FloatArray
    demand_dual: FloatArray
    blend_rows: tuple[tuple[int, str, str], ...]
    blend_dual: FloatArray
    blend_slack: FloatArray
    arcs: IntArray


def _blend_rows(
    graph: CandidateGraph, rows: IntArray
) -> tuple[sp.csr_matrix, list[tuple[int, str, str]]]:
    a = graph.arrays
    s, d = graph.supply[rows], graph.demand[rows]
    blend_arcs = np.flatnonzero(a.d_blend[d])
    data: list[FloatArray] = []
    cols: list[IntArray] = []
    row_ids: list[IntArray] = []
    labels: list[tuple[int, str, str]] = []
    if len(blend_arcs):
        bd = d[blend_arcs]
        for k, name in enumerate(a.components):
            high, low = a.s_high[s[blend_arcs], k], a.s_low[s[blend_arcs], k]
            for side, limit in (("max", a.d_max[:, k]), ("min", a.d_min[:, k])):
                lim = limit[bd]
                hit = ~np.isnan(lim)
                if not hit.any():
                    continue
                demands, local = np.unique(bd[hit], return_inverse=True)
                coef = high - lim if side == "max" else lim - low
                data.append(coef[hit])
                cols.append(blend_arcs[hit])
                row_ids.append(local + len(labels))
                labels.extend((int(x), name, side) for x in demands)
    if not labels:
        return sp.csr_matrix((0, len(rows))), labels
    matrix = sp.coo_matrix(
        (np.concatenate(data), (np.concatenate(row_ids), np.concatenate(cols))),
        shape=(len(labels), len(rows)),
    )
    return matrix.tocsr(), labels


def solve_lp(
    problem: MatchingProblem, graph: CandidateGraph, *, arcs: IntArray | None = None
) -> LpSolution:
    """Solve the allocation LP with `scipy.optimize.linprog(method="highs")`.

    Args:
        problem: The problem (the one the graph was built from).
        graph: Its candidate graph.
        arcs: Arc indexes to include (default all); supplies and demands without an arc
            here keep everything to disposal.

    Returns:
        The optimum, flows and duals.
    """
    a = graph.arrays
    n_s, n_d = len(problem.supplies), len(problem.demands)
    rows = np.arange(len(graph), dtype=np.int64) if arcs is None else np.asarray(arcs)
    n = len(rows)
    s, d = graph.supply[rows], graph.demand[rows]
    col = np.arange(n)
    ones = np.ones(n)
    supply_rows = sp.csr_matrix((ones, (s, col)), shape=(n_s, n))
    demand_rows = sp.csr_matrix((ones, (d, col)), shape=(n_d, n))
    blend, labels = _blend_rows(graph, rows)
    matrix = sp.vstack((supply_rows, demand_rows, blend), format="csr")
    bounds = np.concatenate((a.s_quantity, a.d_capacity, np.zeros(len(labels))))
    value = graph.values.value[rows]
    flow_t = np.zeros(len(graph))
    if n == 0:
        x = np.zeros(0)
        marg = np.zeros(len(bounds))
    else:
        res = linprog(-value, A_ub=matrix, b_ub=bounds, bounds=(0, None), method="highs")
        if res.status != 0:
            raise InvalidInput(f"the allocation LP failed: {res.message}", field="problem")
        x = np.maximum(np.asarray(res.x, dtype=float), 0.0)
        marg = -np.asarray(res.ineqlin.marginals, dtype=float)
    flow_t[rows] = x
    shipped = np.bincount(s, weights=x, minlength=n_s)
    slack = bounds[n_s + n_d :] - (blend @ x if len(labels) else np.zeros(0))
    flows = {
        (problem.supplies[int(si)].id, problem.demands[int(di)].id): float(xi)
        for si, di, xi in zip(s, d, x, strict=True)
        if xi > 1e-9
    }
    return LpSolution(
        objective_cny=float(value @ x),
        flows=flows,
        flow_t=flow_t,
        disposal_t=np.maximum(a.s_quantity - shipped, 0.0),
        supply_dual=marg[:n_s],
        demand_dual=marg[n_s : n_s + n_d],
        blend_rows=tuple(labels),
        blend_dual=marg[n_s + n_d :],
        blend_slack=np.asarray(slack, dtype=float),
        arcs=rows,
    )
