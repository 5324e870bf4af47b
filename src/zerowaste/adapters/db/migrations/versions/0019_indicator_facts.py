"""Indicator facts: the ledger's waste lines projected for set-based indicator sums.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zerowaste.adapters.db import types as zw_types

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create `indicator_facts` and `indicator_fact_marks`."""
    op.create_table(
        "indicator_facts",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("log_id", sa.String(length=32), nullable=False),
        sa.Column("leaf_index", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("event_time", zw_types.UtcDateTime(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("generator_id", sa.Uuid(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("generator_region", sa.String(length=6), nullable=False),
        sa.Column("waste_code", sa.String(length=16), nullable=False),
        sa.Column("hazardous", sa.Boolean(), nullable=False),
        sa.Column("route", sa.String(length=32), nullable=True),
        sa.Column("mass_mg", sa.BigInteger(), nullable=False),
        sa.Column("distance_km", sa.Float(), nullable=False),
        sa.Column("batch_made_at", zw_types.UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("event_id", "batch_id"),
    )
    op.create_index(
        "ix_indicator_facts_generator_time", "indicator_facts", ["generator_id", "event_time"]
    )
    op.create_index(
        "ix_indicator_facts_region_time", "indicator_facts", ["generator_region", "event_time"]
    )
    op.create_table(
        "indicator_fact_marks",
        sa.Column("log_id", sa.String(length=32), nullable=False),
        sa.Column("leaf_index", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("log_id"),
    )


def downgrade() -> None:
    """Drop the indicator facts."""
    op.drop_table("indicator_fact_marks")
    op.drop_index("ix_indicator_facts_region_time", table_name="indicator_facts")
    op.drop_index("ix_indicator_facts_generator_time", table_name="indicator_facts")
    op.drop_table("indicator_facts")
