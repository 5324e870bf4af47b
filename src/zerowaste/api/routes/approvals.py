"""Cross-province transfer approvals: requests, regulators' decisions, read models."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from zerowaste.api.pagination import page_out, page_request
from zerowaste.api.routes.manifests import CustodialStepIn, SignedStepIn, StepOut, step_out
from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.domain.approvals import ApprovalAction, ApprovalState
from zerowaste.services.manifest_records import approval_record, approval_view_record

router = APIRouter(tags=["approvals"])
signed_in = Depends(allow(Rule.AUTHENTICATED))
regulator = Depends(allow(Rule.REGULATOR))


class DecisionIn(BaseModel):
    """A regulator's decision; the platform signs it with the log's key."""

    note: str = Field(default="", max_length=500)


@router.post("/approvals/steps", status_code=201, response_model=StepOut)
def submit_request(
    request: Request, body: SignedStepIn, actor: Annotated[Principal, signed_in]
) -> StepOut:
    """Log a generator's client-signed approval request."""
    result = context_of(request).approvals.submit(actor, body.document, body.signature.model_dump())
    return step_out(result)


@router.post("/approvals/steps/custodial", status_code=201, response_model=StepOut)
def custodial_request(
    request: Request, body: CustodialStepIn, actor: Annotated[Principal, signed_in]
) -> StepOut:
    """Sign an approval step custodially (a request with the generator's key) and log it."""
    return step_out(context_of(request).approvals.act(actor, body.document))


def _decide(
    request: Request,
    actor: Principal,
    approval_id: uuid.UUID,
    action: ApprovalAction,
    body: DecisionIn,
) -> StepOut:
    result = context_of(request).approvals.decide(actor, approval_id, action, note=body.note)
    return step_out(result)


@router.post("/approvals/{approval_id}/consent", status_code=201, response_model=StepOut)
def consent(
    request: Request,
    approval_id: uuid.UUID,
    body: DecisionIn,
    actor: Annotated[Principal, regulator],
) -> StepOut:
    """The destination province's regulator consents to take the waste in."""
    return _decide(request, actor, approval_id, ApprovalAction.CONSENT, body)


@router.post("/approvals/{approval_id}/approve", status_code=201, response_model=StepOut)
def approve(
    request: Request,
    approval_id: uuid.UUID,
    body: DecisionIn,
    actor: Annotated[Principal, regulator],
) -> StepOut:
    """The origin province's regulator approves (after the destination's consent)."""
    return _decide(request, actor, approval_id, ApprovalAction.APPROVE, body)


@router.post("/approvals/{approval_id}/refuse", status_code=201, response_model=StepOut)
def refuse(
    request: Request,
    approval_id: uuid.UUID,
    body: DecisionIn,
    actor: Annotated[Principal, regulator],
) -> StepOut:
    """Either province's regulator refuses, at its turn."""
    return _decide(request, actor, approval_id, ApprovalAction.REFUSE, body)


@router.get("/approvals")
def list_approvals(
    request: Request,
    actor: Annotated[Principal, signed_in],
    organization_id: uuid.UUID | None = None,
    state: ApprovalState | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """Approvals by number: a firm's (as generator or receiver), a regulator's region's, or all."""
    page = context_of(request).approvals.find(
        actor, page_request(cursor, limit), organization_id=organization_id, state=state
    )
    return page_out(page, approval_record)


@router.get("/approvals/{approval_id}")
def get_approval(
    request: Request, approval_id: uuid.UUID, actor: Annotated[Principal, signed_in]
) -> dict[str, Any]:
    """An approval: terms, state, what manifests drew, and every signed step."""
    return approval_view_record(context_of(request).approvals.approval(actor, approval_id))
