"""Batch traces: read lineage level by level, check visibility, balance every batch."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from zerowaste.adapters.db.events_repository import EventRow
from zerowaste.adapters.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from zerowaste.domain.access import Principal
from zerowaste.domain.batches import Batch, LineageEdge
from zerowaste.domain.composition import Composition
from zerowaste.domain.corrections import Correction
from zerowaste.domain.event_documents import parse_event
from zerowaste.domain.genealogy import (
    DEFAULT_TOLERANCE,
    Direction,
    NodeFacts,
    RecordedEvent,
    Tolerance,
    Trace,
    TraceNode,
    batch_facts,
    build_trace,
)
from zerowaste.errors import Forbidden, NotFound

#: Where an event's receipt (inclusion proof and checkpoint) is served.
RECEIPT_PATH = "/api/v1/ledger/entries/{event_id}/receipt"


def _lineage(
    uow: UnitOfWork, start: uuid.UUID, direction: Direction
) -> tuple[set[uuid.UUID], list[LineageEdge]]:
    """The batches reached from `start` and every lineage edge into or out of each of them.

    Both ways at once, one query per level: the edges into and out of the level's batches
    (so the batches' balances need no further read) name the next level, the parents of the
    batches reached going up and the children of those reached going down. Level by level
    rather than one `WITH RECURSIVE` query: PostgreSQL 15 plans the recursive step as a join
    over the whole lineage index (0.9-2.5 s at 300k events, `EXPLAIN ANALYZE`); the per-level
    reads stay on index lookups on both databases, so a trace costs the same at any ledger size.
    """
    up = {start} if direction is not Direction.DOWN else set()
    down = {start} if direction is not Direction.UP else set()
    upward, downward, edges = set(up), set(down), []
    level: set[uuid.UUID] = {start}
    while level:
        read = uow.events.edges_around(level, level)
        edges.extend(read)
        upward = {e.parent_id for e in read if e.child_id in upward} - up
        downward = {e.child_id for e in read if e.parent_id in downward} - down
        up |= upward
        down |= downward
        level = upward | downward
    return {start} | up | down, edges


class TraceService:
    """Genealogy and mass balance of a batch, for the parties that may see the batch."""

    def __init__(self, unit_of_work: UnitOfWorkFactory) -> None:
        self._uow = unit_of_work

    def trace(
        self,
        actor: Principal,
        batch_id: uuid.UUID,
        *,
        direction: Direction = Direction.BOTH,
        tolerance: Tolerance = DEFAULT_TOLERANCE,
    ) -> Trace:
        """Walk a batch's lineage and balance every batch reached.

        Args:
            actor: Must act for an organization that holds or handled the batch (or oversee it).
            batch_id: The traced batch.
            direction: Ancestors, descendants or both.
            tolerance: The balance allowance per batch.

        Raises:
            NotFound: No such batch.
            Forbidden: The actor may not see this batch.
        """
        with self._uow() as uow:
            nodes, edges = _lineage(uow, batch_id, direction)
            batches = uow.events.batches_by_id(nodes)
            root = batches.get(batch_id)
            if root is None:
                raise NotFound(f"no batch {batch_id}", field="batch_id")
            linked = uow.events.events_of_batches(nodes)
            self._require_visible(uow, actor, root, (row for b, row in linked if b == batch_id))
            corrections = uow.findings.corrections_of(row.event_id for _, row in linked)
        facts = _facts(linked, corrections)
        return build_trace(batch_id, batches, edges, facts, direction, tolerance)

    @staticmethod
    def _require_visible(
        uow: UnitOfWork, actor: Principal, batch: Batch, history: Iterable[EventRow]
    ) -> None:
        """Refuse unless the actor acts for the batch's holder or an author of its events."""
        parties = {batch.holder_id, *(e.organization_id for e in history)}
        regions = uow.organizations.regions_of(parties)
        if not any(actor.acts_for(o, region) for o, region in regions.items()):
            raise Forbidden("this batch's data is not yours to see")


def _facts(
    linked: list[tuple[uuid.UUID, EventRow]], corrections: dict[uuid.UUID, Correction]
) -> dict[uuid.UUID, NodeFacts]:
    """Per batch, the facts of its events (each document parsed once)."""
    parsed: dict[uuid.UUID, RecordedEvent] = {}
    per_batch: dict[uuid.UUID, list[uuid.UUID]] = {}
    for batch_id, row in linked:
        if row.event_id not in parsed:
            event = parse_event(json.loads(row.document))
            parsed[row.event_id] = RecordedEvent(event, row.leaf_index, row.discrepancy_kg)
        ids = per_batch.setdefault(batch_id, [])
        if row.event_id not in ids:
            ids.append(row.event_id)
    return {
        b: batch_facts(b, (parsed[i] for i in ids), corrections) for b, ids in per_batch.items()
    }


def _kg(mass: Decimal | None) -> str | None:
    return None if mass is None else format(mass.normalize() + 0, "f")


def _node_document(node: TraceNode) -> dict[str, Any]:
    b, bal = node.batch, node.balance
    return {
        "batch_id": str(b.batch_id),
        "kind": b.kind.value,
        "waste_code": b.waste_code,
        "holder_id": str(b.holder_id),
        "site_id": None if b.site_id is None else str(b.site_id),
        "status": b.status.value,
        "mass_kg": _kg(b.mass_kg),
        "upstream_kg": _kg(node.upstream_kg),
        "downstream_kg": _kg(node.downstream_kg),
        "parents": [
            {"batch_id": str(e.parent_id), "mass_kg": _kg(e.mass_kg), "event_id": str(e.event_id)}
            for e in node.parents
        ],
        "children": [
            {"batch_id": str(e.child_id), "mass_kg": _kg(e.mass_kg), "event_id": str(e.event_id)}
            for e in node.children
        ],
        "disposals": [
            {"event_id": str(d.event_id), "method": d.method, "mass_kg": _kg(d.mass_kg)}
            for d in node.facts.disposals
        ],
        "balance": {
            "inflow_kg": _kg(bal.inflow_kg),
            "to_children_kg": _kg(bal.to_children_kg),
            "disposed_kg": _kg(bal.disposed_kg),
            "loss_kg": _kg(bal.loss_kg),
            "held_kg": _kg(bal.held_kg),
            "in_transit_kg": _kg(bal.in_transit_kg),
            "weighing_gap_kg": _kg(bal.weighing_gap_kg),
            "outflow_kg": _kg(bal.outflow_kg),
            "imbalance_kg": _kg(bal.imbalance_kg),
            "allowed_kg": _kg(bal.allowed_kg),
            "balanced": bal.balanced,
        },
        "events": [
            {
                "event_id": str(e.event_id),
                "event_type": e.event_type,
                "leaf_index": e.leaf_index,
                "role": e.role,
                "receipt": RECEIPT_PATH.format(event_id=e.event_id),
                "correction": correction_document(e.correction),
            }
            for e in node.facts.events
        ],
        "composition": composition_document(b.composition),
    }


def composition_document(composition: Composition | None) -> dict[str, Any] | None:
    """A batch's lab composition as JSON (fractions as decimal strings), or None."""
    return None if composition is None else composition.document()


def correction_document(correction: Correction | None) -> dict[str, Any] | None:
    """How an event was corrected, as JSON (None: it stands as signed)."""
    if correction is None:
        return None
    return {
        "corrected_by": str(correction.correction_event_id),
        "organization_id": str(correction.organization_id),
        "reason": correction.reason,
        "corrected_at": correction.corrected_at.isoformat(),
        "batch_id": None if correction.batch_id is None else str(correction.batch_id),
        "stated_kg": _kg(correction.stated_kg),
        "corrected_kg": _kg(correction.corrected_kg),
    }


def trace_document(trace: Trace) -> dict[str, Any]:
    """A trace as plain JSON: the batches, their lineage, fates and the balance report."""
    return {
        "batch_id": str(trace.batch_id),
        "direction": trace.direction.value,
        "tolerance": {
            "absolute_kg": _kg(trace.tolerance.absolute_kg),
            "relative": _kg(trace.tolerance.relative),
        },
        "ancestors": [str(i) for i in trace.ancestors],
        "descendants": [str(i) for i in trace.descendants],
        "fates": {name: _kg(mass) for name, mass in trace.fates.items()},
        "unaccounted_kg": _kg(trace.unaccounted_kg),
        "imbalanced": [str(i) for i in trace.imbalanced],
        "nodes": [_node_document(node) for node in trace.nodes.values()],
    }
