"""Waste events check their own shape before any state is consulted."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from zerowaste.domain.events import BatchMass, BatchOutput, EventType, WasteEvent


def test_batch_ids_lists_inputs_then_outputs() -> None:
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    merged = WasteEvent(
        event_id=uuid.uuid4(),
        event_type=EventType.MERGED,
        event_time=datetime(2026, 5, 1, tzinfo=UTC),
        organization_id=uuid.uuid4(),
        site_id=uuid.uuid4(),
        inputs=(BatchMass(a, Decimal(1)), BatchMass(b, Decimal(2))),
        outputs=(BatchOutput(c, Decimal(3)),),
    )
    assert merged.batch_ids == (a, b, c)
