"""Stored market allocation runs and their explained lines.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zerowaste.adapters.db import types as zw_types

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create `market_allocations` and `market_allocation_lines`."""
    op.create_table(
        "market_allocations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("carbon_price", sa.Float(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("objective_cny", sa.Float(), nullable=False),
        sa.Column("matched_t", sa.Float(), nullable=False),
        sa.Column("disposed_t", sa.Float(), nullable=False),
        sa.Column("avoided_co2e_kg", sa.Float(), nullable=False),
        sa.Column("solver", sa.String(length=32), nullable=False),
        sa.Column("candidates", sa.Integer(), nullable=False),
        sa.Column("filtered_counts", sa.JSON(), nullable=False),
        sa.Column("filtered_examples", sa.JSON(), nullable=False),
        sa.Column("timings", sa.JSON(), nullable=False),
        sa.Column("created_at", zw_types.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_market_allocations"),
    )
    for column in ("region_code", "created_at"):
        op.create_index(f"ix_market_allocations_{column}", "market_allocations", [column])
    op.create_table(
        "market_allocation_lines",
        sa.Column("allocation_id", sa.Uuid(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("supply_listing_id", sa.Uuid(), nullable=False),
        sa.Column("demand_listing_id", sa.Uuid(), nullable=True),
        sa.Column("quantity_t", sa.Float(), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("value_cny", sa.Float(), nullable=False),
        sa.Column("avoided_co2e_kg", sa.Float(), nullable=False),
        sa.Column("distance_km", sa.Float(), nullable=False),
        sa.Column("binding", sa.JSON(), nullable=False),
        sa.Column("alternative", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["allocation_id"],
            ["market_allocations.id"],
            name="fk_market_allocation_lines_allocation_id_market_allocations",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("allocation_id", "line_no", name="pk_market_allocation_lines"),
    )
    for column in ("supply_listing_id", "demand_listing_id"):
        op.create_index(f"ix_market_allocation_lines_{column}", "market_allocation_lines", [column])


def downgrade() -> None:
    """Drop the allocation tables."""
    op.drop_table("market_allocation_lines")
    op.drop_table("market_allocations")
