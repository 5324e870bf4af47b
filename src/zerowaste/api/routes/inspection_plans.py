"""Inspection plans: draws and publication by regulators; published plans for anyone."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from zerowaste.api.routes.findings import InspectionOut, inspection_out
from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.oversight.inspection_draw import (
    DEFAULT_BASE_RATE,
    DEFAULT_WHITELISTED_RATE,
    MAX_SEED,
    DrawRates,
    InspectionPlan,
)
from zerowaste.services.inspection_plans import AssignmentResult, PlanView

router = APIRouter(tags=["oversight"])
regulator = Depends(allow(Rule.REGULATOR))
public = [Depends(allow(Rule.PUBLIC))]


class RatesIn(BaseModel):
    """The shares drawn: of whitelisted firms and of the others (high-risk firms always)."""

    whitelisted: Decimal = Field(default=DEFAULT_WHITELISTED_RATE, ge=0, le=1)
    base: Decimal = Field(default=DEFAULT_BASE_RATE, ge=0, le=1)


class DrawIn(BaseModel):
    """A plan to draw: the jurisdiction, the period, optionally the seed and the rates."""

    jurisdiction_code: str = Field(min_length=6, max_length=6)
    period_start: date
    period_end: date
    seed: int | None = Field(default=None, ge=0, le=MAX_SEED, description="Random if absent")
    rates: RatesIn = Field(default_factory=RatesIn)


class AssignmentOut(BaseModel):
    """A drawn firm, why, its inspector, and (in a plan's view) its result."""

    organization_id: uuid.UUID
    reason: str = Field(description="random or high_risk")
    inspector_user_id: uuid.UUID | None = Field(description="Absent on the public page")
    organization_name: str | None = None
    credit_code: str | None = None
    inspector_name: str | None = None
    status: str | None = Field(default=None, description="drawn, done or missed")
    inspection: InspectionOut | None = None
    gap_alert_ids: list[uuid.UUID] = Field(default_factory=list)


class PlanOut(BaseModel):
    """An inspection plan: period, rates, seed and the drawn firms with their inspectors."""

    plan_id: uuid.UUID
    jurisdiction_code: str
    period_start: date
    period_end: date
    seed: int
    rates: dict[str, str]
    candidates: int = Field(description="How many firms the draw was made from")
    inspectors: int = Field(description="How many regulator users it drew inspectors from")
    created_at: datetime
    action_id: uuid.UUID = Field(description="The signed draw step in the ledger")
    published_at: datetime | None
    reproducible: bool = Field(description="Re-running the draw from the seed gives this plan")
    assignments: list[AssignmentOut]


def _inspection(result: AssignmentResult | None, public: bool) -> InspectionOut | None:
    if result is None or result.inspection is None:
        return None
    found = inspection_out(result.inspection)
    return found.model_copy(update={"user_id": None}) if public else found


def plan_out(
    plan: InspectionPlan, view: PlanView | None = None, *, public: bool = False
) -> PlanOut:
    """The API form of a plan; with a view, every assignment's result too."""
    results = {r.draw.organization_id: r for r in view.results} if view else {}
    assignments = []
    for d in plan.draws:
        r = results.get(d.organization_id)
        assignments.append(
            AssignmentOut(
                organization_id=d.organization_id,
                reason=d.reason.value,
                inspector_user_id=None if public else d.inspector_user_id,
                organization_name=r.organization.name if r else None,
                credit_code=r.organization.credit_code if r else None,
                inspector_name=r.inspector_name if r else None,
                status=r.status.value if r else None,
                inspection=_inspection(r, public),
                gap_alert_ids=list(r.gap_alert_ids) if r else [],
            )
        )
    return PlanOut(
        plan_id=plan.plan_id,
        jurisdiction_code=plan.jurisdiction_code,
        period_start=plan.period_start,
        period_end=plan.period_end,
        seed=plan.seed,
        rates=plan.rates.as_members(),
        candidates=len(plan.candidates),
        inspectors=len(plan.inspectors),
        created_at=plan.created_at,
        action_id=plan.action_id,
        published_at=plan.published_at,
        reproducible=plan.redrawn() == list(plan.draws),
        assignments=assignments,
    )


@router.post("/inspection-plans", status_code=201, response_model=PlanOut)
def draw_plan(request: Request, body: DrawIn, actor: Annotated[Principal, regulator]) -> PlanOut:
    """Draw a plan (双随机): a signed step recording the seed, rates, firms and inspectors."""
    plan = context_of(request).inspection_plans.draw(
        actor,
        body.jurisdiction_code,
        body.period_start,
        body.period_end,
        seed=body.seed,
        rates=DrawRates(body.rates.whitelisted, body.rates.base),
    )
    return plan_out(plan)


@router.get("/inspection-plans", response_model=list[PlanOut])
def list_plans(
    request: Request,
    actor: Annotated[Principal, regulator],
    jurisdiction_code: str | None = None,
) -> list[PlanOut]:
    """The plans of the regulator's (or a named) jurisdiction, newest period first."""
    return [
        plan_out(p) for p in context_of(request).inspection_plans.plans(actor, jurisdiction_code)
    ]


@router.get("/inspection-plans/{plan_id}", response_model=PlanOut)
def get_plan(
    request: Request, plan_id: uuid.UUID, actor: Annotated[Principal, regulator]
) -> PlanOut:
    """A plan with each assignment's inspection, counted-vs-ledger gaps and gap alerts."""
    view = context_of(request).inspection_plans.plan(actor, plan_id)
    return plan_out(view.plan, view)


@router.post("/inspection-plans/{plan_id}/publish", status_code=201, response_model=PlanOut)
def publish_plan(
    request: Request, plan_id: uuid.UUID, actor: Annotated[Principal, regulator]
) -> PlanOut:
    """Publish a plan and its results (一公开): a signed step recording the results."""
    view = context_of(request).inspection_plans.publish(actor, plan_id)
    return plan_out(view.plan, view)


@router.get("/public/inspection-plans", response_model=list[PlanOut], dependencies=public)
def public_plans(request: Request) -> list[PlanOut]:
    """The published plans (no sign-in needed), inspectors by name only."""
    return [plan_out(p, public=True) for p in context_of(request).inspection_plans.public_plans()]


@router.get("/public/inspection-plans/{plan_id}", response_model=PlanOut, dependencies=public)
def public_plan(request: Request, plan_id: uuid.UUID) -> PlanOut:
    """A published plan with its results; inspectors by name only."""
    view = context_of(request).inspection_plans.public_plan(plan_id)
    return plan_out(view.plan, view, public=True)
