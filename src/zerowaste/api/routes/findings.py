"""Custodial capture (the platform signs) and the inspections projected for a site."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from zerowaste.api.routes.events import CaptureOut, CaptureResultOut
from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.domain.inspections import Inspection
from zerowaste.errors import NotFound
from zerowaste.services.capture import MAX_EVENTS_PER_CAPTURE

router = APIRouter(tags=["events"])


class CustodialIn(BaseModel):
    """Unsigned `zerowaste.event/1` documents; each is signed with its organization's stored key."""

    events: list[dict[str, Any]] = Field(min_length=1, max_length=MAX_EVENTS_PER_CAPTURE)


class InspectionLineOut(BaseModel):
    """One count: a batch or a waste code, counted against ledger stock at the site."""

    batch_id: uuid.UUID | None
    waste_code: str | None
    counted_kg: str = Field(description="Kilograms counted, a decimal string")
    ledger_kg: str = Field(description="Kilograms the ledger held there at capture")
    gap_kg: str = Field(description="Counted minus ledger; negative: less found")


class InspectionOut(BaseModel):
    """An inspection of a site, its counts and observed conditions."""

    event_id: uuid.UUID
    site_id: uuid.UUID
    site_organization_id: uuid.UUID
    inspector_id: uuid.UUID = Field(description="The organization that signed the inspection")
    inspected_at: datetime
    conditions: list[str]
    note: str
    user_id: uuid.UUID | None
    total_gap_kg: str
    lines: list[InspectionLineOut]


def _kg(mass: Any) -> str:
    return format(mass, "f")


def inspection_out(inspection: Inspection) -> InspectionOut:
    """The API form of an inspection."""
    return InspectionOut(
        event_id=inspection.event_id,
        site_id=inspection.site_id,
        site_organization_id=inspection.site_organization_id,
        inspector_id=inspection.inspector_id,
        inspected_at=inspection.inspected_at,
        conditions=list(inspection.conditions),
        note=inspection.note,
        user_id=inspection.user_id,
        total_gap_kg=_kg(inspection.total_gap_kg),
        lines=[
            InspectionLineOut(
                batch_id=line.batch_id,
                waste_code=line.waste_code,
                counted_kg=_kg(line.counted_kg),
                ledger_kg=_kg(line.ledger_kg),
                gap_kg=_kg(line.gap_kg),
            )
            for line in inspection.lines
        ],
    )


@router.post("/events/custodial", status_code=201, response_model=CaptureOut)
def capture_custodial(
    request: Request,
    body: CustodialIn,
    actor: Annotated[Principal, Depends(allow(Rule.AUTHENTICATED))],
) -> CaptureOut:
    """Sign unsigned events with the organizations' custodial keys and capture them atomically.

    The caller must act for each event's organization; the signer key and the calling user are
    both recorded. A refusal names the field (`events[i].event....`) and stores nothing.
    """
    results = context_of(request).capture.capture_custodial(actor, body.events)
    return CaptureOut(
        results=[
            CaptureResultOut(event_id=r.event_id, leaf_index=r.leaf_index, status=r.status)
            for r in results
        ]
    )


@router.get(
    "/organizations/{organization_id}/sites/{site_id}/inspections",
    response_model=list[InspectionOut],
)
def site_inspections(
    request: Request,
    organization_id: uuid.UUID,
    site_id: uuid.UUID,
    actor: Annotated[Principal, Depends(allow(Rule.ORGANIZATION))],
) -> list[InspectionOut]:
    """Inspections of one of the organization's sites, newest first, with stock gaps."""
    context = context_of(request)
    site = context.sites.site(site_id)
    if site.organization_id != organization_id:
        raise NotFound(f"no site {site_id} of this organization", field="site_id")
    return [inspection_out(i) for i in context.findings.inspections(actor, site_id)]
