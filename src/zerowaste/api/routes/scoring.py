"""Supplier ranking (entropy-weight TOPSIS) and the chain master's evaluation of its chain."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from zerowaste.api.routes.admission import VerdictOut, verdict_out
from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.indicators.topsis import Ranking
from zerowaste.services.scoring import (
    ChainAggregates,
    ChainEvaluation,
    CriterionValue,
    ScoringCriterion,
    parse_weights,
)

router = APIRouter(tags=["market"])
signed_in = Depends(allow(Rule.AUTHENTICATED))


class CriterionOut(BaseModel):
    """A criterion ranked on, its weight and where the weight comes from."""

    criterion: str
    unit: str
    direction: str
    weight: float
    entropy_weight: float | None
    expert_weight: float | None
    entropy: float | None


class ContributionOut(BaseModel):
    """One criterion's part in a supplier's distance D+ to the ideal."""

    criterion: str
    value: float
    weighted: float
    ideal: float
    anti_ideal: float
    gap: float
    share: float


class RankedOut(BaseModel):
    """A ranked supplier; `main_gap` is the criterion pulling it furthest from the ideal."""

    supplier_id: uuid.UUID
    name: str
    rank: int
    closeness: float
    d_plus: float
    d_minus: float
    main_gap: str | None
    contributions: list[ContributionOut]


class ExcludedOut(BaseModel):
    """A supplier left out of the ranking and the criteria it has no value for."""

    supplier_id: uuid.UUID
    name: str
    missing: list[str]
    reason: str


class RankingOut(BaseModel):
    """The chain's suppliers ranked by closeness C = D- / (D+ + D-), best first."""

    chain_master_id: uuid.UUID
    year: int
    method: str
    normalisation: str
    weight_source: str
    alpha: float | None
    criteria: list[CriterionOut]
    suppliers: list[RankedOut]
    excluded: list[ExcludedOut]


class AggregatesOut(BaseModel):
    """The suppliers taken together: masses in tonnes, mass-weighted ratios."""

    members: int
    with_output_value: int
    generated_t: str
    general_t: str
    hazardous_t: str
    utilized_t: str
    disposed_t: str
    output_value_10k_cny: str
    utilization_rate: str | None
    disposal_share: str | None
    waste_intensity_t_per_10k_cny: str | None
    hazardous_intensity_t_per_10k_cny: str | None


class MemberOut(BaseModel):
    """One member: indicator values, its rank (or why it is unranked), its admission verdict."""

    supplier_id: uuid.UUID
    name: str
    values: dict[str, str | None]
    rank: int | None
    closeness: float | None
    excluded_for: list[str]
    verdict: VerdictOut | None


class EvaluationOut(BaseModel):
    """The chain master's evaluation of its chain for a year."""

    chain_master_id: uuid.UUID
    name: str
    year: int
    aggregates: AggregatesOut
    members: list[MemberOut]
    ranking: RankingOut | None
    ranking_problem: str | None
    rules_version: int | None


def _text(value: CriterionValue) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def ranking_out(
    chain_id: uuid.UUID,
    year: int,
    criteria: tuple[ScoringCriterion, ...],
    ranking: Ranking,
    names: dict[uuid.UUID, str],
) -> RankingOut:
    """The API form of a ranking."""
    w = ranking.weights
    return RankingOut(
        chain_master_id=chain_id,
        year=year,
        method="entropy-weight TOPSIS",
        normalisation=ranking.normalisation,
        weight_source=w.source.value,
        alpha=w.alpha,
        criteria=[
            CriterionOut(
                criterion=c.criterion_id,
                unit=c.unit,
                direction="higher_is_better" if c.benefit else "lower_is_better",
                weight=w.used[j],
                entropy_weight=w.entropy.weights[j] if w.entropy else None,
                expert_weight=w.expert[j] if w.expert else None,
                entropy=w.entropy.entropy[j] if w.entropy else None,
            )
            for j, c in enumerate(criteria)
        ],
        suppliers=[
            RankedOut(
                supplier_id=uuid.UUID(s.key),
                name=names.get(uuid.UUID(s.key), s.key),
                rank=s.rank,
                closeness=s.closeness,
                d_plus=s.d_plus,
                d_minus=s.d_minus,
                main_gap=gap.criterion if (gap := s.main_gap) else None,
                contributions=[
                    ContributionOut(
                        criterion=c.criterion,
                        value=c.value,
                        weighted=c.weighted,
                        ideal=c.ideal,
                        anti_ideal=c.anti_ideal,
                        gap=c.gap,
                        share=c.share,
                    )
                    for c in s.contributions
                ],
            )
            for s in ranking.ranked
        ],
        excluded=[
            ExcludedOut(
                supplier_id=uuid.UUID(e.key),
                name=names.get(uuid.UUID(e.key), e.key),
                missing=list(e.missing),
                reason=e.reason,
            )
            for e in ranking.excluded
        ],
    )


def aggregates_out(a: ChainAggregates) -> AggregatesOut:
    """The API form of the chain aggregates."""
    return AggregatesOut(
        members=a.members,
        with_output_value=a.with_output_value,
        generated_t=f"{a.generated_t.normalize():f}",
        general_t=f"{a.general_t.normalize():f}",
        hazardous_t=f"{a.hazardous_t.normalize():f}",
        utilized_t=f"{a.utilized_t.normalize():f}",
        disposed_t=f"{a.disposed_t.normalize():f}",
        output_value_10k_cny=f"{a.output_value_10k_cny.normalize():f}",
        utilization_rate=_text(a.utilization_rate),
        disposal_share=_text(a.disposal_share),
        waste_intensity_t_per_10k_cny=_text(a.waste_intensity),
        hazardous_intensity_t_per_10k_cny=_text(a.hazardous_intensity),
    )


@router.get("/chains/{chain_id}/supplier-ranking", response_model=RankingOut)
def supplier_ranking(
    request: Request,
    chain_id: uuid.UUID,
    actor: Annotated[Principal, signed_in],
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    criteria: Annotated[str | None, Query(max_length=2000)] = None,
    weights: Annotated[str | None, Query(max_length=2000)] = None,
    alpha: Annotated[float | None, Query(ge=0, le=1)] = None,
) -> RankingOut:
    """The chain's suppliers ranked by entropy-weight TOPSIS for a year (default: last year).

    `criteria=a,b` picks the criteria (default: waste intensity, utilization rate, disposal
    share, risk score); `weights=a:2,b:1` gives expert weights (normalised to sum 1) used
    instead of entropy weights, or blended as α·entropy + (1-α)·expert with `alpha`.
    For the chain master's users, regulators over it and admins.
    """
    context = context_of(request)
    result = context.scoring.rank_suppliers(
        actor, chain_id, year, criteria.split(",") if criteria else None, parse_weights(weights),
        alpha,
    )  # fmt: skip
    return ranking_out(chain_id, result.year, result.criteria, result.ranking, dict(result.names))


def chain_evaluation_out(found: ChainEvaluation) -> EvaluationOut:
    """The API form of a chain evaluation."""
    names = {m.supplier_id: m.name for m in found.members}
    ranking = (
        ranking_out(found.chain_master_id, found.year, found.criteria, found.ranking, names)
        if found.ranking
        else None
    )
    return EvaluationOut(
        chain_master_id=found.chain_master_id,
        name=found.name,
        year=found.year,
        aggregates=aggregates_out(found.aggregates),
        members=[
            MemberOut(
                supplier_id=m.supplier_id,
                name=m.name,
                values={k: _text(v) for k, v in m.values.items()},
                rank=m.rank,
                closeness=m.closeness,
                excluded_for=list(m.excluded_for),
                verdict=verdict_out(m.verdict, m.name) if m.verdict else None,
            )
            for m in found.members
        ],
        ranking=ranking,
        ranking_problem=found.ranking_problem,
        rules_version=found.rules_version,
    )


@router.get("/chains/{chain_id}/evaluation", response_model=EvaluationOut)
def chain_evaluation(
    request: Request,
    chain_id: uuid.UUID,
    actor: Annotated[Principal, signed_in],
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
) -> EvaluationOut:
    """Per member indicator values, chain aggregates, the ranking and admission verdicts."""
    return chain_evaluation_out(context_of(request).scoring.chain_evaluation(actor, chain_id, year))
