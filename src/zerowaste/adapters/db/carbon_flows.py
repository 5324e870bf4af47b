"""Set-based reads of the ledger's waste flows: every utilization and disposal, per input batch.

One query reads the events, then one `IN` query per table reads their batches, corrections,
the manifests that carried the batches (or their nearest ancestors) and the sites of those
manifests, so a report over a year of a city costs a handful of queries.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from zerowaste.adapters.db.batch_lookups import corrected_masses, waste_codes
from zerowaste.adapters.db.fact_reader import FactReader, batch_of, quantity_of
from zerowaste.adapters.db.id_lists import in_list, rows_in
from zerowaste.adapters.db.tables import (
    batch_lineage,
    event_batches,
    events,
    manifests,
    organizations,
    sites,
)
from zerowaste.carbon.flows import WasteFlow, road_km, route_of
from zerowaste.domain.events import DisposalMethod, EventType

#: How many generations of batch lineage are searched for the manifest that carried a batch.
LINEAGE_DEPTH = 12
_FLOW_TYPES = (EventType.TRANSFORMED.value, EventType.DISPOSED.value)
_CARRYING = (EventType.SPLIT.value, EventType.MERGED.value)


@dataclass(frozen=True, slots=True)
class Carriage:
    """The manifest that last carried a batch: its generator and its two sites."""

    manifest_id: uuid.UUID
    generator_id: uuid.UUID
    origin_site_id: uuid.UUID | None
    destination_site_id: uuid.UUID | None


class CarbonFlowReader(FactReader):
    """Reads waste flows inside the caller's connection (a unit of work's)."""

    def flows(
        self,
        *,
        period_from: datetime | None = None,
        period_to: datetime | None = None,
        event_ids: Collection[uuid.UUID] | None = None,
        batch_id: uuid.UUID | None = None,
        organization_ids: Collection[uuid.UUID] | None = None,
    ) -> list[WasteFlow]:
        """The flows of utilizations and disposals in `[period_from, period_to)`.

        Args:
            period_from: First instant (inclusive), or unbounded.
            period_to: Last instant (exclusive), or unbounded.
            event_ids: Only these events.
            batch_id: Only flows of this batch.
            organization_ids: Only flows these organizations recorded or generated.
        """
        query = select(
            events.c.event_id,
            events.c.event_type,
            events.c.event_time,
            events.c.organization_id,
            events.c.site_id,
            events.c.document,
        ).where(events.c.event_type.in_(_FLOW_TYPES))
        if period_from is not None:
            query = query.where(events.c.event_time >= period_from)
        if period_to is not None:
            query = query.where(events.c.event_time < period_to)
        if batch_id is not None:
            query = query.where(
                events.c.event_id.in_(
                    select(event_batches.c.event_id).where(
                        event_batches.c.batch_id == batch_id, event_batches.c.role == "input"
                    )
                )
            )
        rows = list(self._rows(query, events.c.event_id, event_ids))
        lines: list[tuple[Any, uuid.UUID, Decimal, DisposalMethod | None]] = []
        for row in rows:
            document = json.loads(row.document)
            method = document.get("disposal_method")
            disposal = DisposalMethod(method) if method else None
            for line in document.get("inputs", ()):
                lines.append((row, batch_of(line), quantity_of(line), disposal))
        if batch_id is not None:
            lines = [line for line in lines if line[1] == batch_id]
        codes = waste_codes(self._connection, {line[1] for line in lines})
        fixes = corrected_masses(self._connection, {row.event_id for row in rows})
        carriages = self._carriages({line[1] for line in lines})
        site_rows = self._sites(
            {row.site_id for row in rows if row.site_id}
            | {c.origin_site_id for c in carriages.values() if c.origin_site_id}
            | {c.destination_site_id for c in carriages.values() if c.destination_site_id}
        )
        home = self._regions({row.organization_id for row in rows})
        found = []
        for row, batch, mass_kg, disposal in lines:
            if batch not in codes:
                continue  # not a waste: an input without a waste code is no waste flow
            carriage = carriages.get(batch)
            site = site_rows.get(row.site_id) if row.site_id else None
            region = site.region_code if site else home.get(row.organization_id, "")
            event_type = EventType(row.event_type)
            found.append(
                WasteFlow(
                    event_id=row.event_id,
                    event_type=event_type,
                    batch_id=batch,
                    organization_id=row.organization_id,
                    generator_id=carriage.generator_id if carriage else row.organization_id,
                    region_code=region,
                    site_id=row.site_id,
                    event_time=row.event_time,
                    waste_code=codes[batch],
                    material=None,
                    route=route_of(event_type, disposal),
                    mass_kg=fixes.get((row.event_id, batch), mass_kg),
                    distance_km=self._distance(carriage, site_rows),
                    manifest_id=carriage.manifest_id if carriage else None,
                    disposal_method=disposal,
                )
            )
        if organization_ids is not None:
            wanted = set(organization_ids)
            found = [f for f in found if f.organization_id in wanted or f.generator_id in wanted]
        found.sort(key=lambda f: (f.event_time, str(f.event_id), str(f.batch_id)))
        return found

    def _received(self, batch_ids: set[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
        """The manifest each batch was last received on, for those received on one."""
        query = (
            in_list(
                event_batches.c.batch_id,
                event_batches.c.batch_id,
                events.c.manifest_id,
                events.c.event_time,
            )
            .join_from(event_batches, events, event_batches.c.event_id == events.c.event_id)
            .where(events.c.event_type == EventType.RECEIVED.value)
            .where(events.c.manifest_id.is_not(None))
        )
        latest: dict[uuid.UUID, tuple[datetime, uuid.UUID]] = {}
        for r in rows_in(self._connection, query, batch_ids):
            if r.batch_id not in latest or r.event_time > latest[r.batch_id][0]:
                latest[r.batch_id] = (r.event_time, r.manifest_id)
        return {batch: manifest for batch, (_, manifest) in latest.items()}

    def _carriages(self, batch_ids: set[uuid.UUID]) -> dict[uuid.UUID, Carriage]:
        """The carriage of each batch: its own last manifest, else its nearest ancestor's."""
        manifest_of: dict[uuid.UUID, uuid.UUID] = {}
        # Each pending batch maps to the originals it stands for.
        pending: dict[uuid.UUID, set[uuid.UUID]] = {b: {b} for b in batch_ids}
        for _ in range(LINEAGE_DEPTH):
            if not pending:
                break
            received = self._received(set(pending))
            for batch, manifest in received.items():
                for original in pending.pop(batch):
                    manifest_of.setdefault(original, manifest)
            parents: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
            # Splits and merges move the same waste on; a transformation's outputs did not travel.
            query = (
                in_list(
                    batch_lineage.c.child_id, batch_lineage.c.child_id, batch_lineage.c.parent_id
                )
                .join_from(batch_lineage, events, batch_lineage.c.event_id == events.c.event_id)
                .where(events.c.event_type.in_(_CARRYING))
            )
            for r in rows_in(self._connection, query, pending):
                parents[r.parent_id] |= pending[r.child_id]
            pending = dict(parents)
        bodies = in_list(
            manifests.c.manifest_id,
            manifests.c.manifest_id,
            manifests.c.generator_id,
            manifests.c.body,
        )
        carriages = {}
        for r in rows_in(self._connection, bodies, set(manifest_of.values())):
            body = r.body if isinstance(r.body, dict) else json.loads(r.body)
            terms = body.get("terms", {})
            carriages[r.manifest_id] = Carriage(
                r.manifest_id,
                r.generator_id,
                _uuid(terms.get("generator_site_id")),
                _uuid(terms.get("receiver_site_id")),
            )
        return {b: carriages[m] for b, m in manifest_of.items() if m in carriages}

    def _sites(self, site_ids: set[uuid.UUID]) -> dict[uuid.UUID, Any]:
        query = in_list(
            sites.c.id, sites.c.id, sites.c.region_code, sites.c.latitude, sites.c.longitude
        )
        return {r.id: r for r in rows_in(self._connection, query, site_ids)}

    def _regions(self, organization_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        query = in_list(organizations.c.id, organizations.c.id, organizations.c.region_code)
        return {r.id: r.region_code for r in rows_in(self._connection, query, organization_ids)}

    @staticmethod
    def _distance(carriage: Carriage | None, site_rows: dict[uuid.UUID, Any]) -> Decimal:
        if carriage is None or carriage.origin_site_id is None:
            return Decimal(0)
        origin = site_rows.get(carriage.origin_site_id)
        destination = (
            site_rows.get(carriage.destination_site_id) if carriage.destination_site_id else None
        )
        if origin is None or destination is None:
            return Decimal(0)
        return road_km(
            (origin.latitude, origin.longitude), (destination.latitude, destination.longitude)
        )


def _uuid(value: Any) -> uuid.UUID | None:
    return uuid.UUID(str(value)) if value else None
