"""Chain masters' supplier admission rules, every version kept.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zerowaste.adapters.db import types as zw_types

revision = "0018"
# Chained after 0014 (the newest on main when this branch started); the merge re-chains
# the market revisions 0015-0018 linearly.
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create `chain_admission_rules`."""
    op.create_table(
        "chain_admission_rules",
        sa.Column("chain_master_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("clauses", sa.JSON(), nullable=False),
        sa.Column("year_basis", sa.String(length=16), nullable=False),
        sa.Column("updated_at", zw_types.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("chain_master_id", "version"),
    )


def downgrade() -> None:
    """Drop `chain_admission_rules`."""
    op.drop_table("chain_admission_rules")
