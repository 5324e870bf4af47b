"""Published product carbon footprints (ISO 14067 fields, exchanged as PACT v3).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zerowaste.adapters.db import types as zw_types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create `product_footprints`."""
    decimal = zw_types.ExactDecimal
    op.create_table(
        "product_footprints",
        sa.Column("footprint_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.String(length=200), nullable=False),
        sa.Column("product_name", sa.String(length=200), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("company_name", sa.String(length=200), nullable=False),
        sa.Column("declared_unit", sa.String(length=40), nullable=False),
        sa.Column("unit_amount", decimal(), nullable=False),
        sa.Column("product_mass_per_unit_kg", decimal(), nullable=False),
        sa.Column("reference_period_start", zw_types.UtcDateTime(), nullable=False),
        sa.Column("reference_period_end", zw_types.UtcDateTime(), nullable=False),
        sa.Column("geography_region_code", sa.String(length=6), nullable=False),
        sa.Column("boundary", sa.Text(), nullable=False),
        sa.Column("pcf_excluding_biogenic_uptake_kg", decimal(), nullable=False),
        sa.Column("fossil_ghg_kg", decimal(), nullable=False),
        sa.Column("biogenic_ghg_kg", decimal(), nullable=False),
        sa.Column("land_use_change_kg", decimal(), nullable=False),
        sa.Column("interval_low_kg", decimal(), nullable=False),
        sa.Column("interval_high_kg", decimal(), nullable=False),
        sa.Column("allocation", sa.String(length=16), nullable=False),
        sa.Column("recycled_content_share", decimal(), nullable=False),
        sa.Column("primary_data_share", decimal(), nullable=False),
        sa.Column("characterization", sa.String(length=40), nullable=False),
        sa.Column("standards", sa.JSON(), nullable=False),
        sa.Column("factor_sources", sa.JSON(), nullable=False),
        sa.Column("contributions", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("classification", sa.String(length=200), nullable=False),
        sa.Column("product_system_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created", zw_types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("footprint_id"),
    )
    for column in ("product_id", "organization_id", "product_system_id", "created"):
        op.create_index(f"ix_product_footprints_{column}", "product_footprints", [column])
    op.create_index(
        "ix_product_footprints_product_version",
        "product_footprints",
        ["product_id", "version"],
        unique=True,
    )


def downgrade() -> None:
    """Drop `product_footprints`."""
    op.drop_table("product_footprints")
