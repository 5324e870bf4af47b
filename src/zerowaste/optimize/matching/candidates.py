"""The candidate graph: every supply–demand pair that passes the hard filters, with its value.

Pairs are generated, never enumerated all-against-all: for each accepted code or category a
demand names, a k-d tree over the supplies carrying that code or category returns those
within the demand's radius (max road km / road factor). Pairs that are code-incompatible
(CODE_NOT_ACCEPTED) or beyond the radius (TOO_FAR) are counted from index sizes and query
counts. The standing pairs then go through the vectorized rules of `filters.RULE_ORDER`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from zerowaste.optimize.matching import filters as f
from zerowaste.optimize.matching.geo import SpatialIndex, great_circle_km
from zerowaste.optimize.matching.model import (
    Candidate,
    DemandBid,
    Filtered,
    FilterRule,
    MatchingProblem,
    SupplyOffer,
)
from zerowaste.optimize.matching.samples import sample_code_rejects, sample_far_pairs
from zerowaste.optimize.matching.tables import (
    BoolArray,
    FloatArray,
    IntArray,
    ProblemArrays,
    problem_arrays,
    validate,
)
from zerowaste.optimize.matching.values import ArcValues, arc_values


@dataclass(frozen=True, eq=False)
class CandidateGraph:
    """The arcs that passed every hard filter, as arrays sorted by supply then demand.

    Attributes:
        problem: The problem the graph is for.
        supply: Arc → supply index into `problem.supplies`.
        demand: Arc → demand index into `problem.demands`.
        distance_km: Road km of each arc.
        cross_province: Whether the arc crosses a province border.
        start: First day (ordinal) of the arc's window (supply ∩ demand ∩ period).
        end: Last day (ordinal) of the arc's window.
        permit: Index into `permit_ids` of the covering permit, -1 when none was needed.
        permit_ids: Ids of the permits the table held.
        values: Value terms per arc.
        filtered_counts: Rule → pairs it removed (every rule present, zeros included).
        filtered: Up to `examples_per_rule` removed pairs per rule, with reasons.
        supply_filtered: n_supplies × len(RULE_ORDER) counts of removed pairs per supply.
        arrays: The problem's columns (reused by the solvers and explanations).
    """

    problem: MatchingProblem
    supply: IntArray
    demand: IntArray
    distance_km: FloatArray
    cross_province: BoolArray
    start: IntArray
    end: IntArray
    permit: IntArray
    permit_ids: tuple[str, ...]
    values: ArcValues
    filtered_counts: dict[FilterRule, int]
    filtered: tuple[Filtered, ...]
    supply_filtered: IntArray
    arrays: ProblemArrays

    def __len__(self) -> int:
        return len(self.supply)

    def candidate(self, i: int) -> Candidate:
        """Arc `i` as a `Candidate`."""
        permit = int(self.permit[i])
        return Candidate(
            supply_id=self.problem.supplies[int(self.supply[i])].id,
            demand_id=self.problem.demands[int(self.demand[i])].id,
            distance_km=float(self.distance_km[i]),
            cross_province=bool(self.cross_province[i]),
            window=f.window_of(int(self.start[i]), int(self.end[i])),
            value=self.values.at(i),
            permit_id=self.permit_ids[permit] if permit >= 0 else None,
        )

    @cached_property
    def candidates(self) -> tuple[Candidate, ...]:
        """Every arc as a `Candidate` (built on first use)."""
        return tuple(self.candidate(i) for i in range(len(self)))

    @cached_property
    def supply_offsets(self) -> IntArray:
        """CSR offsets: the arcs of supply i are `supply_offsets[i]:supply_offsets[i+1]`."""
        counts = np.bincount(self.supply, minlength=len(self.problem.supplies))
        return np.concatenate(([0], np.cumsum(counts))).astype(np.int64)

    @cached_property
    def demand_order(self) -> IntArray:
        """Arc indexes sorted by demand (stable)."""
        return np.argsort(self.demand, kind="stable").astype(np.int64)

    @cached_property
    def demand_offsets(self) -> IntArray:
        """CSR offsets into `demand_order` per demand."""
        counts = np.bincount(self.demand, minlength=len(self.problem.demands))
        return np.concatenate(([0], np.cumsum(counts))).astype(np.int64)

    def arcs_of_supply(self, s: int) -> IntArray:
        """Arc indexes of supply index `s`."""
        off = self.supply_offsets
        return np.arange(off[s], off[s + 1], dtype=np.int64)

    def arcs_of_demand(self, d: int) -> IntArray:
        """Arc indexes of demand index `d`."""
        off = self.demand_offsets
        return self.demand_order[off[d] : off[d + 1]]

    @cached_property
    def by_supply(self) -> dict[str, tuple[Candidate, ...]]:
        """Supply id → its candidates, best value first."""
        return self._index(self.problem.supplies, self.arcs_of_supply)

    @cached_property
    def by_demand(self) -> dict[str, tuple[Candidate, ...]]:
        """Demand id → its candidates, best value first."""
        return self._index(self.problem.demands, self.arcs_of_demand)

    def _index(
        self,
        listings: Sequence[SupplyOffer | DemandBid],
        arcs: Callable[[int], IntArray],
    ) -> dict[str, tuple[Candidate, ...]]:
        out = {}
        for i, listing in enumerate(listings):
            rows = arcs(i)
            rows = rows[np.argsort(-self.values.value[rows], kind="stable")]
            out[listing.id] = tuple(self.candidate(int(r)) for r in rows)
        return out


def _code_compatible_counts(problem: MatchingProblem) -> IntArray:
    """Per supply, how many demands accept its code or its category (inclusion–exclusion)."""
    accepting: dict[str, int] = defaultdict(int)
    for demand in problem.demands:
        for token in demand.accepted:
            accepting[token] += 1
    cats_of_code: dict[str, set[str]] = defaultdict(set)
    for supply in problem.supplies:
        cats_of_code[supply.waste_code].add(supply.category)
    both: dict[tuple[str, str], int] = defaultdict(int)
    for demand in problem.demands:
        for token in demand.accepted:
            for cat in cats_of_code.get(token, ()):
                if cat in demand.accepted:
                    both[token, cat] += 1
    return np.fromiter(
        (
            accepting[x.waste_code] + accepting[x.category] - both[x.waste_code, x.category]
            for x in problem.supplies
        ),
        dtype=np.int64,
        count=len(problem.supplies),
    )


def _near_pairs(problem: MatchingProblem, a: ProblemArrays) -> tuple[IntArray, IntArray]:
    """Code-compatible (supply, demand) pairs within each demand's search radius, unique."""
    by_token: dict[int, list[int]] = defaultdict(list)
    for s in range(len(problem.supplies)):
        code, cat = int(a.s_code[s]), int(a.s_cat[s])
        by_token[code].append(s)
        if cat != code:
            by_token[cat].append(s)
    askers: dict[int, list[int]] = defaultdict(list)
    for d, demand in enumerate(problem.demands):
        for token in demand.accepted:
            askers[a.tokens.ids[token]].append(d)
    radius_km = a.d_max_km / problem.economics.road_factor
    s_parts, d_parts = [], []
    for token_id, demands in askers.items():
        members = by_token.get(token_id)
        if not members:
            continue
        members_arr = np.asarray(members, dtype=np.int64)
        demands_arr = np.asarray(demands, dtype=np.int64)
        index = SpatialIndex(a.s_xyz[members_arr])
        rows, points = index.within(a.d_xyz[demands_arr], radius_km[demands_arr])
        s_parts.append(members_arr[points])
        d_parts.append(demands_arr[rows])
    if not s_parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    n_d = max(len(problem.demands), 1)
    key = np.concatenate(s_parts) * n_d + np.concatenate(d_parts)
    key.sort()
    if len(key) > 1:  # a demand naming both a category and one of its codes finds pairs twice
        key = key[np.concatenate(([True], key[1:] != key[:-1]))]
    return key // n_d, key % n_d


def build_candidates(problem: MatchingProblem, *, examples_per_rule: int = 5) -> CandidateGraph:
    """Apply the hard filters and value the standing pairs.

    Args:
        problem: The supplies, demands, economics and period.
        examples_per_rule: How many removed pairs to keep, with reasons, per rule.

    Returns:
        The candidate graph, its arcs sorted by supply then demand.
    """
    a = problem_arrays(problem)
    validate(a, problem.economics.road_factor)
    n_s, n_rules = len(problem.supplies), len(f.RULE_ORDER)
    per_supply = np.zeros((n_s, n_rules), dtype=np.int64)
    examples: dict[FilterRule, list[Filtered]] = {rule: [] for rule in f.RULE_ORDER}

    compatible = _code_compatible_counts(problem)
    per_supply[:, f.RULE_INDEX[FilterRule.CODE_NOT_ACCEPTED]] = len(problem.demands) - compatible
    s, d = _near_pairs(problem, a)
    near = np.bincount(s, minlength=n_s)
    per_supply[:, f.RULE_INDEX[FilterRule.TOO_FAR]] = compatible - near
    road_factor = problem.economics.road_factor
    distance = great_circle_km(a.s_xyz[s], a.d_xyz[d]) * road_factor
    start, end = f.overlap_window(a, s, d)
    pairs = f.Pairs(s, d, distance, start, end, np.full(len(s), -1, dtype=np.int64))

    def record(
        rule: FilterRule, pairs: f.Pairs, fail: BoolArray, nearest: IntArray | None = None
    ) -> None:
        rows = np.flatnonzero(fail)
        per_supply[:, f.RULE_INDEX[rule]] += np.bincount(pairs.s[rows], minlength=n_s)
        room = examples_per_rule - len(examples[rule])
        for r in rows[: max(room, 0)]:
            si, di = int(pairs.s[r]), int(pairs.d[r])
            text = f.detail(
                rule,
                problem,
                si,
                di,
                distance_km=float(pairs.distance_km[r]),
                window=(int(pairs.start[r]), int(pairs.end[r])),
                nearest=int(nearest[r]) if nearest is not None else -1,
            )
            examples[rule].append(
                Filtered(problem.supplies[si].id, problem.demands[di].id, rule, text)
            )

    # Each rule is evaluated on all pairs at once; a pair counts under the first it fails.
    alive = np.ones(len(pairs), dtype=np.bool_)
    for rule, test in f.PAIR_RULES:
        fail = test(a, pairs) & alive
        record(rule, pairs, fail)
        alive &= ~fail
    pairs = pairs.take(alive)
    fail, nearest = f.disposal_not_nearest(a, pairs)  # on the survivors of every other rule
    record(FilterRule.DISPOSAL_NOT_NEAREST, pairs, fail, nearest)
    pairs = pairs.take(~fail)

    room = examples_per_rule - len(examples[FilterRule.TOO_FAR])
    examples[FilterRule.TOO_FAR].extend(sample_far_pairs(problem, a, per_supply, room))
    examples[FilterRule.CODE_NOT_ACCEPTED].extend(
        sample_code_rejects(problem, per_supply, examples_per_rule)
    )
    cross = a.s_province[pairs.s] != a.d_province[pairs.d]
    values = arc_values(problem, pairs.s, pairs.d, pairs.distance_km, cross)
    totals = per_supply.sum(axis=0)
    return CandidateGraph(
        problem=problem,
        supply=pairs.s,
        demand=pairs.d,
        distance_km=pairs.distance_km,
        cross_province=cross,
        start=pairs.start,
        end=pairs.end,
        permit=pairs.permit,
        permit_ids=a.permits.permit_ids,
        values=values,
        filtered_counts={rule: int(totals[i]) for i, rule in enumerate(f.RULE_ORDER)},
        filtered=tuple(x for rule in f.RULE_ORDER for x in examples[rule]),
        supply_filtered=per_supply,
        arrays=a,
    )
