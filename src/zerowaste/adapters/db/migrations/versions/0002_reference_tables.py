"""Fill the regions (GB/T 2260) and industries (GB/T 4754-2017) tables from package data.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zerowaste.adapters.reference_files import read_industries, read_regions

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_regions = sa.table(
    "regions",
    sa.column("code"),
    sa.column("name_zh"),
    sa.column("level"),
    sa.column("parent_code"),
)
_industries = sa.table(
    "industries",
    sa.column("code"),
    sa.column("name_zh"),
    sa.column("level"),
    sa.column("parent_code"),
)


def upgrade() -> None:
    """Insert every region and industry row shipped with the package."""
    op.bulk_insert(
        _regions,
        [
            {"code": r.code, "name_zh": r.name_zh, "level": r.level, "parent_code": r.parent_code}
            for r in read_regions()
        ],
    )
    op.bulk_insert(
        _industries,
        [
            {"code": i.code, "name_zh": i.name_zh, "level": i.level, "parent_code": i.parent_code}
            for i in read_industries()
        ],
    )


def downgrade() -> None:
    """Empty both tables."""
    op.execute(_industries.delete())
    op.execute(_regions.delete())
