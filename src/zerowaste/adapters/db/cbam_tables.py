"""SQLAlchemy Core table of CBAM embedded-emissions reports (migration 0014)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Index, Integer, String, Table, Uuid

from zerowaste.adapters.db.tables import metadata
from zerowaste.adapters.db.types import UtcDateTime

cbam_reports = Table(
    "cbam_reports",
    metadata,
    Column("report_id", Uuid, primary_key=True),
    Column("site_id", Uuid, nullable=False, index=True),
    Column("organization_id", Uuid, nullable=False, index=True),
    Column("region_code", String(6), nullable=False, index=True),
    Column("period", String(7), nullable=False),
    Column("version", Integer, nullable=False),
    Column("inputs", JSON, nullable=False),
    Column("results", JSON, nullable=False),
    Column("created_by", Uuid, nullable=True),
    Column("created_at", UtcDateTime, nullable=False, index=True),
    Index("ix_cbam_reports_site_period_version", "site_id", "period", "version", unique=True),
)
