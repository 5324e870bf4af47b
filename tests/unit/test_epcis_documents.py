"""EPCIS 2.0 Pydantic models: the official examples pass, each fault is named by its JSON path."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import SHARED
from zerowaste.domain.epcis_documents import parse_document, parse_event
from zerowaste.domain.epcis_index import EpcRole, bare_term, event_facts, merge_contexts
from zerowaste.errors import EpcisDocumentInvalid

EXAMPLES = SHARED / "conformance" / "epcis" / "examples"
ALL_FIELDS = EXAMPLES / "object_event_all_possible_fields.jsonld"
needs_corpus = pytest.mark.skipif(not EXAMPLES.is_dir(), reason=f"{EXAMPLES} is absent")


def sample() -> dict[str, Any]:
    return json.loads(ALL_FIELDS.read_text(encoding="utf-8"))


def event_of(document: dict[str, Any]) -> dict[str, Any]:
    event: dict[str, Any] = document["epcisBody"]["eventList"][0]
    return event


Spoil = Callable[[dict[str, Any]], Any]
FAULTS: list[tuple[Spoil, str, str]] = [
    (lambda e: e["quantityList"][0].__setitem__("uom", "kg"), "quantityList[0].uom", "Rec 20"),
    (
        lambda e: e["quantityList"][0].__setitem__("quantity", True),
        "quantityList[0].quantity",
        "number",
    ),
    (lambda e: e["quantityList"][0].__setitem__("extra", 1), "quantityList[0].extra", "unknown"),
    (lambda e: e.__setitem__("bizStp", "x"), "bizStp", "namespace"),
    (lambda e: e.__setitem__("type", "Foo"), "type", "event types"),
    (lambda e: e.__setitem__("eventTime", "2020-13-01T00:00:00Z"), "eventTime", "month"),
    (lambda e: e.__setitem__("eventTime", "2020-01-01T00:00:00"), "eventTime", "offset"),
    (lambda e: e.__setitem__("eventTime", "0001-01-01T00:00:00+14:00"), "eventTime", "UTC"),
    (lambda e: e.__setitem__("eventTimeZoneOffset", "+14:30"), "eventTimeZoneOffset", "14:00"),
    (lambda e: e.pop("action"), "action", "required"),
    (lambda e: e.__setitem__("action", "LOOK"), "action", "OBSERVE"),
    (lambda e: e.__setitem__("bizStep", "urn:epcglobal:cbv:bizstep:x"), "bizStep", "bare word"),
    (lambda e: e.__setitem__("disposition", "melted"), "disposition", "disposition"),
    (lambda e: e["epcList"].append(e["epcList"][0]), "epcList", "repeat"),
    (lambda e: e["epcList"].append("not a uri"), "epcList[1]", "URI"),
    (lambda e: e["epcList"].append("urn:x:" + "y" * 2000), "epcList[1]", "bytes"),
    (lambda e: e["readPoint"].pop("id"), "readPoint.id", "required"),
    (lambda e: e["sourceList"][0].pop("type"), "sourceList[0].type", "required"),
    (
        lambda e: e["bizTransactionList"][0].__setitem__("type", "invoice"),
        "bizTransactionList[0].type",
        "transaction",
    ),
    (
        lambda e: e["errorDeclaration"].pop("declarationTime"),
        "errorDeclaration.declarationTime",
        "required",
    ),
    (lambda e: e["errorDeclaration"].__setitem__("why", "x"), "errorDeclaration.why", "namespace"),
    (lambda e: e["persistentDisposition"].clear(), "persistentDisposition", "set"),
    (lambda e: e["ilmd"].__setitem__("lot", "1"), "ilmd.lot", "namespace"),
    (
        lambda e: e["sensorElementList"][0]["sensorReport"][0].__setitem__("value", "26"),
        "sensorElementList[0].sensorReport[0].value",
        "number",
    ),
    (
        lambda e: e["sensorElementList"][0]["sensorReport"][0].__setitem__("type", "Heat"),
        "sensorElementList[0].sensorReport[0].type",
        "measurement type",
    ),
    (
        lambda e: e["sensorElementList"][0]["sensorMetadata"].__setitem__("time", 5),
        "sensorElementList[0].sensorMetadata.time",
        "string",
    ),
    (
        lambda e: e["sensorElementList"][0].__setitem__("sensorReport", []),
        "sensorElementList[0].sensorReport",
        "at least 1",
    ),
]


@needs_corpus
@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.jsonld")), ids=lambda p: p.name)
def test_every_official_example_passes(path: Any) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    if document["type"] == "EPCISQueryDocument":
        for event in document["epcisBody"]["queryResults"]["resultsBody"]["eventList"]:
            parse_event(event)
    else:
        assert len(parse_document(document).epcisBody.eventList) >= 1


@needs_corpus
@pytest.mark.parametrize(("spoil", "path", "words"), FAULTS, ids=[f[1] for f in FAULTS])
def test_each_fault_is_named_by_its_json_path(spoil: Spoil, path: str, words: str) -> None:
    document = sample()
    spoil(event_of(document))
    with pytest.raises(EpcisDocumentInvalid) as refused:
        parse_document(document)
    assert refused.value.field == f"epcisBody.eventList[0].{path}"
    assert words.lower() in refused.value.detail.lower()
    with pytest.raises(EpcisDocumentInvalid) as alone:
        parse_event(event_of(document))
    assert alone.value.field == path


@needs_corpus
def test_document_level_faults() -> None:
    for spoil, field in (
        (lambda d: d.pop("@context"), "@context"),
        (lambda d: d.__setitem__("schemaVersion", "two"), "schemaVersion"),
        (lambda d: d.__setitem__("colour", "red"), "colour"),
        (lambda d: d["epcisBody"].__setitem__("eventList", {}), "epcisBody.eventList"),
        (lambda d: d["epcisBody"].__setitem__("events", []), "epcisBody.events"),
    ):
        document = sample()
        spoil(document)
        with pytest.raises(EpcisDocumentInvalid) as refused:
            parse_document(document)
        assert refused.value.field == field
    bad = sample()
    event_of(bad)["action"] = "LOOK"
    event_of(bad)["bizStep"] = "smelting"
    with pytest.raises(EpcisDocumentInvalid) as many:
        parse_document(bad)
    assert "1 more fault" in many.value.detail
    for not_a_document in ([], "x", None):
        with pytest.raises(EpcisDocumentInvalid) as refused:
            parse_document(not_a_document)
        assert refused.value.field == "$"


def test_extension_event_types_and_members() -> None:
    extended = {
        "type": "https://example.org/epcis/ReturnEvent",
        "eventTime": "2026-01-01T00:00:00Z",
        "eventTimeZoneOffset": "+00:00",
        "reason": "anything goes in an extension type",
    }
    assert parse_event(extended).type == extended["type"]
    with_member = copy.deepcopy(extended) | {"type": "ObjectEvent", "action": "ADD"}
    with pytest.raises(EpcisDocumentInvalid) as refused:
        parse_event(with_member)
    assert refused.value.field == "reason"
    with_member["zw:reason"] = with_member.pop("reason")
    parse_event(with_member)


@needs_corpus
def test_index_facts_normalize_vocabulary_and_collect_identifiers() -> None:
    facts = event_facts(event_of(sample()))
    assert (facts.event_type, facts.action, facts.biz_step) == ("ObjectEvent", "ADD", "receiving")
    assert facts.event_time.isoformat() == "2005-04-05T02:33:31.116000+00:00"
    assert (EpcRole.EPC, "urn:epc:id:sgtin:0614141.107346.2018") in facts.identifiers
    assert (EpcRole.CLASS, "urn:epc:class:lgtin:4012345.012345.998877") in facts.identifiers
    assert bare_term("https://ref.gs1.org/cbv/BizStep-shipping", "bizstep") == "shipping"
    assert bare_term("urn:epcglobal:cbv:disp:in_transit", "disposition") == "in_transit"
    assert bare_term("urn:example:step", "bizstep") == "urn:example:step"


def test_contexts_merge_and_clashes_are_reported() -> None:
    url = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
    merged, clashing = merge_contexts(
        [[url, {"a": "urn:a:"}], {"b": "urn:b:"}, [url, {"a": "urn:other:"}], None]
    )
    assert merged == [url, {"a": "urn:a:", "b": "urn:b:"}]
    assert clashing == {2}
