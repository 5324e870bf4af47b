"""Lab compositions: the strict parser, the document round trip, projection through events."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zerowaste.domain.batches import BatchBook, BatchStatus, replay
from zerowaste.domain.composition import Composition, merged, parse_composition
from zerowaste.domain.event_documents import event_document, parse_event
from zerowaste.domain.events import BatchMass, BatchOutput, EventType, WasteEvent
from zerowaste.errors import InvalidInput

T0 = datetime(2026, 3, 1, 8, tzinfo=UTC)
ORG, SITE = uuid.uuid4(), uuid.uuid4()


def lab(fractions: dict[str, str], **more: Any) -> dict[str, Any]:
    base = {"fractions": fractions, "method": "ICP-OES", "lab": "L1", "sampled_on": "2026-02-27"}
    return base | more


def comp(**fractions: str) -> Composition:
    return parse_composition(lab(fractions), "c")


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ("x", "c"),
        (lab({}), "c.fractions"),
        (lab({"Fe": 0.5}), "c.fractions.Fe"),
        (lab({"Fe": "abc"}), "c.fractions.Fe"),
        (lab({"Fe": "1.2"}), "c.fractions.Fe"),
        (lab({"Fe": "-0.1"}), "c.fractions.Fe"),
        (lab({"Fe": "NaN"}), "c.fractions.Fe"),
        (lab({"Fe": "0.6", "Zn": "0.5"}), "c.fractions"),
        (lab({"Fe": "0.1"}, sampled_on="yesterday"), "c.sampled_on"),
        (lab({"Fe": "0.1"}, method=""), "c.method"),
        (lab({"Fe": "0.1"}, colour="red"), "c.colour"),
    ],
)
def test_bad_compositions_name_the_path(document: Any, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_composition(document, "c")
    assert caught.value.field == field


def test_a_composition_round_trips_exactly() -> None:
    parsed = comp(Fe="0.620", SiO2="0.1")
    assert parsed.fractions == (("Fe", Decimal("0.620")), ("SiO2", Decimal("0.1")))
    assert parsed.sampled_on == date(2026, 2, 27)
    assert Composition.from_json(parsed.to_json()) == parsed
    assert parsed.document()["fractions"] == {"Fe": "0.620", "SiO2": "0.1"}


def test_merge_weighs_by_mass_and_keeps_common_components() -> None:
    a = comp(Fe="0.5", Zn="0.2")
    b = comp(Fe="0.2")
    mix = merged([(a, Decimal(300)), (b, Decimal(100))])
    assert mix is not None
    assert mix.fractions == (("Fe", Decimal("0.425")),)
    assert merged([(a, Decimal(1)), (None, Decimal(1))]) is None
    assert merged([(comp(Zn="0.1"), Decimal(1)), (b, Decimal(1))]) is None


@given(
    st.lists(
        st.tuples(
            st.decimals(min_value=0, max_value=1, places=3),
            st.decimals(min_value=Decimal("0.001"), max_value=10**6, places=3),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_a_merged_composition_is_a_composition(parts: list[tuple[Decimal, Decimal]]) -> None:
    inputs = [(comp(Fe=str(f), Cu=str((1 - f) / 2)), m) for f, m in parts]
    mix = merged(inputs)
    assert mix is not None  # its own checks ran: every fraction in 0..1, the sum at most 1
    low, high = min(f for f, _ in parts), max(f for f, _ in parts)
    fe = mix.fraction("Fe")
    assert fe is not None
    assert low - Decimal("0.000000001") <= fe <= high


def _generated(batch: uuid.UUID, kg: str, composition: Composition | None = None) -> WasteEvent:
    output = BatchOutput(batch, Decimal(kg), waste_code="900-214-08", composition=composition)
    return WasteEvent(uuid.uuid4(), EventType.GENERATED, T0, ORG, SITE, outputs=(output,))


def test_the_document_carries_compositions_and_the_parser_reads_them() -> None:
    batch = uuid.uuid4()
    event = _generated(batch, "10", comp(Pb="0.01"))
    document = event_document(event)
    assert document["outputs"][0]["composition"]["fractions"] == {"Pb": "0.01"}
    assert parse_event(document) == event
    stored = WasteEvent(
        uuid.uuid4(),
        EventType.STORED,
        T0,
        ORG,
        SITE,
        inputs=(BatchMass(batch, Decimal(10)),),
        composition=comp(Pb="0.02"),
    )
    assert parse_event(event_document(stored)) == stored


def test_composition_is_refused_where_it_means_nothing() -> None:
    document = event_document(_generated(uuid.uuid4(), "10"))
    document["composition"] = lab({"Fe": "0.1"})
    with pytest.raises(InvalidInput) as caught:
        parse_event(document)
    assert caught.value.field == "composition"


def test_projection_splits_inherit_and_transformations_do_not() -> None:
    raw, left, right, product = (uuid.uuid4() for _ in range(4))
    split = WasteEvent(
        uuid.uuid4(),
        EventType.SPLIT,
        T0,
        ORG,
        SITE,
        inputs=(BatchMass(raw, Decimal(10)),),
        outputs=(BatchOutput(left, Decimal(4)), BatchOutput(right, Decimal(6))),
    )
    transformed = WasteEvent(
        uuid.uuid4(),
        EventType.TRANSFORMED,
        T0,
        ORG,
        SITE,
        inputs=(BatchMass(left, Decimal(4)),),
        outputs=(BatchOutput(product, Decimal(4)),),
    )
    book = replay([_generated(raw, "10", comp(Fe="0.3")), split, transformed])
    assert book.get(right).composition == comp(Fe="0.3")  # type: ignore[union-attr]
    assert book.get(product).composition is None  # type: ignore[union-attr]
    lab_result = WasteEvent(
        uuid.uuid4(),
        EventType.STORED,
        T0,
        ORG,
        SITE,
        inputs=(BatchMass(right, Decimal(6)),),
        composition=comp(Fe="0.35"),
    )
    book.apply(lab_result)
    held = book.get(right)
    assert held is not None
    assert (held.composition, held.status) == (comp(Fe="0.35"), BatchStatus.HELD)
    assert isinstance(book, BatchBook)
