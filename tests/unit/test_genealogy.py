"""Genealogy over the pure batch book: every kilogram of a random chain is accounted for."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from zerowaste.domain.batches import Batch, BatchBook, BatchStatus, LineageEdge
from zerowaste.domain.events import (
    BatchMass,
    BatchOutput,
    DisposalMethod,
    EventType,
    OutputKind,
    WasteEvent,
)
from zerowaste.domain.genealogy import (
    Direction,
    NodeFacts,
    RecordedEvent,
    Tolerance,
    Trace,
    batch_facts,
    build_trace,
)

T0 = datetime(2026, 5, 20, 8, 0, tzinfo=UTC)
FIRM, OTHER, SITE, THERE = (uuid.uuid4() for _ in range(4))
OPS = ("split", "merge", "transform", "dispose", "ship", "hold")


def _event(kind: EventType, n: int, org: uuid.UUID = FIRM, **fields: Any) -> WasteEvent:
    site = THERE if org == OTHER else SITE
    return WasteEvent(uuid.uuid4(), kind, T0 + timedelta(minutes=n), org, site, **fields)


def _chain(root_kg: int, plan: list[tuple[str, int, int]]) -> tuple[uuid.UUID, list[WasteEvent]]:
    """A random but valid chain: `plan` picks an operation, a batch and a fraction per step."""
    book = BatchBook({})
    root = uuid.uuid4()
    events = [
        _event(
            EventType.GENERATED, 0, outputs=(BatchOutput(root, Decimal(root_kg), waste_code="x"),)
        )
    ]
    book.apply(events[0])
    for n, (op, pick, percent) in enumerate(plan, start=1):
        held = [
            b
            for b in (book.get(i) for i in {o.batch_id for e in events for o in e.outputs})
            if b is not None and b.status is BatchStatus.HELD and b.mass_kg > 0
        ]
        held.sort(key=lambda b: str(b.batch_id))
        if not held:
            break
        batch = held[pick % len(held)]
        org, mass = batch.holder_id, batch.mass_kg
        part = (mass * percent / 100).quantize(Decimal("0.001"))
        new = [uuid.uuid4(), uuid.uuid4()]
        event: WasteEvent | None = None
        if op == "split" and 0 < part < mass:
            outputs = (BatchOutput(new[0], part), BatchOutput(new[1], mass - part))
            event = _event(
                EventType.SPLIT, n, org, inputs=(BatchMass(batch.batch_id, mass),), outputs=outputs
            )
        elif op == "merge":
            mates = [b for b in held if b.holder_id == org and b is not batch]
            if mates:
                ins = (
                    BatchMass(batch.batch_id, mass),
                    BatchMass(mates[0].batch_id, mates[0].mass_kg),
                )
                total = mass + mates[0].mass_kg
                event = _event(
                    EventType.MERGED, n, org, inputs=ins, outputs=(BatchOutput(new[0], total),)
                )
        elif op == "transform" and 0 < part < mass:
            loss = (part / 3).quantize(Decimal("0.001"))
            outputs = (
                BatchOutput(new[0], part - loss, OutputKind.PRODUCT),
                BatchOutput(new[1], mass - part, OutputKind.RESIDUE),
            )
            event = _event(
                EventType.TRANSFORMED,
                n,
                org,
                inputs=(BatchMass(batch.batch_id, mass),),
                outputs=outputs,
                declared_loss_kg=loss,
            )
        elif op == "dispose" and part > 0:
            event = _event(
                EventType.DISPOSED,
                n,
                org,
                inputs=(BatchMass(batch.batch_id, part),),
                disposal_method=DisposalMethod.INCINERATION,
            )
        elif op == "ship":
            manifest = uuid.uuid4()
            shipped = _event(
                EventType.SHIPPED,
                n,
                org,
                inputs=(BatchMass(batch.batch_id, mass),),
                manifest_id=manifest,
            )
            events.append(shipped)
            book.apply(shipped)
            got = mass - (part / 10).quantize(Decimal("0.001")) if part < mass else mass
            if got > 0:
                receiver = OTHER if org == FIRM else FIRM
                event = _event(
                    EventType.RECEIVED,
                    n,
                    receiver,
                    inputs=(BatchMass(batch.batch_id, got),),
                    manifest_id=manifest,
                )
        if event is not None:
            events.append(event)
            book.apply(event)
    return root, events


def _trace_of(
    root: uuid.UUID, events: list[WasteEvent], direction: Direction = Direction.BOTH
) -> tuple[Trace, dict[uuid.UUID, Batch], list[LineageEdge], dict[uuid.UUID, NodeFacts]]:
    book = BatchBook({})
    recorded: list[RecordedEvent] = []
    edges: list[LineageEdge] = []
    for i, event in enumerate(events):
        applied = book.apply(event)
        edges.extend(applied.edges)
        recorded.append(RecordedEvent(event, i, applied.discrepancy_kg))
    ids = {b for e in events for b in e.batch_ids}
    batches = {i: b for i in ids if (b := book.get(i)) is not None}
    facts = {i: batch_facts(i, recorded) for i in ids}
    return build_trace(root, batches, edges, facts, direction), batches, edges, facts


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=1, max_value=10**6),
    st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 50), st.integers(1, 99)), max_size=14),
)
def test_random_chains_have_no_unaccounted_mass(
    root_kg: int, plan: list[tuple[str, int, int]]
) -> None:
    root, events = _chain(root_kg, plan)
    trace, batches, edges, facts = _trace_of(root, events)
    assert trace.unaccounted_kg == 0
    assert not trace.imbalanced
    assert set(trace.nodes) == set(batches)
    fated = sum(trace.fates.values(), Decimal(0))
    assert abs(fated - root_kg) <= Decimal("0.00001") * len(trace.fates)  # milligram rounding
    for leaf in batches:
        upward = build_trace(leaf, batches, edges, facts, Direction.UP)
        assert leaf == root or root in upward.ancestors
        assert upward.nodes[leaf].upstream_kg == upward.nodes[leaf].balance.inflow_kg


def test_a_chain_balances_and_reports_fates() -> None:
    root, events = _chain(
        1000, [("split", 0, 40), ("transform", 0, 50), ("dispose", 0, 50), ("ship", 0, 50)]
    )
    trace, _, _, _ = _trace_of(root, events)
    assert trace.nodes[root].balance.inflow_kg == 1000
    assert all(n.balance.balanced for n in trace.nodes.values())
    assert sum(trace.fates.values(), Decimal(0)) == 1000


def test_an_edited_edge_unbalances_its_parent_only() -> None:
    root, events = _chain(1000, [("split", 0, 40)])
    trace, batches, edges, facts = _trace_of(root, events)
    bad = [LineageEdge(e.parent_id, e.child_id, e.mass_kg + 50, e.event_id) for e in edges[:1]]
    broken = build_trace(root, batches, bad + edges[1:], facts)
    assert broken.imbalanced == (root,)
    assert broken.nodes[root].balance.imbalance_kg == -50
    assert broken.unaccounted_kg == 50
    lenient = build_trace(root, batches, bad + edges[1:], facts, tolerance=Tolerance(Decimal(60)))
    assert not lenient.imbalanced


def test_missing_facts_fall_back_to_parent_edges() -> None:
    root, events = _chain(1000, [("split", 0, 40)])
    _, batches, edges, facts = _trace_of(root, events)
    child = edges[0].child_id
    thin = {**facts, child: NodeFacts()}
    trace = build_trace(root, batches, edges, thin)
    assert trace.nodes[child].balance.inflow_kg == edges[0].mass_kg
    assert (
        trace.nodes[child].upstream_kg is None
        or trace.nodes[child].downstream_kg == edges[0].mass_kg
    )
