"""SQLAlchemy Core tables of market listings and their per-code index rows (migration 0015)."""

from __future__ import annotations

from sqlalchemy import Column, Date, Float, ForeignKey, Index, Integer, String, Table, Text, Uuid

from zerowaste.adapters.db.tables import metadata
from zerowaste.adapters.db.types import UtcDateTime

market_listings = Table(
    "market_listings",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("side", String(8), nullable=False),
    Column("state", String(12), nullable=False),
    Column("organization_id", Uuid, nullable=False, index=True),
    Column("site_id", Uuid, nullable=False, index=True),
    # The site's region and coordinates, copied so region queries and the map need no join.
    Column("region_code", String(6), nullable=False, index=True),
    Column("latitude", Float, nullable=True),
    Column("longitude", Float, nullable=True),
    Column("title", String(200), nullable=False),
    Column("waste_code", String(32), nullable=True, index=True),
    Column("accepted_codes", Text, nullable=True),
    Column("available_from", Date, nullable=False),
    Column("available_to", Date, nullable=False),
    Column("expires_on", Date, nullable=False),
    Column("terms", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("created_by", Uuid, nullable=True),
    Index("ix_market_listings_state_window", "state", "available_from", "available_to"),
)

#: One row per code a listing names (a supply's code, a demand's accepted codes), with the
#: hazardous waste category of each, so per-code and per-category look-ups use an index.
market_listing_codes = Table(
    "market_listing_codes",
    metadata,
    Column(
        "listing_id",
        Uuid,
        ForeignKey("market_listings.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("code", String(32), primary_key=True),
    Column("category", String(32), nullable=False),
    Index("ix_market_listing_codes_code", "code"),
    Index("ix_market_listing_codes_category", "category"),
)
