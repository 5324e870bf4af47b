"""SQLAlchemy Core tables of chains and avoided-emission baselines (migration 0010)."""

from __future__ import annotations

from sqlalchemy import Column, String, Table, Uuid

from zerowaste.adapters.db.tables import metadata
from zerowaste.adapters.db.types import UtcDateTime

chain_members = Table(
    "chain_members",
    metadata,
    Column("chain_master_id", Uuid, primary_key=True),
    Column("supplier_id", Uuid, primary_key=True, index=True),
    Column("since", UtcDateTime, nullable=False),
    Column("added_by", Uuid, nullable=True),
)

carbon_baselines = Table(
    "carbon_baselines",
    metadata,
    Column("region_prefix", String(6), primary_key=True),
    Column("subject", String(40), primary_key=True),
    Column("baseline_route", String(32), nullable=False),
    Column("set_by", Uuid, nullable=True),
    Column("set_at", UtcDateTime, nullable=False),
)
