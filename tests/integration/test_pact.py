"""PACT v3 on both backends: clients, tokens and their expiry, footprints, events stored once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.factories import OPERATOR, Factory
from tests.pact_support import footprint
from zerowaste.adapters.exporters.pact_events import (
    REQUEST_CREATED,
    REQUEST_FULFILLED,
    REQUEST_REJECTED,
)
from zerowaste.bootstrap import Context
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.footprints import FootprintStatus
from zerowaste.domain.pact import FootprintFilter
from zerowaste.errors import (
    Forbidden,
    InvalidInput,
    NoSuchFootprint,
    NotFound,
    PactAccessDenied,
    PactBadRequest,
    PactClientNotFound,
    PactDocumentInvalid,
    PactInvalidClient,
    PactTokenExpired,
    PactTokenInvalid,
)
from zerowaste.services.pact import TOKEN_SECONDS


def store(context: Context, organization_id: uuid.UUID, **changes: Any) -> uuid.UUID:
    product = changes.pop("product_id", "AL-INGOT-R1")
    with context.unit_of_work() as uow:
        version = uow.footprints.next_version(product)
        made = footprint(organization_id, product_id=product, version=version, **changes)
        uow.footprints.add(made)
        uow.commit()
    return made.id


def test_clients_are_registered_listed_and_revoked(context: Context, factory: Factory) -> None:
    firm = factory.organization()
    user = factory.user(UserRole.FIRM, organization=firm)
    client, secret = context.pact.register_client(user, firm.id, " 采购方 Buyer ")
    assert client.client_id.startswith("pact_")
    assert client.name == "采购方 Buyer"
    assert len(secret) >= 32
    with context.unit_of_work() as uow:
        stored = uow.pact.client_with_hash(client.client_id)
    assert stored is not None
    assert secret not in stored[1]
    assert stored[1].startswith("$argon2id$")
    assert [c.client_id for c in context.pact.clients(user, firm.id)] == [client.client_id]
    assert context.pact.clients(OPERATOR, firm.id)[0].created_by == user.user_id
    revoked = context.pact.revoke_client(user, client.client_id)
    assert revoked.revoked_at == context.clock()
    with pytest.raises(PactClientNotFound):
        context.pact.revoke_client(user, "pact_nobody")
    with pytest.raises(InvalidInput):
        context.pact.register_client(user, firm.id, "  ")


def test_only_the_firm_or_an_admin_manages_its_clients(context: Context, factory: Factory) -> None:
    firm, other = factory.organization(), factory.organization()
    outsider = factory.user(UserRole.FIRM, organization=other)
    regulator = factory.user(UserRole.REGULATOR, jurisdiction_code="320500")
    for actor in (outsider, regulator):
        with pytest.raises(Forbidden):
            context.pact.register_client(actor, firm.id, "x")
    client, _ = context.pact.register_client(OPERATOR, firm.id, "admin made")
    with pytest.raises(Forbidden):
        context.pact.revoke_client(outsider, client.client_id)
    assert context.pact.clients(OPERATOR, firm.id) == [client]


def test_tokens_authenticate_expire_and_die_with_their_client(
    context: Context, factory: Factory
) -> None:
    firm = factory.organization()
    client, secret = context.pact.register_client(OPERATOR, firm.id, "buyer")
    issued = context.pact.issue_token(client.client_id, secret)
    assert issued.expires_in == TOKEN_SECONDS
    assert context.pact.authenticate(issued.access_token) == client
    with pytest.raises(PactInvalidClient):
        context.pact.issue_token(client.client_id, secret + "x")
    with pytest.raises(PactInvalidClient):
        context.pact.issue_token("pact_unknown", secret)
    with pytest.raises(PactTokenInvalid):
        context.pact.authenticate(issued.access_token[:-2] + "xx")
    clock = context.clock
    clock.now += timedelta(seconds=TOKEN_SECONDS - 1)  # type: ignore[attr-defined]
    assert context.pact.authenticate(issued.access_token) == client
    clock.now += timedelta(seconds=1)  # type: ignore[attr-defined]
    with pytest.raises(PactTokenExpired):
        context.pact.authenticate(issued.access_token)
    fresh = context.pact.issue_token(client.client_id, secret)
    context.pact.revoke_client(OPERATOR, client.client_id)
    with pytest.raises(PactTokenInvalid):
        context.pact.authenticate(fresh.access_token)
    with pytest.raises(PactInvalidClient):
        context.pact.issue_token(client.client_id, secret)


def test_footprints_are_served_to_their_owners_clients_only(
    context: Context, factory: Factory
) -> None:
    firm, other = factory.organization(), factory.organization(region_code="330402")
    first = store(context, firm.id)
    second = store(context, firm.id, created=datetime(2026, 4, 1, tzinfo=UTC))  # deprecates it
    theirs = store(context, other.id, product_id="CEMENT-1", geography_region_code="330402")
    client, _ = context.pact.register_client(OPERATOR, firm.id, "buyer")
    page = context.pact.list_footprints(client, FootprintFilter(), 10, 0)
    assert [d["id"] for d in page.documents] == [str(second), str(first)]  # newest first
    by_id = {d["id"]: d for d in page.documents}
    assert by_id[str(first)]["status"] == FootprintStatus.DEPRECATED.value
    assert by_id[str(second)]["precedingPfIds"] == [str(first)]
    active = context.pact.list_footprints(client, FootprintFilter(status="Active"), 10, 0)
    assert [d["id"] for d in active.documents] == [str(second)]
    one = context.pact.list_footprints(client, FootprintFilter(), 1, 0)
    assert len(one.documents) == 1
    assert one.more
    assert not context.pact.list_footprints(client, FootprintFilter(), 1, 1).more
    assert context.pact.get_footprint(client, second)["id"] == str(second)
    with pytest.raises(PactAccessDenied):
        context.pact.get_footprint(client, theirs)
    with pytest.raises(NoSuchFootprint):
        context.pact.get_footprint(client, uuid.uuid4())
    outsider = factory.user(UserRole.FIRM, organization=other)
    with pytest.raises(Forbidden):
        context.pact.export(outsider, second)
    assert context.pact.export(OPERATOR, second)["pcf"]["geographyCountrySubdivision"] == "CN-JS"


def published(pf_id: str, event_id: str = "evt-1") -> dict[str, Any]:
    return {
        "type": "org.wbcsd.pact.ProductFootprint.PublishedEvent.3",
        "specversion": "1.0",
        "id": event_id,
        "source": "//api.buyer.example/3/events",
        "time": "2026-05-31T17:31:00Z",
        "data": {"pfIds": [pf_id]},
    }


def test_events_are_validated_and_stored_once(context: Context, factory: Factory) -> None:
    firm = factory.organization()
    client, _ = context.pact.register_client(OPERATOR, firm.id, "buyer")
    document = published(str(uuid.uuid4()))
    event, new = context.pact.receive_event(client, document)
    assert new
    assert event.document == document
    assert event.organization_id == firm.id
    again, new = context.pact.receive_event(client, dict(document))
    assert not new
    assert again.id == event.id
    with pytest.raises(PactBadRequest) as raised:
        context.pact.receive_event(client, published(str(uuid.uuid4())))
    assert raised.value.field == "id"
    with pytest.raises(PactDocumentInvalid):
        context.pact.receive_event(client, {**published("x", "evt-2"), "data": {"pfIds": ["x"]}})
    stored = context.pact.events(OPERATOR, firm.id)
    assert [(e.event_type, e.event_id, e.source) for e in stored] == [
        (document["type"], "evt-1", document["source"])
    ]


def request_created(data: dict[str, Any], event_id: str = "req-1") -> dict[str, Any]:
    return {**published("x", event_id), "type": REQUEST_CREATED, "data": data}


def test_a_request_is_answered_with_matching_footprints_or_rejected(
    context: Context, factory: Factory
) -> None:
    firm = factory.organization()
    wanted = store(context, firm.id)
    store(context, firm.id, product_id="OTHER")
    client, _ = context.pact.register_client(OPERATOR, firm.id, "buyer")
    asked, _ = context.pact.receive_event(
        client, request_created({"productId": ["urn:zerowaste:product:AL-INGOT-R1"]})
    )
    source = "https://host.example/pact/3/events"
    fulfilled = context.pact.answer(OPERATOR, asked.id, source)
    assert fulfilled["type"] == REQUEST_FULFILLED
    assert fulfilled["source"] == source
    assert fulfilled["data"]["requestEventId"] == "req-1"
    assert [pf["id"] for pf in fulfilled["data"]["pfs"]] == [str(wanted)]
    nothing, _ = context.pact.receive_event(
        client, request_created({"geography": ["DE"]}, event_id="req-2")
    )
    rejected = context.pact.answer(OPERATOR, nothing.id, source)
    assert rejected["type"] == REQUEST_REJECTED
    assert rejected["data"]["error"]["code"] == "NotFound"
    other_event, _ = context.pact.receive_event(client, published(str(uuid.uuid4()), "pub-9"))
    with pytest.raises(InvalidInput):
        context.pact.answer(OPERATOR, other_event.id, source)
    with pytest.raises(NotFound):
        context.pact.answer(OPERATOR, uuid.uuid4(), source)
    outsider = factory.user(UserRole.FIRM, organization=factory.organization())
    with pytest.raises(Forbidden):
        context.pact.answer(outsider, asked.id, source)
