"""Set-based reads of the record facts: generation, signatures, timing, transformations, counts."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    and_,
    func,
    literal,
    or_,
    select,
)

#: Rows fetched from the server at a time when streaming a large result.
from zerowaste.adapters.db.fact_reader import FactReader, batch_of, quantity_of
from zerowaste.adapters.db.id_lists import in_list, rows_in
from zerowaste.adapters.db.tables import (
    economic_records,
    event_batches,
    events,
    inspection_lines,
    inspections,
    organizations,
    signing_keys,
)
from zerowaste.oversight.detect_common import local_day
from zerowaste.oversight.facts import (
    Generation,
    InspectionLine,
    SignedEvent,
    TimedEvent,
    Transformation,
)


class RecordFacts(FactReader):
    """The facts of what firms recorded: generation per year, signatures, lateness, balances."""

    # Reporting ----------------------------------------------------------------------------

    def generations(self) -> tuple[list[Generation], dict[int, tuple[datetime, datetime]]]:
        """Each firm's declared generation per year with its output; each year's span of data.

        Returns:
            The firm-years with an economic record, and per year the first and last
            generated event time (to tell complete years from partial ones).
        """
        query = select(
            events.c.event_id,
            events.c.organization_id,
            events.c.site_id,
            events.c.event_time,
            events.c.document,
        ).where(events.c.event_type == "generated")
        totals: dict[tuple[uuid.UUID, int], Decimal] = defaultdict(Decimal)
        per_code: dict[tuple[uuid.UUID, int], dict[str, Decimal]] = defaultdict(
            lambda: defaultdict(Decimal)
        )
        evidence: dict[tuple[uuid.UUID, int], list[uuid.UUID]] = defaultdict(list)
        site_kg: dict[tuple[uuid.UUID, int], dict[Any, Decimal]] = defaultdict(
            lambda: defaultdict(Decimal)
        )
        spans: dict[int, tuple[datetime, datetime]] = {}
        for row in self._stream(query):
            year = local_day(row.event_time).year
            key = (row.organization_id, year)
            outputs = json.loads(row.document)["outputs"]
            mass = sum((quantity_of(o) for o in outputs), Decimal(0))
            totals[key] += mass
            for output in outputs:
                if output.get("waste_code"):
                    per_code[key][output["waste_code"]] += quantity_of(output)
            evidence[key].append(row.event_id)
            site_kg[key][row.site_id] += mass
            first, last = spans.get(year, (row.event_time, row.event_time))
            spans[year] = (min(first, row.event_time), max(last, row.event_time))
        figures = select(
            economic_records.c.organization_id,
            economic_records.c.year,
            economic_records.c.product_output,
            economic_records.c.product_unit,
            organizations.c.industry_code,
        ).join_from(
            economic_records,
            organizations,
            organizations.c.id == economic_records.c.organization_id,
        )
        found = []
        for r in self._connection.execute(figures):
            key = (r.organization_id, r.year)
            sites = site_kg.get(key)
            found.append(
                Generation(
                    organization_id=r.organization_id,
                    year=r.year,
                    generated_kg=totals.get(key, Decimal(0)),
                    product_output=r.product_output,
                    product_unit=r.product_unit,
                    industry_code=r.industry_code,
                    event_ids=tuple(evidence.get(key, ())),
                    site_id=max(sites, key=lambda s: sites[s]) if sites else None,
                    by_code=dict(per_code.get(key, {})),
                )
            )
        return found, spans

    # Records ------------------------------------------------------------------------------

    def signed_events(self, event_ids: Collection[uuid.UUID] | None = None) -> list[SignedEvent]:
        """Events recorded outside the validity of the registered key that signed them."""
        keys = {
            str(r.id): r
            for r in self._connection.execute(
                select(signing_keys.c.id, signing_keys.c.valid_from, signing_keys.c.valid_to)
            )
        }
        if event_ids is None:
            spans = select(
                events.c.signature_key_id,
                func.min(events.c.recorded_at).label("first"),
                func.max(events.c.recorded_at).label("last"),
            ).group_by(events.c.signature_key_id)
            suspects = [
                r.signature_key_id
                for r in self._connection.execute(spans)
                if r.signature_key_id in keys
                and (
                    r.first < keys[r.signature_key_id].valid_from
                    or (
                        keys[r.signature_key_id].valid_to is not None
                        and r.last >= keys[r.signature_key_id].valid_to
                    )
                )
            ]
            if not suspects:
                return []
        base = select(
            events.c.event_id,
            events.c.organization_id,
            events.c.site_id,
            events.c.recorded_at,
            events.c.signature_key_id,
        )
        if event_ids is None:
            conditions = []
            for key_id in suspects:
                key = keys[key_id]
                outside = [events.c.recorded_at < key.valid_from]
                if key.valid_to is not None:
                    outside.append(events.c.recorded_at >= key.valid_to)
                conditions.append(and_(events.c.signature_key_id == key_id, or_(*outside)))
            rows: Iterable[Any] = self._connection.execute(base.where(or_(*conditions)))
        else:
            rows = self._rows(base, events.c.event_id, event_ids)
        return [
            SignedEvent(
                event_id=r.event_id,
                organization_id=r.organization_id,
                site_id=r.site_id,
                recorded_at=r.recorded_at,
                key_id=r.signature_key_id,
                valid_from=keys[r.signature_key_id].valid_from,
                valid_to=keys[r.signature_key_id].valid_to,
            )
            for r in rows
            if r.signature_key_id in keys
        ]

    def timed_events(
        self, later_than_days: float, event_ids: Collection[uuid.UUID] | None = None
    ) -> list[TimedEvent]:
        """Events recorded more than `later_than_days` after their time.

        With `event_ids`, every one of those events is returned (the caller learns their
        types too), but only the late ones name their batches.
        """
        query = select(
            events.c.event_id,
            events.c.event_type,
            events.c.organization_id,
            events.c.site_id,
            events.c.event_time,
            events.c.recorded_at,
        )
        if event_ids is None:
            query = query.where(self._days_late() > literal(later_than_days))
        rows = list(self._rows(query, events.c.event_id, event_ids))
        limit = timedelta(days=later_than_days)
        late = [r.event_id for r in rows if r.recorded_at - r.event_time > limit]
        named: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
        links = in_list(
            event_batches.c.event_id, event_batches.c.event_id, event_batches.c.batch_id
        )
        for link in rows_in(self._connection, links, late):
            named[link.event_id].append(link.batch_id)
        return [
            TimedEvent(
                r.event_id,
                r.event_type,
                r.organization_id,
                r.site_id,
                r.event_time,
                r.recorded_at,
                tuple(named.get(r.event_id, ())),
            )
            for r in rows
        ]

    def transformations(
        self, event_ids: Collection[uuid.UUID] | None = None
    ) -> list[Transformation]:
        """Transformed events with their drawn, made and declared lost masses."""
        query = select(
            events.c.event_id,
            events.c.organization_id,
            events.c.site_id,
            events.c.event_time,
            events.c.document,
        ).where(events.c.event_type == "transformed")
        found = []
        for r in self._rows(query, events.c.event_id, event_ids):
            document = json.loads(r.document)
            inputs, outputs = document.get("inputs", []), document.get("outputs", [])
            loss = document.get("declared_loss")
            found.append(
                Transformation(
                    event_id=r.event_id,
                    organization_id=r.organization_id,
                    site_id=r.site_id,
                    event_time=r.event_time,
                    inputs_kg=sum((quantity_of(x) for x in inputs), Decimal(0)),
                    outputs_kg=sum((quantity_of(x) for x in outputs), Decimal(0)),
                    loss_kg=quantity_of(loss) if loss else Decimal(0),
                    batch_ids=tuple(batch_of(x) for x in (*inputs, *outputs)),
                )
            )
        return found

    def inspection_lines(
        self, event_ids: Collection[uuid.UUID] | None = None
    ) -> list[InspectionLine]:
        """The lines of inspections, with the inspected site's organization."""
        query = select(
            inspection_lines.c.event_id,
            inspection_lines.c.line_no,
            inspections.c.site_id,
            inspections.c.site_organization_id,
            inspections.c.inspected_at,
            inspection_lines.c.batch_id,
            inspection_lines.c.waste_code,
            inspection_lines.c.counted_kg,
            inspection_lines.c.ledger_kg,
            inspection_lines.c.gap_kg,
        ).join_from(
            inspection_lines, inspections, inspections.c.event_id == inspection_lines.c.event_id
        )
        return [
            InspectionLine(*r) for r in self._rows(query, inspection_lines.c.event_id, event_ids)
        ]
