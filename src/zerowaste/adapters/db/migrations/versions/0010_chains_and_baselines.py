"""Supply-chain membership and regional baselines of avoided emissions.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zerowaste.adapters.db import types as zw_types

revision = "0010"
# Chained after 0011 (already on main, itself after 0008) so the branch has one head; the
# merge re-chains the carbon revisions linearly.
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create `chain_members` and `carbon_baselines`."""
    op.create_table(
        "chain_members",
        sa.Column("chain_master_id", sa.Uuid(), nullable=False),
        sa.Column("supplier_id", sa.Uuid(), nullable=False),
        sa.Column("since", zw_types.UtcDateTime(), nullable=False),
        sa.Column("added_by", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("chain_master_id", "supplier_id", name=op.f("pk_chain_members")),
    )
    op.create_index("ix_chain_members_supplier_id", "chain_members", ["supplier_id"])
    op.create_table(
        "carbon_baselines",
        sa.Column("region_prefix", sa.String(length=6), nullable=False),
        sa.Column("subject", sa.String(length=40), nullable=False),
        sa.Column("baseline_route", sa.String(length=32), nullable=False),
        sa.Column("set_by", sa.Uuid(), nullable=True),
        sa.Column("set_at", zw_types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("region_prefix", "subject", name=op.f("pk_carbon_baselines")),
    )


def downgrade() -> None:
    """Drop `carbon_baselines` and `chain_members`."""
    op.drop_table("carbon_baselines")
    op.drop_index("ix_chain_members_supplier_id", table_name="chain_members")
    op.drop_table("chain_members")
