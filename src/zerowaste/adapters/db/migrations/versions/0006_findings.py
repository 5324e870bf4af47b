"""Findings: batch composition, inspection and correction projections.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zerowaste.adapters.db import types as zw_types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the composition column and the inspection and correction tables."""
    op.add_column("batches", sa.Column("composition", sa.Text(), nullable=True))
    op.create_table(
        "inspections",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("site_organization_id", sa.Uuid(), nullable=False),
        sa.Column("inspector_id", sa.Uuid(), nullable=False),
        sa.Column("inspected_at", zw_types.UtcDateTime(), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_inspections")),
    )
    op.create_index(
        op.f("ix_inspections_site_organization_id"), "inspections", ["site_organization_id"]
    )
    op.create_index("ix_inspections_site_time", "inspections", ["site_id", "inspected_at"])
    op.create_table(
        "inspection_lines",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=True),
        sa.Column("waste_code", sa.String(length=16), nullable=True),
        sa.Column("counted_kg", zw_types.ExactDecimal(), nullable=False),
        sa.Column("ledger_kg", zw_types.ExactDecimal(), nullable=False),
        sa.Column("gap_kg", zw_types.ExactDecimal(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "line_no", name=op.f("pk_inspection_lines")),
    )
    op.create_table(
        "event_corrections",
        sa.Column("corrected_event_id", sa.Uuid(), nullable=False),
        sa.Column("correction_event_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=True),
        sa.Column("stated_kg", zw_types.ExactDecimal(), nullable=True),
        sa.Column("corrected_kg", zw_types.ExactDecimal(), nullable=True),
        sa.Column("corrected_at", zw_types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("corrected_event_id", name=op.f("pk_event_corrections")),
        sa.UniqueConstraint(
            "correction_event_id", name=op.f("uq_event_corrections_correction_event_id")
        ),
    )
    op.create_index(op.f("ix_event_corrections_batch_id"), "event_corrections", ["batch_id"])


def downgrade() -> None:
    """Drop them again (the ledger keeps the events; projections can be rebuilt)."""
    op.drop_index(op.f("ix_event_corrections_batch_id"), table_name="event_corrections")
    op.drop_table("event_corrections")
    op.drop_table("inspection_lines")
    op.drop_index("ix_inspections_site_time", table_name="inspections")
    op.drop_index(op.f("ix_inspections_site_organization_id"), table_name="inspections")
    op.drop_table("inspections")
    with op.batch_alter_table("batches") as batch:
        batch.drop_column("composition")
