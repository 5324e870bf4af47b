"""Panel datasets (store, read, list) and the platform panel's set-based reads of firms."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, or_, select

from zerowaste.adapters.db.evaluation_tables import evaluation_datasets
from zerowaste.adapters.db.id_lists import in_list, rows_in
from zerowaste.adapters.db.tables import economic_records, organization_roles, organizations, sites
from zerowaste.domain.organizations import OrganizationRole
from zerowaste.domain.regions import region_prefix
from zerowaste.evaluation.dataset import DatasetSummary

_table = evaluation_datasets
_SUMMARY = (
    _table.c.id,
    _table.c.name,
    _table.c.source,
    _table.c.created_by,
    _table.c.created_at,
    _table.c.columns,
    _table.c.row_count,
)


def _summary(row: Any) -> DatasetSummary:
    return DatasetSummary(
        id=row.id,
        name=row.name,
        source=row.source,
        created_by=row.created_by,
        created_at=row.created_at,
        variables=tuple(row.columns),
        rows=row.row_count,
    )


class EvaluationDatasetRepository:
    """Reads and writes of `evaluation_datasets` on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, summary: DatasetSummary, csv_text: str) -> None:
        """Store a dataset (its CSV as given after validation)."""
        self._connection.execute(
            _table.insert().values(
                id=summary.id,
                name=summary.name,
                source=summary.source,
                created_by=summary.created_by,
                created_at=summary.created_at,
                columns=list(summary.variables),
                row_count=summary.rows,
                csv=csv_text,
            )
        )

    def exists(self, name: str) -> bool:
        """Whether a dataset has this name."""
        query = select(func.count()).select_from(_table).where(_table.c.name == name)
        return bool(self._connection.execute(query).scalar_one())

    def summary(self, name: str) -> DatasetSummary | None:
        """The description of a dataset, if one has this name."""
        row = self._connection.execute(select(*_SUMMARY).where(_table.c.name == name)).first()
        return _summary(row) if row else None

    def csv(self, name: str) -> str | None:
        """The dataset's CSV text, if one has this name."""
        query = select(_table.c.csv).where(_table.c.name == name)
        found: str | None = self._connection.execute(query).scalar_one_or_none()
        return found

    def all(self) -> list[DatasetSummary]:
        """Every dataset's description, by name."""
        rows = self._connection.execute(select(*_SUMMARY).order_by(_table.c.name))
        return [_summary(r) for r in rows]


@dataclass(frozen=True, slots=True)
class PanelFirm:
    """A firm of the platform panel: id, credit code and the region of its first site."""

    organization_id: uuid.UUID
    credit_code: str
    region_code: str


@dataclass(frozen=True, slots=True)
class PanelEconomics:
    """A firm-year's economic figures, in yuan."""

    output_value_cny: Decimal
    industrial_added_value_cny: Decimal


class PlatformPanelReader:
    """The firms a platform panel covers and their economic records, a few queries in all."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def firms(self, region_code: str | None, years: Iterable[int]) -> list[PanelFirm]:
        """Generators, and firms with an economic record in `years`, within a region if given.

        The region of a firm is its first site's (by site region code), else its own.
        """
        wanted = list(years)
        generators = select(organization_roles.c.organization_id).where(
            organization_roles.c.role == OrganizationRole.GENERATOR.value
        )
        reporting = select(economic_records.c.organization_id).where(
            economic_records.c.year.in_(wanted)
        )
        query = select(
            organizations.c.id, organizations.c.credit_code, organizations.c.region_code
        ).where(or_(organizations.c.id.in_(generators), organizations.c.id.in_(reporting)))
        if region_code:
            query = query.where(organizations.c.region_code.startswith(region_prefix(region_code)))
        rows = list(self._connection.execute(query.order_by(organizations.c.credit_code)))
        site_query = in_list(sites.c.organization_id, sites.c.organization_id, sites.c.region_code)
        first_site: dict[uuid.UUID, str] = {}
        for row in rows_in(self._connection, site_query, [r.id for r in rows]):
            current = first_site.get(row.organization_id)
            if current is None or row.region_code < current:
                first_site[row.organization_id] = row.region_code
        return [PanelFirm(r.id, r.credit_code, first_site.get(r.id, r.region_code)) for r in rows]

    def economics(
        self, organization_ids: Iterable[uuid.UUID], years: Iterable[int]
    ) -> dict[tuple[uuid.UUID, int], PanelEconomics]:
        """Economic records of the firms in `years`, by (firm, year)."""
        query = in_list(
            economic_records.c.organization_id,
            economic_records.c.organization_id,
            economic_records.c.year,
            economic_records.c.output_value_cny,
            economic_records.c.industrial_added_value_cny,
        ).where(economic_records.c.year.in_(list(years)))
        return {
            (r.organization_id, r.year): PanelEconomics(
                r.output_value_cny, r.industrial_added_value_cny
            )
            for r in rows_in(self._connection, query, organization_ids)
        }
