"""Set-based reads of generation for forecasts and scenarios: monthly masses and streams.

A firm's waste counts to the region it is registered in (`organizations.region_code`) and to
its industry division (the first two digits of its GB/T 4754 `industry_code`). Masses are
the `generated` events' waste output lines, after corrections, in kilograms; months are
China calendar months (UTC+8). One query reads the events of the subject, one the corrections.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Select, select
from sqlalchemy.sql import ColumnElement

from zerowaste.adapters.db.batch_lookups import corrected_masses
from zerowaste.adapters.db.carbon_flows import CarbonFlowReader
from zerowaste.adapters.db.fact_reader import batch_of, quantity_of
from zerowaste.adapters.db.tables import events, organizations
from zerowaste.carbon.flows import WasteFlow
from zerowaste.domain.events import EventType
from zerowaste.domain.indicators import CHINA_TIME


def month_of(instant: datetime) -> date:
    """The first day of the China calendar month `instant` falls in."""
    local = instant.astimezone(CHINA_TIME)
    return date(local.year, local.month, 1)


def division_of(industry_code: str | None) -> str:
    """The industry division (two digits) of a GB/T 4754 code, '' when unknown."""
    return industry_code[:2] if industry_code and industry_code[:2].isdigit() else ""


@dataclass(slots=True)
class StreamFates:
    """One stream's fates in a period: kilograms per waste route (None: unaccounted), t.km."""

    kg_by_route: dict[str | None, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    tonne_km: Decimal = Decimal(0)


class GenerationSeriesReader:
    """Reads generation inside the caller's connection (a unit of work's)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def _where(
        self,
        query: Select[Any],
        *,
        organization_id: uuid.UUID | None,
        division: str | None,
        region_prefix: str | None,
    ) -> Select[Any]:
        conditions: list[ColumnElement[bool]] = []
        if organization_id is not None:
            conditions.append(organizations.c.id == organization_id)
        if division is not None:
            conditions.append(organizations.c.industry_code.like(f"{division}%"))
        if region_prefix is not None:
            conditions.append(organizations.c.region_code.like(f"{region_prefix}%"))
        return query.where(*conditions)

    def _lines(
        self,
        start: datetime,
        end: datetime,
        *,
        organization_id: uuid.UUID | None = None,
        division: str | None = None,
        region_prefix: str | None = None,
    ) -> list[tuple[date, str, str, Decimal, uuid.UUID]]:
        """(month, code, division, kg, firm) of every waste line generated in `[start, end)`."""
        query = (
            select(
                events.c.event_id,
                events.c.organization_id,
                events.c.event_time,
                events.c.document,
                organizations.c.industry_code,
            )
            .join_from(events, organizations, events.c.organization_id == organizations.c.id)
            .where(events.c.event_type == EventType.GENERATED.value)
            .where(events.c.event_time >= start)
            .where(events.c.event_time < end)
        )
        query = self._where(
            query, organization_id=organization_id, division=division, region_prefix=region_prefix
        )
        raw: list[tuple[uuid.UUID, uuid.UUID, date, str, str, Decimal, uuid.UUID]] = []
        for row in self._connection.execute(query):
            month, sector = month_of(row.event_time), division_of(row.industry_code)
            for output in json.loads(row.document).get("outputs", ()):
                code = output.get("waste_code")
                if code:
                    batch, kg = batch_of(output), quantity_of(output)
                    raw.append((row.event_id, batch, month, code, sector, kg, row.organization_id))
        fixes = corrected_masses(self._connection, {line[0] for line in raw})
        return [
            (month, code, sector, fixes.get((event_id, batch), kg), firm)
            for event_id, batch, month, code, sector, kg, firm in raw
        ]

    def monthly_kg(
        self,
        start: datetime,
        end: datetime,
        *,
        organization_id: uuid.UUID | None = None,
        division: str | None = None,
        region_prefix: str | None = None,
    ) -> tuple[dict[date, Decimal], int]:
        """Kilograms per month in `[start, end)` of the firms selected, and how many generated."""
        found: dict[date, Decimal] = defaultdict(Decimal)
        firms: set[uuid.UUID] = set()
        for month, _, _, kg, firm in self._lines(
            start,
            end,
            organization_id=organization_id,
            division=division,
            region_prefix=region_prefix,
        ):
            found[month] += kg
            firms.add(firm)
        return dict(found), len(firms)

    def stream_kg(
        self, start: datetime, end: datetime, region_prefix: str
    ) -> dict[tuple[str, str], Decimal]:
        """Kilograms generated in `[start, end)` in the region, by (waste code, division)."""
        found: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for _, code, sector, kg, _ in self._lines(start, end, region_prefix=region_prefix):
            found[(code, sector)] += kg
        return dict(found)

    def stream_fates(
        self, start: datetime, end: datetime, region_prefix: str
    ) -> dict[tuple[str, str], StreamFates]:
        """The fates in `[start, end)` of the region's firms' waste, by (waste code, division).

        A flow counts to the firm that generated the waste (the manifest's generator, else the
        recorder) when that firm is registered in the region; its code is the batch's.
        """
        firms = {
            r.id: division_of(r.industry_code)
            for r in self._connection.execute(
                select(organizations.c.id, organizations.c.industry_code).where(
                    organizations.c.region_code.like(f"{region_prefix}%")
                )
            )
        }
        found: dict[tuple[str, str], StreamFates] = defaultdict(StreamFates)
        if not firms:
            return {}
        flows: list[WasteFlow] = CarbonFlowReader(self._connection).flows(
            period_from=start, period_to=end, organization_ids=firms.keys()
        )
        for flow in flows:
            if flow.generator_id not in firms or not flow.waste_code:
                continue
            fates = found[(flow.waste_code, firms[flow.generator_id])]
            fates.kg_by_route[flow.route.value if flow.route else None] += flow.mass_kg
            fates.tonne_km += flow.tonne_km
        return dict(found)
