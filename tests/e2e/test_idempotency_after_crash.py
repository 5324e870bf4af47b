"""An Idempotency-Key whose first request died with its server is taken over after a while."""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta

from fastapi.testclient import TestClient

from tests.factories import Factory
from tests.integration.test_capture import generated, make_firm, signed
from zerowaste.api.idempotency import ABANDONED_AFTER
from zerowaste.domain.accounts import UserRole


def test_a_claim_left_by_a_killed_server_blocks_then_lapses(
    client: TestClient, factory: Factory
) -> None:
    context = factory.context
    firm = make_firm(factory)
    headers = factory.api_key(factory.user(UserRole.ADMIN))
    body = {"events": [signed(firm, generated(firm, uuid.uuid4()))]}
    key = "capture-after-crash"
    caller = hashlib.sha256(headers["Authorization"].encode()).hexdigest()
    with context.unit_of_work() as uow:  # what a server killed mid-request leaves behind
        assert uow.idempotency.claim(caller, key, "0" * 64, context.clock())
        uow.commit()
    keyed = headers | {"Idempotency-Key": key}
    busy = client.post("/api/v1/events", json=body, headers=keyed)
    assert busy.status_code == 409, busy.text
    assert busy.json()["errors"][0]["field"] == "Idempotency-Key"
    context.clock.now += ABANDONED_AFTER - timedelta(seconds=1)  # type: ignore[attr-defined]
    assert client.post("/api/v1/events", json=body, headers=keyed).status_code == 409
    context.clock.now += timedelta(seconds=2)  # type: ignore[attr-defined]
    taken = client.post("/api/v1/events", json=body, headers=keyed)
    assert taken.status_code == 201, taken.text
    assert taken.json()["results"][0]["status"] == "stored"
    replayed = client.post("/api/v1/events", json=body, headers=keyed)
    assert replayed.status_code == 201
    assert replayed.headers["idempotent-replayed"] == "true"
    assert replayed.json() == taken.json()
