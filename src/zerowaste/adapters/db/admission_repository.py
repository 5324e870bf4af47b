"""Chain admission rules: store a new version, read the newest or any version, list versions."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, func, select

from zerowaste.adapters.db.admission_tables import chain_admission_rules
from zerowaste.domain.admission import (
    AdmissionRules,
    YearBasis,
    clauses_from_json,
    criteria_from_json,
)

_table = chain_admission_rules


def _rules(row: Any) -> AdmissionRules:
    return AdmissionRules(
        chain_master_id=row.chain_master_id,
        criteria=criteria_from_json(list(row.criteria)),
        clauses=clauses_from_json(list(row.clauses)),
        year_basis=YearBasis(row.year_basis),
        version=row.version,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


class AdmissionRuleRepository:
    """Reads and writes of `chain_admission_rules` on one connection (versions are kept)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def next_version(self, chain_master_id: uuid.UUID) -> int:
        """The version the next rules of this chain master get (1 for the first)."""
        latest = self._connection.execute(
            select(func.max(_table.c.version)).where(_table.c.chain_master_id == chain_master_id)
        ).scalar_one()
        return int(latest or 0) + 1

    def add(self, rules: AdmissionRules) -> None:
        """Store a version of the rules."""
        self._connection.execute(
            _table.insert().values(
                chain_master_id=rules.chain_master_id,
                version=rules.version,
                criteria=[c.to_json() for c in rules.criteria],
                clauses=[c.to_json() for c in rules.clauses],
                year_basis=rules.year_basis.value,
                updated_at=rules.updated_at,
                updated_by=rules.updated_by,
            )
        )

    def latest(self, chain_master_id: uuid.UUID) -> AdmissionRules | None:
        """The newest version, if the chain master ever set rules."""
        row = self._connection.execute(
            select(_table)
            .where(_table.c.chain_master_id == chain_master_id)
            .order_by(_table.c.version.desc())
            .limit(1)
        ).first()
        return _rules(row) if row else None

    def version(self, chain_master_id: uuid.UUID, version: int) -> AdmissionRules | None:
        """One version, if it exists."""
        row = self._connection.execute(
            select(_table)
            .where(_table.c.chain_master_id == chain_master_id)
            .where(_table.c.version == version)
        ).first()
        return _rules(row) if row else None

    def versions(self, chain_master_id: uuid.UUID) -> list[AdmissionRules]:
        """Every version, newest first."""
        rows = self._connection.execute(
            select(_table)
            .where(_table.c.chain_master_id == chain_master_id)
            .order_by(_table.c.version.desc())
        )
        return [_rules(r) for r in rows]
