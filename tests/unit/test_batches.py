"""The batch projector: each event's shape, the conditions that refuse it, and mass conservation."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zerowaste.domain.batches import BatchStatus, replay
from zerowaste.domain.events import (
    BatchMass,
    BatchOutput,
    DisposalMethod,
    EventType,
    OutputKind,
    WasteEvent,
)
from zerowaste.errors import (
    BatchAlreadyExists,
    BatchNotHeld,
    BatchNotInTransit,
    InsufficientMass,
    InvalidInput,
    InvalidQuantity,
    MassImbalance,
    UnknownBatch,
)

T0 = datetime(2026, 3, 1, 8, tzinfo=UTC)
GEN, RECYCLER = uuid.uuid4(), uuid.uuid4()
PLANT, YARD = uuid.uuid4(), uuid.uuid4()
MANIFEST = uuid.uuid4()


def event(kind: EventType, minutes: int = 0, org: uuid.UUID = GEN, **fields: object) -> WasteEvent:
    values: dict[str, object] = {
        "event_id": uuid.uuid4(),
        "event_type": kind,
        "event_time": T0 + timedelta(minutes=minutes),
        "organization_id": org,
        "site_id": PLANT,
    }
    return WasteEvent(**(values | fields))  # type: ignore[arg-type]


def generated(batch: uuid.UUID, mass: str = "1000", code: str = "900-214-08") -> WasteEvent:
    return event(EventType.GENERATED, outputs=(BatchOutput(batch, Decimal(mass), waste_code=code),))


def test_generate_ship_receive_with_weighing_gap() -> None:
    batch = uuid.uuid4()
    book = replay(
        [
            generated(batch),
            event(
                EventType.SHIPPED,
                10,
                inputs=(BatchMass(batch, Decimal(1000)),),
                manifest_id=MANIFEST,
            ),
        ]
    )
    assert book.get(batch).status is BatchStatus.IN_TRANSIT  # type: ignore[union-attr]
    applied = book.apply(
        event(
            EventType.RECEIVED,
            90,
            org=RECYCLER,
            site_id=YARD,
            inputs=(BatchMass(batch, Decimal("987.5")),),
            manifest_id=MANIFEST,
        )
    )
    assert applied.discrepancy_kg == Decimal("-12.5")
    received = book.get(batch)
    assert received is not None
    assert (received.holder_id, received.site_id, received.mass_kg) == (
        RECYCLER,
        YARD,
        Decimal("987.5"),
    )
    assert received.status is BatchStatus.HELD


def test_split_transform_dispose_keep_lineage() -> None:
    batch, a, b, oil, residue = (uuid.uuid4() for _ in range(5))
    book = replay([generated(batch)])
    split = book.apply(
        event(
            EventType.SPLIT,
            1,
            inputs=(BatchMass(batch, Decimal(1000)),),
            outputs=(BatchOutput(a, Decimal(600)), BatchOutput(b, Decimal(400))),
        )
    )
    assert book.get(batch).status is BatchStatus.CONSUMED  # type: ignore[union-attr]
    assert book.get(a).waste_code == "900-214-08"  # type: ignore[union-attr]
    assert sum(e.mass_kg for e in split.edges) == Decimal(1000)
    transformed = book.apply(
        event(
            EventType.TRANSFORMED,
            2,
            inputs=(BatchMass(a, Decimal(600)),),
            outputs=(
                BatchOutput(oil, Decimal(450), kind=OutputKind.SECONDARY_RAW_MATERIAL),
                BatchOutput(
                    residue, Decimal(100), kind=OutputKind.RESIDUE, waste_code="900-249-08"
                ),
            ),
            declared_loss_kg=Decimal(50),
        )
    )
    assert book.get(oil).waste_code is None  # type: ignore[union-attr]
    assert sum(e.mass_kg for e in transformed.edges) == Decimal(550)
    book.apply(
        event(
            EventType.DISPOSED,
            3,
            inputs=(BatchMass(b, Decimal(400)),),
            disposal_method=DisposalMethod.INCINERATION,
        )
    )
    assert book.get(b).status is BatchStatus.DISPOSED  # type: ignore[union-attr]


def test_impossible_events_are_refused_naming_the_field() -> None:
    batch, other = uuid.uuid4(), uuid.uuid4()
    book = replay([generated(batch)])
    cases = [
        (generated(batch), BatchAlreadyExists, "outputs[0].batch_id"),
        (
            event(
                EventType.DISPOSED,
                inputs=(BatchMass(other, Decimal(1)),),
                disposal_method=DisposalMethod.LANDFILL,
            ),
            UnknownBatch,
            "inputs[0].batch_id",
        ),
        (
            event(
                EventType.DISPOSED,
                inputs=(BatchMass(batch, Decimal(1001)),),
                disposal_method=DisposalMethod.LANDFILL,
            ),
            InsufficientMass,
            "inputs[0].mass_kg",
        ),
        (
            event(EventType.SHIPPED, inputs=(BatchMass(batch, Decimal(10)),), manifest_id=MANIFEST),
            InsufficientMass,
            "inputs[0].mass_kg",
        ),
        (
            event(EventType.STORED, org=RECYCLER, inputs=(BatchMass(batch, Decimal(1000)),)),
            BatchNotHeld,
            "inputs[0].batch_id",
        ),
        (
            event(
                EventType.RECEIVED, inputs=(BatchMass(batch, Decimal(1000)),), manifest_id=MANIFEST
            ),
            BatchNotInTransit,
            "manifest_id",
        ),
        (
            event(
                EventType.SPLIT,
                inputs=(BatchMass(batch, Decimal(1000)),),
                outputs=(
                    BatchOutput(uuid.uuid4(), Decimal(600)),
                    BatchOutput(uuid.uuid4(), Decimal(300)),
                ),
            ),
            MassImbalance,
            "outputs",
        ),
    ]
    for refused, error, field in cases:
        with pytest.raises(error) as info:
            book.apply(refused)
        assert info.value.field == field
    assert book.get(batch).mass_kg == Decimal(1000)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("kind", "fields", "field"),
    [
        (EventType.GENERATED, {"outputs": ()}, "outputs"),
        (
            EventType.GENERATED,
            {
                "site_id": None,
                "outputs": (BatchOutput(uuid.uuid4(), Decimal(1), waste_code="HW08"),),
            },
            "site_id",
        ),
        (EventType.SHIPPED, {"inputs": (BatchMass(uuid.uuid4(), Decimal(1)),)}, "manifest_id"),
        (EventType.DISPOSED, {"inputs": (BatchMass(uuid.uuid4(), Decimal(1)),)}, "disposal_method"),
        (EventType.CORRECTED, {"corrects_event_id": uuid.uuid4()}, "note"),
        (
            EventType.STORED,
            {"inputs": (BatchMass(uuid.uuid4(), Decimal(-5)),)},
            "inputs[0].mass_kg",
        ),
        (
            EventType.STORED,
            {"inputs": (BatchMass(uuid.uuid4(), Decimal("1e12")),)},
            "inputs[0].mass_kg",
        ),
        (EventType.STORED, {"event_time": datetime(2026, 1, 1)}, "event_time"),
    ],
)
def test_malformed_events_name_the_field(
    kind: EventType, fields: dict[str, object], field: str
) -> None:
    with pytest.raises((InvalidInput, InvalidQuantity)) as info:
        event(kind, **fields)
    assert info.value.field == field


masses = st.integers(min_value=1, max_value=10**6).map(Decimal)


@settings(max_examples=200)
@given(
    total=masses,
    cuts=st.lists(st.integers(1, 99), min_size=1, max_size=6),
    loss_pct=st.integers(0, 30),
)
def test_mass_is_conserved_through_splits_transforms_and_disposal(
    total: Decimal, cuts: list[int], loss_pct: int
) -> None:
    root = uuid.uuid4()
    book = replay([generated(root, str(total))])
    current, disposed = root, Decimal(0)
    for step, pct in enumerate(cuts):
        held = book.get(current).mass_kg  # type: ignore[union-attr]
        part = (held * pct / 100).quantize(Decimal("0.001"))
        if part <= 0 or part >= held:
            break
        keep, drop = uuid.uuid4(), uuid.uuid4()
        book.apply(
            event(
                EventType.SPLIT,
                step,
                inputs=(BatchMass(current, held),),
                outputs=(BatchOutput(keep, held - part), BatchOutput(drop, part)),
            )
        )
        book.apply(
            event(
                EventType.DISPOSED,
                step,
                inputs=(BatchMass(drop, part),),
                disposal_method=DisposalMethod.LANDFILL,
            )
        )
        disposed += part
        current = keep
    held = book.get(current).mass_kg  # type: ignore[union-attr]
    loss = (held * loss_pct / 100).quantize(Decimal("0.001"))
    product = uuid.uuid4()
    book.apply(
        event(
            EventType.TRANSFORMED,
            99,
            inputs=(BatchMass(current, held),),
            outputs=(BatchOutput(product, held - loss, kind=OutputKind.PRODUCT),),
            declared_loss_kg=loss,
        )
    )
    made = book.get(product)
    assert made is not None
    assert book.get(current).status is BatchStatus.CONSUMED  # type: ignore[union-attr]
    assert made.mass_kg + disposed + loss == total
