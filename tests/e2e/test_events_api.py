"""`POST /events`, `GET /events/{id}`, `GET /batches/{id}` and site inventory over HTTP."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from tests.factories import Factory
from tests.integration.test_capture import document, generated, line, make_firm, signed, snapshot
from zerowaste.domain.accounts import UserRole


def test_capture_read_back_and_scope(client: TestClient, factory: Factory) -> None:
    firm = make_firm(factory)
    own = factory.api_key(factory.user(UserRole.FIRM, organization=firm.organization))
    other = factory.api_key(factory.user(UserRole.FIRM, organization=factory.organization()))
    regulator = factory.api_key(factory.user(UserRole.REGULATOR, jurisdiction_code="320500"))
    batch = uuid.uuid4()
    events = [
        signed(firm, generated(firm, batch, "800")),
        signed(firm, document(firm, "stored", inputs=[line(batch, "800")])),
    ]
    response = client.post("/api/v1/events", json={"events": events}, headers=own)
    assert response.status_code == 201, response.text
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["stored", "stored"]
    again = client.post("/api/v1/events", json={"events": events}, headers=own)
    assert [r["status"] for r in again.json()["results"]] == ["already_stored"] * 2

    event_path = f"/api/v1/events/{results[0]['event_id']}"
    got = client.get(event_path, headers=own)
    assert got.status_code == 200
    assert got.json()["event"] == events[0]["event"]
    assert got.json()["signature"] == events[0]["signature"]
    batch_path = f"/api/v1/batches/{batch}"
    assert client.get(batch_path, headers=regulator).json()["mass_kg"] == "800"
    org, site = firm.organization.id, firm.site.id
    inventory_path = f"/api/v1/organizations/{org}/sites/{site}/inventory"
    [held] = client.get(inventory_path, headers=own).json()
    assert held["waste_code"] == "900-214-08"
    assert held["mass_kg"] == "800"
    for path in (event_path, batch_path, inventory_path):
        assert client.get(path, headers=regulator).status_code == 200, path
        refused = client.get(path, headers=other)
        assert refused.status_code == 403, path
        assert refused.headers["content-type"] == "application/problem+json"


def test_refusals_are_problem_details_naming_the_field(
    client: TestClient, factory: Factory
) -> None:
    firm = make_firm(factory)
    own = factory.api_key(factory.user(UserRole.FIRM, organization=firm.organization))
    batch = uuid.uuid4()
    good = signed(firm, generated(firm, batch, "5"))
    over = signed(
        firm, document(firm, "disposed", inputs=[line(batch, "6")], disposal_method="landfill")
    )
    before = snapshot(factory.context)
    response = client.post("/api/v1/events", json={"events": [good, over]}, headers=own)
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "events[1].event.inputs[0].quantity"
    tampered = {**good, "event": {**good["event"], "note": "edited"}}
    response = client.post("/api/v1/events", json={"events": [tampered]}, headers=own)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "events[0].signature.value"
    too_many = client.post("/api/v1/events", json={"events": [good] * 1001}, headers=own)
    assert too_many.status_code in (413, 422)
    huge = {"events": [{**good, "event": {**good["event"], "note": "x" * 1_100_000}}]}
    oversize = client.post("/api/v1/events", json=huge, headers=own)
    assert oversize.status_code == 413
    assert oversize.headers["content-type"] == "application/problem+json"
    assert client.post("/api/v1/events", json={"events": [good]}).status_code == 401
    assert snapshot(factory.context) == before


def test_site_inspections_through_the_api(client: TestClient, factory: Factory) -> None:
    firm = make_firm(factory)
    batch = uuid.uuid4()
    inspection = document(
        firm,
        "inspected",
        inputs=[line(batch, "0.9", "TNE")],
        counted=[{"waste_code": "900-249-08", "quantity": "0", "unit": "KGM"}],
        conditions=["台账缺页"],
    )
    admin = factory.api_key(factory.user(UserRole.ADMIN))
    body = {"events": [signed(firm, generated(firm, batch)), signed(firm, inspection)]}
    assert client.post("/api/v1/events", json=body, headers=admin).status_code == 201
    path = f"/api/v1/organizations/{firm.organization.id}/sites/{firm.site.id}/inspections"
    regulator = factory.api_key(factory.user(UserRole.REGULATOR, jurisdiction_code="320500"))
    response = client.get(path, headers=regulator)
    assert response.status_code == 200, response.text
    [found] = response.json()
    assert found["conditions"] == ["台账缺页"]
    assert [(ln["counted_kg"], ln["ledger_kg"], ln["gap_kg"]) for ln in found["lines"]] == [
        ("900", "1000", "-100"),
        ("0", "0", "0"),
    ]
    stranger = factory.organization(region_code="330402")
    outsider = factory.api_key(factory.user(UserRole.FIRM, organization=stranger))
    assert client.get(path, headers=outsider).status_code == 403
    other_path = f"/api/v1/organizations/{stranger.id}/sites/{firm.site.id}/inspections"
    assert client.get(other_path, headers=admin).status_code == 404
