"""`zerowaste epcis capture` and `zerowaste epcis query` end to end."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.test_capture_cli import cli_context, invoke
from tests.factories import OPERATOR, Factory
from tests.integration.test_epcis import counts, epcis_document, object_event
from zerowaste.bootstrap import Context

__all__ = ["cli_context"]


def test_capture_a_file_then_query_it(cli_context: Context, tmp_path: Path) -> None:
    factory = Factory(cli_context)
    organization = factory.organization()
    cli_context.signing_keys.create_custodial(OPERATOR, organization.id)
    document = epcis_document(object_event(1), object_event(2, bizStep="receiving"))
    path = tmp_path / "document.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")
    code, out = invoke("epcis", "capture", str(path))
    assert code == 65, out  # the operator must name whose key signs
    assert "organization_id" in out
    code, out = invoke(
        "epcis", "capture", str(path), "--organization", str(organization.id), "--json"
    )
    assert code == 0, out
    [job] = json.loads(out)
    assert (job["success"], job["events"], job["stored"]) == (True, 2, 2)
    code, out = invoke("epcis", "query", "--biz-step", "receiving", "--json")
    assert code == 0, out
    events = json.loads(out)["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert [e["bizStep"] for e in events] == ["receiving"]
    code, out = invoke("epcis", "query", "--epc", "urn:epc:id:sgtin:0614141.107346.1")
    assert code == 0
    assert "ObjectEvent" in out
    code, out = invoke("epcis", "query", "--ge-event-time", "tomorrow")
    assert code == 65
    assert "--ge-event-time" in out


def test_an_invalid_file_names_the_path_and_stores_nothing(
    cli_context: Context, tmp_path: Path
) -> None:
    document = epcis_document(object_event(1, eventTimeZoneOffset="+25:00"))
    path = tmp_path / "bad.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")
    code, out = invoke("epcis", "capture", str(path))
    assert code == 65
    assert "epcisBody.eventList[0].eventTimeZoneOffset" in out
    (tmp_path / "broken.jsonld").write_text("{", encoding="utf-8")
    assert invoke("epcis", "capture", str(tmp_path / "broken.jsonld"))[0] == 65
    assert counts(cli_context) == (0, 0, 0)
