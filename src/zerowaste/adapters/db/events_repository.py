"""Captured events and their projections: batches, lineage edges and event-batch links."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from zerowaste.adapters.db.bulk import bulk_insert, bulk_upsert
from zerowaste.adapters.db.id_lists import in_list, rows_in
from zerowaste.adapters.db.tables import batch_lineage, batches, event_batches, events, ledger_heads
from zerowaste.domain.batches import Batch, BatchStatus, LineageEdge
from zerowaste.domain.composition import Composition
from zerowaste.domain.events import OutputKind

INPUT = "input"
OUTPUT = "output"


@dataclass(frozen=True, slots=True)
class EventRow:
    """A captured event as stored: its signed canonical document and where it sits in the log."""

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
    user_id: uuid.UUID | None
    recorded_at: datetime
    discrepancy_kg: Decimal | None = None


@dataclass(frozen=True, slots=True)
class BatchEventRow:
    """One event of a batch, and whether the batch was its input or output."""

    event_id: uuid.UUID
    event_type: str
    event_time: datetime
    organization_id: uuid.UUID
    leaf_index: int
    role: str


def _event(row: Row[Any]) -> EventRow:
    values = dict(row._mapping)
    values["document"] = bytes(values["document"])
    return EventRow(**values)


def _batch(row: Row[Any]) -> Batch:
    return Batch(
        batch_id=row.batch_id,
        kind=OutputKind(row.kind),
        waste_code=row.waste_code,
        holder_id=row.holder_id,
        site_id=row.site_id,
        mass_kg=row.mass_kg,
        status=BatchStatus(row.status),
        created_at=row.created_at,
        stored_since=row.stored_since,
        manifest_id=row.manifest_id,
        shipped_mass_kg=row.shipped_mass_kg,
        composition=Composition.from_json(row.composition),
    )


def _batch_values(batch: Batch) -> dict[str, Any]:
    return {
        "batch_id": batch.batch_id,
        "kind": batch.kind.value,
        "waste_code": batch.waste_code,
        "holder_id": batch.holder_id,
        "site_id": batch.site_id,
        "mass_kg": batch.mass_kg,
        "status": batch.status.value,
        "created_at": batch.created_at,
        "stored_since": batch.stored_since,
        "manifest_id": batch.manifest_id,
        "shipped_mass_kg": batch.shipped_mass_kg,
        "composition": None if batch.composition is None else batch.composition.to_json(),
    }


class EventRepository:
    """Reads and writes of captured events and projections on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def _dialect_insert(self) -> Any:
        name = self._connection.dialect.name
        return postgresql.insert if name == "postgresql" else sqlite.insert

    def lock_log(self, log_id: str) -> None:
        """Take the log's head row lock before reading state: captures run one at a time.

        A no-op UPDATE is the transaction's first statement, so SQLite takes its write lock and
        PostgreSQL locks the row until commit; the ledger append later grows the same row.
        """
        touch = update(ledger_heads).where(ledger_heads.c.log_id == log_id)
        if self._connection.execute(touch.values(size=ledger_heads.c.size)).rowcount:
            return
        self._connection.execute(
            self._dialect_insert()(ledger_heads)
            .values(log_id=log_id, size=0)
            .on_conflict_do_nothing(index_elements=["log_id"])
        )
        self._connection.execute(touch.values(size=ledger_heads.c.size))

    def events_by_id(self, event_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, EventRow]:
        """The stored events among `event_ids`."""
        rows = rows_in(self._connection, _EVENTS, event_ids)
        return {row.event_id: _event(row) for row in rows}

    def event(self, event_id: uuid.UUID) -> EventRow | None:
        """One stored event, or None."""
        return self.events_by_id([event_id]).get(event_id)

    def batches_by_id(self, batch_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Batch]:
        """The projected batches among `batch_ids`."""
        rows = rows_in(self._connection, _BATCHES, batch_ids)
        return {row.batch_id: _batch(row) for row in rows}

    def add(
        self,
        rows: Sequence[EventRow],
        changed: Sequence[Batch],
        edges: Sequence[LineageEdge],
        links: Sequence[tuple[uuid.UUID, uuid.UUID, str]],
    ) -> None:
        """Insert event rows, upsert changed batches, insert lineage edges and event links."""
        if rows:
            bulk_insert(
                self._connection,
                events,
                [{f: getattr(r, f) for f in EventRow.__slots__} for r in rows],
            )
        bulk_upsert(self._connection, batches, [_batch_values(b) for b in changed], "batch_id")
        if edges:
            bulk_insert(
                self._connection,
                batch_lineage,
                [
                    {
                        "parent_id": e.parent_id,
                        "child_id": e.child_id,
                        "event_id": e.event_id,
                        "mass_kg": e.mass_kg,
                    }
                    for e in edges
                ],
            )
        if links:
            bulk_insert(
                self._connection,
                event_batches,
                [{"event_id": e, "batch_id": b, "role": role} for e, b, role in links],
            )

    def events_of_batch(self, batch_id: uuid.UUID) -> list[BatchEventRow]:
        """The events that drew on or created a batch, in log order."""
        query = (
            select(
                events.c.event_id,
                events.c.event_type,
                events.c.event_time,
                events.c.organization_id,
                events.c.leaf_index,
                event_batches.c.role,
            )
            .join(event_batches, event_batches.c.event_id == events.c.event_id)
            .where(event_batches.c.batch_id == batch_id)
            .order_by(events.c.leaf_index)
        )
        return [BatchEventRow(**dict(row._mapping)) for row in self._connection.execute(query)]

    def edges_around(
        self, parent_ids: Iterable[uuid.UUID], child_ids: Iterable[uuid.UUID]
    ) -> list[LineageEdge]:
        """The lineage edges out of any of `parent_ids` or into any of `child_ids`, each once.

        One query per 250 ids of each list: both lookups are index reads (the primary key leads
        with the parent, an index keys the child) joined by OR.
        """
        parents, children = list(set(parent_ids)), list(set(child_ids))
        found: dict[tuple[uuid.UUID, uuid.UUID, uuid.UUID], LineageEdge] = {}
        for start in range(0, max(len(parents), len(children)), 250):
            conditions = []
            if chunk := parents[start : start + 250]:
                conditions.append(batch_lineage.c.parent_id.in_(chunk))
            if chunk := children[start : start + 250]:
                conditions.append(batch_lineage.c.child_id.in_(chunk))
            for row in self._connection.execute(select(batch_lineage).where(or_(*conditions))):
                edge = LineageEdge(row.parent_id, row.child_id, row.mass_kg, row.event_id)
                found[(edge.parent_id, edge.child_id, edge.event_id)] = edge
        return list(found.values())

    def events_of_batches(self, batch_ids: Iterable[uuid.UUID]) -> list[tuple[uuid.UUID, EventRow]]:
        """(batch id, event) for every event naming any of `batch_ids`, in log order.

        Two keyed reads, not a join: the links by batch id, then the events by primary key. A
        join's plan rests on the planner's row estimates, and PostgreSQL without statistics
        guesses so many links per batch that it scans the whole link index.
        """
        wanted = list(set(batch_ids))
        links: list[tuple[uuid.UUID, uuid.UUID]] = []
        for start in range(0, len(wanted), 500):
            query = select(event_batches.c.batch_id, event_batches.c.event_id).where(
                event_batches.c.batch_id.in_(wanted[start : start + 500])
            )
            links.extend((row.batch_id, row.event_id) for row in self._connection.execute(query))
        stored = self.events_by_id(event_id for _, event_id in links)
        found = [(batch_id, stored[event_id]) for batch_id, event_id in links]
        found.sort(key=lambda pair: pair[1].leaf_index)
        return found

    def held_at_site(self, site_id: uuid.UUID) -> list[Batch]:
        """The batches held at a site, oldest stock first."""
        query = (
            select(batches)
            .where(batches.c.site_id == site_id, batches.c.status == BatchStatus.HELD.value)
            .order_by(batches.c.stored_since, batches.c.batch_id)
        )
        return [_batch(row) for row in self._connection.execute(query)]

    def batches_of_holder(self, holder_id: uuid.UUID, limit: int = 500) -> list[Batch]:
        """The batches an organization holds or last held (newest first, at most `limit`)."""
        query = (
            select(batches)
            .where(batches.c.holder_id == holder_id)
            .order_by(batches.c.created_at.desc(), batches.c.batch_id)
            .limit(limit)
        )
        return [_batch(row) for row in self._connection.execute(query)]

    def counts(self) -> tuple[int, int, int]:
        """How many events, batches and lineage edges are stored (tests and health checks)."""
        c = self._connection
        return (
            len(c.execute(select(events.c.event_id)).all()),
            len(c.execute(select(batches.c.batch_id)).all()),
            len(c.execute(select(batch_lineage.c.child_id)).all()),
        )


_EVENTS = in_list(events.c.event_id, events)
_BATCHES = in_list(batches.c.batch_id, batches)
