"""Set-based reads of what supplier indicators need: a year's generation, fates and output value.

A fixed handful of queries serves any number of firms: one over the year's `generated`
events of the firms, one over their corrections, the carbon flow reader's few queries for
utilizations and disposals, one over the flows' batches and one over `economic_records`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import Connection, bindparam, select

from zerowaste.adapters.db.carbon_flows import CarbonFlowReader
from zerowaste.adapters.db.fact_reader import batch_of, quantity_of
from zerowaste.adapters.db.id_lists import in_list, rows_in
from zerowaste.adapters.db.tables import batches, economic_records, event_corrections, events
from zerowaste.domain.catalog_entries import is_hazardous_waste_code
from zerowaste.domain.events import EventType

#: Years are China's calendar years (UTC+8), as firms report them.
CHINA_TIME = timezone(timedelta(hours=8))


def year_span(year: int) -> tuple[datetime, datetime]:
    """The first instant of `year` and of the next one, on China's calendar."""
    return datetime(year, 1, 1, tzinfo=CHINA_TIME), datetime(year + 1, 1, 1, tzinfo=CHINA_TIME)


def waste_outputs(document: bytes | str) -> list[tuple[uuid.UUID, str, Decimal]]:
    """The waste lines a stored `generated` event document makes: (batch, waste code, kg)."""
    found = []
    for output in json.loads(document).get("outputs", ()):
        code = output.get("waste_code")
        if code:
            found.append((batch_of(output), code, quantity_of(output)))
    return found


@dataclass(slots=True)
class SupplierInputs:
    """One firm's ledger and economic figures for a year, in kilograms and yuan.

    `utilized_kg` and `disposed_kg` count the firm's own waste wherever it met its fate that
    year (the firm's own transformations and disposals, and its receivers' of waste it sent
    on a manifest); `utilized_prior_kg` is the part of `utilized_kg` from batches made
    before the year began (the statistics' 综合利用往年贮存量).
    """

    organization_id: uuid.UUID
    year: int
    general_kg: Decimal = Decimal(0)
    hazardous_kg: Decimal = Decimal(0)
    utilized_kg: Decimal = Decimal(0)
    utilized_prior_kg: Decimal = Decimal(0)
    disposed_kg: Decimal = Decimal(0)
    generated_events: int = 0
    output_value_cny: Decimal | None = None

    @property
    def generated_kg(self) -> Decimal:
        """Every waste generated in the year."""
        return self.general_kg + self.hazardous_kg


class SupplierIndicatorInputsReader:
    """Reads supplier indicator inputs inside the caller's connection (a unit of work's)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def inputs(
        self, organization_ids: Iterable[uuid.UUID], year: int
    ) -> dict[uuid.UUID, SupplierInputs]:
        """Each firm's inputs for `year`, by id (firms without data get zeros and no output)."""
        ids = list(dict.fromkeys(organization_ids))
        found = {i: SupplierInputs(i, year) for i in ids}
        if not ids:
            return found
        start, end = year_span(year)
        self._generation(found, start, end)
        self._fates(found, start, end)
        self._economics(found, year)
        return found

    def _generation(
        self, found: dict[uuid.UUID, SupplierInputs], start: datetime, end: datetime
    ) -> None:
        query = (
            select(events.c.event_id, events.c.organization_id, events.c.document)
            .where(events.c.organization_id.in_(bindparam("ids", expanding=True)))
            .where(events.c.event_type == EventType.GENERATED.value)
            .where(events.c.event_time >= start)
            .where(events.c.event_time < end)
        )
        lines: list[tuple[uuid.UUID, uuid.UUID, uuid.UUID, str, Decimal]] = []
        for row in rows_in(self._connection, query, found):
            found[row.organization_id].generated_events += 1
            lines.extend(
                (row.event_id, row.organization_id, batch, code, kg)
                for batch, code, kg in waste_outputs(row.document)
            )
        fixes = self._fixes({event_id for event_id, *_ in lines})
        for event_id, organization_id, batch, code, kg in lines:
            mass = fixes.get((event_id, batch), kg)
            inputs = found[organization_id]
            if is_hazardous_waste_code(code):
                inputs.hazardous_kg += mass
            else:
                inputs.general_kg += mass

    def _fixes(self, event_ids: set[uuid.UUID]) -> dict[tuple[uuid.UUID, uuid.UUID], Decimal]:
        """Masses corrected by later `corrected` events, by (event, batch)."""
        query = in_list(
            event_corrections.c.corrected_event_id,
            event_corrections.c.corrected_event_id,
            event_corrections.c.batch_id,
            event_corrections.c.corrected_kg,
        )
        return {
            (r.corrected_event_id, r.batch_id): r.corrected_kg
            for r in rows_in(self._connection, query, event_ids)
            if r.batch_id is not None and r.corrected_kg is not None
        }

    def _fates(
        self, found: dict[uuid.UUID, SupplierInputs], start: datetime, end: datetime
    ) -> None:
        flows = CarbonFlowReader(self._connection).flows(
            period_from=start, period_to=end, organization_ids=found.keys()
        )
        mine = [f for f in flows if f.generator_id in found]
        query = in_list(batches.c.batch_id, batches.c.batch_id, batches.c.created_at)
        made = {
            r.batch_id: r.created_at
            for r in rows_in(self._connection, query, {f.batch_id for f in mine})
        }
        for flow in mine:
            inputs = found[flow.generator_id]
            if flow.event_type is EventType.TRANSFORMED:
                inputs.utilized_kg += flow.mass_kg
                created = made.get(flow.batch_id)
                if created is not None and created < start:
                    inputs.utilized_prior_kg += flow.mass_kg
            else:
                inputs.disposed_kg += flow.mass_kg

    def _economics(self, found: dict[uuid.UUID, SupplierInputs], year: int) -> None:
        query = in_list(
            economic_records.c.organization_id,
            economic_records.c.organization_id,
            economic_records.c.output_value_cny,
        ).where(economic_records.c.year == year)
        for row in rows_in(self._connection, query, found):
            found[row.organization_id].output_value_cny = row.output_value_cny
