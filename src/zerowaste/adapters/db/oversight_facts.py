"""Set-based reads of the facts the oversight rules judge, aggregated in SQL where it can be."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    bindparam,
    func,
    literal,
    or_,
    select,
)

from zerowaste.adapters.db.id_lists import in_list, rows_in
from zerowaste.adapters.db.tables import (
    approvals,
    batches,
    economic_records,
    event_batches,
    events,
    inspection_lines,
    inspections,
    manifest_parties,
    manifests,
    organizations,
    permits,
    signing_keys,
)
from zerowaste.domain.permits import Permit, PermitActivity, PermitKind
from zerowaste.oversight.detect_common import local_day
from zerowaste.oversight.facts import (
    ApprovalFact,
    Generation,
    HeldBatch,
    InspectionLine,
    Receipt,
    SignedEvent,
    TimedEvent,
    Transfer,
    Transformation,
)

#: Rows fetched from the server at a time when streaming a large result.
STREAM = 5000

_BATCH_PREFIX = "urn:zerowaste:batch:"


def _quantity(line: dict[str, Any]) -> Decimal:
    return Decimal(line["quantity"])


def _batch_of(line: dict[str, Any]) -> uuid.UUID:
    return uuid.UUID(str(line["batch"]).removeprefix(_BATCH_PREFIX))


class OversightFacts:
    """Reads fact rows for the detectors inside the caller's connection (a unit of work's).

    Methods taking `event_ids` read only those events (capture); without, the whole store.
    """

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def _stream(self, query: Select[Any]) -> Iterator[Any]:
        result = self._connection.execution_options(yield_per=STREAM).execute(query)
        yield from result

    def _rows(self, query: Select[Any], column: Any, ids: Collection[uuid.UUID] | None) -> Any:
        """The rows of `query`, restricted to `column` in `ids` when given."""
        if ids is None:
            return self._stream(query)
        bound = query.where(column.in_(bindparam("ids", expanding=True)))
        return rows_in(self._connection, bound, ids)

    def _days_late(self) -> ColumnElement[Any]:
        """recorded_at − event_time in days, in this database's dialect."""
        if self._connection.dialect.name == "sqlite":
            return func.julianday(events.c.recorded_at) - func.julianday(events.c.event_time)
        return func.extract("epoch", events.c.recorded_at - events.c.event_time) / 86400

    # Registry -----------------------------------------------------------------------------

    def permits(self, holders: Iterable[uuid.UUID] | None = None) -> dict[uuid.UUID, list[Permit]]:
        """Every permit by holder (of `holders` only, if given)."""
        query = select(permits)
        rows = (
            self._connection.execute(query)
            if holders is None
            else rows_in(self._connection, in_list(permits.c.organization_id, permits), holders)
        )
        found: dict[uuid.UUID, list[Permit]] = defaultdict(list)
        for row in rows:
            found[row.organization_id].append(
                Permit(
                    id=row.id,
                    organization_id=row.organization_id,
                    site_id=row.site_id,
                    kind=PermitKind(row.kind),
                    number=row.number,
                    activities=frozenset(PermitActivity(a) for a in row.activities),
                    waste_codes=tuple(row.waste_codes),
                    annual_capacity_t=row.annual_capacity_t,
                    valid_from=row.valid_from,
                    valid_to=row.valid_to,
                    issued_by=row.issued_by,
                )
            )
        return dict(found)

    def approvals(self) -> dict[uuid.UUID, ApprovalFact]:
        """Every cross-province approval by id."""
        query = select(
            approvals.c.approval_id,
            approvals.c.number,
            approvals.c.state,
            approvals.c.cap_kg,
            approvals.c.used_kg,
            approvals.c.valid_from,
            approvals.c.valid_to,
        )
        return {r.approval_id: ApprovalFact(*r) for r in self._connection.execute(query)}

    # Batches ------------------------------------------------------------------------------

    def held_batches(self, stored_before: datetime) -> list[HeldBatch]:
        """Held waste batches at their site since before `stored_before`, with their events."""
        query = select(
            batches.c.batch_id,
            batches.c.waste_code,
            batches.c.holder_id,
            batches.c.site_id,
            batches.c.mass_kg,
            batches.c.created_at,
            batches.c.stored_since,
        ).where(
            batches.c.status == "held",
            batches.c.kind == "waste",
            batches.c.stored_since < stored_before,
        )
        held = list(self._connection.execute(query))
        history: dict[uuid.UUID, list[Any]] = defaultdict(list)
        trail = in_list(
            event_batches.c.batch_id,
            event_batches.c.batch_id,
            event_batches.c.role,
            events.c.event_id,
            events.c.event_type,
            events.c.event_time,
        ).join_from(event_batches, events, event_batches.c.event_id == events.c.event_id)
        for row in rows_in(self._connection, trail, (r.batch_id for r in held)):
            history[row.batch_id].append(row)
        found = []
        for r in held:
            trail_rows = sorted(history[r.batch_id], key=lambda e: e.event_time)
            found.append(
                HeldBatch(
                    batch_id=r.batch_id,
                    waste_code=r.waste_code,
                    holder_id=r.holder_id,
                    site_id=r.site_id,
                    mass_kg=r.mass_kg,
                    created_at=r.created_at,
                    stored_since=r.stored_since,
                    last_event_at=trail_rows[-1].event_time if trail_rows else r.created_at,
                    moves=sum(e.role == "input" for e in trail_rows),
                    stored=any(e.event_type == "stored" for e in trail_rows),
                    event_ids=tuple(e.event_id for e in trail_rows),
                )
            )
        return found

    # Transfers ----------------------------------------------------------------------------

    def receipts(self, event_ids: Collection[uuid.UUID] | None = None) -> list[Receipt]:
        """Received events with their batch, code, manifest generator and activity."""
        activity = manifests.c.body[("terms", "activity")].as_string()
        query = (
            select(
                events.c.event_id,
                events.c.manifest_id,
                manifests.c.generator_id,
                events.c.organization_id,
                events.c.site_id,
                events.c.event_time,
                event_batches.c.batch_id,
                batches.c.waste_code,
                events.c.document,
                events.c.discrepancy_kg,
                activity.label("activity"),
            )
            .join_from(events, event_batches, event_batches.c.event_id == events.c.event_id)
            .join(batches, batches.c.batch_id == event_batches.c.batch_id)
            .join(manifests, manifests.c.manifest_id == events.c.manifest_id)
            .where(events.c.event_type == "received", event_batches.c.role == "input")
        )
        found = []
        for r in self._rows(query, events.c.event_id, event_ids):
            document = json.loads(r.document)
            found.append(
                Receipt(
                    event_id=r.event_id,
                    manifest_id=r.manifest_id,
                    generator_id=r.generator_id,
                    receiver_id=r.organization_id,
                    site_id=r.site_id,
                    event_time=r.event_time,
                    batch_id=r.batch_id,
                    waste_code=r.waste_code,
                    received_kg=_quantity(document["inputs"][0]),
                    discrepancy_kg=r.discrepancy_kg,
                    activity=r.activity,
                )
            )
        return found

    def transfers(self, *, in_transit_or_crossing: bool = False) -> list[Transfer]:
        """Shipped manifests with their shipped events, codes and carriers.

        Args:
            in_transit_or_crossing: Only manifests still on the road or crossing provinces.
        """
        query = (
            select(
                manifests.c.manifest_id,
                manifests.c.number,
                manifests.c.state,
                manifests.c.generator_id,
                manifests.c.receiver_id,
                manifests.c.approval_id,
                manifests.c.origin_region_code,
                manifests.c.destination_region_code,
                events.c.event_id,
                events.c.event_time,
                events.c.site_id,
                event_batches.c.batch_id,
                batches.c.waste_code,
                batches.c.mass_kg,
                batches.c.shipped_mass_kg,
            )
            .join_from(manifests, events, events.c.manifest_id == manifests.c.manifest_id)
            .join(event_batches, event_batches.c.event_id == events.c.event_id)
            .join(batches, batches.c.batch_id == event_batches.c.batch_id)
            .where(events.c.event_type == "shipped", event_batches.c.role == "input")
        )
        if in_transit_or_crossing:
            query = query.where(
                or_(
                    manifests.c.state.in_(("picked_up", "in_transit")),
                    func.substr(manifests.c.origin_region_code, 1, 2)
                    != func.substr(manifests.c.destination_region_code, 1, 2),
                )
            )
        carriers = self._carriers()
        lines: dict[uuid.UUID, list[Any]] = defaultdict(list)
        for row in self._stream(query):
            lines[row.manifest_id].append(row)
        found = []
        for manifest_id, rows in lines.items():
            rows.sort(key=lambda r: r.event_time)
            first = rows[0]
            found.append(
                Transfer(
                    manifest_id=manifest_id,
                    number=first.number,
                    state=first.state,
                    generator_id=first.generator_id,
                    receiver_id=first.receiver_id,
                    approval_id=first.approval_id,
                    origin_region_code=first.origin_region_code,
                    destination_region_code=first.destination_region_code,
                    shipped_at=first.event_time,
                    site_id=first.site_id,
                    shipped_kg=sum((r.shipped_mass_kg or r.mass_kg for r in rows), Decimal(0)),
                    waste_codes=tuple(dict.fromkeys(r.waste_code for r in rows if r.waste_code)),
                    transporter_ids=carriers.get(manifest_id, ()),
                    event_ids=tuple(dict.fromkeys(r.event_id for r in rows)),
                    batch_ids=tuple(dict.fromkeys(r.batch_id for r in rows)),
                )
            )
        return found

    def _carriers(self) -> dict[uuid.UUID, tuple[uuid.UUID, ...]]:
        """Each manifest's parties other than its generator and receiver: its transporters."""
        query = (
            select(manifest_parties.c.manifest_id, manifest_parties.c.organization_id)
            .join_from(
                manifest_parties,
                manifests,
                manifests.c.manifest_id == manifest_parties.c.manifest_id,
            )
            .where(
                manifest_parties.c.organization_id != manifests.c.generator_id,
                manifest_parties.c.organization_id != manifests.c.receiver_id,
            )
        )
        found: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
        for row in self._stream(query):
            found[row.manifest_id].append(row.organization_id)
        return {k: tuple(v) for k, v in found.items()}

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
            mass = sum((_quantity(o) for o in outputs), Decimal(0))
            totals[key] += mass
            for output in outputs:
                if output.get("waste_code"):
                    per_code[key][output["waste_code"]] += _quantity(output)
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
                    inputs_kg=sum((_quantity(x) for x in inputs), Decimal(0)),
                    outputs_kg=sum((_quantity(x) for x in outputs), Decimal(0)),
                    loss_kg=_quantity(loss) if loss else Decimal(0),
                    batch_ids=tuple(_batch_of(x) for x in (*inputs, *outputs)),
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
