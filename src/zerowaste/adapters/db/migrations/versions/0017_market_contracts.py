"""Market proposals and contracts; manifests name the contract they deliver under.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zerowaste.adapters.db import types as zw_types

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create `market_proposals` and `market_contracts`; add `manifests.contract_id`."""
    op.create_table(
        "market_proposals",
        sa.Column("proposal_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("proposer_id", sa.Uuid(), nullable=False),
        sa.Column("supplier_id", sa.Uuid(), nullable=False),
        sa.Column("buyer_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=True),
        sa.Column("supply_listing_id", sa.Uuid(), nullable=False),
        sa.Column("demand_listing_id", sa.Uuid(), nullable=False),
        sa.Column("supplier_region_code", sa.String(length=6), nullable=False),
        sa.Column("buyer_region_code", sa.String(length=6), nullable=False),
        sa.Column("contract_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", zw_types.UtcDateTime(), nullable=False),
        sa.Column("updated_at", zw_types.UtcDateTime(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("proposal_id", name=op.f("pk_market_proposals")),
    )
    for column in (
        "state",
        "proposer_id",
        "supplier_id",
        "buyer_id",
        "beneficiary_id",
        "supply_listing_id",
        "demand_listing_id",
        "created_at",
    ):
        op.create_index(f"ix_market_proposals_{column}", "market_proposals", [column])
    op.create_table(
        "market_contracts",
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("proposal_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("supplier_id", sa.Uuid(), nullable=False),
        sa.Column("buyer_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=True),
        sa.Column("supplier_region_code", sa.String(length=6), nullable=False),
        sa.Column("buyer_region_code", sa.String(length=6), nullable=False),
        sa.Column("waste_code", sa.String(length=20), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("terms_digest", sa.String(length=64), nullable=False),
        sa.Column("signatures", sa.JSON(), nullable=False),
        sa.Column("drafted_at", zw_types.UtcDateTime(), nullable=False),
        sa.Column("updated_at", zw_types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("contract_id", name=op.f("pk_market_contracts")),
        sa.UniqueConstraint("number", name=op.f("uq_market_contracts_number")),
        sa.UniqueConstraint("proposal_id", name=op.f("uq_market_contracts_proposal_id")),
    )
    for column in ("state", "supplier_id", "buyer_id", "beneficiary_id"):
        op.create_index(f"ix_market_contracts_{column}", "market_contracts", [column])
    with op.batch_alter_table("manifests") as batch:
        batch.add_column(sa.Column("contract_id", sa.Uuid(), nullable=True))
        batch.create_index("ix_manifests_contract_id", ["contract_id"])


def downgrade() -> None:
    """Drop the contract tables and `manifests.contract_id`."""
    with op.batch_alter_table("manifests") as batch:
        batch.drop_index("ix_manifests_contract_id")
        batch.drop_column("contract_id")
    op.drop_table("market_contracts")
    op.drop_table("market_proposals")
