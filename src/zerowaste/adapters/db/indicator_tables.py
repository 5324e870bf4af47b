"""SQLAlchemy Core tables of the indicator facts (migration 0019) and region statistics (0020)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Float, Index, Integer, String, Table, Text, Uuid

from zerowaste.adapters.db.tables import metadata
from zerowaste.adapters.db.types import ExactDecimal, UtcDateTime

#: One row per waste line of a `generated`, `transformed` or `disposed` event: a projection
#: of the ledger, refreshed by leaf index; masses in milligrams (exact sums on both backends).
indicator_facts = Table(
    "indicator_facts",
    metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("batch_id", Uuid, primary_key=True),
    Column("log_id", String(32), nullable=False),
    Column("leaf_index", BigInteger, nullable=False),
    Column("kind", String(12), nullable=False),
    Column("event_time", UtcDateTime, nullable=False),
    Column("organization_id", Uuid, nullable=False),
    Column("generator_id", Uuid, nullable=False),
    Column("region_code", String(6), nullable=False),
    Column("generator_region", String(6), nullable=False),
    Column("waste_code", String(16), nullable=False),
    Column("hazardous", Boolean, nullable=False),
    Column("route", String(32), nullable=True),
    Column("mass_mg", BigInteger, nullable=False),
    Column("distance_km", Float, nullable=False),
    Column("batch_made_at", UtcDateTime, nullable=True),
    Index("ix_indicator_facts_generator_time", "generator_id", "event_time"),
    Index("ix_indicator_facts_region_time", "generator_region", "event_time"),
)

#: How far each log's events are projected into `indicator_facts`.
indicator_fact_marks = Table(
    "indicator_fact_marks",
    metadata,
    Column("log_id", String(32), primary_key=True),
    Column("leaf_index", BigInteger, nullable=False),
)

region_statistics = Table(
    "region_statistics",
    metadata,
    Column("region_code", String(6), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("kind", String(40), primary_key=True),
    Column("value", ExactDecimal, nullable=False),
    Column("source", Text, nullable=False),
    Column("uploaded_by", Uuid, nullable=True),
    Column("uploaded_at", UtcDateTime, nullable=False),
)
