"""Corrections: error declarations pointing at earlier events, and the masses they may fix."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from zerowaste.domain.batches import MassFix
from zerowaste.domain.events import BatchMass, EventType, WasteEvent
from zerowaste.errors import BatchNotCorrectable

#: Event types whose stated mass a correction may replace, and which way the mass went:
#: +1 the event put the mass in the batch, -1 it took it out.
MASS_EFFECT = {EventType.GENERATED: 1, EventType.RECEIVED: 1, EventType.DISPOSED: -1}
#: Events after the corrected one that leave the batch's mass alone (so the fix still applies).
MASS_NEUTRAL = frozenset({EventType.STORED, EventType.INSPECTED, EventType.CORRECTED})


@dataclass(frozen=True, slots=True)
class Correction:
    """The projection of one `corrected` event: which event it marks, why, and any mass fix."""

    corrected_event_id: uuid.UUID
    correction_event_id: uuid.UUID
    organization_id: uuid.UUID
    reason: str
    corrected_at: datetime
    batch_id: uuid.UUID | None = None
    stated_kg: Decimal | None = None
    corrected_kg: Decimal | None = None


def stated_mass(event: WasteEvent, batch_id: uuid.UUID) -> Decimal | None:
    """The mass of `batch_id` an event states (its output line, else its input line)."""
    for output in event.outputs:
        if output.batch_id == batch_id:
            return output.mass_kg
    for line in event.inputs:
        if line.batch_id == batch_id:
            return line.mass_kg
    return None


def mass_fix(corrected: WasteEvent, fix: BatchMass, later_types: Iterable[str]) -> MassFix:
    """Check that a correction may replace the mass `corrected` stated for a batch.

    Args:
        corrected: The event declared wrong.
        fix: The batch and the right mass, in kilograms.
        later_types: Types of the batch's events logged after the corrected one.

    Raises:
        BatchNotCorrectable: The event type states no correctable mass, the event does not
            name the batch, or a later event re-based the batch's mass (correct that one).
    """
    field = "corrected_mass.batch_id"
    effect = MASS_EFFECT.get(corrected.event_type)
    if effect is None:
        raise BatchNotCorrectable(
            f"a {corrected.event_type} event's masses cannot be corrected; only generated, "
            "received and disposed masses can",
            field=field,
        )
    stated = stated_mass(corrected, fix.batch_id)
    if stated is None:
        raise BatchNotCorrectable(f"the corrected event names no batch {fix.batch_id}", field=field)
    moved = sorted({t for t in later_types if EventType(t) not in MASS_NEUTRAL})
    if moved:
        raise BatchNotCorrectable(
            f"later {', '.join(moved)} events changed the batch's mass since", field=field
        )
    return MassFix(corrected.event_id, fix.batch_id, stated, fix.mass_kg, effect)


def corrected_event_mass(
    event: WasteEvent, batch_id: uuid.UUID, corrections: dict[uuid.UUID, Correction]
) -> Decimal | None:
    """The mass of a batch in an event as corrected (the stated mass if no fix names it)."""
    found = corrections.get(event.event_id)
    if found is not None and found.batch_id == batch_id and found.corrected_kg is not None:
        return found.corrected_kg
    return stated_mass(event, batch_id)
