"""SQLAlchemy Core table of chain masters' supplier admission rules (migration 0018)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Integer, String, Table, Uuid

from zerowaste.adapters.db.tables import metadata
from zerowaste.adapters.db.types import UtcDateTime

chain_admission_rules = Table(
    "chain_admission_rules",
    metadata,
    Column("chain_master_id", Uuid, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("criteria", JSON, nullable=False),
    Column("clauses", JSON, nullable=False),
    Column("year_basis", String(16), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("updated_by", Uuid, nullable=True),
)
