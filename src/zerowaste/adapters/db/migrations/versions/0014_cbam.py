"""CBAM embedded-emissions reports, one version per installation and quarter.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zerowaste.adapters.db import types as zw_types

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create `cbam_reports`."""
    op.create_table(
        "cbam_reports",
        sa.Column("report_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", zw_types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("report_id"),
    )
    for column in ("site_id", "organization_id", "region_code", "created_at"):
        op.create_index(f"ix_cbam_reports_{column}", "cbam_reports", [column])
    op.create_index(
        "ix_cbam_reports_site_period_version",
        "cbam_reports",
        ["site_id", "period", "version"],
        unique=True,
    )


def downgrade() -> None:
    """Drop `cbam_reports`."""
    op.drop_table("cbam_reports")
