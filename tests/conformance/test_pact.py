"""PACT v3 conformance: the official examples parse and round-trip; our exports validate."""

from __future__ import annotations

import copy
import json
import uuid
from decimal import Decimal
from typing import Any

import pytest

from tests.pact_support import (
    ERROR,
    GET_RESPONSE,
    LIST_RESPONSE,
    PACT_DIR,
    PRODUCT_FOOTPRINT,
    errors,
    footprint,
)
from zerowaste.adapters.exporters.pact import DataOwner, export_footprint
from zerowaste.adapters.exporters.pact_documents import parse_footprint, to_json
from zerowaste.adapters.exporters.pact_events import REQUEST_FULFILLED, parse_event
from zerowaste.domain.footprints import FootprintStatus
from zerowaste.errors import PactDocumentInvalid

FOOTPRINTS = ("example-1.json", "example-2.json", "example-3.json", "example-4.json")
OWNER = DataOwner(uuid.uuid4(), "91320505MA000001XX", "苏州再生金属有限公司")


def example(name: str) -> Any:
    path = PACT_DIR / "examples" / name
    if not path.is_file():
        pytest.skip(f"the PACT conformance example {path} is absent")
    return json.loads(path.read_text())


def test_every_example_is_known() -> None:
    names = {p.name for p in (PACT_DIR / "examples").glob("*.json")}
    assert names == set(FOOTPRINTS) | {
        "error-response-access-denied.json",
        "get-footprint-response.json",
        "invalid-response-all-properties.json",
        "list-footprints-response.json",
        "pf-response-event.json",
    }


@pytest.mark.parametrize("name", FOOTPRINTS)
def test_example_footprints_parse_validate_and_round_trip(name: str) -> None:
    document = example(name)
    assert errors(PRODUCT_FOOTPRINT, document) == []
    parsed = parse_footprint(document)
    assert parsed.id == document["id"]
    assert to_json(parsed) == document


def test_list_and_get_responses_round_trip() -> None:
    listed = example("list-footprints-response.json")
    assert errors(LIST_RESPONSE, listed) == []
    assert [to_json(parse_footprint(d)) for d in listed["data"]] == listed["data"]
    got = example("get-footprint-response.json")
    assert errors(GET_RESPONSE, got) == []
    parsed = parse_footprint(got["data"])
    assert to_json(parsed) == got["data"]
    # Members v3 does not define (a v2 name, another solution's addition) are kept, not lost.
    assert parsed.pcf.model_extra == {
        "biogenicCO2Withdrawal": "-1.5",
        "biogenicAccountingMethodology": "GHPG",
    }
    assert parsed.extensions is not None
    assert parsed.extensions[0].data["shipmentId"] == "S1234567890"


def test_fulfilled_event_example_parses_with_its_footprints() -> None:
    document = example("pf-response-event.json")
    assert errors("/components/schemas/RequestFulfilledEvent", document) == []
    envelope, data = parse_event(document)
    assert envelope.type == REQUEST_FULFILLED
    assert [to_json(pf) for pf in data.pfs] == document["data"]["pfs"]  # type: ignore[attr-defined]


def test_error_example_matches_the_error_schema() -> None:
    document = example("error-response-access-denied.json")
    assert errors(ERROR, document) == []
    assert errors(ERROR, {"code": "Teapot", "message": "x"}) != []


def test_invalid_example_is_rejected() -> None:
    """It passes the OpenAPI schema, but v3 forbids `updated` ("Product Footprint Lifecycle")."""
    document = example("invalid-response-all-properties.json")
    with pytest.raises(PactDocumentInvalid) as raised:
        parse_footprint(document["data"][0])
    assert raised.value.field == "updated"
    fixed = copy.deepcopy(document["data"][0])
    del fixed["updated"]
    assert to_json(parse_footprint(fixed)) == fixed


def test_schema_rejects_what_it_must() -> None:
    document = example("example-1.json")
    broken = copy.deepcopy(document)
    broken["pcf"]["geographyCountry"] = "US"  # two geographies: the oneOf fails
    assert errors(PRODUCT_FOOTPRINT, broken) != []
    with pytest.raises(PactDocumentInvalid) as raised:
        parse_footprint(broken)
    assert raised.value.field == "pcf.geographyCountry"
    broken = copy.deepcopy(document)
    broken["pcf"]["declaredUnitAmount"] = 1
    assert errors(PRODUCT_FOOTPRINT, broken) != []
    with pytest.raises(PactDocumentInvalid, match="string"):
        parse_footprint(broken)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"declared_unit": "kg", "product_mass_per_unit_kg": Decimal("1")},
        {"geography_region_code": "810000"},
        {"geography_region_code": "000000"},
        {"status": FootprintStatus.DEPRECATED, "classification": ""},
        {"factor_sources": (), "standards": ("GB/T 24067-2024",)},
    ],
)
def test_our_exports_validate_against_the_schema(changes: dict[str, Any]) -> None:
    document = export_footprint(footprint(OWNER.organization_id, **changes), OWNER)
    assert errors(PRODUCT_FOOTPRINT, document) == []
    assert to_json(parse_footprint(document)) == document
    assert errors(GET_RESPONSE, {"data": document}) == []
    assert errors(LIST_RESPONSE, {"data": [document, document]}) == []


def test_an_export_with_versions_lists_them() -> None:
    earlier = [uuid.uuid4(), uuid.uuid4()]
    document = export_footprint(footprint(OWNER.organization_id), OWNER, earlier)
    assert document["precedingPfIds"] == [str(i) for i in earlier]
    assert errors(PRODUCT_FOOTPRINT, document) == []
