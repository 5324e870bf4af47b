"""Uploaded region statistics: replace whole (region, year, kind) cells, read a region's years."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, and_, delete, or_, select

from zerowaste.adapters.db.indicator_tables import region_statistics
from zerowaste.domain.statistics import RegionStatistic, StatisticKind

_KEYS = 500


def _statistic(row: object) -> RegionStatistic:
    return RegionStatistic(
        row.region_code,  # type: ignore[attr-defined]
        row.year,  # type: ignore[attr-defined]
        StatisticKind(row.kind),  # type: ignore[attr-defined]
        row.value,  # type: ignore[attr-defined]
        row.source,  # type: ignore[attr-defined]
    )


class StatisticsRepository:
    """Region statistics inside the caller's connection (a unit of work's)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def replace(
        self, rows: list[RegionStatistic], uploaded_by: uuid.UUID | None, at: datetime
    ) -> None:
        """Store `rows`, each replacing any earlier value of its region, year and kind."""
        s = region_statistics.c
        for i in range(0, len(rows), _KEYS):
            part = rows[i : i + _KEYS]
            self._connection.execute(
                delete(region_statistics).where(
                    or_(
                        *(
                            and_(
                                s.region_code == r.region_code,
                                s.year == r.year,
                                s.kind == r.kind.value,
                            )
                            for r in part
                        )
                    )
                )
            )
        if rows:
            self._connection.execute(
                region_statistics.insert(),
                [
                    {
                        "region_code": r.region_code,
                        "year": r.year,
                        "kind": r.kind.value,
                        "value": r.value,
                        "source": r.source,
                        "uploaded_by": uploaded_by,
                        "uploaded_at": at,
                    }
                    for r in rows
                ],
            )

    def of(self, region_code: str, years: Iterable[int] | None = None) -> list[RegionStatistic]:
        """The region's statistics (of `years` only, if given), by year then kind."""
        s = region_statistics.c
        query = select(region_statistics).where(s.region_code == region_code)
        if years is not None:
            query = query.where(s.year.in_(sorted(set(years))))
        query = query.order_by(s.year, s.kind)
        return [_statistic(r) for r in self._connection.execute(query)]

    def regions(self) -> set[str]:
        """Every region with an uploaded statistic."""
        return {
            r[0]
            for r in self._connection.execute(select(region_statistics.c.region_code).distinct())
        }
