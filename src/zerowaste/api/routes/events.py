"""Capture of signed waste events and the batch and inventory projections they feed."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.domain.genealogy import DEFAULT_TOLERANCE, Direction, Tolerance
from zerowaste.errors import NotFound
from zerowaste.services.capture import MAX_EVENTS_PER_CAPTURE
from zerowaste.services.trace import composition_document, correction_document, trace_document

router = APIRouter(tags=["events"])


def _kg(mass: Decimal) -> str:
    """A mass as a plain decimal string (`800`, never `8E+2`)."""
    return format(mass, "f")


class SignatureIn(BaseModel):
    """An Ed25519 signature over the RFC 8785 canonical bytes of the event document."""

    key_id: str = Field(description="The registered signing key's id")
    algorithm: str = Field(description="Always Ed25519")
    value: str = Field(description="The 64-byte signature, base64")


class SubmissionIn(BaseModel):
    """One signed `zerowaste.event/1` document."""

    event: dict[str, Any]
    signature: SignatureIn


class CaptureIn(BaseModel):
    """Events to capture, all or none."""

    events: list[SubmissionIn] = Field(min_length=1, max_length=MAX_EVENTS_PER_CAPTURE)


class CaptureResultOut(BaseModel):
    """What became of one event: newly stored, or stored already by an earlier request."""

    event_id: uuid.UUID
    leaf_index: int
    status: Literal["stored", "already_stored"]


class CaptureOut(BaseModel):
    """Results in submission order."""

    results: list[CaptureResultOut]


class EventOut(BaseModel):
    """A captured event as signed, with its signature and place in the log."""

    event_id: uuid.UUID
    event_type: str
    event_time: datetime
    organization_id: uuid.UUID
    leaf_index: int
    event: dict[str, Any]
    signature: SignatureIn
    user_id: uuid.UUID | None
    recorded_at: datetime
    discrepancy_kg: str | None = Field(description="Received minus shipped mass, kg")
    correction: dict[str, Any] | None = Field(
        default=None, description="How a later `corrected` event declared this one wrong"
    )


class BatchEventOut(BaseModel):
    """One event of a batch."""

    event_id: uuid.UUID
    event_type: str
    event_time: datetime
    organization_id: uuid.UUID
    leaf_index: int
    role: str
    correction: dict[str, Any] | None = None


class BatchOut(BaseModel):
    """A batch's projected state and its events in log order."""

    batch_id: uuid.UUID
    kind: str
    waste_code: str | None
    holder_id: uuid.UUID
    site_id: uuid.UUID | None
    mass_kg: str = Field(description="Kilograms, a decimal string")
    status: str
    created_at: datetime
    stored_since: datetime
    manifest_id: uuid.UUID | None
    composition: dict[str, Any] | None = Field(
        default=None, description="Lab composition: fractions by component, method, lab, date"
    )
    events: list[BatchEventOut]


class InventoryLineOut(BaseModel):
    """Held stock of one waste code (or output kind) at a site."""

    waste_code: str | None
    kind: str
    batches: int
    mass_kg: str = Field(description="Kilograms, a decimal string")
    oldest_storage_days: int
    batch_ids: list[uuid.UUID]


@router.post("/events", status_code=201, response_model=CaptureOut)
def capture_events(
    request: Request,
    body: CaptureIn,
    actor: Annotated[Principal, Depends(allow(Rule.AUTHENTICATED))],
) -> CaptureOut:
    """Capture client-signed events atomically; a refusal names the field and stores nothing."""
    submissions = [s.model_dump() for s in body.events]
    results = context_of(request).capture.capture(actor, submissions)
    return CaptureOut(
        results=[
            CaptureResultOut(event_id=r.event_id, leaf_index=r.leaf_index, status=r.status)
            for r in results
        ]
    )


@router.get("/events/{event_id}", response_model=EventOut)
def get_event(
    request: Request,
    event_id: uuid.UUID,
    actor: Annotated[Principal, Depends(allow(Rule.AUTHENTICATED))],
) -> EventOut:
    """A captured event, for its organization, that organization's regulators and admins."""
    stored = context_of(request).capture.event(actor, event_id)
    return EventOut(
        event_id=stored.event_id,
        event_type=stored.event_type,
        event_time=stored.event_time,
        organization_id=stored.organization_id,
        leaf_index=stored.leaf_index,
        event=stored.document,
        signature=SignatureIn(**stored.signature.to_json()),
        user_id=stored.user_id,
        recorded_at=stored.recorded_at,
        discrepancy_kg=None if stored.discrepancy_kg is None else _kg(stored.discrepancy_kg),
        correction=correction_document(stored.correction),
    )


@router.get("/batches/{batch_id}", response_model=BatchOut)
def get_batch(
    request: Request,
    batch_id: uuid.UUID,
    actor: Annotated[Principal, Depends(allow(Rule.AUTHENTICATED))],
) -> BatchOut:
    """A batch and its events, for the organizations that handled it and their regulators."""
    view = context_of(request).capture.batch(actor, batch_id)
    b = view.batch
    return BatchOut(
        batch_id=b.batch_id,
        kind=b.kind.value,
        waste_code=b.waste_code,
        holder_id=b.holder_id,
        site_id=b.site_id,
        mass_kg=_kg(b.mass_kg),
        status=b.status.value,
        created_at=b.created_at,
        stored_since=b.stored_since,
        manifest_id=b.manifest_id,
        composition=composition_document(b.composition),
        events=[
            BatchEventOut(
                event_id=e.event_id,
                event_type=e.event_type,
                event_time=e.event_time,
                organization_id=e.organization_id,
                leaf_index=e.leaf_index,
                role=e.role,
                correction=correction_document(view.corrections.get(e.event_id)),
            )
            for e in view.events
        ],
    )


@router.get("/batches/{batch_id}/trace")
def trace_batch(
    request: Request,
    batch_id: uuid.UUID,
    actor: Annotated[Principal, Depends(allow(Rule.AUTHENTICATED))],
    direction: Direction = Direction.BOTH,
    tolerance_kg: Annotated[
        Decimal | None, Query(ge=0, description="Absolute allowance per batch, kg (default 1)")
    ] = None,
    tolerance_relative: Annotated[
        Decimal | None, Query(ge=0, le=1, description="Relative allowance (default 0.005)")
    ] = None,
) -> dict[str, Any]:
    """A batch's genealogy (up, down or both) with every batch's mass balance and fates."""
    tolerance = Tolerance(
        DEFAULT_TOLERANCE.absolute_kg if tolerance_kg is None else tolerance_kg,
        DEFAULT_TOLERANCE.relative if tolerance_relative is None else tolerance_relative,
    )
    trace = context_of(request).trace.trace(
        actor, batch_id, direction=direction, tolerance=tolerance
    )
    return trace_document(trace)


@router.get(
    "/organizations/{organization_id}/sites/{site_id}/inventory",
    response_model=list[InventoryLineOut],
)
def site_inventory(
    request: Request,
    organization_id: uuid.UUID,
    site_id: uuid.UUID,
    actor: Annotated[Principal, Depends(allow(Rule.ORGANIZATION))],
) -> list[InventoryLineOut]:
    """Held stock at one of the organization's sites by waste code, with storage age in days."""
    context = context_of(request)
    site = context.sites.site(site_id)
    if site.organization_id != organization_id:
        raise NotFound(f"no site {site_id} of this organization", field="site_id")
    return [
        InventoryLineOut(
            waste_code=line.waste_code,
            kind=line.kind,
            batches=line.batches,
            mass_kg=_kg(line.mass_kg),
            oldest_storage_days=line.oldest_storage_days,
            batch_ids=line.batch_ids,
        )
        for line in context.capture.inventory(actor, site_id)
    ]
