"""SQLAlchemy Core tables of the versioned factor library (migration 0009)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    Uuid,
)

from zerowaste.adapters.db.tables import metadata
from zerowaste.adapters.db.types import ExactDecimal, UtcDateTime

factor_datasets = Table(
    "factor_datasets",
    metadata,
    Column("dataset_id", Uuid, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("version", String(40), nullable=False),
    Column("description", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", Uuid, nullable=True),
    Column("is_active", Boolean, nullable=False),
    Column("factor_count", Integer, nullable=False),
    Index("ix_factor_datasets_name_version", "name", "version", unique=True),
)

factors = Table(
    "factors",
    metadata,
    Column("dataset_id", Uuid, ForeignKey("factor_datasets.dataset_id"), nullable=False),
    Column("ref", String(250), nullable=False),
    Column("position", Integer, nullable=False),
    Column("factor_set", String(16), nullable=False),
    Column("category", String(24), nullable=False),
    Column("subject", String(80), nullable=False),
    Column("route", String(32), nullable=False),
    Column("region", String(6), nullable=False),
    Column("year", Integer, nullable=False),
    Column("value", ExactDecimal, nullable=False),
    Column("distribution", String(16), nullable=False),
    Column("spread", ExactDecimal, nullable=True),
    Column("low", ExactDecimal, nullable=True),
    Column("high", ExactDecimal, nullable=True),
    Column("source", Text, nullable=False),
    Column("edition", String(200), nullable=False),
    Column("verification", String(16), nullable=False),
    Column("note", Text, nullable=False),
    PrimaryKeyConstraint("dataset_id", "ref"),
    Index("ix_factors_dataset_subject", "dataset_id", "category", "subject"),
)
