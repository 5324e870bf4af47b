"""The EPCIS events page: captured and platform events the visitor may see, with filters."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from starlette.requests import Request
from starlette.responses import HTMLResponse

from zerowaste.adapters.db.epcis_repository import EpcisEventRow, EventFilter
from zerowaste.api.epcis_queries import after_leaf
from zerowaste.api.pagination import encode_cursor
from zerowaste.domain.epcis_documents import STANDARD_TYPES
from zerowaste.domain.epcis_index import EpcRole, bare_term
from zerowaste.errors import InvalidInput, NotAuthenticated
from zerowaste.services.trace import RECEIPT_PATH
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer

EVENTS_PER_PAGE = 50
#: Identifiers listed per event before "n more".
SHOWN_IDENTIFIERS = 3


def _day(value: str, field: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.combine(date.fromisoformat(value), time(), tzinfo=UTC)
    except ValueError:
        raise InvalidInput("must be a date (YYYY-MM-DD)", field=field) from None


def _row(row: EpcisEventRow) -> dict[str, Any]:
    event = json.loads(row.document)
    identifiers = sorted({epc for _, epc in row.facts.identifiers})
    places = [row.facts.read_point, row.facts.biz_location]
    return {
        "time": event.get("eventTime", ""),
        "type": row.facts.event_type,
        "action": row.facts.action or "",
        "biz_step": row.facts.biz_step or "",
        "disposition": row.facts.disposition or "",
        "where": [p for p in dict.fromkeys(places) if p],
        "identifiers": identifiers[:SHOWN_IDENTIFIERS],
        "more": max(0, len(identifiers) - SHOWN_IDENTIFIERS),
        "source": row.source,
        "event_id": row.event_id,
        "leaf": row.leaf_index,
        "receipt": RECEIPT_PATH.format(event_id=row.id),
    }


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the EPCIS events page.

    Args:
        renderer: Renders the page.
    """
    router = page_router(renderer)
    context = renderer.context

    @router.get("/epcis-events", response_class=HTMLResponse)
    def epcis_events(
        request: Request,
        event_type: Annotated[str, Query(max_length=200)] = "",
        biz_step: Annotated[str, Query(max_length=200)] = "",
        epc: Annotated[str, Query(max_length=2000)] = "",
        start: Annotated[str, Query(alias="from", max_length=10)] = "",
        end: Annotated[str, Query(alias="to", max_length=10)] = "",
        page: Annotated[str, Query(max_length=100)] = "",
    ) -> HTMLResponse:
        """A page of EPCIS events matching the filters, in log order."""
        principal = renderer.principal(request)
        if principal is None:
            raise NotAuthenticated("sign in to see EPCIS events")
        text = epc.strip()
        where = EventFilter(
            event_types=(event_type,) if event_type else (),
            biz_steps=(str(bare_term(biz_step.strip(), "bizstep")),) if biz_step.strip() else (),
            ge_event_time=_day(start, "from"),
            lt_event_time=_day(end, "to"),
            matches=((tuple(EpcRole), (text,)),) if text else (),
        )
        found = context.epcis_query.query(
            principal, where, after=after_leaf(page or None), limit=EVENTS_PER_PAGE
        )
        filters = [
            (k, v)
            for k, v in (
                ("event_type", event_type),
                ("biz_step", biz_step),
                ("epc", text),
                ("from", start),
                ("to", end),
            )
            if v
        ]
        token = encode_cursor(str(found.next_after)) if found.next_after is not None else None
        path = request.url.path
        values = {
            "active": "epcis",
            "event_type": event_type,
            "types": STANDARD_TYPES,
            "biz_step": biz_step,
            "epc": text,
            "start": start,
            "end": end,
            "rows": [_row(r) for r in found.rows],
            "first_url": f"{path}?{urlencode(filters)}".rstrip("?") if page else None,
            "next_url": f"{path}?{urlencode([*filters, ('page', token)])}" if token else None,
        }
        return renderer.render(request, "epcis.html", values)

    return router
