"""SQLAlchemy Core tables of stored market allocation runs and their lines (migration 0016)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Uuid,
)

from zerowaste.adapters.db.tables import metadata
from zerowaste.adapters.db.types import UtcDateTime

market_allocations = Table(
    "market_allocations",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("region_code", String(6), nullable=False, index=True),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("carbon_price", Float, nullable=False),
    Column("params", JSON, nullable=False),
    Column("objective_cny", Float, nullable=False),
    Column("matched_t", Float, nullable=False),
    Column("disposed_t", Float, nullable=False),
    Column("avoided_co2e_kg", Float, nullable=False),
    Column("solver", String(32), nullable=False),
    Column("candidates", Integer, nullable=False),
    Column("filtered_counts", JSON, nullable=False),
    Column("filtered_examples", JSON, nullable=False),
    Column("timings", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False, index=True),
    Column("created_by", Uuid, nullable=True),
)

market_allocation_lines = Table(
    "market_allocation_lines",
    metadata,
    Column(
        "allocation_id",
        Uuid,
        ForeignKey("market_allocations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("line_no", Integer, primary_key=True),
    Column("supply_listing_id", Uuid, nullable=False, index=True),
    Column("demand_listing_id", Uuid, nullable=True, index=True),
    Column("quantity_t", Float, nullable=False),
    Column("value", JSON, nullable=False),
    Column("value_cny", Float, nullable=False),
    Column("avoided_co2e_kg", Float, nullable=False),
    Column("distance_km", Float, nullable=False),
    Column("binding", JSON, nullable=False),
    Column("alternative", JSON, nullable=True),
)
