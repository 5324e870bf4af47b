"""The versioned factor library: datasets and their factors.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zerowaste.adapters.db import types as zw_types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create `factor_datasets` and `factors`."""
    decimal = zw_types.ExactDecimal
    op.create_table(
        "factor_datasets",
        sa.Column("dataset_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", zw_types.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("factor_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("dataset_id", name=op.f("pk_factor_datasets")),
    )
    op.create_index(
        "ix_factor_datasets_name_version", "factor_datasets", ["name", "version"], unique=True
    )
    op.create_table(
        "factors",
        sa.Column("dataset_id", sa.Uuid(), nullable=False),
        sa.Column("ref", sa.String(length=250), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("factor_set", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=24), nullable=False),
        sa.Column("subject", sa.String(length=80), nullable=False),
        sa.Column("route", sa.String(length=32), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", decimal(), nullable=False),
        sa.Column("distribution", sa.String(length=16), nullable=False),
        sa.Column("spread", decimal(), nullable=True),
        sa.Column("low", decimal(), nullable=True),
        sa.Column("high", decimal(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("edition", sa.String(length=200), nullable=False),
        sa.Column("verification", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["factor_datasets.dataset_id"],
            name=op.f("fk_factors_dataset_id_factor_datasets"),
        ),
        sa.PrimaryKeyConstraint("dataset_id", "ref", name=op.f("pk_factors")),
    )
    op.create_index("ix_factors_dataset_subject", "factors", ["dataset_id", "category", "subject"])


def downgrade() -> None:
    """Drop `factors` and `factor_datasets`."""
    op.drop_table("factors")
    op.drop_table("factor_datasets")
