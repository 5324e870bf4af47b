"""Waste events: the facts the ledger records about batches, each checking its own shape."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from zerowaste.domain.composition import Composition
from zerowaste.errors import InvalidInput, InvalidQuantity

#: No single event moves more than this many kilograms (a million tonnes); more is a typing error.
MAX_EVENT_MASS_KG = Decimal(10) ** 9
#: Masses are exact to the microgram: the stored NUMERIC(38, 9) keeps nine decimals of a kilogram.
MASS_DECIMALS_KG = 9


class EventType(StrEnum):
    """What happened to the batches an event names (DESIGN.md §3.2)."""

    GENERATED = "generated"
    STORED = "stored"
    SHIPPED = "shipped"
    RECEIVED = "received"
    SPLIT = "split"
    MERGED = "merged"
    TRANSFORMED = "transformed"
    DISPOSED = "disposed"
    INSPECTED = "inspected"
    CORRECTED = "corrected"


class OutputKind(StrEnum):
    """What a transformation made of its inputs (综合利用 outputs)."""

    WASTE = "waste"
    SECONDARY_RAW_MATERIAL = "secondary_raw_material"
    PRODUCT = "product"
    RESIDUE = "residue"


class DisposalMethod(StrEnum):
    """How a batch met its final fate (处置)."""

    LANDFILL = "landfill"
    INCINERATION = "incineration"
    CO_PROCESSING = "co_processing"
    OTHER = "other"


def counted_mass(value: Decimal, *, field: str) -> Decimal:
    """Return `value` if it is a plausible counted mass (zero allowed: nothing found), in kg."""
    if not value.is_finite() or value < 0:
        raise InvalidQuantity(f"must be zero or more kilograms, got {value}", field=field)
    if value > MAX_EVENT_MASS_KG:
        raise InvalidQuantity(f"{value} kg exceeds the plausible maximum", field=field)
    return value


def positive_mass(value: Decimal, *, field: str) -> Decimal:
    """Return `value` if it is a plausible positive mass in kilograms, else `InvalidQuantity`."""
    if not value.is_finite() or value <= 0:
        raise InvalidQuantity(f"must be a positive number of kilograms, got {value}", field=field)
    if value > MAX_EVENT_MASS_KG:
        raise InvalidQuantity(f"{value} kg exceeds the plausible maximum", field=field)
    return value


@dataclass(frozen=True, slots=True)
class BatchMass:
    """A batch and a mass of it, in kilograms."""

    batch_id: uuid.UUID
    mass_kg: Decimal


@dataclass(frozen=True, slots=True)
class BatchOutput:
    """A batch an event creates: its mass, what it is, and (for wastes) its code."""

    batch_id: uuid.UUID
    mass_kg: Decimal
    kind: OutputKind = OutputKind.WASTE
    waste_code: str | None = None
    description: str = ""
    composition: Composition | None = None


@dataclass(frozen=True, slots=True)
class CodeCount:
    """Stock of one waste code an inspector counted at a site, in kilograms."""

    waste_code: str
    mass_kg: Decimal


@dataclass(frozen=True, slots=True)
class WasteEvent:
    """One signed fact about batches.

    `inputs` are the batches an event draws on (with the mass drawn), `outputs` the batches it
    creates. Per type: generated has one waste output; stored, shipped, received and disposed
    name one input batch; split has one input and several outputs; merged several inputs and
    one output; transformed any inputs and outputs plus a declared loss; inspected names a site
    and may list counted batches as inputs (zero allowed) and counted stock per waste code in
    `counted`, with observed `conditions`; corrected points at an earlier event and may give the
    right mass of one of its batches in `corrected_mass`. `composition` (stored and received
    only) is a lab result for the input batch; outputs may carry their own.
    """

    event_id: uuid.UUID
    event_type: EventType
    event_time: datetime
    organization_id: uuid.UUID
    site_id: uuid.UUID | None = None
    inputs: tuple[BatchMass, ...] = ()
    outputs: tuple[BatchOutput, ...] = ()
    manifest_id: uuid.UUID | None = None
    contract_id: uuid.UUID | None = None
    destination_site_id: uuid.UUID | None = None
    disposal_method: DisposalMethod | None = None
    declared_loss_kg: Decimal = Decimal(0)
    corrects_event_id: uuid.UUID | None = None
    note: str = ""
    extensions: dict[str, str] = field(default_factory=dict)
    composition: Composition | None = None
    counted: tuple[CodeCount, ...] = ()
    conditions: tuple[str, ...] = ()
    corrected_mass: BatchMass | None = None

    def __post_init__(self) -> None:
        if self.event_time.tzinfo is None:
            raise InvalidInput("needs a time zone offset (RFC 3339)", field="event_time")
        check = counted_mass if self.event_type is EventType.INSPECTED else positive_mass
        for index, line in enumerate(self.inputs):
            check(line.mass_kg, field=f"inputs[{index}].mass_kg")
        for index, count in enumerate(self.counted):
            counted_mass(count.mass_kg, field=f"counted[{index}].mass_kg")
        if self.corrected_mass is not None:
            positive_mass(self.corrected_mass.mass_kg, field="corrected_mass.mass_kg")
        _extras_allowed(self)
        for index, output in enumerate(self.outputs):
            positive_mass(output.mass_kg, field=f"outputs[{index}].mass_kg")
        if self.declared_loss_kg < 0:
            raise InvalidQuantity("must not be negative", field="declared_loss_kg")
        _SHAPE_CHECKS[self.event_type](self)

    @property
    def batch_ids(self) -> tuple[uuid.UUID, ...]:
        """Every batch the event names, inputs first."""
        named = tuple(i.batch_id for i in self.inputs) + tuple(o.batch_id for o in self.outputs)
        if self.corrected_mass is not None:
            return (*named, self.corrected_mass.batch_id)
        return named


def _extras_allowed(event: WasteEvent) -> None:
    """Refuse the optional parts an event type does not carry."""
    kind = event.event_type
    if event.composition is not None and kind not in (EventType.STORED, EventType.RECEIVED):
        detail = "only stored and received events carry a lab result"
        raise InvalidInput(detail, field="composition")
    if (event.counted or event.conditions) and kind is not EventType.INSPECTED:
        field = "counted" if event.counted else "conditions"
        raise InvalidInput("only an inspection records counted stock and conditions", field=field)
    if event.corrected_mass is not None and kind is not EventType.CORRECTED:
        raise InvalidInput("only a correction gives a corrected mass", field="corrected_mass")


def _require(condition: bool, detail: str, field: str) -> None:
    if not condition:
        raise InvalidInput(detail, field=field)


def _one_input(event: WasteEvent) -> None:
    _require(len(event.inputs) == 1, f"a {event.event_type} event names one batch", "inputs")
    _require(not event.outputs, f"a {event.event_type} event creates no batch", "outputs")


def _at_site(event: WasteEvent) -> None:
    _require(event.site_id is not None, f"a {event.event_type} event happens at a site", "site_id")


def _generated(event: WasteEvent) -> None:
    _at_site(event)
    _require(not event.inputs, "a generated batch comes from no batch", "inputs")
    _require(len(event.outputs) == 1, "generation creates one batch", "outputs")
    output = event.outputs[0]
    _require(output.kind is OutputKind.WASTE, "generation creates a waste", "outputs[0].kind")
    _require(bool(output.waste_code), "a generated waste has a code", "outputs[0].waste_code")


def _stored(event: WasteEvent) -> None:
    _at_site(event)
    _one_input(event)


def _shipped(event: WasteEvent) -> None:
    _one_input(event)
    _at_site(event)
    _require(event.manifest_id is not None, "a shipment travels on a manifest", "manifest_id")


def _received(event: WasteEvent) -> None:
    _one_input(event)
    _at_site(event)
    _require(event.manifest_id is not None, "a receipt closes a manifest leg", "manifest_id")


def _split(event: WasteEvent) -> None:
    _at_site(event)
    _require(len(event.inputs) == 1, "a split divides one batch", "inputs")
    _require(len(event.outputs) >= 2, "a split makes two or more batches", "outputs")


def _merged(event: WasteEvent) -> None:
    _at_site(event)
    _require(len(event.inputs) >= 2, "a merge joins two or more batches", "inputs")
    _require(len(event.outputs) == 1, "a merge makes one batch", "outputs")


def _transformed(event: WasteEvent) -> None:
    _at_site(event)
    _require(bool(event.inputs), "a transformation consumes batches", "inputs")
    _require(bool(event.outputs), "a transformation makes batches", "outputs")


def _disposed(event: WasteEvent) -> None:
    _one_input(event)
    _at_site(event)
    _require(event.disposal_method is not None, "say how it was disposed", "disposal_method")


def _inspected(event: WasteEvent) -> None:
    _at_site(event)
    _require(not event.outputs, "an inspection creates no batch", "outputs")
    counted = [line.batch_id for line in event.inputs]
    _require(len(set(counted)) == len(counted), "count each batch once", "inputs")
    codes = [c.waste_code for c in event.counted]
    _require(len(set(codes)) == len(codes), "count each waste code once", "counted")


def _corrected(event: WasteEvent) -> None:
    _require(event.corrects_event_id is not None, "name the event corrected", "corrects_event_id")
    _require(bool(event.note.strip()), "say what was wrong", "note")
    _require(not event.inputs and not event.outputs, "a correction moves no mass", "inputs")


_SHAPE_CHECKS = {
    EventType.GENERATED: _generated,
    EventType.STORED: _stored,
    EventType.SHIPPED: _shipped,
    EventType.RECEIVED: _received,
    EventType.SPLIT: _split,
    EventType.MERGED: _merged,
    EventType.TRANSFORMED: _transformed,
    EventType.DISPOSED: _disposed,
    EventType.INSPECTED: _inspected,
    EventType.CORRECTED: _corrected,
}
