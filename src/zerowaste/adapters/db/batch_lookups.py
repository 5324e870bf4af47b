"""Per-batch lookups the ledger readers share: waste codes and masses fixed by corrections."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import Connection

from zerowaste.adapters.db.id_lists import in_list, rows_in
from zerowaste.adapters.db.tables import batches, event_corrections


def waste_codes(connection: Connection, batch_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Each batch's waste code, for the batches that have one."""
    query = in_list(batches.c.batch_id, batches.c.batch_id, batches.c.waste_code)
    return {r.batch_id: r.waste_code for r in rows_in(connection, query, batch_ids) if r.waste_code}


def corrected_masses(
    connection: Connection, event_ids: Iterable[uuid.UUID]
) -> dict[tuple[uuid.UUID, uuid.UUID], Decimal]:
    """Masses corrected by later `corrected` events, by (corrected event, batch)."""
    query = in_list(
        event_corrections.c.corrected_event_id,
        event_corrections.c.corrected_event_id,
        event_corrections.c.batch_id,
        event_corrections.c.corrected_kg,
    )
    return {
        (r.corrected_event_id, r.batch_id): r.corrected_kg
        for r in rows_in(connection, query, event_ids)
        if r.batch_id is not None and r.corrected_kg is not None
    }
