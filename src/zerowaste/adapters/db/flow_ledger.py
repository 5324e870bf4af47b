"""Set-based reads of a region's waste movements over a period, summed for the material-flow system.

One query reads the period's generated, shipped, received, transformed and disposed events;
`IN` queries read their sites, organizations, batches' codes, corrections and manifests, and
the receipts and shipments of the manifests that straddle the period's ends.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from zerowaste.adapters.db.batch_lookups import corrected_masses, waste_codes
from zerowaste.adapters.db.fact_reader import FactReader, batch_of, quantity_of
from zerowaste.adapters.db.id_lists import in_list, rows_in
from zerowaste.adapters.db.tables import (
    events,
    manifests,
    organizations,
    sites,
)
from zerowaste.domain.events import EventType, OutputKind
from zerowaste.flows.city import UNKNOWN_SECTOR, CodeMasses, LedgerTotals

_TYPES = (
    EventType.GENERATED.value,
    EventType.SHIPPED.value,
    EventType.RECEIVED.value,
    EventType.TRANSFORMED.value,
    EventType.DISPOSED.value,
)
#: The code key of inputs that are not wastes (secondary materials fed to a utilization).
NON_WASTE = "non_waste"
_RESIDUE_KINDS = (OutputKind.WASTE.value, OutputKind.RESIDUE.value)


def _add(masses: CodeMasses, code: str, kg: Decimal) -> None:
    masses[code] = masses.get(code, 0.0) + float(kg)


class FlowLedgerReader(FactReader):
    """Reads the ledger totals of a region inside the caller's connection (a unit of work's)."""

    def totals(self, prefix: str, start: datetime, end: datetime) -> LedgerTotals:
        """What moved in the region whose codes start with `prefix` during `[start, end)`."""
        query = select(
            events.c.event_id,
            events.c.event_type,
            events.c.event_time,
            events.c.organization_id,
            events.c.site_id,
            events.c.manifest_id,
            events.c.document,
        ).where(
            events.c.event_type.in_(_TYPES), events.c.event_time >= start, events.c.event_time < end
        )
        rows = list(self._stream(query))
        site_region = self._site_regions({r.site_id for r in rows if r.site_id})
        org = self._organizations({r.organization_id for r in rows})
        docs = {r.event_id: json.loads(r.document) for r in rows}
        batch_ids = {
            batch_of(line)
            for r in rows
            if r.event_type != EventType.GENERATED.value
            for line in docs[r.event_id].get("inputs", ())
        }
        codes = waste_codes(self._connection, batch_ids)
        fixes = corrected_masses(self._connection, {r.event_id for r in rows})
        ends = self._manifest_regions({r.manifest_id for r in rows if r.manifest_id})
        totals = LedgerTotals()

        def inside(code: str | None) -> bool:
            return bool(code) and str(code).startswith(prefix)

        def mass(event_id: uuid.UUID, line: dict[str, Any]) -> Decimal:
            return fixes.get((event_id, batch_of(line)), quantity_of(line))

        shipped_inside: dict[uuid.UUID, float] = defaultdict(float)
        received_inside: set[uuid.UUID] = set()
        for r in rows:
            doc = docs[r.event_id]
            kind = r.event_type
            region = site_region.get(r.site_id) if r.site_id else None
            region = region or org.get(r.organization_id, ("", None))[0]
            if kind in (EventType.SHIPPED.value, EventType.RECEIVED.value):
                if r.manifest_id is None or r.manifest_id not in ends:
                    continue
                origin, destination = ends[r.manifest_id]
                for line in doc.get("inputs", ()):
                    code = codes.get(batch_of(line), NON_WASTE)
                    kg = mass(r.event_id, line)
                    if kind == EventType.SHIPPED.value and inside(origin):
                        _add(totals.shipped, code, kg)
                        if not inside(destination):
                            _add(totals.exported, code, kg)
                        else:
                            shipped_inside[r.manifest_id] += float(kg)
                    elif kind == EventType.RECEIVED.value and inside(destination):
                        _add(totals.received, code, kg)
                        if not inside(origin):
                            _add(totals.imported, code, kg)
                        else:
                            received_inside.add(r.manifest_id)
                totals.counts[kind] += 1
                continue
            if not inside(region):
                continue
            totals.counts[kind] += 1
            if kind == EventType.GENERATED.value:
                industry = org.get(r.organization_id, ("", None))[1]
                division = industry[:2] if industry else UNKNOWN_SECTOR
                masses = totals.generation.setdefault(division, {})
                for line in doc.get("outputs", ()):
                    _add(masses, line.get("waste_code") or NON_WASTE, mass(r.event_id, line))
            elif kind == EventType.TRANSFORMED.value:
                for line in doc.get("inputs", ()):
                    code = codes.get(batch_of(line), NON_WASTE)
                    _add(totals.utilization_input, code, mass(r.event_id, line))
                for line in doc.get("outputs", ()):
                    kg = mass(r.event_id, line)
                    if line.get("kind", OutputKind.WASTE.value) in _RESIDUE_KINDS:
                        _add(totals.residues, line.get("waste_code") or NON_WASTE, kg)
                    else:
                        totals.products += float(kg)
                if loss := doc.get("declared_loss"):
                    totals.losses += float(quantity_of(loss))
            else:
                method = doc.get("disposal_method") or "other"
                masses = totals.disposal.setdefault(method, {})
                for line in doc.get("inputs", ()):
                    _add(masses, codes.get(batch_of(line), NON_WASTE), mass(r.event_id, line))
        self._in_transit(totals, prefix, start, end, shipped_inside, received_inside)
        return totals

    def _in_transit(
        self,
        totals: LedgerTotals,
        prefix: str,
        start: datetime,
        end: datetime,
        shipped_inside: dict[uuid.UUID, float],
        received_inside: set[uuid.UUID],
    ) -> None:
        """Shipped in the period, unreceived at its end, less shipped earlier and received now."""
        received_by_end = self._events_of(set(shipped_inside), EventType.RECEIVED, end)
        pending = sum(kg for m, kg in shipped_inside.items() if m not in received_by_end)
        earlier_ids = received_inside - set(shipped_inside)
        earlier = self._shipped_before(earlier_ids, start)
        totals.in_transit_change = pending - earlier
        totals.in_transit_volume = pending + earlier

    def _events_of(
        self, manifest_ids: set[uuid.UUID], event_type: EventType, before: datetime
    ) -> set[uuid.UUID]:
        query = in_list(events.c.manifest_id, events.c.manifest_id).where(
            events.c.event_type == event_type.value, events.c.event_time < before
        )
        return {r.manifest_id for r in rows_in(self._connection, query, manifest_ids)}

    def _shipped_before(self, manifest_ids: set[uuid.UUID], before: datetime) -> float:
        query = in_list(events.c.manifest_id, events.c.event_id, events.c.document).where(
            events.c.event_type == EventType.SHIPPED.value, events.c.event_time < before
        )
        rows = list(rows_in(self._connection, query, manifest_ids))
        fixes = corrected_masses(self._connection, {r.event_id for r in rows})
        total = 0.0
        for r in rows:
            for line in json.loads(r.document).get("inputs", ()):
                total += float(fixes.get((r.event_id, batch_of(line)), quantity_of(line)))
        return total

    def _site_regions(self, site_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        query = in_list(sites.c.id, sites.c.id, sites.c.region_code)
        return {r.id: r.region_code for r in rows_in(self._connection, query, site_ids)}

    def _organizations(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, tuple[str, str | None]]:
        query = in_list(
            organizations.c.id,
            organizations.c.id,
            organizations.c.region_code,
            organizations.c.industry_code,
        )
        return {
            r.id: (r.region_code, r.industry_code) for r in rows_in(self._connection, query, ids)
        }

    def _manifest_regions(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, tuple[str, str]]:
        query = in_list(
            manifests.c.manifest_id,
            manifests.c.manifest_id,
            manifests.c.origin_region_code,
            manifests.c.destination_region_code,
        )
        return {
            r.manifest_id: (r.origin_region_code, r.destination_region_code)
            for r in rows_in(self._connection, query, ids)
        }
