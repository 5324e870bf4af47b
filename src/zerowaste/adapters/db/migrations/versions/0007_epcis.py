"""EPCIS 2.0 repository: indexed events, their identifiers and capture jobs.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zerowaste.adapters.db import types as zw_types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the EPCIS tables."""
    op.create_table(
        "epcis_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("log_id", sa.String(length=32), nullable=False),
        sa.Column("leaf_index", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("event_id", sa.String(length=2000), nullable=False),
        sa.Column("event_type", sa.String(length=2000), nullable=False),
        sa.Column("event_time", zw_types.UtcDateTime(), nullable=False),
        sa.Column("record_time", zw_types.UtcDateTime(), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=True),
        sa.Column("biz_step", sa.String(length=2000), nullable=True),
        sa.Column("disposition", sa.String(length=2000), nullable=True),
        sa.Column("read_point", sa.String(length=2000), nullable=True),
        sa.Column("biz_location", sa.String(length=2000), nullable=True),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("job_id", sa.Uuid(), nullable=True),
        sa.Column("content_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("context", sa.JSON(), nullable=True),
        sa.Column("document", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_epcis_events")),
        sa.UniqueConstraint("log_id", "leaf_index", name="uq_epcis_events_log_id_leaf_index"),
    )
    op.create_index(op.f("ix_epcis_events_event_id"), "epcis_events", ["event_id"])
    op.create_index(op.f("ix_epcis_events_event_time"), "epcis_events", ["event_time"])
    op.create_index(op.f("ix_epcis_events_biz_step"), "epcis_events", ["biz_step"])
    op.create_index(op.f("ix_epcis_events_organization_id"), "epcis_events", ["organization_id"])
    op.create_index(
        "ix_epcis_events_source_leaf", "epcis_events", ["log_id", "source", "leaf_index"]
    )
    op.create_table(
        "epcis_event_epcs",
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=9), nullable=False),
        sa.Column("epc", sa.String(length=2000), nullable=False),
        sa.PrimaryKeyConstraint("entry_id", "role", "epc", name=op.f("pk_epcis_event_epcs")),
    )
    op.create_index(op.f("ix_epcis_event_epcs_epc"), "epcis_event_epcs", ["epc"])
    op.create_table(
        "epcis_capture_jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("error_behaviour", sa.String(length=8), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("document", sa.LargeBinary(), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("stored_count", sa.Integer(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("created_at", zw_types.UtcDateTime(), nullable=False),
        sa.Column("finished_at", zw_types.UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_epcis_capture_jobs")),
    )
    op.create_index(op.f("ix_epcis_capture_jobs_status"), "epcis_capture_jobs", ["status"])
    op.create_index(
        op.f("ix_epcis_capture_jobs_organization_id"), "epcis_capture_jobs", ["organization_id"]
    )


def downgrade() -> None:
    """Drop the EPCIS tables (the ledger keeps every captured event)."""
    op.drop_index(op.f("ix_epcis_capture_jobs_organization_id"), table_name="epcis_capture_jobs")
    op.drop_index(op.f("ix_epcis_capture_jobs_status"), table_name="epcis_capture_jobs")
    op.drop_table("epcis_capture_jobs")
    op.drop_index(op.f("ix_epcis_event_epcs_epc"), table_name="epcis_event_epcs")
    op.drop_table("epcis_event_epcs")
    op.drop_index("ix_epcis_events_source_leaf", table_name="epcis_events")
    op.drop_index(op.f("ix_epcis_events_organization_id"), table_name="epcis_events")
    op.drop_index(op.f("ix_epcis_events_biz_step"), table_name="epcis_events")
    op.drop_index(op.f("ix_epcis_events_event_time"), table_name="epcis_events")
    op.drop_index(op.f("ix_epcis_events_event_id"), table_name="epcis_events")
    op.drop_table("epcis_events")
