"""SQLAlchemy Core tables of firm-entered processes, their shares and product systems (0012)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, String, Table, Text, Uuid

from zerowaste.adapters.db.tables import metadata
from zerowaste.adapters.db.types import ExactDecimal, UtcDateTime

carbon_processes = Table(
    "carbon_processes",
    metadata,
    Column("process_id", Uuid, primary_key=True),
    Column("organization_id", Uuid, nullable=False, index=True),
    Column("site_id", Uuid, nullable=True),
    Column("name", String(200), nullable=False),
    Column("reference_product", String(200), nullable=False),
    Column("reference_amount", ExactDecimal, nullable=False),
    Column("unit", String(40), nullable=False),
    Column("reference_mass_kg", ExactDecimal, nullable=False),
    Column("reference_price_cny", ExactDecimal, nullable=False),
    Column("region_code", String(6), nullable=False),
    Column("period_start", UtcDateTime, nullable=False),
    Column("period_end", UtcDateTime, nullable=False),
    Column("exchanges", JSON, nullable=False),
    Column("co_products", JSON, nullable=False),
    Column("created", UtcDateTime, nullable=False),
)

carbon_process_shares = Table(
    "carbon_process_shares",
    metadata,
    Column("process_id", Uuid, primary_key=True),
    Column("organization_id", Uuid, primary_key=True, index=True),
    Column("shared_at", UtcDateTime, nullable=False),
)

carbon_product_systems = Table(
    "carbon_product_systems",
    metadata,
    Column("product_system_id", Uuid, primary_key=True),
    Column("organization_id", Uuid, nullable=False, index=True),
    Column("product_id", String(200), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("top_process_id", Uuid, nullable=False),
    Column("declared_unit", String(200), nullable=False),
    Column("unit_amount", ExactDecimal, nullable=False),
    Column("reference_flow", ExactDecimal, nullable=False),
    Column("product_mass_per_unit_kg", ExactDecimal, nullable=False),
    Column("allocation", String(16), nullable=False),
    Column("classification", String(200), nullable=False),
    Column("comment", Text, nullable=False),
    Column("created", UtcDateTime, nullable=False),
)
