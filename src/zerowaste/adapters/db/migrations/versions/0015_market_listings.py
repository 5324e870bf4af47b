"""Market listings (supply and demand) and their per-code index rows.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zerowaste.adapters.db import types as zw_types

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create `market_listings` and `market_listing_codes`."""
    op.create_table(
        "market_listings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("waste_code", sa.String(length=32), nullable=True),
        sa.Column("accepted_codes", sa.Text(), nullable=True),
        sa.Column("available_from", sa.Date(), nullable=False),
        sa.Column("available_to", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("created_at", zw_types.UtcDateTime(), nullable=False),
        sa.Column("updated_at", zw_types.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("organization_id", "site_id", "region_code", "waste_code"):
        op.create_index(f"ix_market_listings_{column}", "market_listings", [column])
    op.create_index(
        "ix_market_listings_state_window",
        "market_listings",
        ["state", "available_from", "available_to"],
    )
    op.create_table(
        "market_listing_codes",
        sa.Column("listing_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["listing_id"], ["market_listings.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("listing_id", "code"),
    )
    op.create_index("ix_market_listing_codes_code", "market_listing_codes", ["code"])
    op.create_index("ix_market_listing_codes_category", "market_listing_codes", ["category"])


def downgrade() -> None:
    """Drop the listing tables."""
    op.drop_table("market_listing_codes")
    op.drop_table("market_listings")
