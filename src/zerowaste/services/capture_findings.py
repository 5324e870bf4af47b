"""Capture-time rules and projections of inspections and corrections, in the capture transaction."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime

from zerowaste.adapters.db.unit_of_work import UnitOfWork
from zerowaste.domain.batches import BatchBook
from zerowaste.domain.corrections import Correction, mass_fix
from zerowaste.domain.event_documents import parse_event
from zerowaste.domain.events import EventType, WasteEvent
from zerowaste.domain.inspections import inspection_of, oversees
from zerowaste.errors import EventNotCorrectable, Forbidden
from zerowaste.services.capture_checks import SubmissionFields


def _may_correct(uow: UnitOfWork, signer: uuid.UUID, original: uuid.UUID) -> bool:
    if signer == original:
        return True
    owner = uow.organizations.get(original)
    return owner is not None and oversees(uow.organizations.get(signer), owner.region_code)


def prepare_findings(
    uow: UnitOfWork, book: BatchBook, events: Sequence[tuple[int, WasteEvent]]
) -> None:
    """Check the corrections among `events` and register their mass fixes in `book`.

    A correction points at a stored event not corrected before, signed by the same
    organization or by a regulator over that organization's region.

    Args:
        uow: The capture transaction (the log lock is held).
        book: The batch book the events are applied to next.
        events: (submission index, event) of the events to store.

    Raises:
        EventNotCorrectable: Unknown target, or corrected already.
        Forbidden: The signer may not correct that organization's event.
        BatchNotCorrectable: The mass fix is not allowed (see `domain.corrections`).
    """
    corrections = [(i, e) for i, e in events if e.event_type is EventType.CORRECTED]
    if not corrections:
        return
    targets = [e.corrects_event_id for _, e in corrections if e.corrects_event_id]
    stored = uow.events.events_by_id(targets)
    done = uow.findings.corrections_of(targets)
    seen: set[uuid.UUID] = set()
    for index, event in corrections:
        with SubmissionFields(index):
            target = event.corrects_event_id
            assert target is not None
            row = stored.get(target)
            field = "corrects_event_id"
            if row is None:
                raise EventNotCorrectable(f"no stored event {target}", field=field)
            if target in done or target in seen:
                raise EventNotCorrectable(f"event {target} is corrected already", field=field)
            seen.add(target)
            if not _may_correct(uow, event.organization_id, row.organization_id):
                raise Forbidden("only its organization or its regulator corrects it", field=field)
            if event.corrected_mass is None:
                continue
            original = parse_event(json.loads(row.document))
            batch_id = event.corrected_mass.batch_id
            later = [
                e.event_type
                for e in uow.events.events_of_batch(batch_id)
                if e.leaf_index > row.leaf_index
            ]
            book.mass_fixes[event.event_id] = mass_fix(original, event.corrected_mass, later)


def record_findings(
    uow: UnitOfWork,
    book: BatchBook,
    events: Sequence[WasteEvent],
    user_id: uuid.UUID | None,
    recorded_at: datetime,
) -> None:
    """Write the inspection and correction projections of stored events (after the batches)."""
    for event in events:
        if event.event_type is EventType.INSPECTED and event.site_id is not None:
            site = uow.sites.get(event.site_id)
            assert site is not None
            counted = uow.events.batches_by_id(line.batch_id for line in event.inputs)
            held = uow.events.held_at_site(event.site_id)
            uow.findings.add_inspection(
                inspection_of(event, site.organization_id, counted, held, user_id)
            )
        elif event.event_type is EventType.CORRECTED and event.corrects_event_id is not None:
            fix = book.mass_fixes.get(event.event_id)
            uow.findings.add_correction(
                Correction(
                    corrected_event_id=event.corrects_event_id,
                    correction_event_id=event.event_id,
                    organization_id=event.organization_id,
                    reason=event.note,
                    corrected_at=recorded_at,
                    batch_id=None if fix is None else fix.batch_id,
                    stated_kg=None if fix is None else fix.stated_kg,
                    corrected_kg=None if fix is None else fix.corrected_kg,
                )
            )
