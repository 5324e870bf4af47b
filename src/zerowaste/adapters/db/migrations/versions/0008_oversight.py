"""Oversight: alerts with their evidence, the whitelist, inspection plans and sweep runs.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zerowaste.adapters.db import types as zw_types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the oversight tables."""
    op.create_table(
        "alerts",
        sa.Column("alert_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.BigInteger(), nullable=False),
        sa.Column("fingerprint", sa.String(length=200), nullable=False),
        sa.Column("rule_id", sa.String(length=40), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=True),
        sa.Column("manifest_id", sa.Uuid(), nullable=True),
        sa.Column("raised_at", zw_types.UtcDateTime(), nullable=False),
        sa.Column("observed_at", zw_types.UtcDateTime(), nullable=False),
        sa.Column("updated_at", zw_types.UtcDateTime(), nullable=False),
        sa.Column("explanation_zh", sa.Text(), nullable=False),
        sa.Column("explanation_en", sa.Text(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("closed_by", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("alert_id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_alerts_fingerprint")),
        sa.UniqueConstraint("number", name=op.f("uq_alerts_number")),
    )
    op.create_index(op.f("ix_alerts_rule_id"), "alerts", ["rule_id"])
    op.create_index(op.f("ix_alerts_organization_id"), "alerts", ["organization_id"])
    op.create_index(op.f("ix_alerts_region_code"), "alerts", ["region_code"])
    op.create_index("ix_alerts_state_raised", "alerts", ["state", "raised_at"])
    op.create_table(
        "alert_evidence",
        sa.Column("alert_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("ref_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("alert_id", "role", "ref_id", name=op.f("pk_alert_evidence")),
    )
    op.create_index(op.f("ix_alert_evidence_ref_id"), "alert_evidence", ["ref_id"])
    op.create_table(
        "whitelist_entries",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("changed_at", zw_types.UtcDateTime(), nullable=False),
        sa.Column("changed_by", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("action_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("organization_id", name=op.f("pk_whitelist_entries")),
    )
    op.create_index(op.f("ix_whitelist_entries_region_code"), "whitelist_entries", ["region_code"])
    op.create_table(
        "inspection_plans",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("jurisdiction_code", sa.String(length=6), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("created_at", zw_types.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("action_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("plan_id", name=op.f("pk_inspection_plans")),
    )
    op.create_index(
        op.f("ix_inspection_plans_jurisdiction_code"), "inspection_plans", ["jurisdiction_code"]
    )
    op.create_table(
        "inspection_assignments",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("inspector_user_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("inspection_event_id", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint(
            "plan_id", "organization_id", name=op.f("pk_inspection_assignments")
        ),
    )
    op.create_index(
        op.f("ix_inspection_assignments_organization_id"),
        "inspection_assignments",
        ["organization_id"],
    )
    op.create_table(
        "oversight_sweeps",
        sa.Column("sweep_id", sa.Uuid(), nullable=False),
        sa.Column("as_of", zw_types.UtcDateTime(), nullable=False),
        sa.Column("started_at", zw_types.UtcDateTime(), nullable=False),
        sa.Column("finished_at", zw_types.UtcDateTime(), nullable=False),
        sa.Column("log_size", sa.BigInteger(), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.Column("raised", sa.Integer(), nullable=False),
        sa.Column("by_rule", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("sweep_id", name=op.f("pk_oversight_sweeps")),
    )


def downgrade() -> None:
    """Drop the oversight tables."""
    for table in (
        "oversight_sweeps",
        "inspection_assignments",
        "inspection_plans",
        "whitelist_entries",
        "alert_evidence",
        "alerts",
    ):
        op.drop_table(table)
