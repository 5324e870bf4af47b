"""Ledger: the Merkle log's head, entries, stored subtree hashes, checkpoints and signing key.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zerowaste.adapters.db import types as zw_types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the ledger tables."""
    op.create_table(
        "ledger_heads",
        sa.Column("log_id", sa.String(length=32), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("log_id", name=op.f("pk_ledger_heads")),
    )
    op.create_table(
        "ledger_entries",
        sa.Column("log_id", sa.String(length=32), nullable=False),
        sa.Column("leaf_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("leaf_data", sa.LargeBinary(), nullable=False),
        sa.Column("leaf_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("recorded_at", zw_types.UtcDateTime(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=True),
        sa.Column("signer_key_id", sa.String(length=100), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("log_id", "leaf_index", name=op.f("pk_ledger_entries")),
        sa.UniqueConstraint("id", name=op.f("uq_ledger_entries_id")),
    )
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ledger_entries_organization_id"), ["organization_id"], unique=False
        )
    op.create_table(
        "ledger_nodes",
        sa.Column("log_id", sa.String(length=32), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("node_index", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("log_id", "level", "node_index", name=op.f("pk_ledger_nodes")),
    )
    op.create_table(
        "ledger_checkpoints",
        sa.Column("log_id", sa.String(length=32), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("root_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", zw_types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("log_id", "size", name=op.f("pk_ledger_checkpoints")),
    )
    op.create_table(
        "ledger_keys",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("log_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("public_key", sa.LargeBinary(length=32), nullable=False),
        sa.Column("sealed_private_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", zw_types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_keys")),
        sa.UniqueConstraint("log_id", name=op.f("uq_ledger_keys_log_id")),
    )


def downgrade() -> None:
    """Drop the ledger tables (and every logged entry with them)."""
    op.drop_table("ledger_keys")
    op.drop_table("ledger_checkpoints")
    op.drop_table("ledger_nodes")
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_entries_organization_id"))
    op.drop_table("ledger_entries")
    op.drop_table("ledger_heads")
