"""Read access to the region and industry tables."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, func, or_, select

from zerowaste.adapters.db.tables import industries, regions
from zerowaste.domain.regions import Industry, IndustryLevel, Region, RegionLevel


def _region(row: Row[Any]) -> Region:
    return Region(row.code, row.name_zh, RegionLevel(row.level), row.parent_code)


def _industry(row: Row[Any]) -> Industry:
    return Industry(row.code, row.name_zh, IndustryLevel(row.level), row.parent_code)


class RegionRepository:
    """GB/T 2260 divisions."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, code: str) -> Region | None:
        """The division with `code`, if any."""
        row = self._connection.execute(select(regions).where(regions.c.code == code)).first()
        return _region(row) if row else None

    def children(self, parent_code: str | None) -> list[Region]:
        """Divisions directly under `parent_code` (provinces for None)."""
        query = select(regions).order_by(regions.c.code)
        if parent_code is None:
            query = query.where(regions.c.level == RegionLevel.PROVINCE)
        else:
            query = query.where(regions.c.parent_code == parent_code)
        return [_region(r) for r in self._connection.execute(query)]

    def search(self, text: str, limit: int) -> list[Region]:
        """Divisions whose code starts with, or name contains, `text`."""
        query = (
            select(regions)
            .where(or_(regions.c.code.startswith(text), regions.c.name_zh.contains(text)))
            .order_by(regions.c.code)
            .limit(limit)
        )
        return [_region(r) for r in self._connection.execute(query)]

    def count(self) -> int:
        """How many divisions are stored."""
        return int(self._connection.execute(select(func.count()).select_from(regions)).scalar_one())


class IndustryRepository:
    """GB/T 4754-2017 industries."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, code: str) -> Industry | None:
        """The industry with `code`, if any."""
        row = self._connection.execute(select(industries).where(industries.c.code == code)).first()
        return _industry(row) if row else None

    def search(self, text: str, limit: int) -> list[Industry]:
        """Industries whose code starts with, or name contains, `text`."""
        query = (
            select(industries)
            .where(or_(industries.c.code.startswith(text), industries.c.name_zh.contains(text)))
            .order_by(industries.c.code)
            .limit(limit)
        )
        return [_industry(r) for r in self._connection.execute(query)]
