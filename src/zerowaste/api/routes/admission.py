"""Chain-master admission rules (set, read, versions) and the suppliers' verdicts against them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.domain.admission import (
    AdmissionRules,
    Clause,
    Criterion,
    CriterionResult,
    Verdict,
    YearBasis,
    clauses_from_json,
    criteria_from_json,
)
from zerowaste.services.admission import MAX_CANDIDATES

router = APIRouter(tags=["market"])
signed_in = Depends(allow(Rule.AUTHENTICATED))


class RulesIn(BaseModel):
    """A new version of the rules: criteria, standard clauses and the default year basis.

    Each criterion is `{indicator, comparator, threshold, required}`; each clause
    `{key, text_zh, text_en, params}`. Errors name the member, e.g. `criteria[2].threshold`.
    """

    criteria: list[Any] = Field(max_length=100)
    clauses: list[Any] = Field(default_factory=list, max_length=100)
    year_basis: YearBasis = YearBasis.PREVIOUS_YEAR


class CriterionOut(BaseModel):
    """One criterion; the threshold a decimal string, or a boolean for yes/no indicators."""

    indicator: str
    comparator: str
    threshold: str | bool
    required: bool
    unit: str
    direction: str


class ClauseOut(BaseModel):
    """A standard clause, its texts as written and with the parameters filled in."""

    key: str
    text_zh: str
    text_en: str
    params: dict[str, Any]
    rendered_zh: str
    rendered_en: str


class RulesOut(BaseModel):
    """One version of a chain master's admission rules."""

    chain_master_id: uuid.UUID
    version: int
    year_basis: YearBasis
    criteria: list[CriterionOut]
    clauses: list[ClauseOut]
    updated_at: datetime | None
    updated_by: uuid.UUID | None


class ResultOut(BaseModel):
    """A criterion held against one supplier's value: met, failed or unknown."""

    indicator: str
    comparator: str
    threshold: str | bool
    required: bool
    value: str | bool | None
    outcome: str


class VerdictOut(BaseModel):
    """A supplier's verdict: admitted iff every required criterion is met."""

    supplier_id: uuid.UUID
    name: str
    member: bool
    year: int
    rules_version: int
    admitted: bool
    results: list[ResultOut]


class CheckOut(BaseModel):
    """Every supplier of the chain (and any candidates) against the newest rules."""

    chain_master_id: uuid.UUID
    year: int
    rules_version: int
    admitted: int
    suppliers: list[VerdictOut]


def criterion_out(criterion: Criterion) -> CriterionOut:
    """The API form of a criterion."""
    stored = criterion.to_json()
    return CriterionOut(
        **stored, unit=criterion.indicator.unit, direction=criterion.indicator.direction.value
    )


def clause_out(clause: Clause) -> ClauseOut:
    """The API form of a clause."""
    return ClauseOut(
        **clause.to_json(), rendered_zh=clause.text("zh"), rendered_en=clause.text("en")
    )


def rules_out(rules: AdmissionRules) -> RulesOut:
    """The API form of a version of the rules."""
    return RulesOut(
        chain_master_id=rules.chain_master_id,
        version=rules.version,
        year_basis=rules.year_basis,
        criteria=[criterion_out(c) for c in rules.criteria],
        clauses=[clause_out(c) for c in rules.clauses],
        updated_at=rules.updated_at,
        updated_by=rules.updated_by,
    )


def _value(value: object) -> str | bool | None:
    if value is None or isinstance(value, bool):
        return value
    return str(value)


def result_out(result: CriterionResult) -> ResultOut:
    """The API form of one criterion's result."""
    stored = result.criterion.to_json()
    return ResultOut(**stored, value=_value(result.value), outcome=result.outcome.value)


def verdict_out(verdict: Verdict, name: str) -> VerdictOut:
    """The API form of a verdict."""
    return VerdictOut(
        supplier_id=verdict.supplier_id,
        name=name,
        member=verdict.member,
        year=verdict.year,
        rules_version=verdict.rules_version,
        admitted=verdict.admitted,
        results=[result_out(r) for r in verdict.results],
    )


@router.put("/chains/{chain_master_id}/admission-rules", response_model=RulesOut)
def put_rules(
    request: Request,
    chain_master_id: uuid.UUID,
    body: RulesIn,
    actor: Annotated[Principal, signed_in],
) -> RulesOut:
    """Store a new version of the rules (the chain master's users or admins; versions kept)."""
    criteria = criteria_from_json(body.criteria)
    clauses = clauses_from_json(body.clauses)
    rules = context_of(request).admission.set_rules(
        actor, chain_master_id, criteria, clauses, body.year_basis
    )
    return rules_out(rules)


@router.get("/chains/{chain_master_id}/admission-rules", response_model=RulesOut)
def get_rules(
    request: Request,
    chain_master_id: uuid.UUID,
    actor: Annotated[Principal, signed_in],
    version: Annotated[int | None, Query(ge=1)] = None,
) -> RulesOut:
    """The newest rules (or one version): any signed-in user may read a chain's standards."""
    return rules_out(context_of(request).admission.rules(chain_master_id, version))


@router.get("/chains/{chain_master_id}/admission-rules/versions", response_model=list[RulesOut])
def rule_versions(
    request: Request, chain_master_id: uuid.UUID, actor: Annotated[Principal, signed_in]
) -> list[RulesOut]:
    """Every version of the rules, newest first."""
    return [rules_out(r) for r in context_of(request).admission.history(chain_master_id)]


@router.get("/chains/{chain_master_id}/admission", response_model=CheckOut)
def check(
    request: Request,
    chain_master_id: uuid.UUID,
    actor: Annotated[Principal, signed_in],
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    candidate: Annotated[list[uuid.UUID] | None, Query(max_length=MAX_CANDIDATES)] = None,
) -> CheckOut:
    """Each supplier's verdict for a year (default: the rules' year basis).

    The chain master's users, regulators over it and admins see every supplier and may add
    `candidate` firms; a supplier's own users see its verdict only.
    """
    context = context_of(request)
    verdicts = context.admission.check(actor, chain_master_id, year, candidate or ())
    rules = context.admission.rules(chain_master_id)
    names = context.organizations.many(v.supplier_id for v in verdicts)
    chosen = verdicts[0].year if verdicts else (year or context.admission.default_year(rules))
    return CheckOut(
        chain_master_id=chain_master_id,
        year=chosen,
        rules_version=verdicts[0].rules_version if verdicts else rules.version,
        admitted=sum(1 for v in verdicts if v.admitted),
        suppliers=[verdict_out(v, names[v.supplier_id].name) for v in verdicts],
    )
