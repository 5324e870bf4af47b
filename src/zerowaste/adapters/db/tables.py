"""SQLAlchemy Core tables: the registry, accounts, the idempotency store and the ledger."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)

from zerowaste.adapters.db.types import ExactDecimal, UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

regions = Table(
    "regions",
    metadata,
    Column("code", String(6), primary_key=True),
    Column("name_zh", String(64), nullable=False),
    Column("level", String(16), nullable=False),
    Column("parent_code", String(6), nullable=True, index=True),
)

industries = Table(
    "industries",
    metadata,
    Column("code", String(5), primary_key=True),
    Column("name_zh", String(128), nullable=False),
    Column("level", String(16), nullable=False),
    Column("parent_code", String(5), nullable=True, index=True),
)

organizations = Table(
    "organizations",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("credit_code", String(18), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("name_en", String(200), nullable=True),
    Column("region_code", String(6), ForeignKey("regions.code"), nullable=False, index=True),
    Column("industry_code", String(5), ForeignKey("industries.code"), nullable=True),
    Column("jurisdiction_code", String(6), ForeignKey("regions.code"), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)

organization_roles = Table(
    "organization_roles",
    metadata,
    Column(
        "organization_id",
        Uuid,
        ForeignKey("organizations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("role", String(32), primary_key=True),
)

economic_records = Table(
    "economic_records",
    metadata,
    Column("organization_id", Uuid, ForeignKey("organizations.id"), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("output_value_cny", ExactDecimal, nullable=False),
    Column("industrial_added_value_cny", ExactDecimal, nullable=False),
    Column("product_output", ExactDecimal, nullable=False),
    Column("product_unit", String(32), nullable=False),
)

sites = Table(
    "sites",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("organization_id", Uuid, ForeignKey("organizations.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("region_code", String(6), ForeignKey("regions.code"), nullable=False, index=True),
    Column("latitude", Float, nullable=False),
    Column("longitude", Float, nullable=False),
    Column("address", String(300), nullable=False, default=""),
    CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude_range"),
    CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude_range"),
)

permits = Table(
    "permits",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("organization_id", Uuid, ForeignKey("organizations.id"), nullable=False, index=True),
    Column("site_id", Uuid, ForeignKey("sites.id"), nullable=True),
    Column("kind", String(32), nullable=False),
    Column("number", String(64), nullable=False),
    Column("activities", JSON, nullable=False),
    Column("waste_codes", JSON, nullable=False),
    Column("annual_capacity_t", ExactDecimal, nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date, nullable=False),
    Column("issued_by", String(200), nullable=False, default=""),
    CheckConstraint("valid_to >= valid_from", name="period"),
)

users = Table(
    "users",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("display_name", String(200), nullable=False, default=""),
    Column("role", String(16), nullable=False),
    Column("organization_id", Uuid, ForeignKey("organizations.id"), nullable=True, index=True),
    Column("jurisdiction_code", String(6), ForeignKey("regions.code"), nullable=True),
    Column("language", String(2), nullable=False, default="zh"),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UtcDateTime, nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.id"), nullable=False, index=True),
    Column("name", String(100), nullable=False),
    Column("prefix", String(16), nullable=False, unique=True),
    Column("secret_hash", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
)

signing_keys = Table(
    "signing_keys",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("organization_id", Uuid, ForeignKey("organizations.id"), nullable=False, index=True),
    Column("public_key", LargeBinary(32), nullable=False, unique=True),
    Column("valid_from", UtcDateTime, nullable=False),
    Column("valid_to", UtcDateTime, nullable=True),
    Column("encrypted_private_key", LargeBinary, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)

idempotency_records = Table(
    "idempotency_records",
    metadata,
    Column("caller", String(64), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("content_type", String(100), nullable=True),
    Column("response_body", LargeBinary, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)

Index("ix_permits_kind_valid_to", permits.c.kind, permits.c.valid_to)

# The ledger (DESIGN.md section 6). Every row carries its log's id: version 1 runs one log, the
# sharding plan runs one per province. Rows are appended, never updated (but for the head).
ledger_heads = Table(
    "ledger_heads",
    metadata,
    Column("log_id", String(32), primary_key=True),
    Column("size", BigInteger, nullable=False),
)

ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("log_id", String(32), primary_key=True),
    Column("leaf_index", BigInteger, primary_key=True),
    Column("id", Uuid, nullable=False, unique=True),
    Column("leaf_data", LargeBinary, nullable=False),
    Column("leaf_hash", LargeBinary(32), nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("organization_id", Uuid, nullable=True, index=True),
    Column("signer_key_id", String(100), nullable=True),
    Column("user_id", Uuid, nullable=True),
)

ledger_nodes = Table(
    "ledger_nodes",
    metadata,
    Column("log_id", String(32), primary_key=True),
    Column("level", Integer, primary_key=True),
    Column("node_index", BigInteger, primary_key=True),
    Column("hash", LargeBinary(32), nullable=False),
)

ledger_checkpoints = Table(
    "ledger_checkpoints",
    metadata,
    Column("log_id", String(32), primary_key=True),
    Column("size", BigInteger, primary_key=True),
    Column("root_hash", LargeBinary(32), nullable=False),
    Column("note", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

ledger_keys = Table(
    "ledger_keys",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("log_id", String(32), nullable=False),
    Column("name", String(200), nullable=False),
    Column("public_key", LargeBinary(32), nullable=False),
    Column("sealed_private_key", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("log_id", name="uq_ledger_keys_log_id"),
)

# Capture projections (DESIGN.md section 5), written in the transaction that logs the events.
batches = Table(
    "batches",
    metadata,
    Column("batch_id", Uuid, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("waste_code", String(16), nullable=True),
    Column("holder_id", Uuid, nullable=False, index=True),
    Column("site_id", Uuid, nullable=True),
    Column("mass_kg", ExactDecimal, nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("stored_since", UtcDateTime, nullable=False),
    Column("manifest_id", Uuid, nullable=True, index=True),
    Column("shipped_mass_kg", ExactDecimal, nullable=True),
    Column("composition", Text, nullable=True),
)

Index("ix_batches_site_status", batches.c.site_id, batches.c.status)

batch_lineage = Table(
    "batch_lineage",
    metadata,
    Column("parent_id", Uuid, primary_key=True),
    Column("child_id", Uuid, primary_key=True, index=True),
    Column("event_id", Uuid, primary_key=True),
    Column("mass_kg", ExactDecimal, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("log_id", String(32), nullable=False),
    Column("leaf_index", BigInteger, nullable=False),
    Column("event_type", String(16), nullable=False),
    Column("event_time", UtcDateTime, nullable=False),
    Column("organization_id", Uuid, nullable=False),
    Column("site_id", Uuid, nullable=True),
    Column("manifest_id", Uuid, nullable=True, index=True),
    Column("document", LargeBinary, nullable=False),
    Column("signature_key_id", String(100), nullable=False),
    Column("signature_value", String(100), nullable=False),
    Column("user_id", Uuid, nullable=True),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("discrepancy_kg", ExactDecimal, nullable=True),
    UniqueConstraint("log_id", "leaf_index", name="uq_events_log_id_leaf_index"),
)

Index("ix_events_organization_time", events.c.organization_id, events.c.event_time)
Index("ix_events_site_time", events.c.site_id, events.c.event_time)

event_batches = Table(
    "event_batches",
    metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("batch_id", Uuid, primary_key=True, index=True),
    Column("role", String(8), primary_key=True),
)

# EPCIS 2.0 repository (migration 0007): captured EPCIS events and the platform's own events as
# exported, indexed for the standard query; the identifiers each names; capture jobs.
epcis_events = Table(
    "epcis_events",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("log_id", String(32), nullable=False),
    Column("leaf_index", BigInteger, nullable=False),
    Column("source", String(8), nullable=False),
    Column("event_id", String(2000), nullable=False, index=True),
    Column("event_type", String(2000), nullable=False),
    Column("event_time", UtcDateTime, nullable=False, index=True),
    Column("record_time", UtcDateTime, nullable=False),
    Column("action", String(8), nullable=True),
    Column("biz_step", String(2000), nullable=True, index=True),
    Column("disposition", String(2000), nullable=True),
    Column("read_point", String(2000), nullable=True),
    Column("biz_location", String(2000), nullable=True),
    Column("organization_id", Uuid, nullable=False, index=True),
    Column("user_id", Uuid, nullable=True),
    Column("job_id", Uuid, nullable=True),
    Column("content_hash", LargeBinary(32), nullable=False),
    Column("context", JSON, nullable=True),
    Column("document", LargeBinary, nullable=False),
    UniqueConstraint("log_id", "leaf_index", name="uq_epcis_events_log_id_leaf_index"),
)

Index(
    "ix_epcis_events_source_leaf",
    epcis_events.c.log_id,
    epcis_events.c.source,
    epcis_events.c.leaf_index,
)

epcis_event_epcs = Table(
    "epcis_event_epcs",
    metadata,
    Column("entry_id", Uuid, primary_key=True),
    Column("role", String(9), primary_key=True),
    Column("epc", String(2000), primary_key=True, index=True),
)

epcis_capture_jobs = Table(
    "epcis_capture_jobs",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("status", String(8), nullable=False, index=True),
    Column("error_behaviour", String(8), nullable=False),
    Column("organization_id", Uuid, nullable=False, index=True),
    Column("user_id", Uuid, nullable=True),
    Column("document", LargeBinary, nullable=False),
    Column("event_count", Integer, nullable=False),
    Column("stored_count", Integer, nullable=False),
    Column("errors", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=True),
)

# Transfer manifests and cross-province approvals (migration 0005): projections of the signed
# `zerowaste.manifest/1` and `zerowaste.approval/1` documents, written with their ledger leaf.
manifests = Table(
    "manifests",
    metadata,
    Column("manifest_id", Uuid, primary_key=True),
    Column("number", String(40), nullable=False, unique=True),
    Column("version", Integer, nullable=False),
    Column("state", String(24), nullable=False, index=True),
    Column("generator_id", Uuid, nullable=False, index=True),
    Column("receiver_id", Uuid, nullable=False, index=True),
    Column("approval_id", Uuid, nullable=True, index=True),
    Column("origin_region_code", String(6), nullable=False),
    Column("destination_region_code", String(6), nullable=False),
    Column("issued_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("body", JSON, nullable=False),
)

manifest_parties = Table(
    "manifest_parties",
    metadata,
    Column("manifest_id", Uuid, primary_key=True),
    Column("organization_id", Uuid, primary_key=True, index=True),
)

manifest_versions = Table(
    "manifest_versions",
    metadata,
    Column("manifest_id", Uuid, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("action_id", Uuid, nullable=False),
    Column("terms", JSON, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
)

approvals = Table(
    "approvals",
    metadata,
    Column("approval_id", Uuid, primary_key=True),
    Column("number", String(40), nullable=False, unique=True),
    Column("state", String(16), nullable=False),
    Column("generator_id", Uuid, nullable=False, index=True),
    Column("receiver_id", Uuid, nullable=False),
    Column("origin_region_code", String(6), nullable=False, index=True),
    Column("destination_region_code", String(6), nullable=False, index=True),
    Column("waste_code", String(16), nullable=False),
    Column("cap_kg", ExactDecimal, nullable=False),
    Column("used_kg", ExactDecimal, nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("body", JSON, nullable=False),
)

workflow_actions = Table(
    "workflow_actions",
    metadata,
    Column("action_id", Uuid, primary_key=True),
    Column("subject", String(16), nullable=False),
    Column("subject_id", Uuid, nullable=False, index=True),
    Column("action", String(16), nullable=False),
    Column("action_time", UtcDateTime, nullable=False),
    Column("organization_id", Uuid, nullable=True),
    Column("log_id", String(32), nullable=False),
    Column("leaf_index", BigInteger, nullable=False),
    Column("document", LargeBinary, nullable=False),
    Column("signature_key_id", String(100), nullable=False),
    Column("signature_value", String(100), nullable=False),
    Column("user_id", Uuid, nullable=True),
    Column("recorded_at", UtcDateTime, nullable=False),
)

# Inspection and correction projections (migration 0006).
inspections = Table(
    "inspections",
    metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("site_id", Uuid, nullable=False),
    Column("site_organization_id", Uuid, nullable=False, index=True),
    Column("inspector_id", Uuid, nullable=False),
    Column("inspected_at", UtcDateTime, nullable=False),
    Column("conditions", Text, nullable=False),
    Column("note", Text, nullable=False),
    Column("user_id", Uuid, nullable=True),
)

Index("ix_inspections_site_time", inspections.c.site_id, inspections.c.inspected_at)

inspection_lines = Table(
    "inspection_lines",
    metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("batch_id", Uuid, nullable=True),
    Column("waste_code", String(16), nullable=True),
    Column("counted_kg", ExactDecimal, nullable=False),
    Column("ledger_kg", ExactDecimal, nullable=False),
    Column("gap_kg", ExactDecimal, nullable=False),
)

event_corrections = Table(
    "event_corrections",
    metadata,
    Column("corrected_event_id", Uuid, primary_key=True),
    Column("correction_event_id", Uuid, nullable=False, unique=True),
    Column("organization_id", Uuid, nullable=False),
    Column("reason", Text, nullable=False),
    Column("batch_id", Uuid, nullable=True, index=True),
    Column("stated_kg", ExactDecimal, nullable=True),
    Column("corrected_kg", ExactDecimal, nullable=True),
    Column("corrected_at", UtcDateTime, nullable=False),
)

# The oversight tables (migration 0008) are defined on this metadata in their own module.
from zerowaste.adapters.db.admission_tables import chain_admission_rules  # noqa: E402, F401
from zerowaste.adapters.db.allocation_tables import (  # noqa: E402, F401
    market_allocation_lines,
    market_allocations,
)
from zerowaste.adapters.db.carbon_tables import carbon_baselines, chain_members  # noqa: E402, F401
from zerowaste.adapters.db.cbam_tables import cbam_reports  # noqa: E402, F401
from zerowaste.adapters.db.contract_tables import (  # noqa: E402, F401
    market_contracts,
    market_proposals,
)
from zerowaste.adapters.db.evaluation_tables import evaluation_datasets  # noqa: E402, F401
from zerowaste.adapters.db.factor_tables import factor_datasets, factors  # noqa: E402, F401
from zerowaste.adapters.db.footprint_tables import product_footprints  # noqa: E402, F401
from zerowaste.adapters.db.indicator_tables import (  # noqa: E402, F401
    indicator_fact_marks,
    indicator_facts,
    region_statistics,
)
from zerowaste.adapters.db.listing_tables import (  # noqa: E402, F401
    market_listing_codes,
    market_listings,
)
from zerowaste.adapters.db.oversight_tables import (  # noqa: E402, F401
    alert_evidence,
    alerts,
    inspection_assignments,
    inspection_plans,
    oversight_sweeps,
    whitelist_entries,
)
from zerowaste.adapters.db.pact_tables import pact_clients, pact_events  # noqa: E402, F401
from zerowaste.adapters.db.product_system_tables import (  # noqa: E402, F401
    carbon_process_shares,
    carbon_processes,
    carbon_product_systems,
)
