"""The EPCIS 2.0 REST binding under /epcis: capture (jobs and single events) and query."""

from __future__ import annotations

import uuid
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, Body, Depends, Header, Query, Request, Response
from fastapi.responses import JSONResponse

from zerowaste.adapters.db.epcis_repository import EventFilter
from zerowaste.api.epcis_queries import (
    DEFAULT_PER_PAGE,
    MAX_PER_PAGE,
    QueryParameters,
    after_leaf,
    query_parameters,
)
from zerowaste.api.pagination import encode_cursor
from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.domain.epcis_index import EpcRole
from zerowaste.errors import InvalidInput
from zerowaste.services.epcis_query import query_document
from zerowaste.services.epcis_records import ROLLBACK, CaptureJob

EPCIS_PREFIX = "/epcis"
LD_JSON = "application/ld+json"
#: Sent with every EPCIS answer (EPCIS 2.0 REST binding headers).
VERSION_HEADERS = {"GS1-EPCIS-Version": "2.0", "GS1-CBV-Version": "2.0"}

router = APIRouter(prefix=EPCIS_PREFIX, tags=["epcis"])


def _job_out(job: CaptureJob) -> dict[str, Any]:
    return {
        "captureID": str(job.id),
        "createdAt": job.created_at.isoformat(),
        "finishedAt": job.finished_at.isoformat() if job.finished_at else None,
        "running": job.running,
        "success": job.success,
        "captureErrorBehaviour": job.error_behaviour,
        "eventCount": job.event_count,
        "storedCount": job.stored_count,
        "errors": job.errors,
    }


def _ld(content: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(content, media_type=LD_JSON, headers=VERSION_HEADERS | (headers or {}))


@router.post("/capture", status_code=202)
def capture(
    request: Request,
    background: BackgroundTasks,
    document: Annotated[dict[str, Any], Body(description="An EPCISDocument (JSON-LD)")],
    actor: Annotated[Principal, Depends(allow(Rule.AUTHENTICATED))],
    error_behaviour: Annotated[
        str,
        Header(
            alias="GS1-Capture-Error-Behaviour",
            description="`rollback` (default): all or nothing; `proceed`: store the valid ones",
        ),
    ] = ROLLBACK,
    organization_id: Annotated[
        uuid.UUID | None,
        Query(description="Whose custodial key signs (admins and regulators name one)"),
    ] = None,
) -> JSONResponse:
    """Accept a document as a capture job, persisted before this answer; poll its Location."""
    service = context_of(request).epcis_capture
    job = service.submit(
        actor, document, error_behaviour=error_behaviour.lower(), organization_id=organization_id
    )
    background.add_task(service.run, job.id)
    location = f"{EPCIS_PREFIX}/capture/{job.id}"
    return JSONResponse(
        _job_out(job), status_code=202, headers=VERSION_HEADERS | {"Location": location}
    )


@router.get("/capture")
def capture_jobs(
    request: Request,
    actor: Annotated[Principal, Depends(allow(Rule.AUTHENTICATED))],
    per_page: Annotated[int, Query(alias="perPage", ge=1, le=MAX_PER_PAGE)] = DEFAULT_PER_PAGE,
) -> JSONResponse:
    """The newest capture jobs the caller may see."""
    jobs = context_of(request).epcis_capture.jobs(actor, per_page)
    return JSONResponse([_job_out(job) for job in jobs], headers=VERSION_HEADERS)


@router.get("/capture/{capture_id}")
def capture_job(
    request: Request,
    capture_id: uuid.UUID,
    actor: Annotated[Principal, Depends(allow(Rule.AUTHENTICATED))],
) -> JSONResponse:
    """A capture job: running, or finished with success or the errors that stopped it."""
    job = context_of(request).epcis_capture.job(actor, capture_id)
    return JSONResponse(_job_out(job), headers=VERSION_HEADERS)


@router.post("/events", status_code=201)
def capture_event(
    request: Request,
    event: Annotated[dict[str, Any], Body(description="One EPCIS event")],
    actor: Annotated[Principal, Depends(allow(Rule.AUTHENTICATED))],
    organization_id: Annotated[
        uuid.UUID | None,
        Query(description="Whose custodial key signs (admins and regulators name one)"),
    ] = None,
) -> JSONResponse:
    """Capture one event synchronously; its Location is the event's own resource."""
    captured = context_of(request).epcis_capture.capture_event(
        actor, event, organization_id=organization_id
    )
    location = f"{EPCIS_PREFIX}/events/{quote(captured.event_id, safe='')}"
    body = {
        "eventID": captured.event_id,
        "status": captured.status,
        "ledgerEntryID": str(captured.entry_id),
        "leafIndex": captured.leaf_index,
    }
    status = 201 if captured.status == "stored" else 200
    return JSONResponse(body, status_code=status, headers=VERSION_HEADERS | {"Location": location})


def _query(request: Request, actor: Principal, parameters: QueryParameters) -> Response:
    context = context_of(request)
    page = context.epcis_query.query(
        actor,
        parameters.where,
        after=after_leaf(parameters.next_page_token),
        limit=parameters.per_page,
    )
    headers: dict[str, str] = {}
    if page.next_after is not None:
        token = encode_cursor(str(page.next_after))
        assert token is not None
        url = request.url.include_query_params(nextPageToken=token)
        headers["Link"] = f'<{url}>; rel="next"'
    return _ld(query_document(page.rows, context.clock()), headers)


@router.get("/events")
def query_events(
    request: Request,
    actor: Annotated[Principal, Depends(allow(Rule.AUTHENTICATED))],
    parameters: Annotated[QueryParameters, Depends(query_parameters)],
) -> Response:
    """SimpleEventQuery over every event the caller may see, as an EPCISQueryDocument."""
    return _query(request, actor, parameters)


@router.get("/events/{event_id:path}")
def get_event(
    request: Request,
    event_id: str,
    actor: Annotated[Principal, Depends(allow(Rule.AUTHENTICATED))],
) -> Response:
    """One event by eventID (percent-encoded), with a link to its ledger receipt.

    An eventID with error declarations answers the newest (the declaration), as EPCIS 2.0
    makes the later event with the same eventID the correction of the earlier.
    """
    context = context_of(request)
    rows = context.epcis_query.by_event_id(actor, event_id)
    newest = rows[-1]
    document = query_document([newest], context.clock())
    event = document["epcisBody"]["queryResults"]["resultsBody"]["eventList"][0]
    receipt = f"/api/v1/ledger/entries/{newest.id}/receipt"
    return _ld(
        {"@context": document["@context"], **event},
        {"Link": f'<{receipt}>; rel="receipt"', "ZeroWaste-Leaf-Index": str(newest.leaf_index)},
    )


@router.get("/epcs/{epc:path}/events")
def events_of_epc(
    request: Request,
    epc: str,
    actor: Annotated[Principal, Depends(allow(Rule.AUTHENTICATED))],
    per_page: Annotated[int, Query(alias="perPage", ge=1, le=MAX_PER_PAGE)] = DEFAULT_PER_PAGE,
    next_page_token: Annotated[str | None, Query(alias="nextPageToken")] = None,
) -> Response:
    """Every visible event naming an identifier or class (a batch URN finds its waste events)."""
    if not epc:
        raise InvalidInput("name an EPC or EPC class", field="epc")
    where = EventFilter(matches=((tuple(EpcRole), (epc,)),))
    parameters = QueryParameters(where, per_page, next_page_token)
    return _query(request, actor, parameters)
