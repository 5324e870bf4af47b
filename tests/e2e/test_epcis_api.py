"""The /epcis binding over HTTP: refusals naming the JSON path, query parameters, paging, scope."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from tests.factories import OPERATOR, Factory
from tests.integration.test_epcis import counts, epcis_document, object_event
from zerowaste.adapters.db.tables import epcis_capture_jobs
from zerowaste.app import create_app
from zerowaste.bootstrap import Context
from zerowaste.domain.accounts import UserRole


@pytest.fixture
def headers(factory: Factory) -> dict[str, str]:
    organization = factory.organization()
    factory.context.signing_keys.create_custodial(OPERATOR, organization.id)
    return factory.api_key(factory.user(UserRole.FIRM, organization=organization))


def events_of(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    events: list[dict[str, Any]] = response.json()["epcisBody"]["queryResults"]["resultsBody"][
        "eventList"
    ]
    return events


BAD_DOCUMENTS = [
    (lambda d: d.pop("schemaVersion"), "$schemaVersion"),
    (lambda d: d.__setitem__("type", "EPCISQueryDocument"), "$type"),
    (lambda d: d["epcisBody"]["eventList"][1].__setitem__("eventTime", "yesterday"), "eventTime"),
    (lambda d: d["epcisBody"]["eventList"][1].__setitem__("bizStep", "smelting"), "bizStep"),
    (lambda d: d["epcisBody"]["eventList"][1].__setitem__("colour", "red"), "colour"),
    (lambda d: d["epcisBody"]["eventList"][1].__setitem__("type", "Event"), "type"),
    (
        lambda d: d["epcisBody"]["eventList"][1].__setitem__(
            "quantityList", [{"epcClass": "urn:x:1", "quantity": "5"}]
        ),
        "quantityList[0].quantity",
    ),
    (
        lambda d: d["epcisBody"]["eventList"][1].__setitem__(
            "sensorElementList", [{"sensorReport": []}]
        ),
        "sensorElementList[0].sensorReport",
    ),
    (
        lambda d: d["epcisBody"]["eventList"][1].__setitem__("readPoint", {"id": "no uri"}),
        "readPoint.id",
    ),
]


@pytest.mark.parametrize(("spoil", "member"), BAD_DOCUMENTS, ids=[m for _, m in BAD_DOCUMENTS])
def test_an_invalid_document_is_refused_naming_its_path_and_nothing_is_stored(
    client: TestClient, context: Context, headers: dict[str, str], spoil: Any, member: str
) -> None:
    document = epcis_document(object_event(1), object_event(2))
    spoil(document)
    response = client.post("/epcis/capture", json=document, headers=headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    top = member.removeprefix("$")
    expected = top if member.startswith("$") else f"epcisBody.eventList[1].{member}"
    assert problem["errors"][0]["field"] == expected
    assert problem["type"] == "urn:zerowaste:problem:epcis-document-invalid"
    assert counts(context) == (0, 0, 0)


def test_malformed_bodies_and_anonymous_callers(
    client: TestClient, context: Context, headers: dict[str, str]
) -> None:
    raw = client.post(
        "/epcis/capture",
        content=b"{not json",
        headers=headers | {"content-type": "application/json"},
    )
    assert raw.status_code in (400, 422)
    assert raw.json()["errors"][0]["field"] == "body"
    listed = client.post("/epcis/capture", json=[1, 2], headers=headers)
    assert listed.status_code == 422
    anonymous = client.post("/epcis/capture", json=epcis_document(object_event(1)))
    assert anonymous.status_code == 401
    bad_event = client.post("/epcis/events", json=object_event(1, action="LOOK"), headers=headers)
    assert bad_event.json()["errors"][0]["field"] == "action"
    behaviour = client.post(
        "/epcis/capture",
        json=epcis_document(object_event(1)),
        headers=headers | {"GS1-Capture-Error-Behaviour": "sometimes"},
    )
    assert behaviour.json()["errors"][0]["field"] == "GS1-Capture-Error-Behaviour"
    assert counts(context) == (0, 0, 0)
    assert client.get("/epcis/capture/not-a-uuid", headers=headers).status_code == 422


def test_query_parameters_and_link_paging_over_http(
    client: TestClient, headers: dict[str, str]
) -> None:
    for n in range(5):
        event = object_event(n, bizStep="receiving" if n % 2 else "shipping")
        assert client.post("/epcis/events", json=event, headers=headers).status_code == 201
    everything = events_of(client.get("/epcis/events", headers=headers))
    assert len(everything) == 5
    assert client.get("/epcis/events", headers=headers).headers["gs1-epcis-version"] == "2.0"
    shipping = client.get("/epcis/events", params={"EQ_bizStep": "shipping"}, headers=headers)
    assert len(events_of(shipping)) == 3
    either = client.get(
        "/epcis/events",
        params={"EQ_bizStep": "urn:epcglobal:cbv:bizstep:receiving|shipping"},
        headers=headers,
    )
    assert len(events_of(either)) == 5
    epc = "urn:epc:id:sgtin:0614141.107346.3"
    matched = events_of(client.get("/epcis/events", params={"MATCH_epc": epc}, headers=headers))
    assert [e["epcList"] for e in matched] == [[epc]]
    by_path = events_of(client.get(f"/epcis/epcs/{quote(epc, safe='')}/events", headers=headers))
    assert by_path == matched
    timed = client.get(
        "/epcis/events",
        params={"GE_eventTime": "2026-05-02T00:00:00Z", "LT_eventTime": "2026-05-04T00:00:00Z"},
        headers=headers,
    )
    assert [e["eventTime"][:10] for e in events_of(timed)] == ["2026-05-02", "2026-05-03"]
    pages, url = [], "/epcis/events?perPage=2&eventType=ObjectEvent"
    while url:
        response = client.get(url, headers=headers)
        pages.append(len(events_of(response)))
        link = response.headers.get("link")
        url = link[link.index("<") + 1 : link.index(">")] if link else ""
    assert pages == [2, 2, 1]
    for params, field in (
        ({"GE_eventTime": "soon"}, "GE_eventTime"),
        ({"EQ_action": "LOOK"}, "EQ_action"),
        ({"EQ_persistentDisposition_set": "x"}, "EQ_persistentDisposition_set"),
        ({"nextPageToken": "!!"}, "nextPageToken"),
        ({"perPage": "0"}, "perPage"),
    ):
        refused = client.get("/epcis/events", params=params, headers=headers)
        assert refused.status_code == 422, params
        assert refused.json()["errors"][0]["field"] == field
    missing = client.get(f"/epcis/events/{quote('urn:uuid:nothing', safe='')}", headers=headers)
    assert missing.status_code == 404


def test_a_capture_retried_with_its_idempotency_key_makes_one_job(
    client: TestClient, context: Context, factory: Factory, headers: dict[str, str]
) -> None:
    document = epcis_document(object_event(1))
    keyed = headers | {"Idempotency-Key": "capture-1"}
    first = client.post("/epcis/capture", json=document, headers=keyed)
    again = client.post("/epcis/capture", json=document, headers=keyed)
    assert first.status_code == again.status_code == 202
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["captureID"] == first.json()["captureID"]
    assert counts(context) == (1, 1, 1)
    jobs = client.get("/epcis/capture", headers=headers).json()
    assert [j["captureID"] for j in jobs] == [first.json()["captureID"]]
    assert jobs[0]["success"] is True
    stranger = factory.api_key(factory.user(UserRole.FIRM, organization=factory.organization()))
    assert client.get("/epcis/capture", headers=stranger).json() == []


def test_the_server_resumes_a_job_a_crash_left_running_when_it_starts(
    context: Context, factory: Factory
) -> None:
    organization = factory.organization()
    context.signing_keys.create_custodial(OPERATOR, organization.id)
    user = factory.user(UserRole.FIRM, organization=organization)
    job = context.epcis_capture.submit(user, epcis_document(object_event(1), object_event(2)))
    with context.engine.begin() as connection:  # taken by a worker that then died
        connection.execute(epcis_capture_jobs.update().values(status="running"))
    headers = factory.api_key(user)
    with TestClient(create_app(context=context)) as client:  # startup resumes it
        deadline = time.monotonic() + 30
        while True:
            state = client.get(f"/epcis/capture/{job.id}", headers=headers).json()
            if not state["running"] or time.monotonic() > deadline:
                break
            time.sleep(0.1)
    assert (state["success"], state["storedCount"]) == (True, 2)
    assert counts(context) == (1, 2, 2)
