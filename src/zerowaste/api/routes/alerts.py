"""Oversight over REST: the rules, alerts with evidence and receipts, the workflow, sweeps."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from zerowaste.api.pagination import page_out, page_request
from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.domain.alerts import (
    MAX_REASON_CHARS,
    Alert,
    AlertAction,
    AlertState,
    AlertStep,
    alert_fields,
)
from zerowaste.errors import InvalidInput
from zerowaste.oversight.rules import RuleSpec, Severity, rule

router = APIRouter(tags=["oversight"])
signed_in = Depends(allow(Rule.AUTHENTICATED))
regulator = Depends(allow(Rule.REGULATOR))
administrator = Depends(allow(Rule.ADMIN))


class RuleOut(BaseModel):
    """A rule of the registry with the parameters in force."""

    rule_id: str
    name_zh: str
    name_en: str
    explanation_zh: str
    explanation_en: str
    severity: str
    legal_basis: str
    level: str = Field(description="`capture` (run on every capture) or `sweep` (periodic)")
    stage: str | None = Field(description="The exemptible stage it checks (exemptions honoured)")
    parameters: dict[str, str]


class AlertOut(BaseModel):
    """An alert: the rule broken, by whom, the explanation, the figures and the evidence."""

    alert_id: uuid.UUID
    number: str
    rule_id: str
    severity: str
    state: str
    organization_id: uuid.UUID
    region_code: str
    site_id: uuid.UUID | None
    manifest_id: uuid.UUID | None
    raised_at: datetime
    observed_at: datetime
    updated_at: datetime
    explanation_zh: str
    explanation_en: str
    figures: dict[str, str]
    event_ids: list[uuid.UUID] = Field(description="Evidence events (receipts at /receipts)")
    batch_ids: list[uuid.UUID]
    reason: str
    closed_by: uuid.UUID | None


class StepOut(BaseModel):
    """One signed step of an alert's history, as the log holds it."""

    action: str
    action_time: datetime
    leaf_index: int
    user_id: uuid.UUID | None
    jurisdiction_code: str | None
    reason: str
    state_after: str


class EvidenceOut(BaseModel):
    """An evidence event as stored."""

    event_id: uuid.UUID
    event_type: str
    event_time: datetime
    organization_id: uuid.UUID
    site_id: uuid.UUID | None
    leaf_index: int
    recorded_at: datetime


class AlertDetailOut(AlertOut):
    """An alert with its history rebuilt from the log and its evidence events."""

    history: list[StepOut]
    evidence: list[EvidenceOut]


class ActIn(BaseModel):
    """A regulator's step on an alert; resolving or dismissing needs a reason."""

    reason: str = Field(default="", max_length=MAX_REASON_CHARS)


class SweepOut(BaseModel):
    """What one sweep found and raised."""

    sweep_id: uuid.UUID
    as_of: datetime
    findings: int
    raised: int
    by_rule: dict[str, int]
    raised_by_rule: dict[str, int]
    seconds: float


class SweepIn(BaseModel):
    """Sweep as of an instant (default now), over some rules (default all)."""

    as_of: datetime | None = None
    rule_ids: list[str] | None = None


def rule_out(spec: RuleSpec, parameters: dict[str, str]) -> RuleOut:
    """The API form of a rule."""
    return RuleOut(
        rule_id=spec.rule_id,
        name_zh=spec.name_zh,
        name_en=spec.name_en,
        explanation_zh=spec.explanation_zh,
        explanation_en=spec.explanation_en,
        severity=spec.severity.value,
        legal_basis=spec.legal_basis,
        level=spec.level.value,
        stage=spec.stage.value if spec.stage else None,
        parameters=parameters,
    )


def alert_out_fields(alert: Alert) -> dict[str, Any]:
    """The members of an alert's API form."""
    return {
        **alert_fields(alert),
        "number": alert.label,
        "event_ids": list(alert.event_ids),
        "batch_ids": list(alert.batch_ids),
    }


def step_out(step: AlertStep) -> StepOut:
    """The API form of a history step."""
    return StepOut(
        action=step.action.value,
        action_time=step.action_time,
        leaf_index=step.leaf_index,
        user_id=step.user_id,
        jurisdiction_code=step.jurisdiction_code,
        reason=step.reason,
        state_after=step.state_after.value,
    )


@router.get("/oversight/rules", response_model=list[RuleOut])
def rules(request: Request, _: Annotated[Principal | None, Depends(allow(Rule.PUBLIC))]) -> Any:
    """The published rulebook: every rule, its legal basis and the parameters in force."""
    return [rule_out(v.spec, v.parameters) for v in context_of(request).oversight.rules()]


@router.get("/oversight/rules/{rule_id}", response_model=RuleOut)
def one_rule(
    request: Request, rule_id: str, _: Annotated[Principal | None, Depends(allow(Rule.PUBLIC))]
) -> Any:
    """One rule of the rulebook."""
    return rule_out(rule(rule_id), context_of(request).oversight.parameters(rule_id))


def _states(values: list[str] | None) -> list[AlertState] | None:
    if not values:
        return None
    try:
        return [AlertState(v) for v in values]
    except ValueError:
        allowed = ", ".join(s.value for s in AlertState)
        raise InvalidInput(f"must be one of {allowed}", field="state") from None


def _severity(value: str | None) -> str | None:
    if value is not None and value not in {s.value for s in Severity}:
        raise InvalidInput("must be low, medium or high", field="severity")
    return value


@router.get("/alerts")
def list_alerts(
    request: Request,
    actor: Annotated[Principal, signed_in],
    state: Annotated[list[str] | None, Query()] = None,
    rule_id: str | None = None,
    severity: str | None = None,
    organization_id: uuid.UUID | None = None,
    region_code: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None,
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    """Alerts newest first: a firm user's own, a regulator's jurisdiction's, an admin's all."""
    if rule_id is not None:
        rule(rule_id)
    page = context_of(request).alerts.find(
        actor,
        page_request(cursor, limit),
        organization_id=organization_id,
        states=_states(state),
        rule_id=rule_id,
        severity=_severity(severity),
        region_code=region_code,
    )
    return page_out(page, lambda a: AlertOut(**alert_out_fields(a)).model_dump(mode="json"))


@router.get("/alerts/{alert_id}", response_model=AlertDetailOut)
def get_alert(request: Request, alert_id: uuid.UUID, actor: Annotated[Principal, signed_in]) -> Any:
    """An alert with its signed history and its evidence events."""
    view = context_of(request).alerts.alert(actor, alert_id)
    return AlertDetailOut(
        **alert_out_fields(view.alert),
        history=[step_out(s) for s in view.history],
        evidence=[
            EvidenceOut(
                event_id=e.event_id,
                event_type=e.event_type,
                event_time=e.event_time,
                organization_id=e.organization_id,
                site_id=e.site_id,
                leaf_index=e.leaf_index,
                recorded_at=e.recorded_at,
            )
            for e in view.evidence
        ],
    )


@router.get("/alerts/{alert_id}/receipts")
def alert_receipts(
    request: Request, alert_id: uuid.UUID, actor: Annotated[Principal, signed_in]
) -> dict[str, Any]:
    """The evidence events' receipts; each verifies offline with `zerowaste ledger verify`."""
    receipts = context_of(request).alerts.receipts(actor, alert_id)
    return {"alert_id": str(alert_id), "receipts": [r.to_json() for r in receipts]}


def _act(
    request: Request, actor: Principal, alert_id: uuid.UUID, action: AlertAction, body: ActIn
) -> Any:
    moved = context_of(request).alerts.act(actor, alert_id, action, body.reason)
    return AlertOut(**alert_out_fields(moved))


@router.post("/alerts/{alert_id}/acknowledge", response_model=AlertOut)
def acknowledge(
    request: Request, alert_id: uuid.UUID, body: ActIn, actor: Annotated[Principal, regulator]
) -> Any:
    """A regulator of the alert's jurisdiction takes it up (a signed step)."""
    return _act(request, actor, alert_id, AlertAction.ACKNOWLEDGE, body)


@router.post("/alerts/{alert_id}/resolve", response_model=AlertOut)
def resolve(
    request: Request, alert_id: uuid.UUID, body: ActIn, actor: Annotated[Principal, regulator]
) -> Any:
    """Close the alert as a true breach dealt with; `reason` is required."""
    return _act(request, actor, alert_id, AlertAction.RESOLVE, body)


@router.post("/alerts/{alert_id}/dismiss", response_model=AlertOut)
def dismiss(
    request: Request, alert_id: uuid.UUID, body: ActIn, actor: Annotated[Principal, regulator]
) -> Any:
    """Close the alert as a false positive; `reason` is required."""
    return _act(request, actor, alert_id, AlertAction.DISMISS, body)


@router.post("/oversight/sweeps", status_code=201, response_model=SweepOut)
def sweep(request: Request, body: SweepIn, actor: Annotated[Principal, administrator]) -> Any:
    """Run the sweep now (the server also runs it on its schedule)."""
    report = context_of(request).oversight.sweep(actor, body.as_of, body.rule_ids)
    return SweepOut(**vars(report))


@router.get("/oversight/sweeps")
def sweeps(request: Request, _: Annotated[Principal, regulator]) -> list[dict[str, Any]]:
    """The latest sweep runs, newest first."""
    return [
        {
            "sweep_id": str(s.sweep_id),
            "as_of": s.as_of.isoformat(),
            "started_at": s.started_at.isoformat(),
            "finished_at": s.finished_at.isoformat(),
            "log_size": s.log_size,
            "findings": s.findings,
            "raised": s.raised,
            "by_rule": s.by_rule,
        }
        for s in context_of(request).oversight.latest_sweeps()
    ]
