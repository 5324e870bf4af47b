"""EPCIS 2.0: validation (Pydantic models vs jsonschema), capture jobs and queries."""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from jsonschema import Draft7Validator  # noqa: E402

from _harness import latencies_ms, on_each_backend, parse_args, report  # noqa: E402
from bench_capture import ADMIN, open_context  # noqa: E402
from zerowaste.adapters.db.epcis_repository import EventFilter  # noqa: E402
from zerowaste.domain.credit_codes import make_credit_code  # noqa: E402
from zerowaste.domain.epcis_documents import parse_document  # noqa: E402
from zerowaste.domain.epcis_index import EpcRole  # noqa: E402
from zerowaste.domain.organizations import NewOrganization, OrganizationRole  # noqa: E402

SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "epcis"
CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", {"ex": "urn:ex:"}]
STEPS = ("shipping", "receiving", "storing", "inspecting")


def document(number: int, events: int) -> dict[str, Any]:
    """An EPCISDocument of `events` ObjectEvents with quantities, sensor data and extensions."""
    listed = []
    for n in range(events):
        serial = number * events + n
        listed.append(
            {
                "type": "ObjectEvent",
                "eventTime": f"2026-05-{1 + serial % 28:02d}T08:00:00.000+08:00",
                "eventTimeZoneOffset": "+08:00",
                "action": "OBSERVE",
                "epcList": [f"urn:epc:id:sgtin:0614141.107346.{serial}"],
                "quantityList": [
                    {"epcClass": f"urn:epc:class:lgtin:4012345.012345.{serial % 97}", "quantity": 2}
                ],
                "bizStep": STEPS[serial % len(STEPS)],
                "readPoint": {"id": f"urn:epc:id:sgln:0614141.{serial % 50:05d}.0"},
                "sensorElementList": [
                    {"sensorReport": [{"type": "Temperature", "value": 21.5, "uom": "CEL"}]}
                ],
                "ex:note": f"event {serial}",
            }
        )
    return {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-05-10T00:00:00Z",
        "epcisBody": {"eventList": listed},
    }


def validation(events: int, repeat: int) -> dict[str, Any]:
    """Events per second validated by the run-time models and by jsonschema (the peer)."""
    sample = document(0, events)
    figures: dict[str, Any] = {"events_per_document": events}
    start = time.perf_counter()
    for _ in range(repeat):
        parse_document(sample)
    figures["pydantic_events_per_s"] = round(events * repeat / (time.perf_counter() - start), 1)
    schema_file = SCHEMA / "EPCIS-JSON-Schema.json"
    if schema_file.is_file():
        validator = Draft7Validator(json.loads(schema_file.read_text(encoding="utf-8")))
        start = time.perf_counter()
        for _ in range(repeat):
            assert not list(validator.iter_errors(sample))
        elapsed = time.perf_counter() - start
        figures["jsonschema_events_per_s"] = round(events * repeat / elapsed, 1)
    return figures


def measure(url: str, documents: int, events: int, samples: int) -> dict[str, Any]:
    """Capture `documents` jobs of `events` events each, then time standard queries."""
    context = open_context(url)
    try:
        code = make_credit_code("9", "1", "320505", "MC000001")
        roles = frozenset({OrganizationRole.GENERATOR})
        new = NewOrganization(code, "基准企业", "320505", "3670", None, roles)
        organization = context.organizations.register(ADMIN, new)
        context.signing_keys.create_custodial(ADMIN, organization.id)
        service = context.epcis_capture
        start = time.perf_counter()
        for number in range(documents):
            job = service.submit(ADMIN, document(number, events), organization_id=organization.id)
            done = service.run(job.id)
            assert done is not None
            assert done.success, done.errors
        elapsed = time.perf_counter() - start
        total = documents * events
        generator = random.Random(7)
        query = context.epcis_query

        def by_epc() -> object:
            epc = f"urn:epc:id:sgtin:0614141.107346.{generator.randrange(total)}"
            where = EventFilter(matches=(((EpcRole.EPC,), (epc,)),))
            page = query.query(ADMIN, where, after=None, limit=30)
            assert len(page.rows) == 1
            return page

        def by_step() -> object:
            where = EventFilter(biz_steps=(generator.choice(STEPS),))
            return query.query(ADMIN, where, after=None, limit=30)

        return {
            "events": total,
            "capture_events_per_s": round(total / elapsed, 1),
            "match_epc_ms": latencies_ms(by_epc, samples),
            "eq_biz_step_page_of_30_ms": latencies_ms(by_step, samples),
        }
    finally:
        context.close()


def main() -> None:
    """Run on SQLite, and on PostgreSQL when ZEROWASTE_TEST_DATABASE_URL is set."""
    args = parse_args(__doc__ or "")
    if args.smoke:
        documents, events, samples, repeat = 2, 50, 20, 3
    else:
        documents = int(os.environ.get("ZEROWASTE_BENCH_EPCIS_DOCUMENTS", "20"))
        events, samples, repeat = 500, 300, 10
    figures: dict[str, Any] = {"validation": validation(events, repeat)}
    figures |= on_each_backend(lambda url: measure(url, documents, events, samples), "epcis")
    report("epcis", figures, args.json)


if __name__ == "__main__":
    main()
