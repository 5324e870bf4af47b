"""Reads and writes of chain membership and regional baselines on one connection."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, select

from zerowaste.adapters.db.carbon_tables import carbon_baselines, chain_members
from zerowaste.carbon.flows import BaselineRule
from zerowaste.domain.chains import Chain, ChainMember
from zerowaste.domain.factors import WasteRoute


def _member(row: Any) -> ChainMember:
    return ChainMember(row.chain_master_id, row.supplier_id, row.since, row.added_by)


class ChainRepository:
    """The `chain_members` rows: who supplies which chain master."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def chain(self, chain_master_id: uuid.UUID) -> Chain:
        """The chain master's chain (no members if none registered)."""
        query = (
            select(chain_members)
            .where(chain_members.c.chain_master_id == chain_master_id)
            .order_by(chain_members.c.since, chain_members.c.supplier_id)
        )
        members = tuple(_member(r) for r in self._connection.execute(query))
        return Chain(chain_master_id, members)

    def masters_of(self, supplier_id: uuid.UUID) -> list[uuid.UUID]:
        """The chain masters a firm supplies."""
        query = select(chain_members.c.chain_master_id).where(
            chain_members.c.supplier_id == supplier_id
        )
        return [r.chain_master_id for r in self._connection.execute(query)]

    def get(self, chain_master_id: uuid.UUID, supplier_id: uuid.UUID) -> ChainMember | None:
        """One membership, if registered."""
        row = self._connection.execute(
            select(chain_members).where(
                chain_members.c.chain_master_id == chain_master_id,
                chain_members.c.supplier_id == supplier_id,
            )
        ).first()
        return _member(row) if row else None

    def add(self, member: ChainMember) -> None:
        """Register a supplier (the caller checked it is not registered yet)."""
        self._connection.execute(
            chain_members.insert().values(
                chain_master_id=member.chain_master_id,
                supplier_id=member.supplier_id,
                since=member.since,
                added_by=member.added_by,
            )
        )

    def remove(self, chain_master_id: uuid.UUID, supplier_id: uuid.UUID) -> bool:
        """Remove a supplier; whether it was registered."""
        result = self._connection.execute(
            chain_members.delete().where(
                chain_members.c.chain_master_id == chain_master_id,
                chain_members.c.supplier_id == supplier_id,
            )
        )
        return bool(result.rowcount)


class BaselineRepository:
    """The `carbon_baselines` rows: a region's baseline route per material or waste code."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def all(self) -> list[BaselineRule]:
        """Every regional baseline, by region and subject."""
        query = select(carbon_baselines).order_by(
            carbon_baselines.c.region_prefix, carbon_baselines.c.subject
        )
        return [
            BaselineRule(
                r.region_prefix, r.subject, WasteRoute(r.baseline_route), r.set_by, r.set_at
            )
            for r in self._connection.execute(query)
        ]

    def put(self, rule: BaselineRule) -> None:
        """Store a baseline, replacing the region's previous one for the subject."""
        self._connection.execute(
            carbon_baselines.delete().where(
                carbon_baselines.c.region_prefix == rule.region_prefix,
                carbon_baselines.c.subject == rule.subject,
            )
        )
        self._connection.execute(
            carbon_baselines.insert().values(
                region_prefix=rule.region_prefix,
                subject=rule.subject,
                baseline_route=rule.route.value,
                set_by=rule.set_by,
                set_at=rule.set_at,
            )
        )

    def remove(self, region_prefix: str, subject: str) -> bool:
        """Drop a baseline (the default applies again); whether there was one."""
        result = self._connection.execute(
            carbon_baselines.delete().where(
                carbon_baselines.c.region_prefix == region_prefix,
                carbon_baselines.c.subject == subject,
            )
        )
        return bool(result.rowcount)
