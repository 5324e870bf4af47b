"""EPCIS capture jobs and queries through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.factories import OPERATOR, Factory
from tests.integration.test_trace import capture_chain
from zerowaste.adapters.db.epcis_repository import EventFilter
from zerowaste.adapters.db.tables import epcis_capture_jobs, epcis_events, ledger_entries
from zerowaste.bootstrap import Context
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.epcis_index import ANY_EPC, ANY_EPC_CLASS, EpcRole
from zerowaste.domain.ids import urn
from zerowaste.errors import EpcisCaptureJobNotFound, EpcisDocumentInvalid, Forbidden, InvalidInput
from zerowaste.services.epcis_records import FAILURE, PROCEED, QUEUED, RUNNING, SUCCESS

CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", {"ex": "urn:ex:"}]


def object_event(n: int, **fields: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "ObjectEvent",
        "eventTime": f"2026-05-0{1 + n % 9}T08:00:00.000+08:00",
        "eventTimeZoneOffset": "+08:00",
        "action": "OBSERVE",
        "epcList": [f"urn:epc:id:sgtin:0614141.107346.{n}"],
        "bizStep": "shipping",
        "readPoint": {"id": "urn:epc:id:sgln:0614141.00001.0"},
    }
    return event | fields


def epcis_document(*events: dict[str, Any]) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-05-10T00:00:00Z",
        "epcisBody": {"eventList": list(events)},
    }


@pytest.fixture
def firm(factory: Factory) -> Principal:
    organization = factory.organization()
    factory.context.signing_keys.create_custodial(OPERATOR, organization.id)
    return factory.user(UserRole.FIRM, organization=organization)


def counts(context: Context) -> tuple[int, int, int]:
    with context.engine.connect() as connection:
        return tuple(  # type: ignore[return-value]
            connection.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (epcis_capture_jobs, epcis_events, ledger_entries)
        )


def test_a_job_is_persisted_before_it_runs_and_a_crashed_one_resumes(
    context: Context, firm: Principal
) -> None:
    service = context.epcis_capture
    job = service.submit(firm, epcis_document(object_event(1), object_event(2)))
    assert (job.status, job.running, job.event_count) == (QUEUED, True, 2)
    assert counts(context) == (1, 0, 0)  # acknowledged: the job and its document are stored
    with context.engine.begin() as connection:  # a worker took it, then the process died
        connection.execute(epcis_capture_jobs.update().values(status=RUNNING))
    assert service.run(job.id) is None  # a running job is not taken twice
    assert service.resume() == [job.id]  # startup: re-queued and run
    done = service.job(firm, job.id)
    assert (done.status, done.success, done.stored_count, done.errors) == (SUCCESS, True, 2, [])
    assert done.finished_at is not None
    assert counts(context) == (1, 2, 2)
    assert service.resume() == []


def test_a_rerun_of_an_interrupted_proceed_job_stores_nothing_twice(
    context: Context, firm: Principal
) -> None:
    service = context.epcis_capture
    no_ids = epcis_document(object_event(1), object_event(2))  # ids are derived from the job
    job = service.submit(firm, no_ids, error_behaviour=PROCEED)
    assert service.run(job.id) is not None
    with context.engine.begin() as connection:  # as if it died before writing its outcome
        connection.execute(epcis_capture_jobs.update().values(status=QUEUED))
    service.resume()
    assert service.job(firm, job.id).stored_count == 2
    assert counts(context) == (1, 2, 2)


def test_rollback_stores_none_and_proceed_stores_the_valid_ones(
    context: Context, firm: Principal
) -> None:
    service = context.epcis_capture
    first = object_event(1, eventID="urn:uuid:" + str(uuid.uuid4()))
    service.capture_event(firm, first)
    clash = first | {"bizStep": "receiving"}
    for behaviour, stored in (("rollback", 0), ("proceed", 1)):
        job = service.submit(
            firm, epcis_document(object_event(3), clash), error_behaviour=behaviour
        )
        done = service.run(job.id)
        assert done is not None
        assert (done.status, done.stored_count) == (FAILURE, stored)
        assert [e["field"] for e in done.errors] == ["epcisBody.eventList[1].eventID"]
    assert counts(context)[1] == 2


def test_invalid_documents_store_nothing(context: Context, firm: Principal) -> None:
    service = context.epcis_capture
    bad = epcis_document(object_event(1), object_event(2, action="LOOK"))
    with pytest.raises(EpcisDocumentInvalid) as refused:
        service.submit(firm, bad)
    assert refused.value.field == "epcisBody.eventList[1].action"
    with pytest.raises(InvalidInput) as behaviour:
        service.submit(firm, epcis_document(object_event(1)), error_behaviour="maybe")
    assert behaviour.value.field == "GS1-Capture-Error-Behaviour"
    with pytest.raises(EpcisDocumentInvalid) as single:
        service.capture_event(firm, object_event(1, quantityList=[{"quantity": 2}]))
    assert single.value.field == "quantityList[0].epcClass"
    assert counts(context) == (0, 0, 0)


def test_who_may_capture_and_see_a_job(context: Context, factory: Factory, firm: Principal) -> None:
    service = context.epcis_capture
    admin = factory.user(UserRole.ADMIN)
    with pytest.raises(InvalidInput) as unnamed:
        service.submit(admin, epcis_document(object_event(1)))
    assert unnamed.value.field == "organization_id"
    assert firm.organization_id is not None
    job = service.submit(
        admin, epcis_document(object_event(1)), organization_id=firm.organization_id
    )
    assert service.job(firm, job.id).id == job.id  # the organization's users see it
    stranger = factory.user(UserRole.FIRM, organization=factory.organization())
    with pytest.raises(EpcisCaptureJobNotFound):
        service.job(stranger, job.id)
    with pytest.raises(Forbidden):
        service.submit(
            stranger, epcis_document(object_event(1)), organization_id=firm.organization_id
        )
    keyless = factory.user(UserRole.FIRM, organization=factory.organization())
    with pytest.raises(InvalidInput) as no_key:
        service.submit(keyless, epcis_document(object_event(1)))
    assert no_key.value.field == "organization_id"


def test_query_parameters_select_what_they_name(context: Context, firm: Principal) -> None:
    capture = context.epcis_capture
    capture.capture_event(firm, object_event(1))
    capture.capture_event(
        firm,
        {
            "type": "AggregationEvent",
            "eventTime": "2026-05-03T08:00:00Z",
            "eventTimeZoneOffset": "+00:00",
            "action": "ADD",
            "parentID": "urn:epc:id:sscc:0614141.1234567890",
            "childEPCs": ["urn:epc:id:sgtin:0614141.107346.1"],
            "bizStep": "packing",
            "disposition": "in_progress",
            "bizLocation": {"id": "urn:epc:id:sgln:0614141.00002.0"},
        },
    )
    capture.capture_event(
        firm,
        {
            "type": "TransformationEvent",
            "eventTime": "2026-05-05T08:00:00Z",
            "eventTimeZoneOffset": "+00:00",
            "inputQuantityList": [
                {"epcClass": "urn:epc:class:lgtin:4012345.011111.7", "quantity": 5}
            ],
            "outputEPCList": ["urn:epc:id:sgtin:4012345.077889.1"],
            "bizStep": "https://ref.gs1.org/cbv/BizStep-commissioning",
        },
    )

    def types(**where: Any) -> list[str]:
        page = context.epcis_query.query(firm, EventFilter(**where), after=None, limit=50)
        return [row.facts.event_type for row in page.rows]

    epc = "urn:epc:id:sgtin:0614141.107346.1"
    assert types() == ["ObjectEvent", "AggregationEvent", "TransformationEvent"]
    assert types(event_types=("AggregationEvent",)) == ["AggregationEvent"]
    assert types(matches=(((EpcRole.EPC,), (epc,)),)) == ["ObjectEvent", "AggregationEvent"]
    assert types(matches=((ANY_EPC, ("urn:epc:id:sscc:0614141.1234567890",)),)) == [
        "AggregationEvent"
    ]
    assert types(matches=(((EpcRole.OUTPUT,), ("urn:epc:id:sgtin:4012345.077889.1",)),)) == [
        "TransformationEvent"
    ]
    assert types(matches=((ANY_EPC_CLASS, ("urn:epc:class:lgtin:4012345.011111.7",)),)) == [
        "TransformationEvent"
    ]
    assert types(biz_steps=("commissioning",)) == ["TransformationEvent"]  # a CBV URI spelling
    assert types(biz_steps=("shipping", "packing")) == ["ObjectEvent", "AggregationEvent"]
    assert types(dispositions=("in_progress",)) == ["AggregationEvent"]
    assert types(actions=("ADD",)) == ["AggregationEvent"]
    assert types(read_points=("urn:epc:id:sgln:0614141.00001.0",)) == ["ObjectEvent"]
    assert types(biz_locations=("urn:epc:id:sgln:0614141.00002.0",)) == ["AggregationEvent"]
    may3 = datetime(2026, 5, 3, 8, tzinfo=UTC)
    assert types(ge_event_time=may3) == ["AggregationEvent", "TransformationEvent"]
    assert types(lt_event_time=may3) == ["ObjectEvent"]
    now = context.clock()
    assert types(lt_record_time=now) == []
    assert len(types(ge_record_time=now, lt_record_time=now + timedelta(seconds=1))) == 3


def test_pages_follow_the_log(context: Context, firm: Principal) -> None:
    for n in range(5):
        context.epcis_capture.capture_event(firm, object_event(n))
    seen, after = [], None
    while True:
        page = context.epcis_query.query(firm, EventFilter(), after=after, limit=2)
        seen.extend(row.leaf_index for row in page.rows)
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == [0, 1, 2, 3, 4]


def test_platform_events_are_exported_into_the_query_and_scoped(
    context: Context, factory: Factory
) -> None:
    chain = capture_chain(factory)
    assert context.epcis_query.sync() == 6
    assert context.epcis_query.sync() == 0
    batch = urn("batch", chain.shipped)
    where = EventFilter(matches=((tuple(EpcRole), (batch,)),))
    page = context.epcis_query.query(OPERATOR, where, after=None, limit=50)
    steps = [json.loads(row.document)["bizStep"] for row in page.rows]
    assert steps == [
        "urn:zerowaste:bizstep:splitting",
        "shipping",
        "receiving",
        "urn:zerowaste:bizstep:utilizing",
    ]
    receiver_user = factory.user(UserRole.FIRM, organization=chain.receiver.organization)
    own = context.epcis_query.query(receiver_user, where, after=None, limit=50)
    assert [json.loads(r.document)["bizStep"] for r in own.rows] == [
        "receiving",
        "urn:zerowaste:bizstep:utilizing",
    ]
    received = json.loads(own.rows[0].document)
    assert received["sourceList"][0]["source"] == urn("organization", chain.sender.organization.id)
    outside = factory.user(UserRole.REGULATOR, jurisdiction_code="330400")
    inside = factory.user(UserRole.REGULATOR, jurisdiction_code="320500")
    assert context.epcis_query.query(outside, where, after=None, limit=50).rows == []
    assert len(context.epcis_query.query(inside, where, after=None, limit=50).rows) == 4
