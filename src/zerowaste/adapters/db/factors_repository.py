"""Factor datasets and their factors: store a version, activate one, read and page factors."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, false, select, update

from zerowaste.adapters.db.factor_tables import factor_datasets, factors
from zerowaste.domain.factor_datasets import FactorDataset, FactorFilter
from zerowaste.domain.factors import (
    Distribution,
    DistributionKind,
    Factor,
    FactorCategory,
    FactorSet,
    Verification,
)

_datasets = factor_datasets
_factors = factors


def _dataset(row: Any) -> FactorDataset:
    return FactorDataset(
        id=row.dataset_id,
        name=row.name,
        version=row.version,
        description=row.description,
        created_at=row.created_at,
        created_by=row.created_by,
        is_active=bool(row.is_active),
        factor_count=row.factor_count,
    )


def _float(number: Decimal | None) -> float | None:
    return None if number is None else float(number)


def _decimal(number: float | None) -> Decimal | None:
    return None if number is None else Decimal(repr(number))


def _factor(row: Any) -> Factor:
    return Factor(
        factor_set=FactorSet(row.factor_set),
        category=FactorCategory(row.category),
        subject=row.subject,
        route=row.route,
        region=row.region,
        year=row.year,
        value=row.value,
        distribution=Distribution(
            kind=DistributionKind(row.distribution),
            spread=_float(row.spread),
            low=_float(row.low),
            high=_float(row.high),
        ),
        source=row.source,
        edition=row.edition,
        verification=Verification(row.verification),
        note=row.note,
    )


def _factor_values(dataset_id: uuid.UUID, position: int, factor: Factor) -> dict[str, Any]:
    distribution = factor.distribution
    return {
        "dataset_id": dataset_id,
        "ref": factor.ref,
        "position": position,
        "factor_set": factor.factor_set.value,
        "category": factor.category.value,
        "subject": factor.subject,
        "route": factor.route,
        "region": factor.region,
        "year": factor.year,
        "value": factor.value,
        "distribution": distribution.kind.value,
        "spread": _decimal(distribution.spread),
        "low": _decimal(distribution.low),
        "high": _decimal(distribution.high),
        "source": factor.source,
        "edition": factor.edition,
        "verification": factor.verification.value,
        "note": factor.note,
    }


class FactorRepository:
    """Reads and writes of `factor_datasets` and `factors` on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def datasets(self) -> list[FactorDataset]:
        """Every dataset, newest first."""
        query = select(_datasets).order_by(
            _datasets.c.created_at.desc(), _datasets.c.name, _datasets.c.version
        )
        return [_dataset(row) for row in self._connection.execute(query)]

    def dataset(self, dataset_id: uuid.UUID) -> FactorDataset | None:
        """The dataset with this id, if any."""
        row = self._connection.execute(
            select(_datasets).where(_datasets.c.dataset_id == dataset_id)
        ).first()
        return _dataset(row) if row else None

    def active(self) -> FactorDataset | None:
        """The active dataset, if any dataset is stored."""
        row = self._connection.execute(
            select(_datasets).where(_datasets.c.is_active.is_(True)).limit(1)
        ).first()
        return _dataset(row) if row else None

    def named(self, name: str, version: str) -> FactorDataset | None:
        """The dataset of this name and version, if stored."""
        row = self._connection.execute(
            select(_datasets).where(_datasets.c.name == name, _datasets.c.version == version)
        ).first()
        return _dataset(row) if row else None

    def add(self, dataset: FactorDataset, items: Sequence[Factor]) -> None:
        """Store a dataset and its factors (in file order); activating it deactivates the rest."""
        if dataset.is_active:
            self._connection.execute(update(_datasets).values(is_active=false()))
        values = {
            "dataset_id": dataset.id,
            "name": dataset.name,
            "version": dataset.version,
            "description": dataset.description,
            "created_at": dataset.created_at,
            "created_by": dataset.created_by,
            "is_active": dataset.is_active,
            "factor_count": len(items),
        }
        self._connection.execute(_datasets.insert().values(**values))
        rows = [_factor_values(dataset.id, i, f) for i, f in enumerate(items)]
        if rows:
            self._connection.execute(_factors.insert(), rows)

    def activate(self, dataset_id: uuid.UUID) -> None:
        """Make this dataset the active one (and no other)."""
        self._connection.execute(
            update(_datasets).where(_datasets.c.dataset_id != dataset_id).values(is_active=false())
        )
        self._connection.execute(
            update(_datasets).where(_datasets.c.dataset_id == dataset_id).values(is_active=True)
        )

    def all_factors(self, dataset_id: uuid.UUID) -> list[Factor]:
        """Every factor of a dataset, in the order it was imported."""
        query = (
            select(_factors)
            .where(_factors.c.dataset_id == dataset_id)
            .order_by(_factors.c.position)
        )
        return [_factor(row) for row in self._connection.execute(query)]

    def page(
        self, dataset_id: uuid.UUID, chosen: FactorFilter, after_ref: str | None, limit: int
    ) -> list[Factor]:
        """Up to `limit` factors of a dataset matching `chosen`, by reference, after `after_ref`."""
        c = _factors.c
        query = select(_factors).where(c.dataset_id == dataset_id)
        if chosen.factor_set is not None:
            query = query.where(c.factor_set == chosen.factor_set.value)
        if chosen.category is not None:
            query = query.where(c.category == chosen.category.value)
        if chosen.subject:
            query = query.where(c.subject == chosen.subject)
        if chosen.route:
            query = query.where(c.route == chosen.route)
        if chosen.region is not None:
            query = query.where(c.region == chosen.region)
        if after_ref is not None:
            query = query.where(c.ref > after_ref)
        query = query.order_by(c.ref).limit(limit)
        return [_factor(row) for row in self._connection.execute(query)]

    def factor(self, dataset_id: uuid.UUID, ref: str) -> Factor | None:
        """The factor with this reference in a dataset, if any."""
        row = self._connection.execute(
            select(_factors).where(_factors.c.dataset_id == dataset_id, _factors.c.ref == ref)
        ).first()
        return _factor(row) if row else None
