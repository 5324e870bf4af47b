"""Top-k partners of one listing: its candidate arcs, best value per tonne first.

Only the listing's own pairs are built: the candidate search runs on a problem holding that
one listing against all listings of the other side. For a disposal demand the "nearest
facility" rule depends on the other disposal facilities too, so the supplies it could take
are re-checked against every disposal demand.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from zerowaste.errors import ListingNotFound
from zerowaste.optimize.matching.candidates import CandidateGraph, build_candidates
from zerowaste.optimize.matching.model import (
    DISPOSE,
    Candidate,
    DemandBid,
    Filtered,
    FilterRule,
    MatchingProblem,
    Recommendation,
    SupplyOffer,
)


@dataclass(frozen=True)
class Recommendations:
    """Ranked partners of a listing and what the filters removed.

    Attributes:
        items: Up to k partners, best value per tonne first.
        filtered: Examples of the listing's pairs the filters removed (capped per rule).
        filtered_counts: Rule → the listing's pairs it removed.
    """

    items: tuple[Recommendation, ...]
    filtered: tuple[Filtered, ...]
    filtered_counts: dict[FilterRule, int]


def _note(problem: MatchingProblem, candidate: Candidate, demand: DemandBid) -> str:
    parts = []
    if candidate.value.value_cny_per_t <= 0:
        parts.append("loses to disposal")
    if candidate.cross_province:
        parts.append(
            f"cross-province approval needed ({candidate.value.approval_cny_per_t:.1f} CNY/t)"
        )
    if demand.blend:
        parts.append("blend limits apply to the average of what it takes")
    if candidate.permit_id:
        parts.append(f"under permit {candidate.permit_id}")
    parts.append(f"{candidate.distance_km:.1f} km by road")
    return "; ".join(parts)


def _rank(
    problem: MatchingProblem, graph: CandidateGraph, rows: np.ndarray, k: int, of_supply: bool
) -> tuple[Recommendation, ...]:
    rows = rows[np.argsort(-graph.values.value[rows], kind="stable")][:k]
    items = []
    for rank, i in enumerate(rows, start=1):
        supply = problem.supplies[int(graph.supply[i])]
        demand = problem.demands[int(graph.demand[i])]
        candidate = graph.candidate(int(i))
        items.append(
            Recommendation(
                partner_id=demand.id if of_supply else supply.id,
                rank=rank,
                candidate=candidate,
                quantity_t=min(supply.quantity_t, demand.capacity_t),
                note=_note(problem, candidate, demand),
            )
        )
    return tuple(items)


def _for_supply(problem: MatchingProblem, supply: SupplyOffer, k: int) -> Recommendations:
    sub = replace(problem, supplies=(supply,))
    graph = build_candidates(sub)
    items = _rank(sub, graph, np.arange(len(graph)), k, of_supply=True)
    return Recommendations(items, graph.filtered, graph.filtered_counts)


def _for_demand(problem: MatchingProblem, demand: DemandBid, k: int) -> Recommendations:
    sub = replace(problem, demands=(demand,))
    graph = build_candidates(sub)
    counts = dict(graph.filtered_counts)
    filtered = list(graph.filtered)
    if demand.activity != DISPOSE or len(graph) == 0:
        items = _rank(sub, graph, np.arange(len(graph)), k, of_supply=False)
        return Recommendations(items, tuple(filtered), counts)
    takers = tuple(sub.supplies[int(s)] for s in graph.supply)
    facilities = tuple(d for d in problem.demands if d.activity == DISPOSE)
    wide = build_candidates(replace(problem, supplies=takers, demands=facilities))
    me = next(i for i, d in enumerate(facilities) if d is demand)
    rows = np.flatnonzero(wide.demand == me)
    lost = set(range(len(takers))) - {int(s) for s in wide.supply[rows]}
    counts[FilterRule.DISPOSAL_NOT_NEAREST] += len(lost)
    for s in sorted(lost)[:5]:
        nearest = wide.arcs_of_supply(s)
        other = facilities[int(wide.demand[nearest[0]])].id if len(nearest) else "another"
        filtered.append(
            Filtered(
                takers[s].id,
                demand.id,
                FilterRule.DISPOSAL_NOT_NEAREST,
                f"disposal goes to the nearest facility {other}",
            )
        )
    sub_wide = replace(problem, supplies=takers, demands=facilities)
    items = _rank(sub_wide, wide, rows, k, of_supply=False)
    return Recommendations(items, tuple(filtered), counts)


def recommend(problem: MatchingProblem, listing_id: str, k: int = 5) -> Recommendations:
    """The best `k` partners of one supply (demands) or one demand (supplies).

    Args:
        problem: The market the listing is in.
        listing_id: A supply or demand id of the problem.
        k: How many partners to return.

    Returns:
        Partners ranked by value per tonne, the tonnage each could take (the smaller of
        quantity and capacity) and a note; what the filters removed.

    Raises:
        ListingNotFound: No supply or demand of the problem has this id.
    """
    for supply in problem.supplies:
        if supply.id == listing_id:
            return _for_supply(problem, supply, k)
    for demand in problem.demands:
        if demand.id == listing_id:
            return _for_demand(problem, demand, k)
    raise ListingNotFound(f"no listing {listing_id} in the problem", field="listing_id")
