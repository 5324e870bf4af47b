"""EPCIS 2.0 capture and query over HTTP against ../shared/conformance/epcis/, on both backends.

Every official example captures, is in the Merkle log (its receipt verifies offline) and comes
back equivalent; the platform's own waste events come back as schema-valid EPCIS.
"""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match

from tests.conformance.test_epcis_export import FORMATS
from tests.conftest import SHARED
from tests.factories import OPERATOR, Factory
from tests.integration.test_trace import capture_chain
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.epcis_index import context_entries
from zerowaste.domain.ids import urn
from zerowaste.ledger.receipts import verify_receipt

EPCIS = SHARED / "conformance" / "epcis"
needs_corpus = pytest.mark.skipif(not EPCIS.is_dir(), reason=f"{EPCIS} is absent")


def examples() -> list[Path]:
    return sorted((EPCIS / "examples").glob("*.jsonld")) if EPCIS.is_dir() else []


@pytest.fixture
def firm(factory: Factory) -> dict[str, Any]:
    """A firm with a custodial key and an API key of one of its users."""
    organization = factory.organization()
    factory.context.signing_keys.create_custodial(OPERATOR, organization.id)
    user = factory.user(UserRole.FIRM, organization=organization)
    return {"organization": organization, "headers": factory.api_key(user)}


@pytest.fixture(scope="module")
def validator() -> Draft7Validator:
    if not EPCIS.is_dir():
        pytest.skip(f"{EPCIS} is absent")
    schema = json.loads((EPCIS / "EPCIS-JSON-Schema.json").read_text(encoding="utf-8"))
    return Draft7Validator(schema, format_checker=FORMATS)


def assert_valid(validator: Draft7Validator, document: dict[str, Any]) -> None:
    error = best_match(validator.iter_errors(document))
    assert error is None, f"{error.json_path}: {error.message}"


def listed_events(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    body = response.json()["epcisBody"]["queryResults"]["resultsBody"]
    events: list[dict[str, Any]] = body["eventList"]
    return events


def normalized(event: dict[str, Any]) -> dict[str, Any]:
    """An event as compared: key order and the repository's recordTime do not count."""
    plain = {k: v for k, v in event.items() if k not in ("recordTime", "@context")}
    return json.loads(json.dumps(plain, sort_keys=True))


def bindings(context: Any) -> dict[str, Any]:
    return {k: v for e in context_entries(context) if isinstance(e, dict) for k, v in e.items()}


def fetch(client: TestClient, headers: dict[str, str], event_id: str) -> Any:
    response = client.get(f"/epcis/events/{quote(event_id, safe='')}", headers=headers)
    assert response.status_code == 200, response.text
    return response


def assert_logged(client: TestClient, response: Any, captured: dict[str, Any]) -> None:
    """The event's receipt verifies offline, and the logged event is the one returned."""
    link = response.headers["link"]
    receipt_url = link[link.index("<") + 1 : link.index(">")]
    bundle = client.get(receipt_url).json()
    key = client.get("/api/v1/ledger/verifier-key").text.strip()
    verified = verify_receipt(bundle, key)
    assert verified.leaf_index == int(response.headers["zerowaste-leaf-index"])
    assert normalized(bundle["event"]) == normalized(captured)
    assert bundle["event"]["recordTime"] == captured["recordTime"]


@needs_corpus
@pytest.mark.parametrize("path", examples(), ids=lambda path: path.name)
def test_every_example_captures_is_logged_and_comes_back_equivalent(
    client: TestClient, firm: dict[str, Any], validator: Draft7Validator, path: Path
) -> None:
    assert len(examples()) == 22
    headers = firm["headers"]
    document = json.loads(path.read_text(encoding="utf-8"))
    if document["type"] == "EPCISQueryDocument":  # a query result: captured event by event
        originals = document["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        ids = []
        for event in originals:
            single = {"@context": document["@context"], **event}
            answer = client.post("/epcis/events", json=single, headers=headers)
            assert answer.status_code == 201, answer.text
            assert answer.headers["location"] == f"/epcis/events/{quote(event['eventID'], safe='')}"
            ids.append(answer.json()["eventID"])
    else:
        originals = document["epcisBody"]["eventList"]
        answer = client.post("/epcis/capture", json=document, headers=headers)
        assert answer.status_code == 202, answer.text
        job = client.get(answer.headers["location"], headers=headers).json()
        assert (job["running"], job["success"], job["errors"]) == (False, True, [])
        assert job["storedCount"] == job["eventCount"] == len(originals)
        seeds = [uuid.uuid5(uuid.UUID(job["captureID"]), str(i)) for i in range(len(originals))]
        ids = [
            e.get("eventID", f"urn:uuid:{seed}") for e, seed in zip(originals, seeds, strict=True)
        ]
    for original, event_id in zip(originals, ids, strict=True):
        response = fetch(client, headers, event_id)
        returned = response.json()
        expected = normalized(original) | {"eventID": event_id}
        assert normalized(returned) == expected
        assert returned["recordTime"].endswith("Z")
        assert bindings(document["@context"]).items() <= bindings(returned["@context"]).items()
        assert_logged(client, response, returned)
    listed = client.get("/epcis/events", headers=headers, params={"perPage": 100})
    assert listed.status_code == 200
    query_document = listed.json()
    assert_valid(validator, query_document)
    events = query_document["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert [e["eventID"] for e in events] == ids
    assert [normalized(e) for e in events] == [
        normalized(o) | {"eventID": i} for o, i in zip(originals, ids, strict=True)
    ]


@needs_corpus
def test_capture_twice_is_idempotent_and_a_changed_event_is_refused(
    client: TestClient, firm: dict[str, Any]
) -> None:
    headers = firm["headers"]
    path = EPCIS / "examples" / "Example_9.6.1-ObjectEvent.jsonld"
    document = json.loads(path.read_text(encoding="utf-8"))
    for _ in range(2):
        job = client.get(
            client.post("/epcis/capture", json=document, headers=headers).headers["location"],
            headers=headers,
        ).json()
        assert job["success"] is True
    listed = client.get("/epcis/events", headers=headers).json()
    assert len(listed["epcisBody"]["queryResults"]["resultsBody"]["eventList"]) == 2
    changed = copy.deepcopy(document)
    changed["epcisBody"]["eventList"][1]["bizStep"] = "shipping"
    job = client.get(
        client.post("/epcis/capture", json=changed, headers=headers).headers["location"],
        headers=headers,
    ).json()
    assert (job["running"], job["success"], job["storedCount"]) == (False, False, 0)
    assert job["errors"][0]["field"] == "epcisBody.eventList[1].eventID"
    assert job["errors"][0]["status"] == 409
    declared = copy.deepcopy(changed)
    declared["epcisBody"]["eventList"][1]["errorDeclaration"] = {
        "declarationTime": "2026-05-01T00:00:00Z",
        "reason": "incorrect_data",
    }
    job = client.get(
        client.post("/epcis/capture", json=declared, headers=headers).headers["location"],
        headers=headers,
    ).json()
    assert job["success"] is True
    event_id = document["epcisBody"]["eventList"][1]["eventID"]
    newest = fetch(client, headers, event_id).json()
    assert newest["errorDeclaration"]["reason"] == "incorrect_data"


def test_platform_waste_events_come_back_as_valid_epcis(
    client: TestClient, factory: Factory, validator: Draft7Validator
) -> None:
    chain = capture_chain(factory)
    admin = factory.api_key(factory.user(UserRole.ADMIN))
    batch = quote(urn("batch", chain.shipped), safe="")
    response = client.get(f"/epcis/epcs/{batch}/events", headers=admin)
    assert_valid(validator, response.json())
    events = listed_events(response)
    assert [e["bizStep"] for e in events] == [
        "urn:zerowaste:bizstep:splitting",
        "shipping",
        "receiving",
        "urn:zerowaste:bizstep:utilizing",
    ]
    everything = client.get("/epcis/events", headers=admin)
    assert_valid(validator, everything.json())
    assert len(listed_events(everything)) == 6
    one = client.get(f"/epcis/events/{quote(events[1]['eventID'], safe='')}", headers=admin)
    assert one.json()["bizStep"] == "shipping"
    outsider = factory.api_key(factory.user(UserRole.FIRM, organization=factory.organization()))
    assert listed_events(client.get(f"/epcis/epcs/{batch}/events", headers=outsider)) == []
    hidden = client.get(f"/epcis/events/{quote(events[1]['eventID'], safe='')}", headers=outsider)
    assert hidden.status_code == 404
