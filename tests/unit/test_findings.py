"""Inspections and corrections as pure rules: gaps, who signs, what a correction may fix."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from zerowaste.domain.batches import BatchStatus, MassFix, replay
from zerowaste.domain.corrections import mass_fix
from zerowaste.domain.event_documents import event_document, parse_event
from zerowaste.domain.events import (
    BatchMass,
    BatchOutput,
    CodeCount,
    DisposalMethod,
    EventType,
    WasteEvent,
)
from zerowaste.domain.inspections import inspection_of
from zerowaste.errors import BatchNotCorrectable, InsufficientMass, InvalidInput, UnknownBatch

T0 = datetime(2026, 3, 1, 8, tzinfo=UTC)
ORG, SITE = uuid.uuid4(), uuid.uuid4()
CODE = "900-214-08"


def generated(batch: uuid.UUID, kg: int) -> WasteEvent:
    output = BatchOutput(batch, Decimal(kg), waste_code=CODE)
    return WasteEvent(uuid.uuid4(), EventType.GENERATED, T0, ORG, SITE, outputs=(output,))


def inspected(*counts: BatchMass, counted: tuple[CodeCount, ...] = ()) -> WasteEvent:
    return WasteEvent(
        uuid.uuid4(), EventType.INSPECTED, T0, uuid.uuid4(), SITE, inputs=counts, counted=counted
    )


def test_an_inspection_may_count_zero_and_round_trips() -> None:
    event = inspected(BatchMass(uuid.uuid4(), Decimal(0)), counted=(CodeCount(CODE, Decimal(5)),))
    event = WasteEvent(**{**_fields(event), "conditions": ("漏液",), "note": "核查"})
    assert parse_event(event_document(event)) == event


def _fields(event: WasteEvent) -> dict[str, object]:
    return {name: getattr(event, name) for name in WasteEvent.__slots__}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"inputs": (BatchMass(uuid.UUID(int=1), Decimal(-1)),)}, "inputs[0].mass_kg"),
        ({"counted": (CodeCount(CODE, Decimal(1)), CodeCount(CODE, Decimal(2)))}, "counted"),
        ({"outputs": (BatchOutput(uuid.UUID(int=2), Decimal(1)),)}, "outputs"),
    ],
)
def test_bad_inspections_are_refused(change: dict[str, object], field: str) -> None:
    base = _fields(inspected(BatchMass(uuid.UUID(int=1), Decimal(1))))
    with pytest.raises(InvalidInput) as caught:
        WasteEvent(**{**base, **change})
    assert caught.value.field == field


def test_counts_only_belong_to_inspections() -> None:
    base = _fields(generated(uuid.uuid4(), 1))
    with pytest.raises(InvalidInput) as caught:
        WasteEvent(**{**base, "counted": (CodeCount(CODE, Decimal(1)),)})
    assert caught.value.field == "counted"


def test_gaps_compare_counts_with_stock_at_the_site() -> None:
    here, moved = uuid.uuid4(), uuid.uuid4()
    book = replay([generated(here, 100), generated(moved, 50)])
    at_site = book.get(here)
    assert at_site is not None
    elsewhere = book.get(moved)
    assert elsewhere is not None
    from dataclasses import replace

    elsewhere = replace(elsewhere, site_id=uuid.uuid4())
    event = inspected(
        BatchMass(here, Decimal(97)),
        BatchMass(moved, Decimal(50)),
        counted=(CodeCount(CODE, Decimal(90)), CodeCount("HW49", Decimal(3))),
    )
    found = inspection_of(event, ORG, {here: at_site, moved: elsewhere}, [at_site])
    assert [line.gap_kg for line in found.lines] == [-3, 50, -10, 3]
    assert replay([generated(here, 1)]).apply(inspected(BatchMass(here, Decimal(1)))).batches == ()
    with pytest.raises(UnknownBatch):
        replay([]).apply(inspected(BatchMass(here, Decimal(1))))


def _disposal(batch: uuid.UUID, kg: int) -> WasteEvent:
    return WasteEvent(
        uuid.uuid4(),
        EventType.DISPOSED,
        T0,
        ORG,
        SITE,
        inputs=(BatchMass(batch, Decimal(kg)),),
        disposal_method=DisposalMethod.INCINERATION,
    )


def _correction(target: WasteEvent, batch: uuid.UUID, kg: int) -> WasteEvent:
    return WasteEvent(
        uuid.uuid4(),
        EventType.CORRECTED,
        T0,
        ORG,
        corrects_event_id=target.event_id,
        note="录入错误",
        corrected_mass=BatchMass(batch, Decimal(kg)),
    )


def test_mass_fixes_by_event_type() -> None:
    batch = uuid.uuid4()
    made, burnt = generated(batch, 100), _disposal(batch, 100)
    assert mass_fix(made, BatchMass(batch, Decimal(120)), ["stored", "inspected"]).effect == 1
    assert mass_fix(burnt, BatchMass(batch, Decimal(80)), []).effect == -1
    with pytest.raises(BatchNotCorrectable):
        mass_fix(made, BatchMass(batch, Decimal(120)), ["disposed"])
    with pytest.raises(BatchNotCorrectable):
        mass_fix(made, BatchMass(uuid.uuid4(), Decimal(120)), [])


def test_the_projector_applies_a_registered_fix() -> None:
    batch = uuid.uuid4()
    made, burnt = generated(batch, 100), _disposal(batch, 60)
    book = replay([made, burnt])
    fix = _correction(burnt, batch, 100)
    book.mass_fixes[fix.event_id] = MassFix(burnt.event_id, batch, Decimal(60), Decimal(100), -1)
    [after] = book.apply(fix).batches
    assert (after.mass_kg, after.status) == (Decimal(0), BatchStatus.DISPOSED)
    too_much = _correction(burnt, batch, 200)
    book.mass_fixes[too_much.event_id] = MassFix(
        burnt.event_id, batch, Decimal(100), Decimal(200), -1
    )
    with pytest.raises(InsufficientMass):
        book.apply(too_much)
    unregistered = _correction(made, batch, 5)
    with pytest.raises(BatchNotCorrectable):
        book.apply(unregistered)
