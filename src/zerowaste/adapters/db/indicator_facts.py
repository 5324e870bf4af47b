"""The indicator facts: the ledger's waste lines projected by leaf index, then summed in SQL.

`refresh` reads the events logged after each log's mark, a chunk of leaves at a time: the
waste outputs of `generated` events (parsed as the supplier indicator reader does), the
flows of `transformed` and `disposed` events (the carbon flow reader's: generator found
through the manifests, corrected masses), and applies `corrected` events to the lines they
correct. The sums are then `GROUP BY` queries over an indexed table, whatever the ledger's
size. Masses are integral milligrams, so the sums are exact on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import Connection, and_, case, func, select, update
from sqlalchemy.exc import IntegrityError

from zerowaste.adapters.db.bulk import bulk_insert
from zerowaste.adapters.db.carbon_flows import CarbonFlowReader
from zerowaste.adapters.db.fact_reader import batch_of, quantity_of
from zerowaste.adapters.db.id_lists import in_list, rows_in
from zerowaste.adapters.db.indicator_tables import indicator_fact_marks, indicator_facts
from zerowaste.adapters.db.tables import (
    batches,
    event_corrections,
    events,
    ledger_heads,
    manifests,
    organizations,
    sites,
)
from zerowaste.domain.catalog_entries import is_hazardous_waste_code
from zerowaste.domain.events import EventType
from zerowaste.indicators.figures import Tally

#: Events read per refresh step.
REFRESH_CHUNK = 20_000
MG_PER_KG = Decimal(1_000_000)
GENERATED, UTILIZED, DISPOSED = "generated", "utilized", "disposed"
_PROJECTED = (
    EventType.GENERATED.value,
    EventType.TRANSFORMED.value,
    EventType.DISPOSED.value,
    EventType.CORRECTED.value,
)


def waste_outputs(document: bytes | str) -> list[tuple[uuid.UUID, str, Decimal]]:
    """The waste lines a stored `generated` event document makes: (batch, waste code, kg)."""
    found = []
    for output in json.loads(document).get("outputs", ()):
        code = output.get("waste_code")
        if code:
            found.append((batch_of(output), code, quantity_of(output)))
    return found


def milligrams(kg: Decimal) -> int:
    """A mass in kilograms as whole milligrams (half-even)."""
    return int((kg * MG_PER_KG).to_integral_value(ROUND_HALF_EVEN))


def kilograms(mg: Any) -> Decimal:
    """Milligrams (an integer sum) as kilograms."""
    return Decimal(int(mg or 0)) / MG_PER_KG


@dataclass(frozen=True, slots=True)
class EmissionGroup:
    """Fates of one waste code by one route in one region: mass and mass × distance summed."""

    waste_code: str
    route: str | None
    region_code: str
    mass_kg: Decimal
    tonne_km: Decimal
    lines: int


@dataclass(frozen=True, slots=True)
class SubjectFilter:
    """Whose facts to sum: waste of these generators, or generated in this region prefix."""

    organization_ids: frozenset[uuid.UUID] | None = None
    region_prefix: str | None = None

    def clause(self) -> Any:
        """The WHERE clause selecting the subject's facts."""
        if self.organization_ids is not None:
            return indicator_facts.c.generator_id.in_(sorted(self.organization_ids, key=str))
        assert self.region_prefix is not None
        return indicator_facts.c.generator_region.startswith(self.region_prefix, autoescape=True)


class IndicatorFacts:
    """Refreshes and sums the indicator facts inside the caller's connection (a unit of work's)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    # Refresh ------------------------------------------------------------------------------

    def refresh(self, chunk: int = REFRESH_CHUNK) -> int:
        """Project every event logged since the last refresh; returns how many were read.

        Runs in a savepoint of the caller's transaction: a concurrent refresh that projected
        the same events first wins, and this one then undoes its part and returns 0.
        """
        try:
            with self._connection.begin_nested():
                return self._refresh(chunk)
        except IntegrityError:
            return 0

    def _refresh(self, chunk: int) -> int:
        c = self._connection
        marks = {r.log_id: r.leaf_index for r in c.execute(select(indicator_fact_marks))}
        heads = self._heads(set(marks))
        read = 0
        for log_id, head in heads:
            mark = marks.get(log_id, -1)
            while mark < head:
                rows = c.execute(
                    select(
                        events.c.event_id,
                        events.c.leaf_index,
                        events.c.event_type,
                        events.c.event_time,
                        events.c.organization_id,
                        events.c.site_id,
                        events.c.document,
                    )
                    .where(events.c.log_id == log_id, events.c.leaf_index > mark)
                    .order_by(events.c.leaf_index)
                    .limit(chunk)
                ).all()
                if not rows:
                    break
                self._project(log_id, [r for r in rows if r.event_type in _PROJECTED])
                read += len(rows)
                mark = rows[-1].leaf_index
                self._set_mark(log_id, mark, log_id in marks)
                marks[log_id] = mark
        return read

    def _heads(self, known: set[str]) -> list[tuple[str, int]]:
        """Each log's last event leaf: one indexed `max` per log the ledger keeps."""
        c = self._connection
        logs = known | {r[0] for r in c.execute(select(ledger_heads.c.log_id))}
        if not logs:
            return [
                (log_id, head)
                for log_id, head in c.execute(
                    select(events.c.log_id, func.max(events.c.leaf_index)).group_by(events.c.log_id)
                )
            ]
        found = []
        for log_id in sorted(logs):
            head = c.execute(
                select(func.max(events.c.leaf_index)).where(events.c.log_id == log_id)
            ).scalar_one()
            if head is not None:
                found.append((log_id, int(head)))
        return found

    def _set_mark(self, log_id: str, leaf_index: int, exists: bool) -> None:
        if exists:
            self._connection.execute(
                update(indicator_fact_marks)
                .where(indicator_fact_marks.c.log_id == log_id)
                .values(leaf_index=leaf_index)
            )
        else:
            self._connection.execute(
                indicator_fact_marks.insert().values(log_id=log_id, leaf_index=leaf_index)
            )

    def _project(self, log_id: str, rows: list[Any]) -> None:
        generated = [r for r in rows if r.event_type == EventType.GENERATED.value]
        fates = [
            r
            for r in rows
            if r.event_type in (EventType.TRANSFORMED.value, EventType.DISPOSED.value)
        ]
        corrections = [r.event_id for r in rows if r.event_type == EventType.CORRECTED.value]
        regions = self._regions(generated)
        facts: list[dict[str, Any]] = []
        for row in generated:
            region = regions.get(row.site_id) or regions.get(row.organization_id) or ""
            for batch, code, kg in waste_outputs(row.document):
                facts.append(
                    _fact(row, log_id, batch, GENERATED, row.organization_id, region, region)
                    | {"waste_code": code, "hazardous": is_hazardous_waste_code(code),
                       "mass_mg": milligrams(kg)}
                )  # fmt: skip
        if fates:
            by_id = {r.event_id: r for r in fates}
            flows = CarbonFlowReader(self._connection).flows(event_ids=list(by_id))
            origins = self._origins({f.manifest_id for f in flows if f.manifest_id})
            made = self._made({f.batch_id for f in flows})
            for flow in flows:
                row = by_id[flow.event_id]
                origin = origins.get(flow.manifest_id) if flow.manifest_id else None
                code = flow.waste_code or ""
                facts.append(
                    _fact(
                        row,
                        log_id,
                        flow.batch_id,
                        UTILIZED if flow.event_type is EventType.TRANSFORMED else DISPOSED,
                        flow.generator_id,
                        flow.region_code,
                        origin or flow.region_code,
                    )
                    | {
                        "waste_code": code,
                        "hazardous": is_hazardous_waste_code(code),
                        "route": flow.route.value if flow.route else None,
                        "mass_mg": milligrams(flow.mass_kg),
                        "distance_km": float(flow.distance_km),
                        "batch_made_at": made.get(flow.batch_id),
                    }
                )
        if facts:
            bulk_insert(self._connection, indicator_facts, facts)
        if corrections:
            self._correct(corrections)

    def _regions(self, rows: list[Any]) -> dict[uuid.UUID, str]:
        """The region of each site and each organization the rows name."""
        found: dict[uuid.UUID, str] = {}
        query = in_list(sites.c.id, sites.c.id, sites.c.region_code)
        for r in rows_in(self._connection, query, {row.site_id for row in rows if row.site_id}):
            found[r.id] = r.region_code
        query = in_list(organizations.c.id, organizations.c.id, organizations.c.region_code)
        for r in rows_in(self._connection, query, {row.organization_id for row in rows}):
            found[r.id] = r.region_code
        return found

    def _origins(self, manifest_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        query = in_list(
            manifests.c.manifest_id, manifests.c.manifest_id, manifests.c.origin_region_code
        )
        return {
            r.manifest_id: r.origin_region_code
            for r in rows_in(self._connection, query, manifest_ids)
        }

    def _made(self, batch_ids: set[uuid.UUID]) -> dict[uuid.UUID, datetime]:
        query = in_list(batches.c.batch_id, batches.c.batch_id, batches.c.created_at)
        return {r.batch_id: r.created_at for r in rows_in(self._connection, query, batch_ids)}

    def _correct(self, correction_ids: list[uuid.UUID]) -> None:
        """Set the corrected mass on the lines the `corrected` events name."""
        query = in_list(
            event_corrections.c.correction_event_id,
            event_corrections.c.corrected_event_id,
            event_corrections.c.batch_id,
            event_corrections.c.corrected_kg,
        )
        for r in list(rows_in(self._connection, query, correction_ids)):
            if r.batch_id is None or r.corrected_kg is None:
                continue
            self._connection.execute(
                update(indicator_facts)
                .where(
                    indicator_facts.c.event_id == r.corrected_event_id,
                    indicator_facts.c.batch_id == r.batch_id,
                )
                .values(mass_mg=milligrams(r.corrected_kg))
            )

    # Sums ---------------------------------------------------------------------------------

    def tallies(
        self, start: datetime, end: datetime, subject: SubjectFilter, *, by_firm: bool = False
    ) -> dict[uuid.UUID | None, Tally]:
        """The subject's tally for `[start, end)`, or one per generator with `by_firm`."""
        f = indicator_facts.c
        landfill = case((f.route == "landfill", 1), else_=0)
        prior = case((f.batch_made_at < start, 1), else_=0)
        keys: list[Any] = [f.kind, f.hazardous, landfill, prior]
        if by_firm:
            keys.append(f.generator_id)
        query = (
            select(*keys, func.sum(f.mass_mg), func.count())
            .where(f.event_time >= start, f.event_time < end, subject.clause())
            .group_by(*keys)
        )
        found: dict[uuid.UUID | None, Tally] = {}
        for row in self._connection.execute(query):
            kind, hazardous, is_landfill, is_prior, *rest = row
            firm = rest[0] if by_firm else None
            mass, count = kilograms(rest[-2]), int(rest[-1])
            tally = found.setdefault(firm, Tally())
            _add(tally, kind, bool(hazardous), bool(is_landfill), bool(is_prior), mass, count)
        return found

    def emission_groups(
        self, start: datetime, end: datetime, subject: SubjectFilter
    ) -> list[EmissionGroup]:
        """The subject's fates in `[start, end)` by waste code, route and region."""
        f = indicator_facts.c
        keys = (f.waste_code, f.route, f.region_code)
        query = (
            select(*keys, func.sum(f.mass_mg), func.sum(f.mass_mg * f.distance_km), func.count())
            .where(
                f.event_time >= start,
                f.event_time < end,
                f.kind.in_((UTILIZED, DISPOSED)),
                subject.clause(),
            )
            .group_by(*keys)
            .order_by(*keys)
        )
        return [
            EmissionGroup(
                code,
                route,
                region,
                kilograms(mass),
                Decimal(repr(float(mass_km or 0))) / MG_PER_KG / 1000,
                int(count),
            )
            for code, route, region, mass, mass_km, count in self._connection.execute(query)
        ]

    def generator_regions(self) -> dict[str, int]:
        """Each region code facts were generated in, with its number of lines."""
        f = indicator_facts.c
        query = select(f.generator_region, func.count()).group_by(f.generator_region)
        return {region: int(n) for region, n in self._connection.execute(query) if region}

    def active_firms(
        self, start: datetime, end: datetime, subject: SubjectFilter
    ) -> set[uuid.UUID]:
        """The generators with facts in `[start, end)` among the subject's."""
        f = indicator_facts.c
        query = (
            select(f.generator_id)
            .where(f.event_time >= start, f.event_time < end, subject.clause())
            .distinct()
        )
        return {r[0] for r in self._connection.execute(query)}

    def firms_generation(
        self, start: datetime, end: datetime, organization_ids: Iterable[uuid.UUID]
    ) -> dict[uuid.UUID, Decimal]:
        """Each firm's generated mass in `[start, end)`, in kg."""
        f = indicator_facts.c
        ids = frozenset(organization_ids)
        if not ids:
            return {}
        query = (
            select(f.generator_id, func.sum(f.mass_mg))
            .where(
                and_(f.kind == GENERATED, f.event_time >= start, f.event_time < end),
                SubjectFilter(organization_ids=ids).clause(),
            )
            .group_by(f.generator_id)
        )
        return {i: kilograms(mass) for i, mass in self._connection.execute(query)}


def _fact(
    row: Any,
    log_id: str,
    batch: uuid.UUID,
    kind: str,
    generator: uuid.UUID,
    region: str,
    generator_region: str,
) -> dict[str, Any]:
    return {
        "event_id": row.event_id,
        "batch_id": batch,
        "log_id": log_id,
        "leaf_index": row.leaf_index,
        "kind": kind,
        "event_time": row.event_time,
        "organization_id": row.organization_id,
        "generator_id": generator,
        "region_code": region,
        "generator_region": generator_region,
        "route": None,
        "distance_km": 0.0,
        "batch_made_at": None,
    }


def _add(
    tally: Tally, kind: str, hazardous: bool, landfill: bool, prior: bool, kg: Decimal, lines: int
) -> None:
    if kind == GENERATED:
        tally.generated_lines += lines
        if hazardous:
            tally.hazardous_kg += kg
        else:
            tally.general_kg += kg
        return
    if landfill:
        tally.landfill_kg += kg
        if hazardous:
            tally.hazardous_landfill_kg += kg
    if hazardous:
        if kind == UTILIZED:
            tally.hazardous_utilized_kg += kg
            if prior:
                tally.hazardous_utilized_prior_kg += kg
        else:
            tally.hazardous_disposed_kg += kg
            if prior:
                tally.hazardous_disposed_prior_kg += kg
    elif kind == UTILIZED:
        tally.general_utilized_kg += kg
        if prior:
            tally.general_utilized_prior_kg += kg
    else:
        tally.general_disposed_kg += kg
