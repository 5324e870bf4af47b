"""Set-based reads of the facts the oversight rules judge, aggregated in SQL where it can be."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    func,
    or_,
    select,
)

#: Rows fetched from the server at a time when streaming a large result.
from zerowaste.adapters.db.fact_reader import batch_of, quantity_of
from zerowaste.adapters.db.id_lists import in_list, rows_in
from zerowaste.adapters.db.record_facts import RecordFacts
from zerowaste.adapters.db.tables import (
    approvals,
    batches,
    event_batches,
    events,
    manifest_parties,
    manifests,
    permits,
)
from zerowaste.domain.permits import Permit, PermitActivity, PermitKind
from zerowaste.oversight.facts import (
    ApprovalFact,
    HeldBatch,
    Receipt,
    Transfer,
)


class OversightFacts(RecordFacts):
    """Every fact reader: the registry, stock and transfer facts here, the record facts inherited.

    Methods taking `event_ids` read only those events (capture); without, the whole store.
    """

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
            lines = json.loads(r.document)["inputs"]
            line = next((x for x in lines if batch_of(x) == r.batch_id), lines[0])
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
                    received_kg=quantity_of(line),
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
