"""A firm's side of PACT under /api/v1: its data recipients' clients, events, PACT exports."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.domain.pact import PactClient, PactEvent

router = APIRouter(tags=["pact"])


class PactClientIn(BaseModel):
    """A data recipient to admit."""

    name: str = Field(min_length=1, max_length=200, description="Who the data recipient is")


class PactClientOut(BaseModel):
    """A client's public facts (never its secret)."""

    client_id: str
    organization_id: uuid.UUID
    name: str
    created_at: datetime
    revoked_at: datetime | None

    @classmethod
    def of(cls, client: PactClient) -> PactClientOut:
        """Serialize a domain client."""
        return cls(
            client_id=client.client_id,
            organization_id=client.organization_id,
            name=client.name,
            created_at=client.created_at,
            revoked_at=client.revoked_at,
        )


class PactClientIssued(PactClientOut):
    """A new client with its secret, shown this once."""

    client_secret: str
    token_url: str


class PactEventOut(BaseModel):
    """A CloudEvent a data recipient posted, as received."""

    id: uuid.UUID
    client_id: str
    event_type: str
    event_id: str
    source: str
    event_time: datetime
    received_at: datetime
    document: dict[str, Any]

    @classmethod
    def of(cls, event: PactEvent) -> PactEventOut:
        """Serialize a domain event."""
        return cls(
            id=event.id,
            client_id=event.client_id,
            event_type=event.event_type,
            event_id=event.event_id,
            source=event.source,
            event_time=event.event_time,
            received_at=event.received_at,
            document=event.document,
        )


@router.post(
    "/organizations/{organization_id}/pact/clients",
    status_code=201,
    response_model=PactClientIssued,
)
def add_client(
    request: Request,
    organization_id: uuid.UUID,
    body: PactClientIn,
    actor: Annotated[Principal, Depends(allow(Rule.ORGANIZATION))],
) -> PactClientIssued:
    """Admit a data recipient to the firm's footprints; the secret is returned only here."""
    client, secret = context_of(request).pact.register_client(actor, organization_id, body.name)
    token_url = str(request.base_url).rstrip("/") + "/pact/auth/token"
    out = PactClientOut.of(client).model_dump()
    return PactClientIssued(**out, client_secret=secret, token_url=token_url)


@router.get("/organizations/{organization_id}/pact/clients", response_model=list[PactClientOut])
def list_clients(
    request: Request,
    organization_id: uuid.UUID,
    actor: Annotated[Principal, Depends(allow(Rule.ORGANIZATION))],
) -> list[PactClientOut]:
    """The firm's PACT clients, revoked ones included."""
    clients = context_of(request).pact.clients(actor, organization_id)
    return [PactClientOut.of(c) for c in clients]


@router.post("/pact/clients/{client_id}/revoke", response_model=PactClientOut)
def revoke_client(
    request: Request,
    client_id: str,
    actor: Annotated[Principal, Depends(allow(Rule.AUTHENTICATED))],
) -> PactClientOut:
    """Revoke a client of the caller's firm: its tokens stop working at once."""
    return PactClientOut.of(context_of(request).pact.revoke_client(actor, client_id))


@router.get("/organizations/{organization_id}/pact/events", response_model=list[PactEventOut])
def list_events(
    request: Request,
    organization_id: uuid.UUID,
    actor: Annotated[Principal, Depends(allow(Rule.ORGANIZATION))],
) -> list[PactEventOut]:
    """The CloudEvents data recipients posted to the firm, newest first."""
    return [PactEventOut.of(e) for e in context_of(request).pact.events(actor, organization_id)]


@router.get("/footprints/{footprint_id}/pact")
def export_footprint(
    request: Request,
    footprint_id: uuid.UUID,
    actor: Annotated[Principal, Depends(allow(Rule.AUTHENTICATED))],
) -> dict[str, Any]:
    """One footprint as a PACT v3 ProductFootprint (for its firm, regulators, admins)."""
    return context_of(request).pact.export(actor, footprint_id)


@router.get("/pact/events/{event_id}/answer")
def answer_event(
    request: Request,
    event_id: uuid.UUID,
    actor: Annotated[Principal, Depends(allow(Rule.AUTHENTICATED))],
) -> dict[str, Any]:
    """The RequestFulfilled (or RequestRejected) CloudEvent answering a RequestCreated one."""
    source = str(request.base_url).rstrip("/") + "/pact/3/events"
    return context_of(request).pact.answer(actor, event_id, source)
