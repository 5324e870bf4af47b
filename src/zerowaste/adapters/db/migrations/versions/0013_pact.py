"""PACT v3 exchange: the data recipients' OAuth2 clients and the CloudEvents they post.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zerowaste.adapters.db import types as zw_types

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create `pact_clients` and `pact_events`."""
    op.create_table(
        "pact_clients",
        sa.Column("client_id", sa.String(length=40), nullable=False),
        sa.Column("secret_hash", sa.String(length=200), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", zw_types.UtcDateTime(), nullable=False),
        sa.Column("revoked_at", zw_types.UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("client_id"),
    )
    op.create_index("ix_pact_clients_organization_id", "pact_clients", ["organization_id"])
    op.create_table(
        "pact_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("client_id", sa.String(length=40), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("event_time", zw_types.UtcDateTime(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("received_at", zw_types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("client_id", "organization_id", "received_at"):
        op.create_index(f"ix_pact_events_{column}", "pact_events", [column])
    op.create_index(
        "ix_pact_events_source_event", "pact_events", ["source", "event_id"], unique=True
    )


def downgrade() -> None:
    """Drop the PACT tables."""
    op.drop_table("pact_events")
    op.drop_table("pact_clients")
