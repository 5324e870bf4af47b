"""The signed event document: lossless round trip, strict parsing that names the JSON path."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zerowaste.domain.event_documents import EVENT_FORMAT, event_document, parse_event
from zerowaste.domain.events import (
    BatchMass,
    BatchOutput,
    DisposalMethod,
    EventType,
    OutputKind,
    WasteEvent,
)
from zerowaste.errors import InvalidInput, InvalidQuantity
from zerowaste.ledger.canonical import canonical_json

CST = timezone(timedelta(hours=8))


def shipped_document(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "format": EVENT_FORMAT,
        "event_id": str(uuid.uuid4()),
        "event_type": "shipped",
        "event_time": "2026-03-01T08:00:00+08:00",
        "organization_id": str(uuid.uuid4()),
        "site_id": str(uuid.uuid4()),
        "manifest_id": str(uuid.uuid4()),
        "inputs": [
            {"batch": f"urn:zerowaste:batch:{uuid.uuid4()}", "quantity": "1.25", "unit": "TNE"}
        ],
    }
    return document | changes


def test_tonnes_become_kilograms_and_offsets_are_kept() -> None:
    event = parse_event(shipped_document())
    assert event.inputs[0].mass_kg == Decimal("1250.00")
    assert event.event_time == datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
    assert event.event_time.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"format": "other/1"}, "format"),
        ({"surprise": 1}, "surprise"),
        ({"event_id": "not-a-uuid"}, "event_id"),
        ({"event_type": "teleported"}, "event_type"),
        ({"event_time": "yesterday"}, "event_time"),
        ({"event_time": "2026-03-01T08:00:00"}, "event_time"),
        ({"organization_id": 7}, "organization_id"),
        ({"inputs": "lots"}, "inputs"),
        ({"inputs": [{"batch": "urn:other:1", "quantity": "1", "unit": "KGM"}]}, "inputs[0].batch"),
        (
            {"inputs": [{"batch": "urn:zerowaste:batch:x", "quantity": "1", "unit": "KGM"}]},
            "inputs[0].batch",
        ),
        (
            {
                "inputs": [
                    {
                        "batch": f"urn:zerowaste:batch:{uuid.uuid4()}",
                        "quantity": "-1",
                        "unit": "KGM",
                    }
                ]
            },
            "inputs[0].quantity",
        ),
        (
            {
                "inputs": [
                    {"batch": f"urn:zerowaste:batch:{uuid.uuid4()}", "quantity": "1", "unit": "LBR"}
                ]
            },
            "inputs[0].unit",
        ),
        (
            {
                "inputs": [
                    {"batch": f"urn:zerowaste:batch:{uuid.uuid4()}", "quantity": 1, "unit": "KGM"}
                ]
            },
            "inputs[0].quantity",
        ),
        (
            {"inputs": [{"batch": f"urn:zerowaste:batch:{uuid.uuid4()}", "unit": "KGM"}]},
            "inputs[0].quantity",
        ),
        *(
            (
                {
                    "inputs": [
                        {
                            "batch": f"urn:zerowaste:batch:{uuid.uuid4()}",
                            "unit": unit,
                            "quantity": quantity,
                        }
                    ]
                },
                "inputs[0].quantity",
            )
            for quantity, unit in (
                ("1E+999999999999999999", "TNE"),  # would overflow the decimal context
                ("1E-40", "KGM"),
                ("0.0000000001", "KGM"),  # finer than the stored microgram
                ("0.0000001", "GRM"),
            )
        ),
        ({"manifest_id": None}, "manifest_id"),
        ({"extensions": {"a": 1}}, "extensions"),
        ({"declared_loss": "5"}, "declared_loss"),
    ],
)
def test_bad_documents_name_the_path(changes: dict[str, Any], field: str) -> None:
    with pytest.raises((InvalidInput, InvalidQuantity)) as info:
        parse_event(shipped_document(**changes))
    assert info.value.field == field


def test_a_microgram_is_kept_and_trailing_zeros_do_not_count() -> None:
    line = {"batch": f"urn:zerowaste:batch:{uuid.uuid4()}", "unit": "KGM"}
    for quantity, kg in (("0.000000001", "0.000000001"), ("2.50000000000000", "2.5")):
        event = parse_event(shipped_document(inputs=[line | {"quantity": quantity}]))
        assert event.inputs[0].mass_kg == Decimal(kg)


def test_not_an_object() -> None:
    with pytest.raises(InvalidInput) as info:
        parse_event(["no"])  # type: ignore[arg-type]
    assert info.value.field == "$"


masses = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(10**8), places=3)


@given(inputs=st.lists(masses, min_size=1, max_size=3), loss=st.integers(0, 100))
def test_round_trip_is_lossless_and_canonical_bytes_are_stable(
    inputs: list[Decimal], loss: int
) -> None:
    made = sum(inputs, Decimal(0))
    event = WasteEvent(
        event_id=uuid.uuid4(),
        event_type=EventType.TRANSFORMED,
        event_time=datetime(2026, 7, 1, 9, 30, tzinfo=CST),
        organization_id=uuid.uuid4(),
        site_id=uuid.uuid4(),
        inputs=tuple(BatchMass(uuid.uuid4(), m) for m in inputs),
        outputs=(
            BatchOutput(
                uuid.uuid4(), made, kind=OutputKind.SECONDARY_RAW_MATERIAL, description="再生基础油"
            ),
        ),
        declared_loss_kg=Decimal(loss),
        note="蒸馏再生",
        extensions={"lab": "苏州检测中心"},
    )
    document = event_document(event)
    assert parse_event(document) == event
    assert canonical_json(event_document(parse_event(document))) == canonical_json(document)


def test_disposal_document() -> None:
    event = WasteEvent(
        event_id=uuid.uuid4(),
        event_type=EventType.DISPOSED,
        event_time=datetime(2026, 7, 1, tzinfo=UTC),
        organization_id=uuid.uuid4(),
        site_id=uuid.uuid4(),
        inputs=(BatchMass(uuid.uuid4(), Decimal("12.5")),),
        disposal_method=DisposalMethod.CO_PROCESSING,
    )
    document = event_document(event)
    assert document["disposal_method"] == "co_processing"
    assert document["inputs"][0]["unit"] == "KGM"
    assert parse_event(document) == event
