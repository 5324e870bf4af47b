"""Read captured event rows beside the ledger leaves that log them, for the audit."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from zerowaste.adapters.db.tables import events, ledger_entries


@dataclass(frozen=True, slots=True)
class EventColumns:
    """What the `events` table says about one event: its columns as stored."""

    event_id: uuid.UUID
    log_id: str
    leaf_index: int
    event_type: str
    event_time: datetime
    organization_id: uuid.UUID
    site_id: uuid.UUID | None
    manifest_id: uuid.UUID | None
    document: bytes
    signature_key_id: str
    signature_value: str


@dataclass(frozen=True, slots=True)
class LeafAndEvent:
    """A ledger row and the `events` row with the same id, if there is one."""

    leaf_index: int
    entry_id: uuid.UUID
    leaf_data: bytes
    event: EventColumns | None


_EVENT_COLUMNS = [getattr(events.c, name) for name in EventColumns.__slots__]


def _columns(values: Any) -> EventColumns:
    return EventColumns(
        **{name: values[f"ev_{name}"] for name in EventColumns.__slots__}
        | {"document": bytes(values["ev_document"])}
    )


class EventLeafReader:
    """Streams ledger rows joined to event rows, and event rows the ledger does not hold."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def leaves_with_events(
        self, log_id: str, below: int, batch: int = 5000
    ) -> Iterator[LeafAndEvent]:
        """Ledger rows below an index in order, each with its event row (outer join on the id).

        Keyset pages of `batch` rows, as the ledger's own audit reads them.
        """
        e = ledger_entries.c
        labelled = [column.label(f"ev_{column.name}") for column in _EVENT_COLUMNS]
        after = -1
        while True:
            query = (
                select(e.leaf_index, e.id, e.leaf_data, *labelled)
                .select_from(ledger_entries.outerjoin(events, events.c.event_id == e.id))
                .where(e.log_id == log_id, e.leaf_index > after, e.leaf_index < below)
                .order_by(e.leaf_index)
                .limit(batch)
            )
            rows = self._connection.execute(query).all()
            for row in rows:
                values = row._mapping
                yield LeafAndEvent(
                    row.leaf_index,
                    row.id,
                    bytes(row.leaf_data),
                    None if values["ev_event_id"] is None else _columns(values),
                )
            if len(rows) < batch:
                return
            after = rows[-1].leaf_index

    def events_without_leaf(self, log_id: str, limit: int = 100) -> list[EventColumns]:
        """Event rows of the log whose id no ledger row of the log holds (at most `limit`)."""
        e = ledger_entries.c
        labelled = [column.label(f"ev_{column.name}") for column in _EVENT_COLUMNS]
        query = (
            select(*labelled)
            .select_from(
                events.outerjoin(ledger_entries, (e.id == events.c.event_id) & (e.log_id == log_id))
            )
            .where(events.c.log_id == log_id, e.id.is_(None))
            .order_by(events.c.leaf_index)
            .limit(limit)
        )
        return [_columns(row._mapping) for row in self._connection.execute(query)]
