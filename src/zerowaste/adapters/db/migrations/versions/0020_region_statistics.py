"""Region statistics: uploaded figures the ledger cannot observe (added value, population, …).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zerowaste.adapters.db import types as zw_types

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create `region_statistics`."""
    op.create_table(
        "region_statistics",
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("value", zw_types.ExactDecimal(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("uploaded_by", sa.Uuid(), nullable=True),
        sa.Column("uploaded_at", zw_types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("region_code", "year", "kind"),
    )


def downgrade() -> None:
    """Drop `region_statistics`."""
    op.drop_table("region_statistics")
