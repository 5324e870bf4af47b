"""What the EPCIS query indexes of an event: its type, times, why, where and identifiers.

Vocabulary values are indexed as CBV bare words whichever spelling was sent (`shipping`,
`urn:epcglobal:cbv:bizstep:shipping`, `https://ref.gs1.org/cbv/BizStep-shipping`), so a query
for one finds all; the parameters are those of the EPCIS 2.0 SimpleEventQuery.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from zerowaste.domain.epcis_values import parse_time

EPCIS_CONTEXT_URL = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
_CBV_FORMS = {
    "bizstep": re.compile(
        r"^(?:urn:epcglobal:cbv:bizstep:|https?://ref\.gs1\.org/cbv/BizStep-)(\w+)$"
    ),
    "disposition": re.compile(
        r"^(?:urn:epcglobal:cbv:disp:|https?://ref\.gs1\.org/cbv/Disp-)(\w+)$"
    ),
}


class EpcRole(StrEnum):
    """Where an identifier appears in an event (what each MATCH_ parameter looks at)."""

    EPC = "epc"  # epcList, childEPCs
    PARENT = "parent"  # parentID
    INPUT = "input"  # inputEPCList
    OUTPUT = "output"  # outputEPCList
    CLASS = "class"  # quantityList, childQuantityList epcClass
    INPUT_CLASS = "in_class"  # inputQuantityList epcClass
    OUTPUT_CLASS = "out_class"  # outputQuantityList epcClass


#: MATCH_anyEPC looks at instance identifiers; MATCH_anyEPCClass at class identifiers.
ANY_EPC = (EpcRole.EPC, EpcRole.PARENT, EpcRole.INPUT, EpcRole.OUTPUT)
ANY_EPC_CLASS = (EpcRole.CLASS, EpcRole.INPUT_CLASS, EpcRole.OUTPUT_CLASS)

_LISTS = (
    ("epcList", EpcRole.EPC),
    ("childEPCs", EpcRole.EPC),
    ("inputEPCList", EpcRole.INPUT),
    ("outputEPCList", EpcRole.OUTPUT),
)
_QUANTITIES = (
    ("quantityList", EpcRole.CLASS),
    ("childQuantityList", EpcRole.CLASS),
    ("inputQuantityList", EpcRole.INPUT_CLASS),
    ("outputQuantityList", EpcRole.OUTPUT_CLASS),
)


@dataclass(frozen=True, slots=True)
class EventFacts:
    """The indexed facts of one EPCIS event."""

    event_type: str
    event_time: datetime
    action: str | None
    biz_step: str | None
    disposition: str | None
    read_point: str | None
    biz_location: str | None
    identifiers: frozenset[tuple[EpcRole, str]]


def bare_term(value: str | None, vocabulary: str) -> str | None:
    """A CBV term as its bare word (`bizstep` or `disposition`); other URIs unchanged."""
    if value is None:
        return None
    match = _CBV_FORMS[vocabulary].match(value)
    return match.group(1) if match else value


def _place(value: Any) -> str | None:
    return str(value["id"]) if isinstance(value, Mapping) and "id" in value else None


def event_facts(event: Mapping[str, Any]) -> EventFacts:
    """Index a validated EPCIS event."""
    found: set[tuple[EpcRole, str]] = set()
    for key, role in _LISTS:
        found.update((role, str(epc)) for epc in event.get(key) or ())
    for key, role in _QUANTITIES:
        found.update((role, str(line["epcClass"])) for line in event.get(key) or ())
    if event.get("parentID"):
        found.add((EpcRole.PARENT, str(event["parentID"])))
    return EventFacts(
        event_type=str(event["type"]),
        event_time=parse_time(str(event["eventTime"])).astimezone(UTC),
        action=event.get("action"),
        biz_step=bare_term(event.get("bizStep"), "bizstep"),
        disposition=bare_term(event.get("disposition"), "disposition"),
        read_point=_place(event.get("readPoint")),
        biz_location=_place(event.get("bizLocation")),
        identifiers=frozenset(found),
    )


def context_entries(context: Any) -> list[Any]:
    """The entries of a JSON-LD `@context` value (a string, an object or a list of them)."""
    if context is None:
        return []
    return list(context) if isinstance(context, list) else [context]


def merge_contexts(contexts: Iterable[Any]) -> tuple[list[Any], set[int]]:
    """One document `@context` for events captured under several, and those that clash.

    Returns:
        The merged context (the EPCIS context first, then every other URL and one object of
        prefix bindings) and the positions of contexts binding a prefix differently from an
        earlier one: those events carry their own `@context`.
    """
    urls: list[str] = [EPCIS_CONTEXT_URL]
    prefixes: dict[str, Any] = {}
    clashing: set[int] = set()
    for position, context in enumerate(contexts):
        entries = context_entries(context)
        bindings = {k: v for e in entries if isinstance(e, Mapping) for k, v in e.items()}
        if any(prefixes.get(k, v) != v for k, v in bindings.items()):
            clashing.add(position)
            continue
        prefixes.update(bindings)
        urls.extend(e for e in entries if isinstance(e, str) and e not in urls)
    return [*urls, prefixes] if prefixes else urls, clashing
