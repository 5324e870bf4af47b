"""Manifests: transfer manifest and cross-province approval projections, their signed actions.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zerowaste.adapters.db import types as zw_types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the manifest and approval tables."""
    op.create_table(
        "manifests",
        sa.Column("manifest_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("generator_id", sa.Uuid(), nullable=False),
        sa.Column("receiver_id", sa.Uuid(), nullable=False),
        sa.Column("approval_id", sa.Uuid(), nullable=True),
        sa.Column("origin_region_code", sa.String(length=6), nullable=False),
        sa.Column("destination_region_code", sa.String(length=6), nullable=False),
        sa.Column("issued_at", zw_types.UtcDateTime(), nullable=False),
        sa.Column("updated_at", zw_types.UtcDateTime(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("manifest_id", name=op.f("pk_manifests")),
        sa.UniqueConstraint("number", name=op.f("uq_manifests_number")),
    )
    for column in ("state", "generator_id", "receiver_id", "approval_id"):
        op.create_index(op.f(f"ix_manifests_{column}"), "manifests", [column])
    op.create_table(
        "manifest_parties",
        sa.Column("manifest_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("manifest_id", "organization_id", name=op.f("pk_manifest_parties")),
    )
    op.create_index(
        op.f("ix_manifest_parties_organization_id"), "manifest_parties", ["organization_id"]
    )
    op.create_table(
        "manifest_versions",
        sa.Column("manifest_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Uuid(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("recorded_at", zw_types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("manifest_id", "version", name=op.f("pk_manifest_versions")),
    )
    op.create_table(
        "approvals",
        sa.Column("approval_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("generator_id", sa.Uuid(), nullable=False),
        sa.Column("receiver_id", sa.Uuid(), nullable=False),
        sa.Column("origin_region_code", sa.String(length=6), nullable=False),
        sa.Column("destination_region_code", sa.String(length=6), nullable=False),
        sa.Column("waste_code", sa.String(length=16), nullable=False),
        sa.Column("cap_kg", zw_types.ExactDecimal(), nullable=False),
        sa.Column("used_kg", zw_types.ExactDecimal(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("updated_at", zw_types.UtcDateTime(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("approval_id", name=op.f("pk_approvals")),
        sa.UniqueConstraint("number", name=op.f("uq_approvals_number")),
    )
    for column in ("generator_id", "origin_region_code", "destination_region_code"):
        op.create_index(op.f(f"ix_approvals_{column}"), "approvals", [column])
    op.create_table(
        "workflow_actions",
        sa.Column("action_id", sa.Uuid(), nullable=False),
        sa.Column("subject", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("action_time", zw_types.UtcDateTime(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=True),
        sa.Column("log_id", sa.String(length=32), nullable=False),
        sa.Column("leaf_index", sa.BigInteger(), nullable=False),
        sa.Column("document", sa.LargeBinary(), nullable=False),
        sa.Column("signature_key_id", sa.String(length=100), nullable=False),
        sa.Column("signature_value", sa.String(length=100), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", zw_types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("action_id", name=op.f("pk_workflow_actions")),
    )
    op.create_index(op.f("ix_workflow_actions_subject_id"), "workflow_actions", ["subject_id"])


def downgrade() -> None:
    """Drop the manifest and approval tables (the ledger keeps the signed actions)."""
    op.drop_index(op.f("ix_workflow_actions_subject_id"), table_name="workflow_actions")
    op.drop_table("workflow_actions")
    for column in ("generator_id", "origin_region_code", "destination_region_code"):
        op.drop_index(op.f(f"ix_approvals_{column}"), table_name="approvals")
    op.drop_table("approvals")
    op.drop_table("manifest_versions")
    op.drop_index(op.f("ix_manifest_parties_organization_id"), table_name="manifest_parties")
    op.drop_table("manifest_parties")
    for column in ("state", "generator_id", "receiver_id", "approval_id"):
        op.drop_index(op.f(f"ix_manifests_{column}"), table_name="manifests")
    op.drop_table("manifests")
