"""PACT clients (by id, of a firm; revoke) and received PACT events (add, find, list)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from zerowaste.adapters.db.pact_tables import pact_clients, pact_events
from zerowaste.domain.pact import PactClient, PactEvent


def _client(row: Any) -> PactClient:
    return PactClient(
        client_id=row.client_id,
        organization_id=row.organization_id,
        name=row.name,
        created_at=row.created_at,
        created_by=row.created_by,
        revoked_at=row.revoked_at,
    )


def _event(row: Any) -> PactEvent:
    return PactEvent(
        id=row.id,
        client_id=row.client_id,
        organization_id=row.organization_id,
        event_type=row.event_type,
        event_id=row.event_id,
        source=row.source,
        event_time=row.event_time,
        document=row.document,
        received_at=row.received_at,
    )


class PactRepository:
    """Reads and writes of `pact_clients` and `pact_events` on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add_client(self, client: PactClient, secret_hash: str) -> None:
        """Store a new client with the argon2id hash of its secret."""
        self._connection.execute(
            pact_clients.insert().values(
                client_id=client.client_id,
                secret_hash=secret_hash,
                organization_id=client.organization_id,
                name=client.name,
                created_by=client.created_by,
                created_at=client.created_at,
                revoked_at=client.revoked_at,
            )
        )

    def client_with_hash(self, client_id: str) -> tuple[PactClient, str] | None:
        """The client with this id and its secret hash, if any."""
        row = self._connection.execute(
            select(pact_clients).where(pact_clients.c.client_id == client_id)
        ).first()
        return (_client(row), row.secret_hash) if row else None

    def clients_of(self, organization_id: uuid.UUID) -> list[PactClient]:
        """A firm's clients, oldest first."""
        rows = self._connection.execute(
            select(pact_clients)
            .where(pact_clients.c.organization_id == organization_id)
            .order_by(pact_clients.c.created_at, pact_clients.c.client_id)
        )
        return [_client(r) for r in rows]

    def revoke_client(self, client_id: str, at: datetime) -> None:
        """Mark a client revoked from `at` on."""
        self._connection.execute(
            update(pact_clients).where(pact_clients.c.client_id == client_id).values(revoked_at=at)
        )

    def add_event(self, event: PactEvent) -> None:
        """Store a received event."""
        self._connection.execute(
            pact_events.insert().values(
                id=event.id,
                client_id=event.client_id,
                organization_id=event.organization_id,
                event_type=event.event_type,
                event_id=event.event_id,
                source=event.source,
                event_time=event.event_time,
                document=event.document,
                received_at=event.received_at,
            )
        )

    def event(self, id: uuid.UUID) -> PactEvent | None:
        """The stored event with this row id, if any."""
        row = self._connection.execute(select(pact_events).where(pact_events.c.id == id)).first()
        return _event(row) if row else None

    def find_event(self, source: str, event_id: str) -> PactEvent | None:
        """The event a source sent under this id, if any."""
        row = self._connection.execute(
            select(pact_events)
            .where(pact_events.c.source == source)
            .where(pact_events.c.event_id == event_id)
        ).first()
        return _event(row) if row else None

    def events_of(self, organization_id: uuid.UUID, limit: int = 100) -> list[PactEvent]:
        """Events posted to a firm, newest first."""
        rows = self._connection.execute(
            select(pact_events)
            .where(pact_events.c.organization_id == organization_id)
            .order_by(pact_events.c.received_at.desc(), pact_events.c.id)
            .limit(limit)
        )
        return [_event(r) for r in rows]
