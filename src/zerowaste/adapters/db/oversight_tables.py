"""SQLAlchemy Core tables of oversight (migration 0008): alerts, whitelist, plans, sweeps.

They share `tables.metadata`; each row is a projection of a signed `zerowaste.oversight/1`
step in `workflow_actions` (alerts, whitelist changes, plans) or a record of a sweep run.
"""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, Date, Index, Integer, String, Table, Text, Uuid

from zerowaste.adapters.db.tables import metadata
from zerowaste.adapters.db.types import UtcDateTime

alerts = Table(
    "alerts",
    metadata,
    Column("alert_id", Uuid, primary_key=True),
    Column("number", BigInteger, nullable=False, unique=True),
    Column("fingerprint", String(200), nullable=False, unique=True),
    Column("rule_id", String(40), nullable=False, index=True),
    Column("severity", String(8), nullable=False),
    Column("state", String(16), nullable=False),
    Column("organization_id", Uuid, nullable=False, index=True),
    Column("region_code", String(6), nullable=False, index=True),
    Column("site_id", Uuid, nullable=True),
    Column("manifest_id", Uuid, nullable=True),
    Column("raised_at", UtcDateTime, nullable=False),
    Column("observed_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("explanation_zh", Text, nullable=False),
    Column("explanation_en", Text, nullable=False),
    Column("figures", JSON, nullable=False),
    Column("reason", Text, nullable=False),
    Column("closed_by", Uuid, nullable=True),
)

Index("ix_alerts_state_raised", alerts.c.state, alerts.c.raised_at)

alert_evidence = Table(
    "alert_evidence",
    metadata,
    Column("alert_id", Uuid, primary_key=True),
    Column("role", String(8), primary_key=True),
    Column("ref_id", Uuid, primary_key=True, index=True),
    Column("position", Integer, nullable=False),
)

whitelist_entries = Table(
    "whitelist_entries",
    metadata,
    Column("organization_id", Uuid, primary_key=True),
    Column("region_code", String(6), nullable=False, index=True),
    Column("state", String(16), nullable=False),
    Column("changed_at", UtcDateTime, nullable=False),
    Column("changed_by", Uuid, nullable=True),
    Column("reason", Text, nullable=False),
    Column("action_id", Uuid, nullable=False),
)

inspection_plans = Table(
    "inspection_plans",
    metadata,
    Column("plan_id", Uuid, primary_key=True),
    Column("jurisdiction_code", String(6), nullable=False, index=True),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("seed", BigInteger, nullable=False),
    Column("body", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", Uuid, nullable=True),
    Column("action_id", Uuid, nullable=False),
)

inspection_assignments = Table(
    "inspection_assignments",
    metadata,
    Column("plan_id", Uuid, primary_key=True),
    Column("organization_id", Uuid, primary_key=True, index=True),
    Column("inspector_user_id", Uuid, nullable=False),
    Column("reason", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("inspection_event_id", Uuid, nullable=True),
)

oversight_sweeps = Table(
    "oversight_sweeps",
    metadata,
    Column("sweep_id", Uuid, primary_key=True),
    Column("as_of", UtcDateTime, nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=False),
    Column("log_size", BigInteger, nullable=False),
    Column("findings", Integer, nullable=False),
    Column("raised", Integer, nullable=False),
    Column("by_rule", JSON, nullable=False),
)
