"""The whitelist: candidates and signed changes for regulators, the public list for anyone."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from zerowaste.api.routes.risk import RiskOut, risk_out
from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.domain.alerts import MAX_REASON_CHARS
from zerowaste.domain.organizations import Organization
from zerowaste.oversight.whitelist import CRITERIA, WhitelistAction, WhitelistEntry
from zerowaste.services.risk import FirmRisk
from zerowaste.services.whitelist import Candidate

router = APIRouter(tags=["oversight"])
regulator = Depends(allow(Rule.REGULATOR))


class CriterionOut(BaseModel):
    """One criterion: what it demands, whether the firm meets it, the deciding figure."""

    criterion: str
    demands: str
    met: bool
    detail: str


class EntryOut(BaseModel):
    """A firm's latest whitelist step."""

    organization_id: uuid.UUID
    state: str
    changed_at: datetime
    changed_by: uuid.UUID | None
    reason: str
    action_id: uuid.UUID = Field(description="The signed step in the ledger")


class CandidateOut(BaseModel):
    """A firm against the whitelist criteria."""

    organization_id: uuid.UUID
    name: str
    credit_code: str
    region_code: str
    eligible: bool
    listed: bool
    criteria: list[CriterionOut]
    risk: RiskOut
    entry: EntryOut | None


class ReasonIn(BaseModel):
    """The reason for a whitelist change (required)."""

    reason: str = Field(max_length=MAX_REASON_CHARS)


class PublicEntryOut(BaseModel):
    """A whitelisted firm on the public list."""

    organization_id: uuid.UUID
    name: str
    name_en: str | None
    credit_code: str
    region_code: str
    since: date


def entry_out(entry: WhitelistEntry) -> EntryOut:
    """The API form of an entry."""
    return EntryOut(
        organization_id=entry.organization_id,
        state=entry.state.value,
        changed_at=entry.changed_at,
        changed_by=entry.changed_by,
        reason=entry.reason,
        action_id=entry.action_id,
    )


def _candidate_out(c: Candidate) -> CandidateOut:
    o: Organization = c.organization
    return CandidateOut(
        organization_id=o.id,
        name=o.name,
        credit_code=o.credit_code,
        region_code=o.region_code,
        eligible=c.evaluation.eligible,
        listed=c.listed,
        criteria=[
            CriterionOut(
                criterion=r.criterion.value,
                demands=CRITERIA[r.criterion],
                met=r.met,
                detail=r.detail,
            )
            for r in c.evaluation.results
        ],
        risk=risk_out(FirmRisk(o, c.risk)),
        entry=entry_out(c.entry) if c.entry else None,
    )


@router.get("/whitelist/candidates", response_model=list[CandidateOut])
def candidates(
    request: Request,
    actor: Annotated[Principal, regulator],
    jurisdiction_code: str | None = None,
    eligible_only: bool = False,
) -> list[CandidateOut]:
    """Every firm of the jurisdiction against the criteria, eligible first (computed live)."""
    found = context_of(request).whitelist.candidates(
        actor, jurisdiction_code, eligible_only=eligible_only
    )
    return [_candidate_out(c) for c in found]


def _change(
    request: Request, actor: Principal, organization_id: uuid.UUID, action: str, body: ReasonIn
) -> EntryOut:
    service = context_of(request).whitelist
    return entry_out(service.change(actor, organization_id, WhitelistAction(action), body.reason))


@router.post(
    "/organizations/{organization_id}/whitelist/admit", status_code=201, response_model=EntryOut
)
def admit(
    request: Request,
    organization_id: uuid.UUID,
    body: ReasonIn,
    actor: Annotated[Principal, regulator],
) -> EntryOut:
    """Admit a candidate to the whitelist: a signed step with the reason, logged."""
    return _change(request, actor, organization_id, "admit", body)


@router.post(
    "/organizations/{organization_id}/whitelist/remove", status_code=201, response_model=EntryOut
)
def remove(
    request: Request,
    organization_id: uuid.UUID,
    body: ReasonIn,
    actor: Annotated[Principal, regulator],
) -> EntryOut:
    """Remove a firm from the whitelist: a signed step with the reason, logged."""
    return _change(request, actor, organization_id, "remove", body)


@router.get(
    "/public/whitelist",
    response_model=list[PublicEntryOut],
    dependencies=[Depends(allow(Rule.PUBLIC))],
)
def public_whitelist(
    request: Request, jurisdiction_code: str | None = None
) -> list[PublicEntryOut]:
    """The whitelisted firms: name, credit code, region and since when (no sign-in needed)."""
    return [
        PublicEntryOut(
            organization_id=e.organization_id,
            name=e.name,
            name_en=e.name_en,
            credit_code=e.credit_code,
            region_code=e.region_code,
            since=e.since,
        )
        for e in context_of(request).whitelist.listed(jurisdiction_code)
    ]
