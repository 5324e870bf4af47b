"""Every bad input of DESIGN.md section 9 through `POST /api/v1/events`: a 4xx naming the field.

Each case starts from a firm holding one batch and one batch in transit, sends one request, and
checks the answer is Problem Details with the expected status and field, and that the counts of
events, batches, lineage edges and ledger entries (the head and the rows) did not move.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import Factory
from tests.integration.test_capture import (
    CODE,
    T0,
    Firm,
    document,
    generated,
    line,
    make_firm,
    signed,
)
from tests.manifest_world import carriage
from zerowaste.bootstrap import Context
from zerowaste.domain.accounts import UserRole
from zerowaste.ledger.signatures import generate_private_key, sign_document
from zerowaste.services.signed_steps import ClientSigner


@dataclass
class World:
    """A firm holding a batch (1000 kg, on the issued `waiting` manifest) and a batch in transit.

    The second batch (400 kg) was shipped on `manifest`, which goes to `other`.
    """

    firm: Firm
    other: Firm
    held: uuid.UUID
    moving: uuid.UUID
    manifest: uuid.UUID
    waiting: uuid.UUID
    stored_event: dict[str, Any]


def counts(context: Context) -> tuple[int, ...]:
    """Events, batches, lineage edges, the ledger head size and the ledger rows stored."""
    with context.unit_of_work() as uow:
        log_id = context.ledger.log_id
        return (
            *uow.events.counts(),
            uow.ledger.head_size(log_id),
            uow.ledger.entry_count(log_id),
        )


def _post(client: TestClient, headers: dict[str, str], firm: Firm, *events: Any) -> None:
    body = {"events": [signed(firm, event) for event in events]}
    response = client.post("/api/v1/events", json=body, headers=headers)
    assert response.status_code == 201, response.text


def build_world(client: TestClient, factory: Factory, headers: dict[str, str]) -> World:
    firm, other = make_firm(factory), make_firm(factory)
    held, moving = uuid.uuid4(), uuid.uuid4()
    first = generated(firm, held, "1000")
    _post(client, headers, firm, first, generated(firm, moving, "400"))
    signer = ClientSigner(firm.private, firm.key_id)
    ends = {"generator": (firm.organization.id, firm.site.id, signer)}
    ends["receiver"] = (other.organization.id, other.site.id)  # type: ignore[assignment]
    at = T0 + timedelta(minutes=20)
    waiting = carriage(factory, **ends, batch=held, kg="1000", at=at).manifest_id  # type: ignore[arg-type]
    manifest = carriage(factory, **ends, batch=moving, kg="400", at=at).manifest_id  # type: ignore[arg-type]
    shipped = document(
        firm,
        "shipped",
        T0 + timedelta(hours=1),
        inputs=[line(moving, "400")],
        manifest_id=str(manifest),
    )
    _post(client, headers, firm, shipped)
    return World(firm, other, held, moving, manifest, waiting, first)


def _event(world: World, **fields: Any) -> dict[str, Any]:
    return generated(world.firm, uuid.uuid4()) | fields


def _one(world: World, event: Any) -> dict[str, Any]:
    return {"events": [signed(world.firm, event)]}


def _output(world: World, **fields: str) -> dict[str, Any]:
    values = {"quantity": "5", "unit": "KGM", "waste_code": CODE} | fields
    return _event(world, outputs=[line(uuid.uuid4(), **values)])


def _tampered(world: World) -> dict[str, Any]:
    body = _one(world, _event(world))
    body["events"][0]["event"]["note"] = "edited after signing"
    return body


def _foreign_key(world: World) -> dict[str, Any]:
    event = _event(world)
    signature = sign_document(generate_private_key(), str(world.firm.key_id), event)
    return {"events": [{"event": event, "signature": signature.to_json()}]}


def _garbled_signature(world: World) -> dict[str, Any]:
    body = _one(world, _event(world))
    body["events"][0]["signature"]["value"] = "not base64!"
    return body


def _draw(world: World, event_type: str, quantity: str, **fields: Any) -> dict[str, Any]:
    event = document(world.firm, event_type, inputs=[line(world.held, quantity)], **fields)
    return _one(world, event)


def _receive(world: World, batch: uuid.UUID, manifest: uuid.UUID) -> dict[str, Any]:
    event = document(
        world.other,
        "received",
        T0 + timedelta(hours=2),
        inputs=[line(batch, "400")],
        manifest_id=str(manifest),
    )
    return {"events": [signed(world.other, event)]}


def _reused(world: World) -> dict[str, Any]:
    return _one(world, world.stored_event | {"note": "the same id, other bytes"})


def _reused_in_request(world: World) -> dict[str, Any]:
    event = _event(world)
    return {"events": [signed(world.firm, event), signed(world.firm, event | {"note": "other"})]}


def _third_bad(world: World) -> dict[str, Any]:
    batch = uuid.uuid4()
    events = [
        generated(world.firm, batch, "10"),
        document(world.firm, "stored", inputs=[line(batch, "10")]),
        document(world.firm, "disposed", inputs=[line(batch, "11")], disposal_method="landfill"),
    ]
    return {"events": [signed(world.firm, event) for event in events]}


Body = Callable[[World], Any]
#: case → (request body, or raw bytes; expected status; expected field)
CASES: dict[str, tuple[Body, int, str]] = {
    "malformed_json": (lambda w: b'{"events": [{"event": ', 422, "body"),
    "not_utf8": (lambda w: b'{"events": "\xff\xfe"}', 400, "body"),
    "empty_list": (lambda w: {"events": []}, 422, "events"),
    "no_events_member": (lambda w: {"event": []}, 422, "events"),
    "submission_shape": (lambda w: {"events": [{"event": {}}]}, 422, "events.0.signature"),
    "event_not_object": (lambda w: _one(w, ["not", "an", "event"]), 422, "events.0.event"),
    "unknown_member": (lambda w: _one(w, _event(w, colour="red")), 422, "events[0].event.colour"),
    "wrong_format": (
        lambda w: _one(w, _event(w, format="zerowaste.event/9")),
        422,
        "events[0].event.format",
    ),
    "unknown_event_type": (
        lambda w: _one(w, _event(w, event_type="teleported")),
        422,
        "events[0].event.event_type",
    ),
    "bad_event_id": (
        lambda w: _one(w, _event(w, event_id="42")),
        422,
        "events[0].event.event_id",
    ),
    "shape_of_type": (
        lambda w: _one(w, _event(w, inputs=[line(w.held, "1")])),
        422,
        "events[0].event.inputs",
    ),
    "bad_signature": (_tampered, 422, "events[0].signature.value"),
    "signature_by_another_key": (_foreign_key, 422, "events[0].signature.value"),
    "garbled_signature": (_garbled_signature, 422, "events[0].signature.value"),
    "unknown_key": (
        lambda w: {"events": [signed(w.firm, _event(w), uuid.uuid4())]},
        422,
        "events[0].signature.key_id",
    ),
    "unknown_code": (
        lambda w: _one(w, _output(w, waste_code="999-999-99")),
        422,
        "events[0].event.outputs[0].waste_code",
    ),
    "malformed_code": (
        lambda w: _one(w, _output(w, waste_code="waste oil")),
        422,
        "events[0].event.outputs[0].waste_code",
    ),
    "unknown_organization": (
        lambda w: _one(w, _event(w, organization_id=str(uuid.uuid4()))),
        422,
        "events[0].event.organization_id",
    ),
    "unknown_site": (
        lambda w: _one(w, _event(w, site_id=str(uuid.uuid4()))),
        422,
        "events[0].event.site_id",
    ),
    "foreign_site": (
        lambda w: _one(w, _event(w, site_id=str(w.other.site.id))),
        422,
        "events[0].event.site_id",
    ),
    "negative_mass": (
        lambda w: _one(w, _output(w, quantity="-5")),
        422,
        "events[0].event.outputs[0].quantity",
    ),
    "zero_mass": (
        lambda w: _one(w, _output(w, quantity="0")),
        422,
        "events[0].event.outputs[0].quantity",
    ),
    "absurd_mass": (
        lambda w: _one(w, _output(w, quantity="2000000", unit="TNE")),
        422,
        "events[0].event.outputs[0].quantity",
    ),
    "huge_exponent": (
        lambda w: _one(w, _output(w, quantity="1E+999999999999999999")),
        422,
        "events[0].event.outputs[0].quantity",
    ),
    "sub_microgram_mass": (
        lambda w: _one(w, _output(w, quantity="0.0000000001")),
        422,
        "events[0].event.outputs[0].quantity",
    ),
    "nan_mass": (
        lambda w: _one(w, _output(w, quantity="NaN")),
        422,
        "events[0].event.outputs[0].quantity",
    ),
    "mass_as_number": (
        lambda w: _one(w, _event(w, outputs=[line(uuid.uuid4(), 5, waste_code=CODE)])),  # type: ignore[arg-type]
        422,
        "events[0].event.outputs[0].quantity",
    ),
    "unknown_unit": (
        lambda w: _one(w, _output(w, unit="LBR")),
        422,
        "events[0].event.outputs[0].unit",
    ),
    "volume_unit": (
        lambda w: _one(w, _output(w, unit="LTR")),
        422,
        "events[0].event.outputs[0].unit",
    ),
    "event_in_future": (
        lambda w: _one(w, generated(w.firm, uuid.uuid4(), at=T0 + timedelta(days=30))),
        422,
        "events[0].event.event_time",
    ),
    "far_future": (
        lambda w: _one(w, _event(w, event_time="9999-12-31T23:59:59-14:00")),
        422,
        "events[0].event.event_time",
    ),
    "far_past": (
        lambda w: _one(w, _event(w, event_time="0001-01-01T00:00:00+14:00")),
        422,
        "events[0].signature.key_id",  # no key of the firm was valid then
    ),
    "bad_time": (
        lambda w: _one(w, _event(w, event_time="yesterday at noon")),
        422,
        "events[0].event.event_time",
    ),
    "impossible_date": (
        lambda w: _one(w, _event(w, event_time="2026-02-30T08:00:00+08:00")),
        422,
        "events[0].event.event_time",
    ),
    "time_without_offset": (
        lambda w: _one(w, _event(w, event_time="2026-05-20T08:00:00")),
        422,
        "events[0].event.event_time",
    ),
    "ship_more_than_held": (
        lambda w: _draw(w, "shipped", "1200", manifest_id=str(w.waiting)),
        409,
        "events[0].event.inputs[0].quantity",
    ),
    "ship_part_of_a_batch": (
        lambda w: _draw(w, "shipped", "300", manifest_id=str(w.waiting)),
        409,
        "events[0].event.inputs[0].quantity",
    ),
    "dispose_more_than_held": (
        lambda w: _draw(w, "disposed", "1000.001", disposal_method="landfill"),
        409,
        "events[0].event.inputs[0].quantity",
    ),
    "ship_a_batch_in_transit": (
        lambda w: _one(
            w,
            document(
                w.firm,
                "shipped",
                T0 + timedelta(hours=2),
                inputs=[line(w.moving, "400")],
                manifest_id=str(w.manifest),
            ),
        ),
        409,
        "events[0].event.manifest_id",  # its manifest is on the road already
    ),
    "receive_a_batch_not_in_transit": (
        lambda w: _receive(w, w.held, w.waiting),
        409,
        "events[0].event.manifest_id",
    ),
    "receive_on_another_manifest": (
        lambda w: _receive(w, w.moving, uuid.uuid4()),
        422,
        "events[0].event.manifest_id",
    ),
    "receive_a_batch_its_manifest_does_not_list": (
        lambda w: _receive(w, w.held, w.manifest),
        422,
        "events[0].event.inputs[0].batch",
    ),
    "unknown_batch": (
        lambda w: _one(
            w,
            document(w.firm, "disposed", inputs=[line(uuid.uuid4(), "1")], disposal_method="other"),
        ),
        422,
        "events[0].event.inputs[0].batch",
    ),
    "batch_already_exists": (
        lambda w: _one(w, generated(w.firm, w.held, "5")),
        409,
        "events[0].event.outputs[0].batch",
    ),
    "duplicate_id_other_bytes": (_reused, 409, "events[0].event.event_id"),
    "duplicate_id_in_one_request": (_reused_in_request, 409, "events[1].event.event_id"),
    "third_of_three_bad": (_third_bad, 409, "events[2].event.inputs[0].quantity"),
    "nul_character": (lambda w: _one(w, _event(w, note="a\x00b")), 422, "body"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_refused_naming_the_field_and_stores_nothing(
    client: TestClient, factory: Factory, case: str
) -> None:
    firm_user = factory.user(UserRole.ADMIN)
    headers = factory.api_key(firm_user)
    world = build_world(client, factory, headers)
    before = counts(factory.context)
    build, status, field = CASES[case]
    body = build(world)
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = client.post(
        "/api/v1/events", content=raw, headers=headers | {"Content-Type": "application/json"}
    )
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert problem["type"].startswith("urn:zerowaste:problem:")
    named = [error["field"] for error in problem.get("errors", [])]
    assert field in named, problem
    assert counts(factory.context) == before, "a refused capture stored something"


def test_oversize_body_is_refused_before_it_is_read(client: TestClient, factory: Factory) -> None:
    headers = factory.api_key(factory.user(UserRole.ADMIN))
    world = build_world(client, factory, headers)
    before = counts(factory.context)
    limit = factory.context.settings.max_body_bytes
    body = _one(world, _event(world, note="废" * (limit // 3 + 10)))
    response = client.post("/api/v1/events", json=body, headers=headers)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "body"
    too_many = {"events": [signed(world.firm, _event(world)) for _ in range(1001)]}
    response = client.post("/api/v1/events", json=too_many, headers=headers)
    assert response.status_code in (413, 422)
    assert counts(factory.context) == before


def test_not_acting_for_the_organization_is_forbidden(client: TestClient, factory: Factory) -> None:
    headers = factory.api_key(factory.user(UserRole.ADMIN))
    world = build_world(client, factory, headers)
    outsider = factory.api_key(factory.user(UserRole.FIRM, organization=world.other.organization))
    before = counts(factory.context)
    response = client.post("/api/v1/events", json=_one(world, _event(world)), headers=outsider)
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "events[0].event.organization_id"
    assert client.post("/api/v1/events", json=_one(world, _event(world))).status_code == 401
    assert counts(factory.context) == before
