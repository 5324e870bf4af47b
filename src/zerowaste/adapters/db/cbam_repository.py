"""CBAM reports: store a new version, read one, list them newest first."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, func, select

from zerowaste.adapters.db.cbam_tables import cbam_reports
from zerowaste.domain.cbam_report import CbamReport

_table = cbam_reports


def _report(row: Any) -> CbamReport:
    return CbamReport(
        id=row.report_id,
        organization_id=row.organization_id,
        site_id=row.site_id,
        region_code=row.region_code,
        period=row.period,
        version=row.version,
        inputs=dict(row.inputs),
        results=dict(row.results),
        created_by=row.created_by,
        created_at=row.created_at,
    )


class CbamReportRepository:
    """Reads and writes of `cbam_reports` on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def next_version(self, site_id: uuid.UUID, period: str) -> int:
        """The version the next report of this installation and quarter gets (1 for the first)."""
        latest = self._connection.execute(
            select(func.max(_table.c.version))
            .where(_table.c.site_id == site_id)
            .where(_table.c.period == period)
        ).scalar_one()
        return int(latest or 0) + 1

    def add(self, report: CbamReport) -> None:
        """Store a report."""
        self._connection.execute(
            _table.insert().values(
                report_id=report.id,
                site_id=report.site_id,
                organization_id=report.organization_id,
                region_code=report.region_code,
                period=report.period,
                version=report.version,
                inputs=report.inputs,
                results=report.results,
                created_by=report.created_by,
                created_at=report.created_at,
            )
        )

    def get(self, report_id: uuid.UUID) -> CbamReport | None:
        """The report with this id, if any."""
        row = self._connection.execute(
            select(_table).where(_table.c.report_id == report_id)
        ).first()
        return _report(row) if row else None

    def list(
        self,
        *,
        organization_id: uuid.UUID | None = None,
        region_prefix: str | None = None,
        site_id: uuid.UUID | None = None,
        period: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[CbamReport]:
        """Reports, newest first, maybe of one firm, a region prefix, one site or one quarter."""
        query = select(_table)
        if organization_id is not None:
            query = query.where(_table.c.organization_id == organization_id)
        if region_prefix is not None:
            query = query.where(_table.c.region_code.startswith(region_prefix, autoescape=True))
        if site_id is not None:
            query = query.where(_table.c.site_id == site_id)
        if period is not None:
            query = query.where(_table.c.period == period)
        query = query.order_by(
            _table.c.created_at.desc(), _table.c.version.desc(), _table.c.report_id
        )
        rows = self._connection.execute(query.limit(limit).offset(offset))
        return [_report(row) for row in rows]
