"""What the capture service answers about stored events, batches and site inventories."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from zerowaste.adapters.db.events_repository import BatchEventRow
from zerowaste.domain.batches import Batch
from zerowaste.domain.corrections import Correction
from zerowaste.ledger.signatures import Signature


@dataclass(frozen=True)
class StoredEvent:
    """A captured event: the document as signed, its signature and its place in the log."""

    event_id: uuid.UUID
    event_type: str
    event_time: datetime
    organization_id: uuid.UUID
    leaf_index: int
    document: dict[str, Any]
    signature: Signature
    user_id: uuid.UUID | None
    recorded_at: datetime
    discrepancy_kg: Decimal | None
    correction: Correction | None = None


@dataclass(frozen=True)
class BatchView:
    """A batch's projected state, the events that touched it and how any was corrected."""

    batch: Batch
    events: list[BatchEventRow]
    corrections: dict[uuid.UUID, Correction] = field(default_factory=dict)


@dataclass(frozen=True)
class InventoryLine:
    """Held stock of one waste code (or output kind) at a site."""

    waste_code: str | None
    kind: str
    batches: int
    mass_kg: Decimal
    oldest_storage_days: int
    batch_ids: list[uuid.UUID] = field(default_factory=list)
