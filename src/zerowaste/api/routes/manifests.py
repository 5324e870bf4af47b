"""Transfer manifests (转移联单): signed steps in, read models out."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from zerowaste.api.pagination import page_out, page_request
from zerowaste.api.routes.events import SignatureIn
from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.domain.manifests import ManifestState
from zerowaste.services.manifest_records import manifest_record, manifest_view_record
from zerowaste.services.signed_steps import StepResult

router = APIRouter(tags=["manifests"])
signed_in = Depends(allow(Rule.AUTHENTICATED))


class SignedStepIn(BaseModel):
    """A `zerowaste.manifest/1` (or `zerowaste.approval/1`) document and its signature."""

    document: dict[str, Any] = Field(description="The step document, as signed")
    signature: SignatureIn


class CustodialStepIn(BaseModel):
    """A step document the platform signs with the organization's custodial key."""

    document: dict[str, Any]


class StepOut(BaseModel):
    """What became of a step: newly logged, or logged before by an earlier request."""

    action_id: uuid.UUID
    leaf_index: int
    status: Literal["stored", "already_stored"]


def step_out(result: StepResult) -> StepOut:
    """Serialize a step result."""
    return StepOut(action_id=result.action_id, leaf_index=result.leaf_index, status=result.status)


@router.post("/manifests/steps", status_code=201, response_model=StepOut)
def submit_step(
    request: Request, body: SignedStepIn, actor: Annotated[Principal, signed_in]
) -> StepOut:
    """Log a client-signed manifest step; a refusal names the field and stores nothing.

    Steps: issue, pickup, deliver, receive, reject, close, correct (`zerowaste.manifest/1`).
    """
    result = context_of(request).manifests.submit(actor, body.document, body.signature.model_dump())
    return step_out(result)


@router.post("/manifests/steps/custodial", status_code=201, response_model=StepOut)
def custodial_step(
    request: Request, body: CustodialStepIn, actor: Annotated[Principal, signed_in]
) -> StepOut:
    """Sign a manifest step with the organization's custodial key, then log it."""
    return step_out(context_of(request).manifests.act(actor, body.document))


@router.get("/manifests")
def list_manifests(
    request: Request,
    actor: Annotated[Principal, signed_in],
    organization_id: uuid.UUID | None = None,
    state: ManifestState | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """Manifests by number: a firm's own (any role on them), a regulator's region's, or all."""
    page = context_of(request).manifests.find(
        actor, page_request(cursor, limit), organization_id=organization_id, state=state
    )
    return page_out(page, manifest_record)


@router.get("/manifests/{manifest_id}")
def get_manifest(
    request: Request, manifest_id: uuid.UUID, actor: Annotated[Principal, signed_in]
) -> dict[str, Any]:
    """A manifest's read model, enough for a copy of record.

    State, parties, lines with weighed masses and discrepancies, every signature with key,
    time and leaf, earlier versions, and its captured events.
    """
    return manifest_view_record(context_of(request).manifests.manifest(actor, manifest_id))
