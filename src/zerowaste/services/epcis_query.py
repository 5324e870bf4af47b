"""EPCIS 2.0 query: captured events and the platform's own waste events, as the caller may see.

The platform's waste events are exported through the EPCIS exporter and indexed beside the
captured ones the first time a query runs after they were logged (in log order, from the
highest leaf indexed so far), so one query and one page order cover both.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from zerowaste.adapters.db.epcis_repository import (
    PLATFORM,
    EpcisEventRow,
    EventFilter,
    Visibility,
)
from zerowaste.adapters.db.events_repository import EventRow
from zerowaste.adapters.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from zerowaste.adapters.exporters.epcis import ExportContext, ManifestParties, epcis_event
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.epcis_index import event_facts, merge_contexts
from zerowaste.domain.event_documents import parse_event
from zerowaste.domain.events import EventType, WasteEvent
from zerowaste.errors import NotFound, ZeroWasteError
from zerowaste.ledger.canonical import canonical_json, canonical_sha256

SYNC_BATCH = 500
_log = logging.getLogger(__name__)
SCHEMA_VERSION = "2.0"


@dataclass(frozen=True)
class EventPage:
    """One page of matching events in log order, and the leaf to continue after."""

    rows: list[EpcisEventRow]
    next_after: int | None


def visibility_of(actor: Principal) -> Visibility:
    """Whose events `actor` may read (domain/access.py): all, a region's, or its own firm's."""
    if actor.role is UserRole.ADMIN:
        return Visibility(everything=True)
    if actor.role is UserRole.REGULATOR:
        return Visibility(jurisdiction_code=actor.jurisdiction_code)
    return Visibility(organization_id=actor.organization_id)


def query_document(rows: Iterable[EpcisEventRow], creation_date: datetime) -> dict[str, Any]:
    """An EPCISQueryDocument of `rows`, one `@context` merged from the events' own."""
    rows = list(rows)
    context, clashing = merge_contexts(r.context for r in rows)
    events = []
    for position, row in enumerate(rows):
        event = json.loads(row.document)
        if position in clashing and "@context" not in event:
            event = {"@context": row.context, **event}
        events.append(event)
    return {
        "@context": context,
        "type": "EPCISQueryDocument",
        "schemaVersion": SCHEMA_VERSION,
        "creationDate": creation_date.isoformat(),
        "epcisBody": {
            "queryResults": {
                "queryName": "SimpleEventQuery",
                "resultsBody": {"eventList": events},
            }
        },
    }


class EpcisQueryService:
    """SimpleEventQuery over the EPCIS index, and the platform events' export into it."""

    def __init__(
        self, unit_of_work: UnitOfWorkFactory, log_id: str, clock: Callable[[], datetime]
    ) -> None:
        self._uow = unit_of_work
        self._log_id = log_id
        self._clock = clock

    def query(
        self, actor: Principal, where: EventFilter, *, after: int | None, limit: int
    ) -> EventPage:
        """Up to `limit` visible events matching `where`, after leaf `after`, in log order."""
        self.sync()
        with self._uow() as uow:
            rows = uow.epcis.query(
                self._log_id, where, visibility_of(actor), after_leaf=after, limit=limit + 1
            )
        more = len(rows) > limit
        rows = rows[:limit]
        return EventPage(rows, rows[-1].leaf_index if more and rows else None)

    def by_event_id(self, actor: Principal, event_id: str) -> list[EpcisEventRow]:
        """The visible events with this eventID (an original and its error declarations).

        Raises:
            NotFound: None the caller may see.
        """
        page = self.query(actor, EventFilter(event_ids=(event_id,)), after=None, limit=100)
        if not page.rows:
            raise NotFound(f"no event {event_id}", field="eventID")
        return page.rows

    def sync(self) -> int:
        """Index the platform events logged since the last sync; how many were added."""
        added = 0
        while True:
            with self._uow() as uow:
                after = uow.epcis.platform_watermark(self._log_id)
                pending = uow.epcis.platform_events_after(self._log_id, after, SYNC_BATCH)
                if not pending:
                    return added
                rows = self._exported(uow, pending)
                if not rows:
                    return added  # nothing exportable in this batch
                try:
                    uow.epcis.add(rows)
                    uow.commit()
                except IntegrityError:  # a concurrent sync indexed them first
                    return added
            added += len(rows)
            if len(pending) < SYNC_BATCH:
                return added

    def _exported(self, uow: UnitOfWork, pending: list[EventRow]) -> list[EpcisEventRow]:
        parsed = {row.event_id: parse_event(json.loads(row.document)) for row in pending}
        context = _export_context(uow, list(parsed.values()))
        rows = []
        for row in pending:
            try:
                body = epcis_event(parsed[row.event_id], context=context)
            except ZeroWasteError as exc:  # EPCIS cannot say it: the event stays ledger-only
                _log.warning("waste event %s has no EPCIS form: %s", row.event_id, exc.detail)
                continue
            ld_context = body.pop("@context")
            rows.append(
                EpcisEventRow(
                    id=row.event_id,
                    log_id=row.log_id,
                    leaf_index=row.leaf_index,
                    source=PLATFORM,
                    event_id=str(body["eventID"]),
                    facts=event_facts(body),
                    record_time=row.recorded_at,
                    organization_id=row.organization_id,
                    user_id=row.user_id,
                    job_id=None,
                    content_hash=canonical_sha256(body),
                    context=ld_context,
                    document=canonical_json(body),
                )
            )
        return rows


def _export_context(uow: UnitOfWork, events: list[WasteEvent]) -> ExportContext:
    """What the exporter needs beyond the events: corrected originals, codes, manifest ends."""
    corrected = {e.corrects_event_id for e in events if e.corrects_event_id is not None}
    originals = {
        event_id: parse_event(json.loads(row.document))
        for event_id, row in uow.events.events_by_id(corrected).items()
    }
    everything = [*events, *originals.values()]
    batches = uow.events.batches_by_id(b for e in everything for b in e.batch_ids)
    codes = {b: batch.waste_code for b, batch in batches.items() if batch.waste_code}
    manifest_ids = {e.manifest_id for e in everything if e.manifest_id is not None}
    return ExportContext(
        manifests=_manifests(uow, manifest_ids),
        events=originals,
        waste_codes=codes,
    )


def _manifests(uow: UnitOfWork, manifest_ids: set[uuid.UUID]) -> dict[uuid.UUID, ManifestParties]:
    """Both ends of each manifest, from its shipment and its receipt (when both are logged)."""
    parties: dict[uuid.UUID, ManifestParties] = {}
    for manifest_id in manifest_ids:
        shipped = received = None
        for row in uow.epcis.platform_events_of_manifest(manifest_id):
            event = parse_event(json.loads(row.document))
            if event.event_type is EventType.SHIPPED and shipped is None:
                shipped = event
            if event.event_type is EventType.RECEIVED and received is None:
                received = event
        if shipped is not None and received is not None:
            parties[manifest_id] = ManifestParties(
                shipped.organization_id,
                received.organization_id,
                shipped.site_id,
                shipped.destination_site_id or received.site_id,
            )
    return parties
