"""Matching: allocate() end to end on a Jiangsu-shaped market, against raw OR-Tools and an LP.

Figures, on the same generated market (`matching_fixture`, 10 % blend demands):
(a) end to end at 10,000 supply × 10,000 demand listings: candidates + solve + explanations
    (wall and CPU seconds per stage, arcs, filter counts);
(b) the min-cost-flow solve side by side with raw OR-Tools `SimpleMinCostFlow` on the same
    arc set and integer data: overhead ratio = our flow stage (arrays + network + solve) /
    the raw solve; both objectives must agree;
(c) the whole problem as one `linprog(method="highs")` LP (blend rows included) against
    allocate()'s objective: relative difference (must be ≤ 1e-6);
(d) a scale curve at 1k, 5k, 10k, 20k listings per side, each point in a fresh process
    (time per stage, arcs, peak resident memory of that process).
"""

from __future__ import annotations

import json
import multiprocessing
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ortools.graph.python import min_cost_flow  # noqa: E402

import matching_fixture  # noqa: E402
from _harness import parse_args, report  # noqa: E402
from zerowaste.optimize.matching import allocate, build_candidates, solve_lp  # noqa: E402
from zerowaste.optimize.matching.flow import FlowSolution, solve_flow  # noqa: E402

FULL = (10_000, (1_000, 5_000, 10_000, 20_000))
SMOKE = (300, (100, 300))
SEED = 2026
#: allocate() and the whole-problem LP must agree to this (relative).
AGREEMENT = 1e-6


def _timed(action: Any) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = action()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def end_to_end(n: int, market: Any = None) -> dict[str, Any]:
    """allocate() on an n × n market: stage timings, arcs, lines, filter counts."""
    start = time.perf_counter()
    if market is None:
        market = matching_fixture.problem(n, n, seed=SEED)
    fixture_s = time.perf_counter() - start
    result, wall, cpu = _timed(lambda: allocate(market))
    return {
        "supplies": n,
        "demands": n,
        "blend_demands": sum(d.blend for d in market.demands),
        "fixture_s": round(fixture_s, 2),
        "arcs": result.candidates,
        "lines": len(result.lines),
        "solver": result.solver,
        "objective_cny": round(result.objective_cny, 2),
        "stages_s": {k: round(v, 3) for k, v in result.timings_s.items()},
        "end_to_end_s": round(wall, 3),
        "end_to_end_cpu_s": round(cpu, 3),
        "filtered_counts": {k.value: v for k, v in result.filtered_counts.items()},
    }


def raw_ortools(graph: Any, flow: FlowSolution) -> tuple[float, float]:
    """The same network built directly for SimpleMinCostFlow; (solve s, integer objective)."""
    a = graph.arrays
    n_s, n_d = len(a.s_quantity), len(a.d_capacity)
    unit, scale, rows = flow.unit_t, flow.cost_per_cny, flow.arcs
    q = np.floor(a.s_quantity / unit + 1e-9).astype(np.int64)
    cap = np.floor(a.d_capacity / unit + 1e-9).astype(np.int64)
    s, d = graph.supply[rows], graph.demand[rows]
    sink = n_s + n_d
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        s.astype(np.int32),
        (n_s + d).astype(np.int32),
        np.minimum(q[s], cap[d]),
        -np.rint(graph.values.value[rows] * scale).astype(np.int64),
    )
    for i in np.flatnonzero(q > 0):
        solver.add_arc_with_capacity_and_unit_cost(int(i), sink, int(q[i]), 0)
        solver.set_node_supply(int(i), int(q[i]))
    for j in range(n_d):
        solver.add_arc_with_capacity_and_unit_cost(n_s + j, sink, int(cap[j]), 0)
    solver.set_node_supply(sink, -int(q.sum()))
    start = time.perf_counter()
    status = solver.solve()
    solve_s = time.perf_counter() - start
    assert status == solver.OPTIMAL
    return solve_s, float(-solver.optimal_cost())


def integer_objective(graph: Any, flow: FlowSolution) -> float:
    """Our flow's objective in OR-Tools' integer units (flow units × cost units)."""
    rows = flow.arcs
    units = np.rint(flow.flow_t[rows] / flow.unit_t)
    costs = np.rint(graph.values.value[rows] * flow.cost_per_cny)
    return float(units @ costs)


def side_by_side(market: Any, result: Any) -> dict[str, Any]:
    """Our flow stage vs raw OR-Tools on one arc set, and allocate() vs the whole LP."""
    n = len(market.supplies)
    graph = build_candidates(market)
    flow, flow_wall, _ = _timed(lambda: solve_flow(graph))
    raw_s, raw_objective = raw_ortools(graph, flow)
    lp, lp_wall, lp_cpu = _timed(lambda: solve_lp(market, graph))
    lp_difference = abs(result.objective_cny - lp.objective_cny) / max(abs(lp.objective_cny), 1)
    return {
        "listings_per_side": n,
        "flow": {
            "arcs_to_ortools": int(len(flow.arcs)),
            "flow_unit_t": flow.unit_t,
            "cost_units_per_cny": flow.cost_per_cny,
            "ours_stage_s": round(flow_wall, 3),
            "ours_build_s": round(flow.build_s, 3),
            "ours_solve_s": round(flow.solve_s, 3),
            "raw_ortools_solve_s": round(raw_s, 3),
            "overhead_ratio": round(flow_wall / raw_s, 3) if raw_s > 0 else None,
            "objective_relative_difference": abs(integer_objective(graph, flow) - raw_objective)
            / max(abs(raw_objective), 1),
        },
        "lp": {
            "allocate_objective_cny": round(result.objective_cny, 2),
            "allocate_solver": result.solver,
            "allocate_solve_s": round(result.timings_s["solve"], 3),
            "linprog_objective_cny": round(lp.objective_cny, 2),
            "linprog_s": round(lp_wall, 3),
            "linprog_cpu_s": round(lp_cpu, 3),
            "relative_difference": lp_difference,
        },
    }


def scale_point(n: int) -> dict[str, Any]:
    """One point of the scale curve (run in a fresh process for its memory peak)."""
    figures = end_to_end(n)
    figures.pop("filtered_counts")
    figures["peak_rss_mib"] = peak_rss_mib()
    return figures


def peak_rss_mib() -> float:
    """This process's peak resident memory (VmHWM: reset by exec, unlike ru_maxrss)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _table(figures: dict[str, Any]) -> str:
    lines = ["n per side | arcs | candidates s | solve s | explain s | total s | peak MiB"]
    for p in figures["scale_curve"]:
        st = p["stages_s"]
        lines.append(
            f"{p['supplies']:>10,} | {p['arcs']:,} | {st['candidates']} | {st['solve']} | "
            f"{st['explain']} | {p['end_to_end_s']} | {p['peak_rss_mib']}"
        )
    return "\n".join(lines)


def _partial(figures: dict[str, Any], out: Path | None) -> None:
    """Write the figures so far (a long run leaves what it measured)."""
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"partial": figures}, indent=2, default=str), encoding="utf-8")


def main() -> None:
    args = parse_args(__doc__ or "")
    main_n, curve = SMOKE if args.smoke else FULL
    market = matching_fixture.problem(main_n, main_n, seed=SEED)
    start = time.perf_counter()
    result = allocate(market)
    figures: dict[str, Any] = {"end_to_end": end_to_end(main_n, market)}
    figures["end_to_end"]["first_run_s"] = round(time.perf_counter() - start, 3)
    _partial(figures, args.json)
    figures["side_by_side"] = side_by_side(market, result)
    _partial(figures, args.json)
    points: list[dict[str, Any]] = []
    figures["scale_curve"] = points
    for n in curve:
        if args.smoke:  # no fresh processes: their start-up would dominate
            points.append(scale_point(n))
            continue
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            points.append(pool.apply(scale_point, (n,)))
        _partial(figures, args.json)
    print(_table(figures), file=sys.stderr)
    report("matching", figures, args.json)
    worst = figures["side_by_side"]["lp"]["relative_difference"]
    flow_gap = figures["side_by_side"]["flow"]["objective_relative_difference"]
    if worst > AGREEMENT or flow_gap > 1e-12:
        raise SystemExit(f"objectives differ: LP {worst:.2e}, raw OR-Tools {flow_gap:.2e}")


if __name__ == "__main__":
    main()
