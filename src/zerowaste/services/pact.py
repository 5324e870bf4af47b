"""PACT v3 exchange: data recipients' clients and tokens, footprints published to them, events.

Tokens are signed, not stored: `itsdangerous` signs `{client id, expiry}` with the session
secret (salted for this use), so issuing one writes nothing and checking one costs a signature
check plus one read of the client row, which is where revocation takes effect at once. Expiry
is read against the injected clock, so it is testable and the same on every worker.
"""

from __future__ import annotations

import secrets as token_bytes
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer

from zerowaste.adapters import secrets
from zerowaste.adapters.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from zerowaste.adapters.exporters.pact import DataOwner, export_footprint
from zerowaste.adapters.exporters.pact_events import (
    REQUEST_CREATED,
    REQUEST_FULFILLED,
    REQUEST_REJECTED,
    RequestCriteria,
    parse_event,
)
from zerowaste.adapters.exporters.pact_vocabulary import REGION, SUBREGION
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.footprints import ProductFootprint
from zerowaste.domain.ids import new_id
from zerowaste.domain.organizations import Organization
from zerowaste.domain.pact import FootprintFacets, FootprintFilter, PactClient, PactEvent
from zerowaste.errors import (
    Forbidden,
    InvalidInput,
    NoSuchFootprint,
    NotFound,
    PactAccessDenied,
    PactBadRequest,
    PactClientNotFound,
    PactInvalidClient,
    PactTokenExpired,
    PactTokenInvalid,
)

TOKEN_SECONDS = 3600
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
_SALT = "zerowaste.pact.token/1"
_PAGE = 500


@dataclass(frozen=True, slots=True)
class AccessToken:
    """An OAuth2 bearer token and how many seconds it lives."""

    access_token: str
    expires_in: int


@dataclass(frozen=True, slots=True)
class FootprintPage:
    """One page of ListFootprints and whether more follow."""

    documents: list[dict[str, Any]]
    more: bool


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def criteria_of(request: RequestCriteria) -> FootprintFilter:
    """The ListFootprints filter a RequestCreated event's data asks for."""
    return FootprintFilter(
        product_ids=tuple(request.productId or ()),
        company_ids=tuple(request.companyId or ()),
        geographies=tuple(request.geography or ()),
        classifications=tuple(request.classification or ()),
        status=request.status,
        valid_on=_instant(request.validOn) if request.validOn else None,
        valid_after=_instant(request.validAfter) if request.validAfter else None,
        valid_before=_instant(request.validBefore) if request.validBefore else None,
    )


def facets(document: dict[str, Any]) -> FootprintFacets:
    """What the ListFootprints filters read in an exported footprint."""
    pcf = document["pcf"]
    places = [pcf.get("geographyCountrySubdivision"), pcf.get("geographyCountry")]
    place = next(p for p in places if p)
    geographies = (place, place[:2], SUBREGION, REGION)
    return FootprintFacets(
        product_ids=tuple(document["productIds"]),
        company_ids=tuple(document["companyIds"]),
        geographies=geographies,
        classifications=tuple(document.get("productClassifications", ())),
        status=document["status"],
        valid_from=_instant(document["validityPeriodStart"]),
        valid_until=_instant(document["validityPeriodEnd"]),
    )


class PactService:
    """Clients, tokens, published footprints and received events of the PACT v3 API."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Callable[[], datetime],
        signing_secret: str,
        token_seconds: int = TOKEN_SECONDS,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._signer = URLSafeSerializer(signing_secret, salt=_SALT)
        self._token_seconds = token_seconds

    # -- the data owner's side: clients and exports -----------------------------------------

    def _owned(
        self, uow: UnitOfWork, actor: Principal, organization_id: uuid.UUID, *, read: bool = False
    ) -> None:
        """Only the firm's users and admins manage clients; its regulators may look."""
        organization = uow.organizations.get(organization_id)
        if organization is None:
            raise NotFound(f"no organization {organization_id}", field="organization_id")
        if read and actor.acts_for(organization.id, organization.region_code):
            return
        if actor.role is not UserRole.ADMIN and actor.organization_id != organization_id:
            raise Forbidden("only the firm's own users or an administrator manage its clients")

    def register_client(
        self, actor: Principal, organization_id: uuid.UUID, name: str
    ) -> tuple[PactClient, str]:
        """Admit a data recipient; returns the client and its secret (shown once, not kept)."""
        if not name.strip():
            raise InvalidInput("must not be empty", field="name")
        if len(name.strip()) > 200:
            raise InvalidInput("must be at most 200 characters", field="name")
        token, prefix, secret_hash = secrets.new_api_key_secret()
        parts = secrets.split_api_key(token)
        assert parts is not None
        client = PactClient(
            client_id=f"pact_{prefix}",
            organization_id=organization_id,
            name=name.strip(),
            created_at=self._clock(),
            created_by=actor.user_id,
        )
        with self._uow() as uow:
            self._owned(uow, actor, organization_id)
            uow.pact.add_client(client, secret_hash)
            uow.commit()
        return client, parts[1]

    def clients(self, actor: Principal, organization_id: uuid.UUID) -> list[PactClient]:
        """The firm's clients, revoked ones included."""
        with self._uow() as uow:
            self._owned(uow, actor, organization_id, read=True)
            return uow.pact.clients_of(organization_id)

    def revoke_client(self, actor: Principal, client_id: str) -> PactClient:
        """Revoke a client: its tokens stop working at once."""
        with self._uow() as uow:
            found = uow.pact.client_with_hash(client_id)
            if found is None:
                raise PactClientNotFound(f"no PACT client {client_id}", field="client_id")
            client = found[0]
            self._owned(uow, actor, client.organization_id)
            if client.revoked_at is not None:
                return client
            at = self._clock()
            uow.pact.revoke_client(client_id, at)
            uow.commit()
        return replace(client, revoked_at=at)

    def _owner(self, organization: Organization) -> DataOwner:
        return DataOwner(organization.id, organization.credit_code, organization.name)

    def _documents(self, uow: UnitOfWork, organization_id: uuid.UUID) -> list[dict[str, Any]]:
        """Every footprint of a firm as PACT documents, newest first."""
        organization = uow.organizations.get(organization_id)
        if organization is None:
            return []
        footprints: list[ProductFootprint] = []
        while batch := uow.footprints.list(
            organization_id=organization_id, limit=_PAGE, offset=len(footprints)
        ):
            footprints += batch
            if len(batch) < _PAGE:
                break
        versions: dict[str, list[ProductFootprint]] = defaultdict(list)
        for footprint in footprints:
            versions[footprint.product_id].append(footprint)
        owner = self._owner(organization)
        documents = []
        for footprint in footprints:
            earlier = sorted(
                (f for f in versions[footprint.product_id] if f.version < footprint.version),
                key=lambda f: f.version,
            )
            documents.append(export_footprint(footprint, owner, [f.id for f in earlier]))
        return documents

    def export(self, actor: Principal, footprint_id: uuid.UUID) -> dict[str, Any]:
        """One footprint as PACT JSON, for its firm, its regulators and administrators."""
        with self._uow() as uow:
            footprint = uow.footprints.get(footprint_id)
            if footprint is None:
                raise NotFound(f"no footprint {footprint_id}", field="footprint_id")
            organization = uow.organizations.get(footprint.organization_id)
            if organization is None or not actor.acts_for(
                organization.id, organization.region_code
            ):
                raise Forbidden("this footprint is not yours to export")
            documents = self._documents(uow, organization.id)
        return next(d for d in documents if d["id"] == str(footprint_id))

    def published(self, actor: Principal, organization_id: uuid.UUID) -> list[dict[str, Any]]:
        """A firm's footprints as PACT documents, newest first."""
        with self._uow() as uow:
            organization = uow.organizations.get(organization_id)
            if organization is None:
                raise NotFound(f"no organization {organization_id}", field="organization_id")
            if not actor.acts_for(organization.id, organization.region_code):
                raise Forbidden("this firm's footprints are not yours to see")
            return self._documents(uow, organization_id)

    def events(self, actor: Principal, organization_id: uuid.UUID) -> list[PactEvent]:
        """Events data recipients posted to a firm, newest first."""
        with self._uow() as uow:
            self._owned(uow, actor, organization_id, read=True)
            return uow.pact.events_of(organization_id)

    def answer(self, actor: Principal, event_row_id: uuid.UUID, source: str) -> dict[str, Any]:
        """The CloudEvent answering a received RequestCreated event, for the firm to send.

        RequestFulfilled with every footprint matching the request's criteria, or
        RequestRejected (`NotFound`) when none does; `source` names this host's events URL.
        """
        with self._uow() as uow:
            event = uow.pact.event(event_row_id)
            if event is None:
                raise NotFound(f"no PACT event {event_row_id}", field="event_id")
            self._owned(uow, actor, event.organization_id, read=True)
            documents = self._documents(uow, event.organization_id)
        if event.event_type != REQUEST_CREATED:
            raise InvalidInput("only a RequestCreated event is answered", field="event_id")
        _, data = parse_event(event.document)
        assert isinstance(data, RequestCriteria)
        wanted = criteria_of(data)
        found = [d for d in documents if wanted.matches(facets(d))]
        envelope: dict[str, Any] = {
            "specversion": "1.0",
            "id": str(new_id()),
            "source": source,
            "time": self._clock().astimezone(UTC).isoformat().replace("+00:00", "Z"),
        }
        if found:
            envelope["type"] = REQUEST_FULFILLED
            envelope["data"] = {"requestEventId": event.event_id, "pfs": found}
        else:
            envelope["type"] = REQUEST_REJECTED
            message = "no footprint of this data owner matches the request"
            envelope["data"] = {
                "requestEventId": event.event_id,
                "error": {"code": "NotFound", "message": message},
            }
        parse_event(envelope)  # what the firm sends obeys what it checks in others' events
        return envelope

    # -- the data recipient's side: tokens, footprints, events -------------------------------

    def issue_token(self, client_id: str, client_secret: str) -> AccessToken:
        """A bearer token for valid, unrevoked client credentials (RFC 6749 4.4)."""
        with self._uow() as uow:
            found = uow.pact.client_with_hash(client_id)
        if found is None:
            secrets.verify_api_key_secret(_dummy_hash(), client_secret)  # same time as a check
            raise PactInvalidClient("unknown client or wrong secret")
        client, secret_hash = found
        if not secrets.verify_api_key_secret(secret_hash, client_secret):
            raise PactInvalidClient("unknown client or wrong secret")
        if not client.active:
            raise PactInvalidClient("the client was revoked")
        expires = self._clock() + timedelta(seconds=self._token_seconds)
        token = self._signer.dumps(
            {"c": client.client_id, "e": expires.timestamp(), "n": token_bytes.token_hex(8)}
        )
        return AccessToken(token, self._token_seconds)

    def authenticate(self, token: str) -> PactClient:
        """The client behind a bearer token, or PactTokenInvalid / PactTokenExpired."""
        try:
            claims = self._signer.loads(token)
            client_id, expires = str(claims["c"]), float(claims["e"])
        except (BadSignature, KeyError, TypeError, ValueError):
            raise PactTokenInvalid("the access token is not one this host issued") from None
        if expires <= self._clock().timestamp():
            raise PactTokenExpired("the access token has expired; request a new one")
        with self._uow() as uow:
            found = uow.pact.client_with_hash(client_id)
        if found is None or not found[0].active:
            raise PactTokenInvalid("the token's client was revoked")
        return found[0]

    def list_footprints(
        self, client: PactClient, criteria: FootprintFilter, limit: int, offset: int
    ) -> FootprintPage:
        """The owner's footprints matching `criteria`, `limit` from `offset` on."""
        with self._uow() as uow:
            documents = self._documents(uow, client.organization_id)
        matching = [d for d in documents if criteria.matches(facets(d))]
        return FootprintPage(matching[offset : offset + limit], len(matching) > offset + limit)

    def get_footprint(self, client: PactClient, footprint_id: uuid.UUID) -> dict[str, Any]:
        """One footprint, if the client's data owner published it."""
        with self._uow() as uow:
            footprint = uow.footprints.get(footprint_id)
            if footprint is None:
                raise NoSuchFootprint(f"no footprint {footprint_id}", field="id")
            if footprint.organization_id != client.organization_id:
                raise PactAccessDenied("this footprint belongs to another data owner")
            documents = self._documents(uow, client.organization_id)
        return next(d for d in documents if d["id"] == str(footprint_id))

    def receive_event(self, client: PactClient, document: Any) -> tuple[PactEvent, bool]:
        """Validate and store an event; returns it and whether it was new.

        The same event sent again (same source, id and content) is accepted and stored once;
        the same source and id with other content is refused.
        """
        envelope, _ = parse_event(document)
        event = PactEvent(
            id=new_id(),
            client_id=client.client_id,
            organization_id=client.organization_id,
            event_type=envelope.type,
            event_id=envelope.id,
            source=envelope.source,
            event_time=_instant(envelope.time),
            document=dict(document),
            received_at=self._clock(),
        )
        with self._uow() as uow:
            existing = uow.pact.find_event(envelope.source, envelope.id)
            if existing is not None:
                if existing.document != event.document:
                    raise PactBadRequest(
                        f"event id {envelope.id} was already used by {envelope.source}",
                        field="id",
                    )
                return existing, False
            uow.pact.add_event(event)
            uow.commit()
        return event, True


@cache
def _dummy_hash() -> str:
    """A hash to check unknown clients' secrets against, so they cost a real check's time."""
    return secrets.new_api_key_secret()[2]
