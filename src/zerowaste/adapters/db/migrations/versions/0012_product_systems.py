"""Firm-entered processes, their shares with other firms, and product systems (PCF).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zerowaste.adapters.db import types as zw_types

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create `carbon_processes`, `carbon_process_shares` and `carbon_product_systems`."""
    decimal = zw_types.ExactDecimal
    op.create_table(
        "carbon_processes",
        sa.Column("process_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("reference_product", sa.String(length=200), nullable=False),
        sa.Column("reference_amount", decimal(), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("reference_mass_kg", decimal(), nullable=False),
        sa.Column("reference_price_cny", decimal(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("period_start", zw_types.UtcDateTime(), nullable=False),
        sa.Column("period_end", zw_types.UtcDateTime(), nullable=False),
        sa.Column("exchanges", sa.JSON(), nullable=False),
        sa.Column("co_products", sa.JSON(), nullable=False),
        sa.Column("created", zw_types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("process_id"),
    )
    op.create_index("ix_carbon_processes_organization_id", "carbon_processes", ["organization_id"])
    op.create_table(
        "carbon_process_shares",
        sa.Column("process_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("shared_at", zw_types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("process_id", "organization_id"),
    )
    op.create_index(
        "ix_carbon_process_shares_organization_id",
        "carbon_process_shares",
        ["organization_id"],
    )
    op.create_table(
        "carbon_product_systems",
        sa.Column("product_system_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("top_process_id", sa.Uuid(), nullable=False),
        sa.Column("declared_unit", sa.String(length=200), nullable=False),
        sa.Column("unit_amount", decimal(), nullable=False),
        sa.Column("reference_flow", decimal(), nullable=False),
        sa.Column("product_mass_per_unit_kg", decimal(), nullable=False),
        sa.Column("allocation", sa.String(length=16), nullable=False),
        sa.Column("classification", sa.String(length=200), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created", zw_types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("product_system_id"),
        sa.UniqueConstraint("product_id"),
    )
    op.create_index(
        "ix_carbon_product_systems_organization_id",
        "carbon_product_systems",
        ["organization_id"],
    )


def downgrade() -> None:
    """Drop the product-system tables."""
    op.drop_table("carbon_product_systems")
    op.drop_table("carbon_process_shares")
    op.drop_table("carbon_processes")
