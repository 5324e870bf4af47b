"""The PACT v3 API end to end: token -> ListFootprints with filters and Link -> Get -> Events."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.factories import OPERATOR, Factory
from tests.pact_support import ERROR, GET_RESPONSE, LIST_RESPONSE, errors, footprint
from zerowaste.bootstrap import Context
from zerowaste.domain.accounts import UserRole
from zerowaste.services.pact import TOKEN_SECONDS


def store(context: Context, organization_id: uuid.UUID, product: str, **changes: Any) -> str:
    with context.unit_of_work() as uow:
        version = uow.footprints.next_version(product)
        made = footprint(organization_id, product_id=product, version=version, **changes)
        uow.footprints.add(made)
        uow.commit()
    return str(made.id)


@pytest.fixture
def world(context: Context, factory: Factory) -> dict[str, Any]:
    firm = factory.organization()
    other = factory.organization(region_code="330402")
    ids = [
        store(context, firm.id, f"P-{i}", created=datetime(2026, 3, 1 + i, tzinfo=UTC))
        for i in range(5)
    ]
    zhejiang = store(context, firm.id, "P-ZJ", geography_region_code="330402")
    foreign = store(context, other.id, "P-OTHER")
    client, secret = context.pact.register_client(OPERATOR, firm.id, "buyer")
    return {
        "ids": ids,
        "zhejiang": zhejiang,
        "foreign": foreign,
        "firm": firm.id,
        "client_id": client.client_id,
        "secret": secret,
    }


def basic(client_id: str, secret: str) -> dict[str, str]:
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def bearer(client: TestClient, world: dict[str, Any]) -> dict[str, str]:
    response = client.post(
        "/pact/auth/token",
        data={"grant_type": "client_credentials"},
        headers=basic(world["client_id"], world["secret"]),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == TOKEN_SECONDS
    assert response.headers["cache-control"] == "no-store"
    return {"Authorization": f"Bearer {body['access_token']}"}


def test_full_client_credentials_flow(
    client: TestClient, factory: Factory, world: dict[str, Any]
) -> None:
    auth = bearer(client, world)
    first = client.get("/pact/3/footprints", params={"limit": 2}, headers=auth)
    assert first.status_code == 200
    assert errors(LIST_RESPONSE, first.json()) == []
    seen = [d["id"] for d in first.json()["data"]]
    assert len(seen) == 2
    link = first.headers["link"]
    assert link.startswith("<http://testserver/pact/3/footprints?")
    assert link.endswith('>; rel="next"')
    url = link[1 : link.index(">")]
    while True:
        page = client.get(url, headers=auth)
        assert page.status_code == 200
        assert len(page.json()["data"]) <= 2
        seen += [d["id"] for d in page.json()["data"]]
        if "link" not in page.headers:
            break
        url = page.headers["link"][1 : page.headers["link"].index(">")]
    assert sorted(seen) == sorted([*world["ids"], world["zhejiang"]])
    assert world["foreign"] not in seen
    got = client.get(f"/pact/3/footprints/{world['ids'][0]}", headers=auth)
    assert got.status_code == 200
    assert errors(GET_RESPONSE, got.json()) == []
    assert got.json()["data"]["id"] == world["ids"][0]
    event = {
        "type": "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3",
        "specversion": "1.0",
        "id": "req-1",
        "source": "//api.buyer.example/3/events",
        "time": "2026-05-31T17:31:00Z",
        "data": {"productId": ["urn:zerowaste:product:P-1"], "geography": ["CN-JS"]},
    }
    posted = client.post(
        "/pact/3/events",
        content=json.dumps(event),
        headers=auth | {"Content-Type": "application/cloudevents+json; charset=UTF-8"},
    )
    assert posted.status_code == 200
    assert posted.content == b""


def test_filters(client: TestClient, world: dict[str, Any]) -> None:
    auth = bearer(client, world)

    def ids(query: str) -> list[str]:
        response = client.get(f"/pact/3/footprints?{query}", headers=auth)
        assert response.status_code == 200, response.text
        return sorted(d["id"] for d in response.json()["data"])

    assert ids("productId=urn:zerowaste:product:P-1&productid=URN:ZEROWASTE:PRODUCT:P-2") == sorted(
        world["ids"][1:3]
    )
    assert ids("geography=CN-ZJ") == [world["zhejiang"]]
    assert ids("geography=CN") == sorted([*world["ids"], world["zhejiang"]])
    assert ids("geography=CN-ZJ&productId=urn:zerowaste:product:P-1") == []
    assert ids("status=Deprecated") == []
    assert len(ids("classification=urn:zerowaste:classification:7601&status=active")) == 6
    assert len(ids("validOn=2027-01-01T00:00:00Z")) == 6
    assert ids("validOn=2025-01-01T00:00:00Z") == []
    assert len(ids("validOn=2027-01-01T08:00:00+08:00".replace("+", "%2B"))) == 6
    assert len(ids("validOn=2027-01-01T08:00:00+08:00")) == 6  # "+" unencoded: a space
    assert len(ids("limit=5000")) == 6  # more than the host serves at once: served in pages
    assert ids("validBefore=2029-01-01T00:00:00Z") == []
    assert len(ids("validAfter=2025-12-31T00:00:00Z&x-zw-note=1")) == 6


@pytest.mark.parametrize(
    "query",
    ["limit=-1", "limit=x", "validOn=tomorrow", "status=Draft", "$filter=x", "offset=a"],
)
def test_bad_parameters_are_pact_bad_requests(
    client: TestClient, world: dict[str, Any], query: str
) -> None:
    response = client.get(f"/pact/3/footprints?{query}", headers=bearer(client, world))
    assert response.status_code == 400
    assert response.json()["code"] == "BadRequest"
    assert errors(ERROR, response.json()) == []


def test_token_errors_follow_rfc_6749(client: TestClient, world: dict[str, Any]) -> None:
    wrong = client.post(
        "/pact/auth/token",
        data={"grant_type": "client_credentials"},
        headers=basic(world["client_id"], "wrong"),
    )
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    assert wrong.headers["www-authenticate"].startswith("Basic")
    form = client.post(
        "/pact/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": world["client_id"],
            "client_secret": world["secret"],
        },
    )
    assert form.status_code == 200
    assert form.json()["access_token"]
    grant = client.post("/pact/auth/token", data={"grant_type": "password"})
    assert grant.status_code == 400
    assert grant.json()["error"] == "unsupported_grant_type"
    missing = client.post("/pact/auth/token", data={})
    assert missing.status_code == 400
    assert missing.json()["error"] == "invalid_request"
    both = client.post(
        "/pact/auth/token",
        data={"grant_type": "client_credentials", "client_id": world["client_id"]},
        headers=basic(world["client_id"], world["secret"]),
    )
    assert both.status_code == 400
    assert both.json()["error"] == "invalid_request"


def test_access_errors(client: TestClient, context: Context, world: dict[str, Any]) -> None:
    auth = bearer(client, world)
    foreign = client.get(f"/pact/3/footprints/{world['foreign']}", headers=auth)
    assert foreign.status_code == 403
    assert foreign.json()["code"] == "AccessDenied"
    assert errors(ERROR, foreign.json()) == []
    missing = client.get(f"/pact/3/footprints/{uuid.uuid4()}", headers=auth)
    assert missing.status_code == 404
    assert missing.json()["code"] == "NotFound"
    malformed = client.get("/pact/3/footprints/not-a-uuid", headers=auth)
    assert malformed.status_code == 400
    assert malformed.json()["code"] == "BadRequest"
    anonymous = client.get("/pact/3/footprints")
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "AccessDenied"
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    forged = client.get("/pact/3/footprints", headers={"Authorization": "Bearer forged"})
    assert forged.status_code == 401
    context.clock.now += timedelta(seconds=TOKEN_SECONDS)  # type: ignore[attr-defined]
    expired = client.get("/pact/3/footprints", headers=auth)
    assert expired.status_code == 401
    assert expired.json()["code"] == "TokenExpired"


def test_events_are_validated(client: TestClient, world: dict[str, Any]) -> None:
    auth = bearer(client, world)
    cloud = auth | {"Content-Type": "application/cloudevents+json"}
    bad = client.post("/pact/3/events", content=b'{"type": "x"}', headers=cloud)
    assert bad.status_code == 400
    assert bad.json()["code"] == "BadRequest"
    assert "specversion" in bad.json()["message"] or "type" in bad.json()["message"]
    not_json = client.post("/pact/3/events", content=b"{", headers=cloud)
    assert not_json.status_code == 400
    text = client.post(
        "/pact/3/events", content=b"{}", headers=auth | {"Content-Type": "text/plain"}
    )
    assert text.status_code == 400
    published = {
        "type": "org.wbcsd.pact.ProductFootprint.PublishedEvent.3",
        "specversion": "1.0",
        "id": "pub-1",
        "source": "//api.buyer.example/3/events",
        "time": "2026-05-31T17:31:00Z",
        "data": {"pfIds": [str(uuid.uuid4())]},
    }
    assert client.post("/pact/3/events", json=published, headers=auth).status_code == 200
    assert client.post("/pact/3/events", json=published, headers=auth).status_code == 200
    reused = client.post(
        "/pact/3/events", json={**published, "time": "2026-06-01T00:00:00Z"}, headers=auth
    )
    assert reused.status_code == 400


def test_the_link_keeps_the_filters(client: TestClient, world: dict[str, Any]) -> None:
    auth = bearer(client, world)
    response = client.get(
        "/pact/3/footprints?geography=CN&geography=DE&limit=1&status=Active", headers=auth
    )
    link = response.headers["link"]
    query = parse_qs(urlsplit(link[1 : link.index(">")]).query)
    assert query == {
        "geography": ["CN", "DE"],
        "limit": ["1"],
        "offset": ["1"],
        "status": ["Active"],
    }


def test_the_firms_rest_endpoints(client: TestClient, context: Context, factory: Factory) -> None:
    firm = factory.organization()
    other = factory.organization()
    own = factory.api_key(factory.user(UserRole.FIRM, organization=firm))
    outsider = factory.api_key(factory.user(UserRole.FIRM, organization=other))
    path = f"/api/v1/organizations/{firm.id}/pact/clients"
    created = client.post(path, json={"name": "Buyer"}, headers=own)
    assert created.status_code == 201, created.text
    issued = created.json()
    assert issued["token_url"] == "http://testserver/pact/auth/token"
    token = client.post(
        "/pact/auth/token",
        data={"grant_type": "client_credentials"},
        headers=basic(issued["client_id"], issued["client_secret"]),
    )
    assert token.status_code == 200
    empty = client.post(path, json={"name": ""}, headers=own)
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["field"] == "name"
    assert client.post(path, json={"name": "x"}, headers=outsider).status_code == 403
    listed = client.get(path, headers=own).json()
    assert [c["client_id"] for c in listed] == [issued["client_id"]]
    assert "client_secret" not in listed[0]
    revoke = f"/api/v1/pact/clients/{issued['client_id']}/revoke"
    assert client.post(revoke, headers=outsider).status_code == 403
    assert client.post(revoke, headers=own).json()["revoked_at"]
    made = store(context, firm.id, "P-REST")
    exported = client.get(f"/api/v1/footprints/{made}/pact", headers=own)
    assert exported.status_code == 200
    assert exported.json()["id"] == made
    assert client.get(f"/api/v1/footprints/{made}/pact", headers=outsider).status_code == 403
    events = client.get(f"/api/v1/organizations/{firm.id}/pact/events", headers=own)
    assert events.status_code == 200
    assert events.json() == []


def test_unknown_paths_and_methods_answer_in_pacts_shape(client: TestClient) -> None:
    missing = client.get("/pact/3/nothing")
    assert missing.status_code == 404
    assert missing.json()["code"] == "NotFound"
    wrong = client.get("/pact/3/events")
    assert wrong.status_code == 405
    assert wrong.json()["code"] == "BadRequest"


def test_the_request_guard_answers_pact_paths_in_pacts_shape(
    client: TestClient, world: dict[str, Any]
) -> None:
    response = client.get("/pact/3/footprints?geography=C%00N", headers=bearer(client, world))
    assert response.status_code == 400
    assert response.json()["code"] == "BadRequest"
