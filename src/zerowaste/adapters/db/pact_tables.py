"""SQLAlchemy Core tables of the PACT v3 exchange (migration 0013): clients and received events.

A client is a data recipient a firm (the data owner) lets read its footprints: its secret is
kept only as an argon2id hash, like API keys. Events are the CloudEvents data recipients post
to `/pact/3/events`, kept whole; a source may not reuse an event id (CloudEvents 1.0 "id").
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, Index, String, Table, Uuid

from zerowaste.adapters.db.tables import metadata
from zerowaste.adapters.db.types import UtcDateTime

pact_clients = Table(
    "pact_clients",
    metadata,
    Column("client_id", String(40), primary_key=True),
    Column("secret_hash", String(200), nullable=False),
    Column("organization_id", Uuid, nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("created_by", Uuid, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
)

pact_events = Table(
    "pact_events",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("client_id", String(40), nullable=False, index=True),
    Column("organization_id", Uuid, nullable=False, index=True),
    Column("event_type", String(100), nullable=False),
    Column("event_id", String(200), nullable=False),
    Column("source", String(500), nullable=False),
    Column("event_time", UtcDateTime, nullable=False),
    Column("document", JSON, nullable=False),
    Column("received_at", UtcDateTime, nullable=False, index=True),
    Index("ix_pact_events_source_event", "source", "event_id", unique=True),
)
