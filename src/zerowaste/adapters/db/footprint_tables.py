"""SQLAlchemy Core table of published product carbon footprints (migration 0011)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Index, Integer, String, Table, Text, Uuid

from zerowaste.adapters.db.tables import metadata
from zerowaste.adapters.db.types import ExactDecimal, UtcDateTime

product_footprints = Table(
    "product_footprints",
    metadata,
    Column("footprint_id", Uuid, primary_key=True),
    Column("product_id", String(200), nullable=False, index=True),
    Column("product_name", String(200), nullable=False),
    Column("organization_id", Uuid, nullable=False, index=True),
    Column("company_name", String(200), nullable=False),
    Column("declared_unit", String(40), nullable=False),
    Column("unit_amount", ExactDecimal, nullable=False),
    Column("product_mass_per_unit_kg", ExactDecimal, nullable=False),
    Column("reference_period_start", UtcDateTime, nullable=False),
    Column("reference_period_end", UtcDateTime, nullable=False),
    Column("geography_region_code", String(6), nullable=False),
    Column("boundary", Text, nullable=False),
    Column("pcf_excluding_biogenic_uptake_kg", ExactDecimal, nullable=False),
    Column("fossil_ghg_kg", ExactDecimal, nullable=False),
    Column("biogenic_ghg_kg", ExactDecimal, nullable=False),
    Column("land_use_change_kg", ExactDecimal, nullable=False),
    Column("interval_low_kg", ExactDecimal, nullable=False),
    Column("interval_high_kg", ExactDecimal, nullable=False),
    Column("allocation", String(16), nullable=False),
    Column("recycled_content_share", ExactDecimal, nullable=False),
    Column("primary_data_share", ExactDecimal, nullable=False),
    Column("characterization", String(40), nullable=False),
    Column("standards", JSON, nullable=False),
    Column("factor_sources", JSON, nullable=False),
    Column("contributions", JSON, nullable=False),
    Column("comment", Text, nullable=False),
    Column("classification", String(200), nullable=False),
    Column("product_system_id", Uuid, nullable=True, index=True),
    Column("version", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("created", UtcDateTime, nullable=False, index=True),
    Index("ix_product_footprints_product_version", "product_id", "version", unique=True),
)
