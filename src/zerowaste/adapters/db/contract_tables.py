"""SQLAlchemy Core tables of market proposals and contracts, and `manifests.contract_id` (0017)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, String, Table, Uuid

from zerowaste.adapters.db.tables import manifests, metadata
from zerowaste.adapters.db.types import UtcDateTime

market_proposals = Table(
    "market_proposals",
    metadata,
    Column("proposal_id", Uuid, primary_key=True),
    Column("state", String(16), nullable=False, index=True),
    Column("proposer_id", Uuid, nullable=False, index=True),
    Column("supplier_id", Uuid, nullable=False, index=True),
    Column("buyer_id", Uuid, nullable=False, index=True),
    Column("beneficiary_id", Uuid, nullable=True, index=True),
    Column("supply_listing_id", Uuid, nullable=False, index=True),
    Column("demand_listing_id", Uuid, nullable=False, index=True),
    Column("supplier_region_code", String(6), nullable=False),
    Column("buyer_region_code", String(6), nullable=False),
    Column("contract_id", Uuid, nullable=True),
    Column("created_at", UtcDateTime, nullable=False, index=True),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("body", JSON, nullable=False),
)

market_contracts = Table(
    "market_contracts",
    metadata,
    Column("contract_id", Uuid, primary_key=True),
    Column("number", String(40), nullable=False, unique=True),
    Column("proposal_id", Uuid, nullable=False, unique=True),
    Column("state", String(24), nullable=False, index=True),
    Column("supplier_id", Uuid, nullable=False, index=True),
    Column("buyer_id", Uuid, nullable=False, index=True),
    Column("beneficiary_id", Uuid, nullable=True, index=True),
    Column("supplier_region_code", String(6), nullable=False),
    Column("buyer_region_code", String(6), nullable=False),
    Column("waste_code", String(20), nullable=False),
    Column("start_on", Date, nullable=False),
    Column("end_on", Date, nullable=False),
    Column("terms", JSON, nullable=False),
    Column("terms_digest", String(64), nullable=False),
    Column("signatures", JSON, nullable=False),
    Column("drafted_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# The manifest projection names the contract a manifest delivers under (nullable, indexed).
manifests.append_column(Column("contract_id", Uuid, nullable=True, index=True))
