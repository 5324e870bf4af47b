"""Allocation lines with their reasons: value breakdown, binding constraints, the runner-up.

Everything is derived from the flows in O(arcs) array passes: tonnes received per demand
and shipped per supply give the full capacities and exhausted supplies; each supply's two
best arcs (one sort by supply and value) give the runner-up of every line; the lowest
value a full demand accepts is the worth of its marginal tonne (the LP's dual where the
demand was solved by the LP).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zerowaste.optimize.matching import filters as f
from zerowaste.optimize.matching.candidates import CandidateGraph
from zerowaste.optimize.matching.model import AllocationLine, Alternative
from zerowaste.optimize.matching.tables import BoolArray, FloatArray, IntArray
from zerowaste.optimize.matching.values import DISPOSAL_VALUE


@dataclass(frozen=True, eq=False)
class Solved:
    """Combined solver output the explanations read."""

    flow_t: FloatArray  # per arc
    disposal_t: FloatArray  # per supply
    tolerance_t: float
    demand_marginal: FloatArray  # per demand, CNY/t (NaN: not full)
    blend_binding: dict[int, tuple[str, ...]]  # demand index → "blend limit …" texts


def _top_two(graph: CandidateGraph) -> tuple[IntArray, IntArray]:
    """Per supply, the arc with the highest value and the runner-up (-1 when missing)."""
    n_s = len(graph.problem.supplies)
    first = np.full(n_s, -1, dtype=np.int64)
    second = np.full(n_s, -1, dtype=np.int64)
    if len(graph) == 0:
        return first, second
    order = np.lexsort((-graph.values.value, graph.supply))
    s = graph.supply[order]
    start = np.ones(len(order), dtype=np.bool_)
    start[1:] = s[1:] != s[:-1]
    heads = np.flatnonzero(start)
    first[s[heads]] = order[heads]
    nxt = heads + 1
    has = (nxt < len(order)) & (nxt < np.append(heads[1:], len(order)))
    second[s[heads[has]]] = order[nxt[has]]
    return first, second


def demand_marginals(graph: CandidateGraph, flow_t: FloatArray, full: BoolArray) -> FloatArray:
    """Per full demand, the lowest value per tonne among the arcs delivering to it."""
    n_d = len(graph.problem.demands)
    low = np.full(n_d, np.inf)
    used = np.flatnonzero(flow_t > 0)
    np.minimum.at(low, graph.demand[used], graph.values.value[used])
    return np.where(full & np.isfinite(low), low, np.nan)


def _why_lost(
    graph: CandidateGraph, solved: Solved, full: BoolArray, alt: int, value: float
) -> str:
    problem = graph.problem
    d = int(graph.demand[alt])
    alt_value = float(graph.values.value[alt])
    name = problem.demands[d].id
    if alt_value <= 0.0:
        return f"loses to disposal: worth {alt_value:.1f} CNY/t at {name}"
    if alt_value <= value:
        return f"worth {value - alt_value:.1f} CNY/t less at {name}"
    if full[d]:
        return (
            f"capacity full at {name} (its marginal tonne is worth "
            f"{solved.demand_marginal[d]:.1f} CNY/t)"
        )
    if d in solved.blend_binding:
        return f"blend limits at {name} admit no more of it"
    if solved.flow_t[alt] > solved.tolerance_t:
        return f"also ships {solved.flow_t[alt]:.3f} t to {name}; the supply is exhausted"
    return f"{name} is worth {alt_value:.1f} CNY/t but takes no more of it at the optimum"


def _no_candidate_reason(graph: CandidateGraph, s: int) -> str:
    counts = graph.supply_filtered[s]
    parts = [f"{rule.value} {int(n)}" for rule, n in zip(f.RULE_ORDER, counts, strict=True) if n]
    return "no candidates: " + (", ".join(parts) if parts else "no demand listings")


def explain(graph: CandidateGraph, solved: Solved) -> tuple[AllocationLine, ...]:
    """Every shipment and every disposal remainder as an explained `AllocationLine`."""
    problem, a = graph.problem, graph.arrays
    tol = solved.tolerance_t
    n_d = len(problem.demands)
    received = np.bincount(graph.demand, weights=solved.flow_t, minlength=n_d)
    full = received >= a.d_capacity - tol
    exhausted = solved.disposal_t <= tol
    first, second = _top_two(graph)
    used = np.flatnonzero(solved.flow_t > tol)
    used = used[np.lexsort((-graph.values.value[used], graph.supply[used]))]
    lines: list[AllocationLine] = []
    for i in used:
        s, d = int(graph.supply[i]), int(graph.demand[i])
        value = float(graph.values.value[i])
        binding: list[str] = []
        if exhausted[s]:
            binding.append("supply exhausted")
        if full[d]:
            binding.append(f"demand capacity full: {problem.demands[d].id}")
        binding.extend(solved.blend_binding.get(d, ()))
        alt = int(second[s]) if int(first[s]) == i else int(first[s])
        if alt < 0:
            alternative = Alternative(None, 0.0, f"disposal is worth {value:.1f} CNY/t less")
        else:
            alternative = Alternative(
                problem.demands[int(graph.demand[alt])].id,
                float(graph.values.value[alt]),
                _why_lost(graph, solved, full, alt, value),
            )
        lines.append(
            AllocationLine(
                supply_id=problem.supplies[s].id,
                demand_id=problem.demands[d].id,
                quantity_t=float(solved.flow_t[i]),
                value=graph.values.at(int(i)),
                distance_km=float(graph.distance_km[i]),
                binding=tuple(binding),
                alternative=alternative,
            )
        )
    for s_row in np.flatnonzero(solved.disposal_t > tol):
        s = int(s_row)
        best = int(first[s])
        if best < 0:
            alternative = Alternative(None, 0.0, _no_candidate_reason(graph, int(s)))
        else:
            alternative = Alternative(
                problem.demands[int(graph.demand[best])].id,
                float(graph.values.value[best]),
                _why_lost(graph, solved, full, best, 0.0),
            )
        lines.append(
            AllocationLine(
                supply_id=problem.supplies[int(s)].id,
                demand_id=None,
                quantity_t=float(solved.disposal_t[s]),
                value=DISPOSAL_VALUE,
                distance_km=0.0,
                binding=(),
                alternative=alternative,
            )
        )
    return tuple(lines)
