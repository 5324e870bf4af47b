"""The hard filters as vectorized masks over supply–demand pairs, and their readable reasons.

Each filter takes the pairs still standing (`Pairs`: supply and demand indexes with their
road distance and overlap window) and returns the mask of pairs it removes. `detail`
explains one removed pair in words, e.g. "Pb 0.012 above max 0.005".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np

from zerowaste.optimize.matching.model import FilterRule, MatchingProblem, Window
from zerowaste.optimize.matching.tables import BoolArray, FloatArray, IntArray, ProblemArrays

#: The order the rules are tried in; a pair is counted under the first rule it fails.
#: CODE_NOT_ACCEPTED and the TOO_FAR pairs beyond the search radius never become pairs
#: (the per-code indexes and the spatial index skip them); they are counted in aggregate.
RULE_ORDER: tuple[FilterRule, ...] = (
    FilterRule.CODE_NOT_ACCEPTED,
    FilterRule.TOO_FAR,
    FilterRule.SAME_ORGANIZATION,
    FilterRule.WINDOWS_DO_NOT_OVERLAP,
    FilterRule.PERMIT_MISSING,
    FilterRule.COMPOSITION_OUT_OF_LIMITS,
    FilterRule.BELOW_MIN_LOT,
    FilterRule.PRICE_BELOW_ASK,
    FilterRule.CROSS_PROVINCE_NOT_ALLOWED,
    FilterRule.DISPOSAL_NOT_NEAREST,
)
RULE_INDEX = {rule: i for i, rule in enumerate(RULE_ORDER)}


@dataclass(eq=False)
class Pairs:
    """Supply–demand pairs under test, with the figures the filters compare."""

    s: IntArray
    d: IntArray
    distance_km: FloatArray
    start: IntArray  # overlap of supply window, demand window and period (ordinals)
    end: IntArray
    permit: IntArray  # index of the covering permit, -1 when none is needed

    def take(self, keep: BoolArray) -> Pairs:
        """The pairs where `keep` is true."""
        return Pairs(
            self.s[keep],
            self.d[keep],
            self.distance_km[keep],
            self.start[keep],
            self.end[keep],
            self.permit[keep],
        )

    def __len__(self) -> int:
        return len(self.s)


def too_far(a: ProblemArrays, p: Pairs) -> BoolArray:
    """Road distance above the demand's maximum."""
    return np.asarray(p.distance_km > a.d_max_km[p.d])


def same_organization(a: ProblemArrays, p: Pairs) -> BoolArray:
    """Both listings belong to one organization (no market between a firm and itself)."""
    return np.asarray(a.s_org[p.s] == a.d_org[p.d])


def windows_do_not_overlap(a: ProblemArrays, p: Pairs) -> BoolArray:
    """Supply window ∩ demand window ∩ period is empty."""
    return np.asarray(p.start > p.end)


def permit_missing(a: ProblemArrays, p: Pairs) -> BoolArray:
    """A hazardous supply, and no permit of the demand covers its code or category.

    A permit covers when it lists the code or the category, is for the demand's activity
    (`PermitTable` holds only those) and is valid on every day of the overlap window.
    Sets `p.permit` to the covering permit's index.
    """
    table = a.permits
    hazardous = a.s_hazardous[p.s]
    found = np.full(len(p), -1, dtype=np.int64)
    if len(table.key) and hazardous.any():
        n_tokens = max(len(a.tokens.ids), 1)
        rows = np.flatnonzero(hazardous)
        s, d = p.s[rows], p.d[rows]
        start, end = p.start[rows], p.end[rows]
        got = np.full(len(rows), -1, dtype=np.int64)
        for token in (a.s_code[s], a.s_cat[s]):
            key = d * n_tokens + token
            lo = np.searchsorted(table.key, key, side="left")
            hi = np.searchsorted(table.key, key, side="right")
            for j in range(table.max_per_key):
                at = lo + j
                inside = (at < hi) & (got < 0)
                if not inside.any():
                    break
                at = np.minimum(at, len(table.key) - 1)
                ok = inside & (table.start[at] <= start) & (table.end[at] >= end)
                got[ok] = table.permit[at[ok]]
        found[rows] = got
    p.permit = found
    return np.asarray(hazardous & (found < 0))


def composition_out_of_limits(a: ProblemArrays, p: Pairs) -> BoolArray:
    """A component outside the demand's limits, or limited and not stated by the supply.

    Blend demands limit the average of what they take, so a single supply only fails when
    it does not state a component the blend limits (its share could not be counted).
    """
    fail = np.zeros(len(p), dtype=np.bool_)
    blend = a.d_blend[p.d]
    for k in range(len(a.components)):
        dmin, dmax = a.d_min[p.d, k], a.d_max[p.d, k]
        has_min, has_max = ~np.isnan(dmin), ~np.isnan(dmax)
        limited = has_min | has_max
        if not limited.any():
            continue
        low, high = a.s_low[p.s, k], a.s_high[p.s, k]
        unstated = np.isnan(low) | np.isnan(high)
        with np.errstate(invalid="ignore"):
            outside = (has_max & ~(high <= dmax)) | (has_min & ~(low >= dmin))
        fail |= np.where(blend, limited & unstated, outside)
    return fail


def below_min_lot(a: ProblemArrays, p: Pairs) -> BoolArray:
    """The supplier's lot is smaller than the smallest the buyer takes."""
    return np.asarray(a.s_lot[p.s] < a.d_min_lot[p.d])


def price_below_ask(a: ProblemArrays, p: Pairs) -> BoolArray:
    """The buyer pays less than the supplier asks."""
    return np.asarray(a.d_price[p.d] < a.s_ask[p.s])


def cross_province_not_allowed(a: ProblemArrays, p: Pairs) -> BoolArray:
    """Different provinces, and one side does not allow a cross-province transfer."""
    cross = a.s_province[p.s] != a.d_province[p.d]
    return np.asarray(cross & ~(a.s_allows_cross[p.s] & a.d_accepts_cross[p.d]))


def disposal_not_nearest(a: ProblemArrays, p: Pairs) -> tuple[BoolArray, IntArray]:
    """Disposal pairs other than each supply's nearest facility (in-province first).

    Returns:
        The mask, and for each pair the demand index of the kept facility (-1 if none).
    """
    dispose = a.d_dispose[p.d]
    kept = np.full(len(p), -1, dtype=np.int64)
    fail = np.zeros(len(p), dtype=np.bool_)
    rows = np.flatnonzero(dispose)
    if len(rows) == 0:
        return fail, kept
    cross = (a.s_province[p.s[rows]] != a.d_province[p.d[rows]]).astype(np.int64)
    order = rows[np.lexsort((p.d[rows], p.distance_km[rows], cross, p.s[rows]))]
    s_sorted = p.s[order]
    first = np.ones(len(order), dtype=np.bool_)
    first[1:] = s_sorted[1:] != s_sorted[:-1]
    fail[order[~first]] = True
    group = np.cumsum(first) - 1
    kept[order] = p.d[order[first]][group]
    return fail, kept


#: The pair rules in `RULE_ORDER`, each a mask function (DISPOSAL_NOT_NEAREST runs last,
#: on the pairs every other rule kept).
PAIR_RULES: tuple[tuple[FilterRule, Callable[[ProblemArrays, Pairs], BoolArray]], ...] = (
    (FilterRule.TOO_FAR, too_far),
    (FilterRule.SAME_ORGANIZATION, same_organization),
    (FilterRule.WINDOWS_DO_NOT_OVERLAP, windows_do_not_overlap),
    (FilterRule.PERMIT_MISSING, permit_missing),
    (FilterRule.COMPOSITION_OUT_OF_LIMITS, composition_out_of_limits),
    (FilterRule.BELOW_MIN_LOT, below_min_lot),
    (FilterRule.PRICE_BELOW_ASK, price_below_ask),
    (FilterRule.CROSS_PROVINCE_NOT_ALLOWED, cross_province_not_allowed),
)


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def _day(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def _composition_detail(problem: MatchingProblem, s: int, d: int) -> str:
    supply, demand = problem.supplies[s], problem.demands[d]
    reasons = []
    for name, limit in sorted(demand.limits.items()):
        stated = supply.composition.get(name)
        if stated is None or stated.low is None or stated.high is None:
            if limit.low is not None or limit.high is not None:
                reasons.append(f"{name} not stated by the supply (limited by {demand.id})")
            continue
        if demand.blend:
            continue
        if limit.high is not None and stated.high > limit.high:
            reasons.append(f"{name} {_fmt(stated.high)} above max {_fmt(limit.high)}")
        if limit.low is not None and stated.low < limit.low:
            reasons.append(f"{name} {_fmt(stated.low)} below min {_fmt(limit.low)}")
    return "; ".join(reasons)


def detail(
    rule: FilterRule,
    problem: MatchingProblem,
    s: int,
    d: int,
    *,
    distance_km: float = float("nan"),
    window: tuple[int, int] | None = None,
    nearest: int = -1,
) -> str:
    """A sentence saying why the pair (supply `s`, demand `d`) was removed by `rule`."""
    supply, demand = problem.supplies[s], problem.demands[d]
    if rule is FilterRule.CODE_NOT_ACCEPTED:
        accepted = ", ".join(sorted(demand.accepted))
        return f"{supply.waste_code} ({supply.category}) not among accepted: {accepted}"
    if rule is FilterRule.TOO_FAR:
        return f"{distance_km:.1f} km by road above max {_fmt(demand.max_distance_km)} km"
    if rule is FilterRule.SAME_ORGANIZATION:
        return f"both listed by {supply.organization_id}"
    if rule is FilterRule.WINDOWS_DO_NOT_OVERLAP:
        return (
            f"supply {supply.window.start}..{supply.window.end}, demand "
            f"{demand.window.start}..{demand.window.end} and period "
            f"{problem.period.start}..{problem.period.end} share no day"
        )
    if rule is FilterRule.PERMIT_MISSING:
        span = f"{_day(window[0])}..{_day(window[1])}" if window else "the period"
        held = [
            f"{c.permit_id} ({','.join(sorted(c.codes))}; {','.join(sorted(c.activities))}; "
            f"{c.valid.start}..{c.valid.end})"
            for c in demand.permits
        ]
        return (
            f"no {demand.activity} permit covering {supply.waste_code} or {supply.category} "
            f"over {span}; holds: {', '.join(held) or 'none'}"
        )
    if rule is FilterRule.COMPOSITION_OUT_OF_LIMITS:
        return _composition_detail(problem, s, d)
    if rule is FilterRule.BELOW_MIN_LOT:
        return f"lot {_fmt(supply.lot_t)} t below minimum lot {_fmt(demand.min_lot_t)} t"
    if rule is FilterRule.PRICE_BELOW_ASK:
        return (
            f"pays {_fmt(demand.price_cny_per_t)} CNY/t, below the ask "
            f"{_fmt(supply.price_cny_per_t)} CNY/t"
        )
    if rule is FilterRule.CROSS_PROVINCE_NOT_ALLOWED:
        return (
            f"{supply.region_code[:2]} → {demand.region_code[:2]}: supply allows "
            f"cross-province {supply.allows_cross_province}, demand accepts "
            f"{demand.accepts_cross_province}"
        )
    near = problem.demands[nearest].id if nearest >= 0 else "another facility"
    return f"disposal goes to the nearest facility {near}; this one is {distance_km:.1f} km away"


def overlap_window(a: ProblemArrays, s: IntArray, d: IntArray) -> tuple[IntArray, IntArray]:
    """Start and end ordinals of supply window ∩ demand window ∩ period, per pair."""
    start = np.maximum(np.maximum(a.s_start[s], a.d_start[d]), a.period_start)
    end = np.minimum(np.minimum(a.s_end[s], a.d_end[d]), a.period_end)
    return start, end


def window_of(start: int, end: int) -> Window:
    """A `Window` from two ordinals."""
    return Window(date.fromordinal(start), date.fromordinal(end))
