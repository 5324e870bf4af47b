"""Read captured event rows beside the ledger leaves that log them, for the audit."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from zerowaste.adapters.db.hash_store import driver_rows
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


#: A raw event row: `(leaf_index, event_id, event_type, event_time, organization_id, site_id,
#: manifest_id, document, signature_key_id, signature_value)` as the driver returns it, ids as
#: 32 lowercase hex digits and the time as `YYYY-MM-DD HH:MM:SS.ffffff` UTC text on both
#: databases (SQLite stores them so, unless edited; PostgreSQL spells them so in the query).
RawEvent = tuple[Any, ...]

#: The event rows of the log at leaf indexes `[low, high]`, as plain SQL.
_EVENT_RUN = (
    "SELECT leaf_index, {event_id}, event_type, {event_time}, {organization_id}, {site_id},"
    " {manifest_id}, document, signature_key_id, signature_value FROM events"
    " WHERE log_id = {} AND leaf_index >= {} AND leaf_index <= {}"
)

_ID_COLUMNS = ("event_id", "organization_id", "site_id", "manifest_id")


def _spelled(sql: str, postgresql: bool) -> str:
    """Fill in the ids' and the time's spellings of a raw query for the dialect."""
    for name in _ID_COLUMNS:
        spelled = f"replace(CAST({name} AS TEXT), '-', '')" if postgresql else name
        sql = sql.replace("{" + name + "}", spelled)
    time = "to_char(event_time AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"
    return sql.replace("{event_time}", time if postgresql else "event_time")


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
        after = -1
        while True:
            e = ledger_entries.c
            page = self._pairs(log_id, (e.leaf_index > after) & (e.leaf_index < below), limit=batch)
            yield from page
            if len(page) < batch:
                return
            after = page[-1].leaf_index

    def _pairs(self, log_id: str, condition: Any, limit: int | None = None) -> list[LeafAndEvent]:
        """Ledger rows of the log meeting `condition`, in order, each with its event row."""
        e = ledger_entries.c
        labelled = [column.label(f"ev_{column.name}") for column in _EVENT_COLUMNS]
        query = (
            select(e.leaf_index, e.id, e.leaf_data, *labelled)
            .select_from(ledger_entries.outerjoin(events, events.c.event_id == e.id))
            .where(e.log_id == log_id, condition)
            .order_by(e.leaf_index)
            .limit(limit)
        )
        return [
            LeafAndEvent(
                row.leaf_index,
                row.id,
                bytes(row.leaf_data),
                None if row._mapping["ev_event_id"] is None else _columns(row._mapping),
            )
            for row in self._connection.execute(query)
        ]

    def raw_events(self, log_id: str, low: int, high: int) -> dict[int, RawEvent]:
        """The log's raw event rows at leaf indexes `[low, high]`, by leaf index.

        One index-range read (no join with the leaves: a lookup per row costs more), with the
        values as the driver returns them; the caller reads any row that does not plainly
        agree with its leaf again with `pairs_at`.
        """
        postgresql = self._connection.dialect.name == "postgresql"
        rows = driver_rows(self._connection, _spelled(_EVENT_RUN, postgresql), (log_id, low, high))
        return {row[0]: row for row in rows}

    def pairs_at(self, log_id: str, indexes: list[int]) -> list[LeafAndEvent]:
        """The ledger rows at these leaf indexes, each with its event row (by id), in order."""
        pairs: list[LeafAndEvent] = []
        for start in range(0, len(indexes), 500):
            chunk = indexes[start : start + 500]
            pairs += self._pairs(log_id, ledger_entries.c.leaf_index.in_(chunk))
        return pairs

    def event_count(self, log_id: str) -> int:
        """The number of event rows of the log."""
        query = select(func.count()).select_from(events).where(events.c.log_id == log_id)
        return int(self._connection.execute(query).scalar() or 0)

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
