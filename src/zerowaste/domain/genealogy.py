"""Batch genealogy: walk lineage up and down and check the mass balance at every batch."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from zerowaste.domain.batches import Batch, BatchStatus, LineageEdge
from zerowaste.domain.corrections import Correction
from zerowaste.domain.events import EventType, WasteEvent

#: Imbalances are reported to the milligram; stored edges keep nine decimals of a kilogram.
MILLIGRAM = Decimal("0.000001")
INPUT = "input"
OUTPUT = "output"


class Direction(StrEnum):
    """Which way a trace walks from its batch."""

    BOTH = "both"
    UP = "up"
    DOWN = "down"


@dataclass(frozen=True, slots=True)
class Tolerance:
    """How far a batch's outflow may differ from its inflow and still balance.

    The allowance is the larger of `absolute_kg` and `relative` times the inflow: by default
    1 kg or 0.5 %, whichever is more.
    """

    absolute_kg: Decimal = Decimal(1)
    relative: Decimal = Decimal("0.005")

    def allowed_kg(self, inflow_kg: Decimal) -> Decimal:
        """The largest imbalance tolerated for a batch with this inflow."""
        return max(self.absolute_kg, self.relative * abs(inflow_kg))


DEFAULT_TOLERANCE = Tolerance()


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """A captured event with its ledger leaf and, for receipts, the weighing gap."""

    event: WasteEvent
    leaf_index: int
    discrepancy_kg: Decimal | None = None


@dataclass(frozen=True, slots=True)
class EventRef:
    """An event of a batch: enough to fetch its receipt (inclusion proof)."""

    event_id: uuid.UUID
    event_type: str
    leaf_index: int
    role: str
    correction: Correction | None = None


@dataclass(frozen=True, slots=True)
class Disposal:
    """Mass of a batch disposed by one event."""

    event_id: uuid.UUID
    method: str
    mass_kg: Decimal


@dataclass(frozen=True, slots=True)
class NodeFacts:
    """What a batch's events say about its mass (besides lineage edges and current state)."""

    created_kg: Decimal | None = None
    disposals: tuple[Disposal, ...] = ()
    loss_kg: Decimal = Decimal(0)
    weighing_gap_kg: Decimal = Decimal(0)
    events: tuple[EventRef, ...] = ()


def batch_facts(
    batch_id: uuid.UUID,
    recorded: Iterable[RecordedEvent],
    corrections: Mapping[uuid.UUID, Correction] | None = None,
) -> NodeFacts:
    """Collect a batch's created mass, disposals, loss share and weighing gaps from its events.

    Args:
        batch_id: The batch.
        recorded: Events naming it (others are ignored), in log order.
        corrections: Corrections by corrected event id; a mass fix of this batch replaces
            the mass its event stated (created, weighed or disposed mass).

    Returns:
        The facts; the loss share of a transformation is the batch's drawn fraction of the
        declared loss, and the weighing gap is shipped minus received mass (positive: lost).
    """
    created: Decimal | None = None
    disposals: list[Disposal] = []
    loss = gap = Decimal(0)
    refs: list[EventRef] = []
    fixes = corrections or {}
    for item in recorded:
        event = item.event
        drawn = [line for line in event.inputs if line.batch_id == batch_id]
        made = [o for o in event.outputs if o.batch_id == batch_id]
        if not drawn and not made:
            continue
        role = OUTPUT if made else INPUT
        fix = fixes.get(event.event_id)
        refs.append(EventRef(event.event_id, event.event_type.value, item.leaf_index, role, fix))
        delta = Decimal(0)
        if fix is not None and fix.batch_id == batch_id and fix.corrected_kg is not None:
            delta = fix.corrected_kg - (fix.stated_kg or Decimal(0))
        if made and created is None:
            created = sum((o.mass_kg for o in made), Decimal(0)) + delta
        if not drawn:
            continue
        mass = sum((line.mass_kg for line in drawn), Decimal(0)) + delta
        if event.event_type is EventType.DISPOSED:
            method = event.disposal_method.value if event.disposal_method else "other"
            disposals.append(Disposal(event.event_id, method, mass))
        elif event.event_type is EventType.TRANSFORMED and event.declared_loss_kg:
            total = sum((line.mass_kg for line in event.inputs), Decimal(0))
            loss += mass * event.declared_loss_kg / total
        elif event.event_type is EventType.RECEIVED and item.discrepancy_kg is not None:
            gap -= item.discrepancy_kg + delta
    return NodeFacts(created, tuple(disposals), loss, gap, tuple(refs))


@dataclass(frozen=True, slots=True)
class Balance:
    """Inflow against every outflow of one batch; `imbalance_kg` is inflow minus outflow."""

    inflow_kg: Decimal
    to_children_kg: Decimal
    disposed_kg: Decimal
    loss_kg: Decimal
    held_kg: Decimal
    in_transit_kg: Decimal
    weighing_gap_kg: Decimal
    imbalance_kg: Decimal
    allowed_kg: Decimal

    @property
    def outflow_kg(self) -> Decimal:
        """Everything the batch's mass is accounted for by."""
        return (
            self.to_children_kg
            + self.disposed_kg
            + self.loss_kg
            + self.held_kg
            + self.in_transit_kg
            + self.weighing_gap_kg
        )

    @property
    def balanced(self) -> bool:
        """Whether the imbalance is within the tolerance."""
        return abs(self.imbalance_kg) <= self.allowed_kg


def _total(edges: Iterable[LineageEdge]) -> Decimal:
    return sum((e.mass_kg for e in edges), Decimal(0))


def balance(
    batch: Batch,
    facts: NodeFacts,
    parents: Iterable[LineageEdge],
    children: Iterable[LineageEdge],
    tolerance: Tolerance = DEFAULT_TOLERANCE,
) -> Balance:
    """The mass balance of one batch.

    Inflow is the mass its creating event states (generation, split, merge, transformation),
    or the sum of its parent edges when no creating event is known. Outflow is the child
    edges, disposals, share of declared losses, mass still held or in transit and the
    weighing gaps of its receipts.
    """
    inflow = facts.created_kg if facts.created_kg is not None else _total(parents)
    held = batch.mass_kg if batch.status is BatchStatus.HELD else Decimal(0)
    transit = batch.mass_kg if batch.status is BatchStatus.IN_TRANSIT else Decimal(0)
    disposed = sum((d.mass_kg for d in facts.disposals), Decimal(0))
    to_children = _total(children)
    outflow = to_children + disposed + facts.loss_kg + held + transit + facts.weighing_gap_kg
    return Balance(
        inflow_kg=inflow,
        to_children_kg=to_children,
        disposed_kg=disposed,
        loss_kg=facts.loss_kg,
        held_kg=held,
        in_transit_kg=transit,
        weighing_gap_kg=facts.weighing_gap_kg,
        imbalance_kg=(inflow - outflow).quantize(MILLIGRAM) + 0,
        allowed_kg=tolerance.allowed_kg(inflow),
    )


@dataclass(frozen=True, slots=True)
class TraceNode:
    """One batch of a trace with its lineage, facts, balance and share of the traced mass.

    `upstream_kg` is the mass it contributed to the traced batch (ancestors and the batch),
    `downstream_kg` the traced batch's mass that passed through it (descendants and the batch).
    """

    batch: Batch
    facts: NodeFacts
    balance: Balance
    parents: tuple[LineageEdge, ...]
    children: tuple[LineageEdge, ...]
    upstream_kg: Decimal | None = None
    downstream_kg: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Trace:
    """A batch's genealogy and the balance report of every batch in it."""

    batch_id: uuid.UUID
    direction: Direction
    tolerance: Tolerance
    nodes: dict[uuid.UUID, TraceNode]
    ancestors: tuple[uuid.UUID, ...]
    descendants: tuple[uuid.UUID, ...]
    fates: dict[str, Decimal]
    unaccounted_kg: Decimal

    @property
    def imbalanced(self) -> tuple[uuid.UUID, ...]:
        """The batches whose imbalance exceeds the tolerance."""
        return tuple(i for i, n in self.nodes.items() if not n.balance.balanced)


def _reachable(
    start: uuid.UUID, step: Mapping[uuid.UUID, list[LineageEdge]], up: bool
) -> list[uuid.UUID]:
    """Batches reachable from `start` along `step` (breadth first, `start` excluded)."""
    seen, order, frontier = {start}, [], [start]
    while frontier:
        following: list[uuid.UUID] = []
        for node in frontier:
            for edge in step.get(node, []):
                nxt = edge.parent_id if up else edge.child_id
                if nxt not in seen:
                    seen.add(nxt)
                    order.append(nxt)
                    following.append(nxt)
        frontier = following
    return order


def _propagate(
    root: uuid.UUID,
    members: set[uuid.UUID],
    step: Mapping[uuid.UUID, list[LineageEdge]],
    inflow: Mapping[uuid.UUID, Decimal],
    up: bool,
) -> dict[uuid.UUID, Decimal]:
    """Push the root's inflow through the sub-DAG `members` in proportion to edge masses."""
    pending = dict.fromkeys(members, 0)
    for node in members:
        for edge in step.get(node, []):
            target = edge.parent_id if up else edge.child_id
            if target in pending:
                pending[target] += 1
    share = dict.fromkeys(members, Decimal(0))
    share[root] = inflow[root]
    ready = [m for m, count in pending.items() if count == 0]
    while ready:
        node = ready.pop()
        for edge in step.get(node, []):
            target = edge.parent_id if up else edge.child_id
            if target not in pending:
                continue
            if inflow[node]:
                share[target] += edge.mass_kg * share[node] / inflow[node]
            pending[target] -= 1
            if pending[target] == 0:
                ready.append(target)
    return share


def _fates(trace_nodes: Iterable[tuple[TraceNode, Decimal]]) -> dict[str, Decimal]:
    """Where the traced mass went, each descendant's fates weighted by the share it carries."""
    fates: dict[str, Decimal] = {}

    def add(name: str, mass: Decimal) -> None:
        if mass:
            fates[name] = fates.get(name, Decimal(0)) + mass

    for node, reached in trace_nodes:
        b = node.balance
        if not b.inflow_kg:
            continue
        fraction = reached / b.inflow_kg
        for disposal in node.facts.disposals:
            add(f"disposed:{disposal.method}", disposal.mass_kg * fraction)
        add(f"held:{node.batch.kind.value}", b.held_kg * fraction)
        add("in_transit", b.in_transit_kg * fraction)
        add("transformation_loss", b.loss_kg * fraction)
        add("weighing_gap", b.weighing_gap_kg * fraction)
        add("unaccounted", b.imbalance_kg * fraction)
    return {k: v.quantize(MILLIGRAM) + 0 for k, v in sorted(fates.items())}


def build_trace(
    batch_id: uuid.UUID,
    batches: Mapping[uuid.UUID, Batch],
    edges: Iterable[LineageEdge],
    facts: Mapping[uuid.UUID, NodeFacts],
    direction: Direction = Direction.BOTH,
    tolerance: Tolerance = DEFAULT_TOLERANCE,
) -> Trace:
    """Trace `batch_id` through `edges`: ancestors, descendants and every batch's balance.

    Args:
        batch_id: The traced batch (must be in `batches`).
        batches: Projected states of at least every batch reached.
        edges: Lineage edges, including all parent and child edges of every batch reached.
        facts: Event facts per batch (missing means none).
        direction: Walk up, down or both.
        tolerance: The balance allowance.
    """
    unique = {(e.parent_id, e.child_id, e.event_id): e for e in edges}.values()
    by_parent: dict[uuid.UUID, list[LineageEdge]] = {}
    by_child: dict[uuid.UUID, list[LineageEdge]] = {}
    for edge in unique:
        by_parent.setdefault(edge.parent_id, []).append(edge)
        by_child.setdefault(edge.child_id, []).append(edge)
    walk_up = direction in (Direction.BOTH, Direction.UP)
    walk_down = direction in (Direction.BOTH, Direction.DOWN)
    ancestors = _reachable(batch_id, by_child, up=True) if walk_up else []
    descendants = _reachable(batch_id, by_parent, up=False) if walk_down else []
    balances: dict[uuid.UUID, tuple[NodeFacts, Balance]] = {}
    for node in (batch_id, *ancestors, *descendants):
        node_facts = facts.get(node, NodeFacts())
        ins, outs = by_child.get(node, []), by_parent.get(node, [])
        balances[node] = node_facts, balance(batches[node], node_facts, ins, outs, tolerance)
    inflow = {n: b.inflow_kg for n, (_, b) in balances.items()}
    up_share = _propagate(batch_id, {batch_id, *ancestors}, by_child, inflow, up=True)
    down_share = _propagate(batch_id, {batch_id, *descendants}, by_parent, inflow, up=False)
    nodes = {
        n: TraceNode(
            batches[n],
            f,
            b,
            tuple(by_child.get(n, [])),
            tuple(by_parent.get(n, [])),
            up_share.get(n) if walk_up else None,
            down_share.get(n) if walk_down else None,
        )
        for n, (f, b) in balances.items()
    }
    fates = _fates((nodes[n], down_share[n]) for n in (batch_id, *descendants))
    unaccounted = sum((abs(n.balance.imbalance_kg) for n in nodes.values()), Decimal(0))
    return Trace(
        batch_id,
        direction,
        tolerance,
        nodes,
        tuple(ancestors),
        tuple(descendants),
        fates,
        unaccounted,
    )
