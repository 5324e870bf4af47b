"""Column arrays of a `MatchingProblem`: one numpy array per listing attribute, built once.

The hard filters and the arc values are computed on these columns for all pairs at once;
strings (organizations, codes, provinces, components, routes) become small integer ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from zerowaste.errors import InvalidInput
from zerowaste.optimize.matching.geo import unit_vectors
from zerowaste.optimize.matching.model import DISPOSE, DemandBid, MatchingProblem, SupplyOffer

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


class Vocabulary:
    """Strings → dense integer ids, in order of first appearance."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def id(self, word: str) -> int:
        """The id of `word`, assigning the next one if it is new."""
        found = self.ids.get(word)
        if found is None:
            found = self.ids[word] = len(self.ids)
        return found

    def many(self, words: Iterable[str]) -> IntArray:
        """Ids of several words as an array."""
        return np.fromiter((self.id(w) for w in words), dtype=np.int64)


def province(region_code: str) -> str:
    """The province of a GB/T 2260 region code: its first two digits."""
    return region_code[:2]


@dataclass(frozen=True, eq=False)
class PermitTable:
    """Every (demand, code-or-category) a permit covers for the demand's own activity.

    Rows are sorted by `key = demand × n_tokens + token`, so the permits that could cover a
    pair are a `searchsorted` range.
    """

    key: IntArray
    start: IntArray
    end: IntArray
    permit: IntArray  # index into `permit_ids`
    permit_ids: tuple[str, ...]
    max_per_key: int


@dataclass(frozen=True, eq=False)
class ProblemArrays:
    """The problem's listings as columns (supplies `s_*`, demands `d_*`)."""

    tokens: Vocabulary
    components: tuple[str, ...]
    s_xyz: FloatArray
    s_org: IntArray
    s_code: IntArray
    s_cat: IntArray
    s_hazardous: BoolArray
    s_quantity: FloatArray
    s_lot: FloatArray
    s_low: FloatArray  # n_s × K, NaN where the component is not stated
    s_high: FloatArray
    s_start: IntArray  # date ordinals
    s_end: IntArray
    s_ask: FloatArray
    s_disposal_cost: FloatArray
    s_province: IntArray
    s_allows_cross: BoolArray
    d_xyz: FloatArray
    d_org: IntArray
    d_min: FloatArray  # n_d × K, NaN where there is no limit
    d_max: FloatArray
    d_blend: BoolArray
    d_capacity: FloatArray
    d_min_lot: FloatArray
    d_max_km: FloatArray
    d_start: IntArray
    d_end: IntArray
    d_price: FloatArray
    d_dispose: BoolArray
    d_province: IntArray
    d_accepts_cross: BoolArray
    period_start: int
    period_end: int
    permits: PermitTable


def _ranges(
    rows: Sequence[SupplyOffer | DemandBid], components: dict[str, int]
) -> tuple[FloatArray, FloatArray]:
    """Low/high (or min/max) matrices of supplies' compositions or demands' limits."""
    low = np.full((len(rows), len(components)), np.nan)
    high = np.full((len(rows), len(components)), np.nan)
    for i, row in enumerate(rows):
        ranges = row.composition if isinstance(row, SupplyOffer) else row.limits
        for name, rng in ranges.items():
            k = components[name]
            if rng.low is not None:
                low[i, k] = rng.low
            if rng.high is not None:
                high[i, k] = rng.high
    return low, high


def _permit_table(problem: MatchingProblem, tokens: Vocabulary) -> PermitTable:
    """Flatten the demands' permits into a sorted lookup table."""
    keys: list[tuple[int, int, int, int]] = []  # (demand, token, start, end) + permit below
    permit_of: list[int] = []
    permit_ids: list[str] = []
    for d, demand in enumerate(problem.demands):
        for cover in demand.permits:
            if demand.activity not in cover.activities:
                continue
            p = len(permit_ids)
            permit_ids.append(cover.permit_id)
            for code in sorted(cover.codes):
                keys.append(
                    (d, tokens.id(code), cover.valid.start.toordinal(), cover.valid.end.toordinal())
                )
                permit_of.append(p)
    n_tokens = max(len(tokens.ids), 1)
    if not keys:
        empty = np.zeros(0, dtype=np.int64)
        return PermitTable(empty, empty, empty, empty, tuple(permit_ids), 0)
    table = np.asarray(keys, dtype=np.int64)
    key = table[:, 0] * n_tokens + table[:, 1]
    order = np.argsort(key, kind="stable")
    key = key[order]
    _, counts = np.unique(key, return_counts=True)
    return PermitTable(
        key=key,
        start=table[order, 2],
        end=table[order, 3],
        permit=np.asarray(permit_of, dtype=np.int64)[order],
        permit_ids=tuple(permit_ids),
        max_per_key=int(counts.max()),
    )


def problem_arrays(problem: MatchingProblem) -> ProblemArrays:
    """Columns of every supply and demand attribute the filters and values read."""
    supplies, demands = problem.supplies, problem.demands
    tokens, orgs, provinces = Vocabulary(), Vocabulary(), Vocabulary()
    names = sorted(
        {c for s in supplies for c in s.composition} | {c for d in demands for c in d.limits}
    )
    components = {name: k for k, name in enumerate(names)}
    s_code = tokens.many(s.waste_code for s in supplies)
    s_cat = tokens.many(s.category for s in supplies)
    for d in demands:
        tokens.many(d.accepted)
    s_low, s_high = _ranges(supplies, components)
    d_min, d_max = _ranges(demands, components)
    permits = _permit_table(problem, tokens)  # after every code has its id
    return ProblemArrays(
        tokens=tokens,
        components=tuple(names),
        s_xyz=unit_vectors(_floats(s.lat for s in supplies), _floats(s.lon for s in supplies)),
        s_org=orgs.many(s.organization_id for s in supplies),
        s_code=s_code,
        s_cat=s_cat,
        s_hazardous=_bools(s.hazardous for s in supplies),
        s_quantity=_floats(s.quantity_t for s in supplies),
        s_lot=_floats(s.lot_t for s in supplies),
        s_low=s_low,
        s_high=s_high,
        s_start=_ints(s.window.start.toordinal() for s in supplies),
        s_end=_ints(s.window.end.toordinal() for s in supplies),
        s_ask=_floats(s.price_cny_per_t for s in supplies),
        s_disposal_cost=_floats(s.disposal_cost_cny_per_t for s in supplies),
        s_province=provinces.many(province(s.region_code) for s in supplies),
        s_allows_cross=_bools(s.allows_cross_province for s in supplies),
        d_xyz=unit_vectors(_floats(d.lat for d in demands), _floats(d.lon for d in demands)),
        d_org=orgs.many(d.organization_id for d in demands),
        d_min=d_min,
        d_max=d_max,
        d_blend=_bools(d.blend for d in demands),
        d_capacity=_floats(d.capacity_t for d in demands),
        d_min_lot=_floats(d.min_lot_t for d in demands),
        d_max_km=_floats(d.max_distance_km for d in demands),
        d_start=_ints(d.window.start.toordinal() for d in demands),
        d_end=_ints(d.window.end.toordinal() for d in demands),
        d_price=_floats(d.price_cny_per_t for d in demands),
        d_dispose=_bools(d.activity == DISPOSE for d in demands),
        d_province=provinces.many(province(d.region_code) for d in demands),
        d_accepts_cross=_bools(d.accepts_cross_province for d in demands),
        period_start=problem.period.start.toordinal(),
        period_end=problem.period.end.toordinal(),
        permits=permits,
    )


def validate(a: ProblemArrays, road_factor: float) -> None:
    """Reject quantities, capacities, distances or coordinates the engine cannot use.

    Raises:
        InvalidInput: Naming the first offending field, e.g. `supplies[3].quantity_t`.
    """
    if not road_factor > 0:
        raise InvalidInput("the road factor must be positive", field="economics.road_factor")
    checks = (
        ("supplies", "quantity_t", a.s_quantity),
        ("supplies", "lot_t", a.s_lot),
        ("demands", "capacity_t", a.d_capacity),
        ("demands", "min_lot_t", a.d_min_lot),
        ("demands", "max_distance_km", a.d_max_km),
    )
    for side, name, column in checks:
        bad = np.flatnonzero(~(column >= 0) | ~np.isfinite(column))
        if len(bad):
            raise InvalidInput(
                f"{name} must be a finite number ≥ 0", field=f"{side}[{bad[0]}].{name}"
            )
    for side, xyz in (("supplies", a.s_xyz), ("demands", a.d_xyz)):
        bad = np.flatnonzero(~np.isfinite(xyz).all(axis=1))
        if len(bad):
            raise InvalidInput("coordinates must be finite", field=f"{side}[{bad[0]}].lat")


def _floats(values: Iterable[float]) -> FloatArray:
    return np.fromiter(values, dtype=np.float64)


def _ints(values: Iterable[int]) -> IntArray:
    return np.fromiter(values, dtype=np.int64)


def _bools(values: Iterable[bool]) -> BoolArray:
    return np.fromiter(values, dtype=np.bool_)
