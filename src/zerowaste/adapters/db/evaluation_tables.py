"""SQLAlchemy Core table of imported panel datasets for evaluation (migration 0021)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Integer, String, Table, Text, Uuid

from zerowaste.adapters.db.tables import metadata
from zerowaste.adapters.db.types import UtcDateTime

evaluation_datasets = Table(
    "evaluation_datasets",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("source", Text, nullable=False),
    Column("created_by", Uuid, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("columns", JSON, nullable=False),
    Column("row_count", Integer, nullable=False),
    Column("csv", Text, nullable=False),
)
