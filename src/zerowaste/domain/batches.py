"""Batches and the pure projector that applies waste events to them, refusing impossible ones."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from zerowaste.domain.composition import Composition, merged
from zerowaste.domain.events import BatchMass, BatchOutput, EventType, OutputKind, WasteEvent
from zerowaste.errors import (
    BatchAlreadyExists,
    BatchNotCorrectable,
    BatchNotHeld,
    BatchNotInTransit,
    InsufficientMass,
    MassImbalance,
    UnknownBatch,
)


class BatchStatus(StrEnum):
    """Where a batch is in its life."""

    HELD = "held"
    IN_TRANSIT = "in_transit"
    CONSUMED = "consumed"
    DISPOSED = "disposed"


@dataclass(frozen=True, slots=True)
class Batch:
    """The projected state of one batch: who holds how much of it, where, since when."""

    batch_id: uuid.UUID
    kind: OutputKind
    waste_code: str | None
    holder_id: uuid.UUID
    site_id: uuid.UUID | None
    mass_kg: Decimal
    status: BatchStatus
    created_at: datetime
    stored_since: datetime
    manifest_id: uuid.UUID | None = None
    shipped_mass_kg: Decimal | None = None
    composition: Composition | None = None


@dataclass(frozen=True, slots=True)
class MassFix:
    """What a correction changes: a batch's mass as an earlier event stated it, and the right one.

    `effect` is +1 when the corrected event added the mass to the batch (generated, received)
    and -1 when it drew the mass from it (disposed): the batch's remaining mass moves by
    `effect * (corrected_kg - stated_kg)`.
    """

    corrected_event_id: uuid.UUID
    batch_id: uuid.UUID
    stated_kg: Decimal
    corrected_kg: Decimal
    effect: int


@dataclass(frozen=True, slots=True)
class LineageEdge:
    """Mass that flowed from a parent batch into a child batch through one event."""

    parent_id: uuid.UUID
    child_id: uuid.UUID
    mass_kg: Decimal
    event_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class Applied:
    """What applying one event changed: the batches after it, new lineage, any weighing gap."""

    batches: tuple[Batch, ...]
    edges: tuple[LineageEdge, ...]
    discrepancy_kg: Decimal | None = None


class BatchBook:
    """The batches an event touches, loaded by the caller; `apply` checks and updates them."""

    def __init__(self, batches: Mapping[uuid.UUID, Batch]) -> None:
        self._batches = dict(batches)
        self.mass_fixes: dict[uuid.UUID, MassFix] = {}
        """Resolved mass corrections by correcting event id, registered before `apply`."""

    def get(self, batch_id: uuid.UUID) -> Batch | None:
        """The current state of a batch in the book."""
        return self._batches.get(batch_id)

    def apply(self, event: WasteEvent) -> Applied:
        """Apply `event`, or raise the condition that makes it impossible (nothing changes)."""
        applied = _APPLY[event.event_type](self, event)
        for batch in applied.batches:
            self._batches[batch.batch_id] = batch
        return applied

    def require_held(self, line: BatchMass, event: WasteEvent, index: int) -> Batch:
        """The input batch, if the acting organization holds at least the mass drawn."""
        field = f"inputs[{index}].batch_id"
        batch = self._batches.get(line.batch_id)
        if batch is None:
            raise UnknownBatch(f"no batch {line.batch_id}", field=field)
        if batch.status is not BatchStatus.HELD or batch.holder_id != event.organization_id:
            raise BatchNotHeld(
                f"batch {line.batch_id} is {batch.status}, not held by the acting organization",
                field=field,
            )
        if line.mass_kg > batch.mass_kg:
            raise InsufficientMass(
                f"draws {line.mass_kg} kg from a batch holding {batch.mass_kg} kg",
                field=f"inputs[{index}].mass_kg",
            )
        return batch

    def create_batch(
        self,
        output: BatchOutput,
        event: WasteEvent,
        index: int,
        code: str | None,
        composition: Composition | None = None,
    ) -> Batch:
        """A new batch for an output; a waste output inherits `code` unless it names its own.

        The output's own lab composition wins over the inherited `composition`.
        """
        if output.batch_id in self._batches:
            raise BatchAlreadyExists(
                f"batch {output.batch_id} exists already", field=f"outputs[{index}].batch_id"
            )
        return Batch(
            batch_id=output.batch_id,
            kind=output.kind,
            waste_code=output.waste_code or (code if output.kind is OutputKind.WASTE else None),
            holder_id=event.organization_id,
            site_id=event.site_id,
            mass_kg=output.mass_kg,
            status=BatchStatus.HELD,
            created_at=event.event_time,
            stored_since=event.event_time,
            composition=output.composition or composition,
        )


def _draw(batch: Batch, mass_kg: Decimal, final: BatchStatus) -> Batch:
    left = batch.mass_kg - mass_kg
    return replace(batch, mass_kg=left, status=final if left == 0 else batch.status)


def _generated(book: BatchBook, event: WasteEvent) -> Applied:
    return Applied((book.create_batch(event.outputs[0], event, 0, None),), ())


def _stored(book: BatchBook, event: WasteEvent) -> Applied:
    batch = book.require_held(event.inputs[0], event, 0)
    moved = batch.site_id != event.site_id
    stored = replace(
        batch,
        site_id=event.site_id,
        stored_since=event.event_time if moved else batch.stored_since,
        composition=event.composition or batch.composition,
    )
    return Applied((stored,), ())


def _shipped(book: BatchBook, event: WasteEvent) -> Applied:
    line = event.inputs[0]
    batch = book.require_held(line, event, 0)
    if line.mass_kg != batch.mass_kg:
        raise InsufficientMass(
            f"a shipment carries a whole batch ({batch.mass_kg} kg); split it first",
            field="inputs[0].mass_kg",
        )
    shipped = replace(
        batch,
        status=BatchStatus.IN_TRANSIT,
        site_id=None,
        manifest_id=event.manifest_id,
        shipped_mass_kg=line.mass_kg,
    )
    return Applied((shipped,), ())


def _received(book: BatchBook, event: WasteEvent) -> Applied:
    line = event.inputs[0]
    batch = book.get(line.batch_id)
    if batch is None:
        raise UnknownBatch(f"no batch {line.batch_id}", field="inputs[0].batch_id")
    if batch.status is not BatchStatus.IN_TRANSIT or batch.manifest_id != event.manifest_id:
        raise BatchNotInTransit(
            f"batch {line.batch_id} is not in transit on manifest {event.manifest_id}",
            field="manifest_id",
        )
    shipped = batch.shipped_mass_kg or batch.mass_kg
    received = replace(
        batch,
        holder_id=event.organization_id,
        site_id=event.site_id,
        mass_kg=line.mass_kg,
        status=BatchStatus.HELD,
        stored_since=event.event_time,
        manifest_id=None,
        shipped_mass_kg=None,
        composition=event.composition or batch.composition,
    )
    return Applied((received,), (), discrepancy_kg=line.mass_kg - shipped)


def _flow(book: BatchBook, event: WasteEvent, loss_kg: Decimal) -> Applied:
    """Inputs drawn, outputs made, lineage apportioned; outputs plus loss equal inputs exactly."""
    parents = [book.require_held(line, event, i) for i, line in enumerate(event.inputs)]
    drawn = sum((line.mass_kg for line in event.inputs), Decimal(0))
    made = sum((output.mass_kg for output in event.outputs), Decimal(0))
    if made + loss_kg != drawn:
        raise MassImbalance(
            f"outputs {made} kg + loss {loss_kg} kg differ from inputs {drawn} kg",
            field="outputs",
        )
    codes = {p.waste_code for p in parents}
    inherited = codes.pop() if len(codes) == 1 else None
    mix = None
    if event.event_type is not EventType.TRANSFORMED:  # a split keeps it, a merge averages it
        mix = merged(
            (p.composition, line.mass_kg) for p, line in zip(parents, event.inputs, strict=True)
        )
    children = [book.create_batch(o, event, i, inherited, mix) for i, o in enumerate(event.outputs)]
    final = BatchStatus.CONSUMED
    updated = [_draw(p, line.mass_kg, final) for p, line in zip(parents, event.inputs, strict=True)]
    edges = tuple(
        LineageEdge(
            line.batch_id, output.batch_id, output.mass_kg * line.mass_kg / drawn, event.event_id
        )
        for line in event.inputs
        for output in event.outputs
    )
    return Applied((*updated, *children), edges)


def _split_or_merge(book: BatchBook, event: WasteEvent) -> Applied:
    return _flow(book, event, Decimal(0))


def _transformed(book: BatchBook, event: WasteEvent) -> Applied:
    return _flow(book, event, event.declared_loss_kg)


def _disposed(book: BatchBook, event: WasteEvent) -> Applied:
    line = event.inputs[0]
    batch = book.require_held(line, event, 0)
    return Applied((_draw(batch, line.mass_kg, BatchStatus.DISPOSED),), ())


def _inspected(book: BatchBook, event: WasteEvent) -> Applied:
    for index, line in enumerate(event.inputs):
        if book.get(line.batch_id) is None:
            raise UnknownBatch(f"no batch {line.batch_id}", field=f"inputs[{index}].batch_id")
    return Applied((), ())


def _corrected(book: BatchBook, event: WasteEvent) -> Applied:
    """A reason-only correction changes no batch; a mass correction moves the remaining mass."""
    if event.corrected_mass is None:
        return Applied((), ())
    fix = book.mass_fixes.get(event.event_id)
    field = "corrected_mass.batch_id"
    batch = book.get(event.corrected_mass.batch_id)
    if fix is None or batch is None or fix.batch_id != batch.batch_id:
        raise BatchNotCorrectable("the corrected event states no mass of this batch", field=field)
    if batch.status in (BatchStatus.IN_TRANSIT, BatchStatus.CONSUMED):
        raise BatchNotCorrectable(f"batch {batch.batch_id} is {batch.status}", field=field)
    left = batch.mass_kg + fix.effect * (fix.corrected_kg - fix.stated_kg)
    if left < 0:
        raise InsufficientMass(
            f"the correction leaves {left} kg in the batch", field="corrected_mass.mass_kg"
        )
    status = batch.status
    if fix.effect < 0:  # a disposal: nothing left means disposed, something left is held
        status = BatchStatus.DISPOSED if left == 0 else BatchStatus.HELD
    return Applied((replace(batch, mass_kg=left, status=status),), ())


_APPLY: dict[EventType, Callable[[BatchBook, WasteEvent], Applied]] = {
    EventType.GENERATED: _generated,
    EventType.STORED: _stored,
    EventType.SHIPPED: _shipped,
    EventType.RECEIVED: _received,
    EventType.SPLIT: _split_or_merge,
    EventType.MERGED: _split_or_merge,
    EventType.TRANSFORMED: _transformed,
    EventType.DISPOSED: _disposed,
    EventType.INSPECTED: _inspected,
    EventType.CORRECTED: _corrected,
}


def replay(events: Iterable[WasteEvent]) -> BatchBook:
    """Apply events in order to an empty book (tests, audits and rebuilding projections)."""
    book = BatchBook({})
    for event in events:
        book.apply(event)
    return book
