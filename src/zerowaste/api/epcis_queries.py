"""The EPCIS 2.0 SimpleEventQuery parameters of `GET /epcis/events`, parsed and checked.

A parameter taking a list accepts repeated parameters and `|`-separated values (the REST
binding's pipe-delimited style); any value matching is enough. Unknown or unsupported
parameters are refused by name rather than ignored.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Query, Request

from zerowaste.adapters.db.epcis_repository import EventFilter
from zerowaste.domain.epcis_index import ANY_EPC, ANY_EPC_CLASS, EpcRole, bare_term
from zerowaste.domain.epcis_values import parse_time
from zerowaste.errors import InvalidInput

DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 500
ACTIONS = ("OBSERVE", "ADD", "DELETE")
#: Each MATCH_ parameter and the places in an event it looks at.
MATCHES: dict[str, tuple[EpcRole, ...]] = {
    "MATCH_epc": (EpcRole.EPC,),
    "MATCH_parentID": (EpcRole.PARENT,),
    "MATCH_inputEPC": (EpcRole.INPUT,),
    "MATCH_outputEPC": (EpcRole.OUTPUT,),
    "MATCH_anyEPC": ANY_EPC,
    "MATCH_epcClass": (EpcRole.CLASS,),
    "MATCH_inputEPCClass": (EpcRole.INPUT_CLASS,),
    "MATCH_outputEPCClass": (EpcRole.OUTPUT_CLASS,),
    "MATCH_anyEPCClass": ANY_EPC_CLASS,
}
_OTHERS = (
    "eventType",
    "GE_eventTime",
    "LT_eventTime",
    "GE_recordTime",
    "LT_recordTime",
    "EQ_action",
    "EQ_bizStep",
    "EQ_disposition",
    "EQ_bizLocation",
    "EQ_readPoint",
    "perPage",
    "nextPageToken",
)
KNOWN = frozenset((*_OTHERS, *MATCHES))

Values = list[str] | None


@dataclass(frozen=True, slots=True)
class QueryParameters:
    """A parsed query: the restrictions, the page size and where the page starts."""

    where: EventFilter
    per_page: int = DEFAULT_PER_PAGE
    next_page_token: str | None = None


def _split(values: list[str] | None) -> tuple[str, ...]:
    found: list[str] = []
    for value in values or ():
        found.extend(part for part in value.split("|") if part)
    return tuple(dict.fromkeys(found))


def _time(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_time(value)
    except ValueError as exc:
        raise InvalidInput(str(exc), field=name) from None


def after_leaf(token: str | None) -> int | None:
    """The leaf index a `nextPageToken` continues after."""
    if not token:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        return int(raw)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidInput(
            "not a page token this repository gave out", field="nextPageToken"
        ) from None


def query_parameters(
    request: Request,
    event_type: Annotated[Values, Query(alias="eventType")] = None,
    ge_event_time: Annotated[str | None, Query(alias="GE_eventTime")] = None,
    lt_event_time: Annotated[str | None, Query(alias="LT_eventTime")] = None,
    ge_record_time: Annotated[str | None, Query(alias="GE_recordTime")] = None,
    lt_record_time: Annotated[str | None, Query(alias="LT_recordTime")] = None,
    eq_action: Annotated[Values, Query(alias="EQ_action")] = None,
    eq_biz_step: Annotated[Values, Query(alias="EQ_bizStep")] = None,
    eq_disposition: Annotated[Values, Query(alias="EQ_disposition")] = None,
    eq_biz_location: Annotated[Values, Query(alias="EQ_bizLocation")] = None,
    eq_read_point: Annotated[Values, Query(alias="EQ_readPoint")] = None,
    match_epc: Annotated[Values, Query(alias="MATCH_epc")] = None,
    match_parent_id: Annotated[Values, Query(alias="MATCH_parentID")] = None,
    match_input_epc: Annotated[Values, Query(alias="MATCH_inputEPC")] = None,
    match_output_epc: Annotated[Values, Query(alias="MATCH_outputEPC")] = None,
    match_any_epc: Annotated[Values, Query(alias="MATCH_anyEPC")] = None,
    match_epc_class: Annotated[Values, Query(alias="MATCH_epcClass")] = None,
    match_input_epc_class: Annotated[Values, Query(alias="MATCH_inputEPCClass")] = None,
    match_output_epc_class: Annotated[Values, Query(alias="MATCH_outputEPCClass")] = None,
    match_any_epc_class: Annotated[Values, Query(alias="MATCH_anyEPCClass")] = None,
    per_page: Annotated[int, Query(alias="perPage", ge=1, le=MAX_PER_PAGE)] = DEFAULT_PER_PAGE,
    next_page_token: Annotated[str | None, Query(alias="nextPageToken")] = None,
) -> QueryParameters:
    """Parse the standard parameters; refuse unknown ones and malformed values by name."""
    for name in request.query_params:
        if name not in KNOWN:
            raise InvalidInput("unknown or unsupported query parameter", field=name)
    actions = _split(eq_action)
    for action in actions:
        if action not in ACTIONS:
            raise InvalidInput(f"must be one of {', '.join(ACTIONS)}", field="EQ_action")
    given = {
        "MATCH_epc": match_epc,
        "MATCH_parentID": match_parent_id,
        "MATCH_inputEPC": match_input_epc,
        "MATCH_outputEPC": match_output_epc,
        "MATCH_anyEPC": match_any_epc,
        "MATCH_epcClass": match_epc_class,
        "MATCH_inputEPCClass": match_input_epc_class,
        "MATCH_outputEPCClass": match_output_epc_class,
        "MATCH_anyEPCClass": match_any_epc_class,
    }
    matches = tuple(
        (MATCHES[name], values) for name, raw in given.items() if (values := _split(raw))
    )
    where = EventFilter(
        event_types=_split(event_type),
        ge_event_time=_time(ge_event_time, "GE_eventTime"),
        lt_event_time=_time(lt_event_time, "LT_eventTime"),
        ge_record_time=_time(ge_record_time, "GE_recordTime"),
        lt_record_time=_time(lt_record_time, "LT_recordTime"),
        actions=actions,
        biz_steps=tuple(str(bare_term(v, "bizstep")) for v in _split(eq_biz_step)),
        dispositions=tuple(str(bare_term(v, "disposition")) for v in _split(eq_disposition)),
        biz_locations=_split(eq_biz_location),
        read_points=_split(eq_read_point),
        matches=matches,
    )
    after_leaf(next_page_token)  # a bad token is named before anything runs
    return QueryParameters(where, per_page, next_page_token)
