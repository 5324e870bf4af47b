"""Events: captured event rows and the batch, lineage and event-batch projections.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zerowaste.adapters.db import types as zw_types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the capture tables."""
    op.create_table(
        "batches",
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("waste_code", sa.String(length=16), nullable=True),
        sa.Column("holder_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=True),
        sa.Column("mass_kg", zw_types.ExactDecimal(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", zw_types.UtcDateTime(), nullable=False),
        sa.Column("stored_since", zw_types.UtcDateTime(), nullable=False),
        sa.Column("manifest_id", sa.Uuid(), nullable=True),
        sa.Column("shipped_mass_kg", zw_types.ExactDecimal(), nullable=True),
        sa.PrimaryKeyConstraint("batch_id", name=op.f("pk_batches")),
    )
    op.create_index(op.f("ix_batches_holder_id"), "batches", ["holder_id"])
    op.create_index(op.f("ix_batches_manifest_id"), "batches", ["manifest_id"])
    op.create_index("ix_batches_site_status", "batches", ["site_id", "status"])
    op.create_table(
        "batch_lineage",
        sa.Column("parent_id", sa.Uuid(), nullable=False),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("mass_kg", zw_types.ExactDecimal(), nullable=False),
        sa.PrimaryKeyConstraint("parent_id", "child_id", "event_id", name=op.f("pk_batch_lineage")),
    )
    op.create_index(op.f("ix_batch_lineage_child_id"), "batch_lineage", ["child_id"])
    op.create_table(
        "events",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("log_id", sa.String(length=32), nullable=False),
        sa.Column("leaf_index", sa.BigInteger(), nullable=False),
        sa.Column("event_type", sa.String(length=16), nullable=False),
        sa.Column("event_time", zw_types.UtcDateTime(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=True),
        sa.Column("manifest_id", sa.Uuid(), nullable=True),
        sa.Column("document", sa.LargeBinary(), nullable=False),
        sa.Column("signature_key_id", sa.String(length=100), nullable=False),
        sa.Column("signature_value", sa.String(length=100), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", zw_types.UtcDateTime(), nullable=False),
        sa.Column("discrepancy_kg", zw_types.ExactDecimal(), nullable=True),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_events")),
        sa.UniqueConstraint("log_id", "leaf_index", name="uq_events_log_id_leaf_index"),
    )
    op.create_index(op.f("ix_events_manifest_id"), "events", ["manifest_id"])
    op.create_index("ix_events_organization_time", "events", ["organization_id", "event_time"])
    op.create_index("ix_events_site_time", "events", ["site_id", "event_time"])
    op.create_table(
        "event_batches",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "batch_id", "role", name=op.f("pk_event_batches")),
    )
    op.create_index(op.f("ix_event_batches_batch_id"), "event_batches", ["batch_id"])


def downgrade() -> None:
    """Drop the capture tables (the ledger keeps the events; projections can be rebuilt)."""
    op.drop_index(op.f("ix_event_batches_batch_id"), table_name="event_batches")
    op.drop_table("event_batches")
    op.drop_index("ix_events_site_time", table_name="events")
    op.drop_index("ix_events_organization_time", table_name="events")
    op.drop_index(op.f("ix_events_manifest_id"), table_name="events")
    op.drop_table("events")
    op.drop_index(op.f("ix_batch_lineage_child_id"), table_name="batch_lineage")
    op.drop_table("batch_lineage")
    op.drop_index("ix_batches_site_status", table_name="batches")
    op.drop_index(op.f("ix_batches_manifest_id"), table_name="batches")
    op.drop_index(op.f("ix_batches_holder_id"), table_name="batches")
    op.drop_table("batches")
