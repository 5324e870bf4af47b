"""EPCIS 2.0 export of waste events, validated against ../shared/conformance/epcis/ (GS1 schema)."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from jsonschema import Draft7Validator, FormatChecker
from jsonschema.exceptions import best_match

from zerowaste.adapters.exporters import epcis_vocabulary as vocab
from zerowaste.adapters.exporters.epcis import (
    ExportContext,
    ManifestParties,
    epcis_document,
    epcis_event,
    quantity_number,
    time_zone_offset,
)
from zerowaste.domain.batches import replay
from zerowaste.domain.composition import parse_composition
from zerowaste.domain.event_documents import event_document
from zerowaste.domain.events import (
    BatchMass,
    BatchOutput,
    DisposalMethod,
    EventType,
    OutputKind,
    WasteEvent,
)
from zerowaste.errors import InvalidInput, NotFound

EPCIS = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "epcis"
needs_corpus = pytest.mark.skipif(
    not EPCIS.is_dir(), reason=f"conformance corpus {EPCIS} is absent (CI always has it)"
)

# jsonschema checks "uri" and "date-time" only with optional packages the project does not
# install; without them every extension member name would pass. These two checks make the
# schema's `propertyNames` (vocab-uri) and time fields bite.
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
_RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", re.IGNORECASE)
FORMATS = FormatChecker()
FORMATS.checks("uri")(lambda value: not isinstance(value, str) or bool(_URI.match(value)))
FORMATS.checks("date-time")(lambda value: not isinstance(value, str) or bool(_RFC3339.match(value)))

CST = timezone(timedelta(hours=8))
T0 = datetime(2026, 3, 2, 8, 30, tzinfo=CST)
GEN, RECYCLER, BUREAU = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
PLANT, STORE, WORKS = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
MANIFEST, CONTRACT_ID = uuid.uuid4(), uuid.uuid4()
B1, B2, B3, B4, B5, B6, B7 = (uuid.uuid4() for _ in range(7))
OIL, RESIDUE = "900-214-08", "900-249-08"
NOTE, LOSS = "地磅单读错：应为 798.0 kg", Decimal("47.75")
Export = Callable[[str], dict[str, Any]]


def urn(kind: str, value: uuid.UUID) -> str:
    return f"urn:zerowaste:{kind}:{value}"


def event(kind: EventType, hours: int, org: uuid.UUID = GEN, **fields: Any) -> WasteEvent:
    values: dict[str, Any] = {
        "event_id": uuid.uuid4(),
        "event_type": kind,
        "event_time": T0 + timedelta(hours=hours),
        "organization_id": org,
        "site_id": PLANT,
    }
    return WasteEvent(**(values | fields))


def kg(batch: uuid.UUID, mass: str) -> BatchMass:
    return BatchMass(batch, Decimal(mass))


def chain() -> dict[str, WasteEvent]:
    """Waste oil generated, stored, split, shipped, weighed in, re-refined, residue burnt."""
    oil = BatchOutput(B1, Decimal("1250.500"), waste_code=OIL, description="废矿物油")
    made = (
        BatchOutput(B4, Decimal(600), OutputKind.SECONDARY_RAW_MATERIAL, description="再生油"),
        BatchOutput(B5, Decimal("150.25"), OutputKind.RESIDUE, RESIDUE),
    )
    halves = (BatchOutput(B2, Decimal("800.5")), BatchOutput(B3, Decimal(450)))
    pooled = BatchOutput(B7, Decimal(750))
    at_works: dict[str, Any] = {"org": RECYCLER, "site_id": WORKS}
    on_manifest: dict[str, Any] = {"manifest_id": MANIFEST, "destination_site_id": WORKS}
    gen, split, inc = EventType.GENERATED, EventType.SPLIT, DisposalMethod.INCINERATION
    ship, use, merge = EventType.SHIPPED, EventType.TRANSFORMED, EventType.MERGED
    events = {
        "generated": event(gen, 0, outputs=(oil,), contract_id=CONTRACT_ID),
        "stored": event(EventType.STORED, 1, site_id=STORE, inputs=(kg(B1, "1250.5"),)),
        "split": event(split, 24, site_id=STORE, inputs=(kg(B1, "1250.5"),), outputs=halves),
        "shipped": event(ship, 26, site_id=STORE, inputs=(kg(B2, "800.5"),), **on_manifest),
        "received": event(
            EventType.RECEIVED, 30, inputs=(kg(B2, "798.0"),), manifest_id=MANIFEST, **at_works
        ),
        "transformed": event(
            use, 48, inputs=(kg(B2, "798.0"),), outputs=made, declared_loss_kg=LOSS, **at_works
        ),
        "disposed": event(
            EventType.DISPOSED, 72, inputs=(kg(B5, "150.25"),), disposal_method=inc, **at_works
        ),
        "generated_again": event(gen, 73, outputs=(BatchOutput(B6, Decimal(300), waste_code=OIL),)),
        "merged": event(merge, 74, inputs=(kg(B3, "450"), kg(B6, "300")), outputs=(pooled,)),
        "inspected": event(
            EventType.INSPECTED, 96, org=BUREAU, inputs=(kg(B7, "750"),), note="台账与实物相符"
        ),
    }
    wrong = events["received"].event_id
    fix = event(EventType.CORRECTED, 31, corrects_event_id=wrong, note=NOTE, **at_works)
    return events | {"corrected": fix}


@pytest.fixture(scope="module")
def events() -> dict[str, WasteEvent]:
    return chain()


@pytest.fixture(scope="module")
def context(events: dict[str, WasteEvent]) -> ExportContext:
    """What a service would load: manifest parties, earlier events, batch codes (projection)."""
    book = replay(events.values())
    codes = {b: book.get(b).waste_code for b in (B1, B2, B3, B5, B6, B7)}  # type: ignore[union-attr]
    return ExportContext(
        manifests={MANIFEST: ManifestParties(GEN, RECYCLER, STORE, WORKS)},
        events={e.event_id: e for e in events.values()},
        waste_codes={batch: code for batch, code in codes.items() if code},
    )


@pytest.fixture(scope="module")
def validator() -> Draft7Validator:
    if not EPCIS.is_dir():
        pytest.skip(f"conformance corpus {EPCIS} is absent (CI always has it)")
    schema = json.loads((EPCIS / "EPCIS-JSON-Schema.json").read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=FORMATS)


def assert_valid(validator: Draft7Validator, document: dict[str, Any]) -> None:
    json.dumps(document, allow_nan=False)  # plain JSON: no Decimal, no NaN
    error = best_match(validator.iter_errors(document))
    assert error is None, f"{error.json_path}: {error.message}"


@pytest.fixture(scope="module")
def exported(events: dict[str, WasteEvent], context: ExportContext) -> Export:
    """Export one event of the chain by name."""
    return lambda name: epcis_event(events[name], context=context)


@pytest.mark.parametrize("name", list(chain()))
def test_each_event_exports_singly_and_validates(
    validator: Draft7Validator, exported: Export, name: str
) -> None:
    document = exported(name)
    assert document["@context"] == [vocab.EPCIS_CONTEXT_URL, {"zw": vocab.ZW_NAMESPACE}]
    assert_valid(validator, document)


def test_the_whole_chain_exports_as_one_valid_document(
    validator: Draft7Validator, events: dict[str, WasteEvent], context: ExportContext
) -> None:
    assert {e.event_type for e in events.values()} == set(EventType)  # and it replays:
    assert replay(events.values()).get(B7).mass_kg == 750  # type: ignore[union-attr]
    created = datetime(2026, 3, 9, 12, tzinfo=UTC)
    document = epcis_document(events.values(), context=context, creation_date=created)
    assert_valid(validator, document)
    head = (document["type"], document["schemaVersion"], document["creationDate"])
    assert head == ("EPCISDocument", "2.0", "2026-03-09T12:00:00+00:00")
    listed = document["epcisBody"]["eventList"]
    ids = [f"urn:uuid:{e.event_id}" for e in events.values()]
    received = ids[list(events).index("received")]
    assert [e["eventID"] for e in listed] == [*ids[:-1], received]  # a correction: received's
    assert all("@context" not in e for e in listed)


QUANTITY_LISTS = ("quantityList", "inputQuantityList", "outputQuantityList")
MAPPING = [
    # name, EPCIS type, action, bizStep, disposition, quantities (kg)
    ("generated", "ObjectEvent", "ADD", "commissioning", "active", [1250.5]),
    ("stored", "ObjectEvent", "OBSERVE", "storing", None, [1250.5]),
    ("split", "TransformationEvent", None, vocab.SPLITTING, None, [1250.5, 800.5, 450]),
    ("shipped", "ObjectEvent", "OBSERVE", "shipping", "in_transit", [800.5]),
    ("received", "ObjectEvent", "OBSERVE", "receiving", "in_progress", [798]),
    ("transformed", "TransformationEvent", None, vocab.UTILIZING, None, [798, 600, 150.25]),
    ("disposed", "ObjectEvent", "DELETE", "destroying", "destroyed", [150.25]),
    ("merged", "TransformationEvent", None, vocab.MERGING, None, [450, 300, 750]),
    ("inspected", "ObjectEvent", "OBSERVE", "inspecting", None, [750]),
]


@pytest.mark.parametrize("row", MAPPING, ids=lambda row: str(row[0]))
def test_the_mapping_table(
    events: dict[str, WasteEvent], exported: Export, row: tuple[Any, ...]
) -> None:
    name, kind, action, step, disposition, kgs = row
    source, out = events[name], exported(name)
    shape = (out["type"], out.get("action"), out["bizStep"], out.get("disposition"))
    assert shape == (kind, action, step, disposition)
    lines = [line for key in QUANTITY_LISTS for line in out.get(key, [])]
    assert [line["quantity"] for line in lines] == kgs
    assert {line["uom"] for line in lines} == {"KGM"}
    assert [line["epcClass"] for line in lines] == [urn("batch", b) for b in source.batch_ids]
    assert out["eventID"] == f"urn:uuid:{source.event_id}"
    assert out["eventTime"] == source.event_time.isoformat()
    assert out["eventTimeZoneOffset"] == "+08:00"
    assert out["readPoint"] == {"id": urn("site", source.site_id)}  # type: ignore[arg-type]
    assert out["zw:organization"] == urn("organization", source.organization_id)


def test_generated_describes_the_new_batch_in_ilmd(exported: Export) -> None:
    out = exported("generated")
    assert out["bizLocation"] == {"id": urn("site", PLANT)}
    ilmd = {"zw:outputKind": "waste", "zw:wasteCode": OIL, "zw:description": "废矿物油"}
    assert out["ilmd"] == ilmd
    contract = {"type": vocab.CONTRACT, "bizTransaction": urn("contract", CONTRACT_ID)}
    assert out["bizTransactionList"] == [contract]
    stored = exported("stored")
    assert (stored["bizLocation"], stored["zw:wasteCode"]) == ({"id": urn("site", STORE)}, OIL)


def test_shipped_and_received_carry_the_manifest_and_both_ends(exported: Export) -> None:
    shipped, received = exported("shipped"), exported("received")
    manifest = [{"type": vocab.TRANSFER_MANIFEST, "bizTransaction": urn("manifest", MANIFEST)}]
    sources = [
        {"type": "owning_party", "source": urn("organization", GEN)},
        {"type": "location", "source": urn("site", STORE)},
    ]
    destinations = [
        {"type": "owning_party", "destination": urn("organization", RECYCLER)},
        {"type": "location", "destination": urn("site", WORKS)},
    ]
    for out in (shipped, received):
        assert out["bizTransactionList"] == manifest
        assert (out["sourceList"], out["destinationList"]) == (sources, destinations)
    assert "bizLocation" not in shipped  # in transit: at no business location
    assert received["bizLocation"] == {"id": urn("site", WORKS)}


def test_transformations_describe_outputs_and_the_declared_loss(exported: Export) -> None:
    out = exported("transformed")
    assert out["ilmd"]["zw:outputs"] == [
        {
            "zw:batch": urn("batch", B4),
            "zw:outputKind": "secondary_raw_material",
            "zw:description": "再生油",
        },
        {"zw:batch": urn("batch", B5), "zw:outputKind": "residue", "zw:wasteCode": RESIDUE},
    ]
    assert out["zw:declaredLoss"] == {"zw:quantity": 47.75, "zw:uom": "KGM"}
    split = exported("split")
    assert [o["zw:wasteCode"] for o in split["ilmd"]["zw:outputs"]] == [OIL, OIL]  # inherited
    assert "zw:declaredLoss" not in split


def test_disposed_and_inspected_extensions(
    validator: Draft7Validator, context: ExportContext, exported: Export
) -> None:
    disposed = exported("disposed")
    assert (disposed["zw:disposalMethod"], disposed["zw:wasteCode"]) == ("incineration", RESIDUE)
    assert not {"ilmd", "bizLocation"} & disposed.keys()
    assert exported("inspected")["zw:note"] == "台账与实物相符"
    visit = epcis_event(event(EventType.INSPECTED, 97, org=BUREAU), context=context)
    assert visit["epcList"] == []  # a visit that counted nothing
    assert_valid(validator, visit)


def test_corrected_re_exports_the_original_with_an_error_declaration(
    events: dict[str, WasteEvent], exported: Export
) -> None:
    out, original = exported("corrected"), exported("received")
    declaration = out.pop("errorDeclaration")
    assert out == original  # same eventID and facts: an EPCIS consumer matches it on eventID
    assert declaration == {
        "declarationTime": "2026-03-03T15:30:00+08:00",
        "reason": "incorrect_data",
        "zw:declarationEventID": f"urn:uuid:{events['corrected'].event_id}",
        "zw:organization": urn("organization", RECYCLER),
        "zw:note": NOTE,
    }


def test_corrective_event_ids_and_corrections_that_cannot_be_expressed(
    validator: Draft7Validator, events: dict[str, WasteEvent], context: ExportContext
) -> None:
    correction, fix = events["corrected"], uuid.uuid4()
    richer = replace(context, corrective_event_ids={correction.event_id: (fix,)})
    out = epcis_event(correction, context=richer)
    assert out["errorDeclaration"]["correctiveEventIDs"] == [f"urn:uuid:{fix}"]
    assert_valid(validator, out)
    with pytest.raises(NotFound) as missing:
        epcis_event(correction, context=ExportContext())
    assert missing.value.field == "corrects_event_id"
    twice = event(EventType.CORRECTED, 40, corrects_event_id=correction.event_id, note="again")
    with pytest.raises(InvalidInput, match="error declaration"):
        epcis_event(twice, context=context)


def test_a_shipment_exports_without_manifest_parties(
    validator: Draft7Validator, events: dict[str, WasteEvent]
) -> None:
    shipped = epcis_event(events["shipped"], context=ExportContext())
    assert shipped["destinationList"] == [{"type": "location", "destination": urn("site", WORKS)}]
    assert "zw:wasteCode" not in shipped
    received = epcis_event(events["received"], context=ExportContext())
    assert "sourceList" not in received
    for document in (shipped, received):
        assert_valid(validator, document)


def test_unprefixed_or_misspelt_members_fail_the_validator(
    validator: Draft7Validator, exported: Export
) -> None:
    good = exported("disposed")
    for bad in (good | {"wasteCode": OIL}, good | {"bizStep": "burning"}, good | {"ilmd": {}}):
        assert best_match(validator.iter_errors(bad)) is not None


def test_quantities_are_json_numbers_and_the_signed_document_keeps_the_decimal() -> None:
    assert quantity_number(Decimal("1000.000")) == 1000
    assert isinstance(quantity_number(Decimal("1000.000")), int)
    assert quantity_number(Decimal("0.125")) == 0.125
    precise = Decimal("1.23456789012345678901")
    assert quantity_number(precise) == float(precise)  # the nearest double
    exact = event(EventType.STORED, 0, inputs=(BatchMass(B1, precise),))
    assert event_document(exact)["inputs"][0]["quantity"] == "1.23456789012345678901"


def test_time_zone_offsets() -> None:
    def at(delta: timedelta) -> datetime:
        return datetime(2026, 1, 1, tzinfo=timezone(delta))

    offsets = [time_zone_offset(at(timedelta(hours=h))) for h in (8, 0, -3.5, 14)]
    assert offsets == ["+08:00", "+00:00", "-03:30", "+14:00"]
    for odd in (timedelta(hours=5, seconds=7), timedelta(hours=15)):
        with pytest.raises(InvalidInput):
            time_zone_offset(at(odd))
    with pytest.raises(InvalidInput) as naive:
        epcis_document([], context=ExportContext(), creation_date=datetime(2026, 1, 1))
    assert naive.value.field == "creation_date"


def example_paths() -> list[Path]:
    return sorted((EPCIS / "examples").glob("*.jsonld")) if EPCIS.is_dir() else []


@needs_corpus
@pytest.mark.parametrize("path", example_paths(), ids=lambda path: path.name)
def test_every_official_example_validates(validator: Draft7Validator, path: Path) -> None:
    assert len(example_paths()) == 22
    document = json.loads(path.read_text(encoding="utf-8"))
    assert_valid(validator, document)
    # The schema dispatches on `type`: one query document, every other file an EPCISDocument.
    expected = "EPCISQueryDocument" if path.stem == "EPCISQueryDocument" else "EPCISDocument"
    assert document["type"] == expected


masses = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(10**6), places=3)


@settings(max_examples=60, deadline=None)
@given(
    inputs=st.lists(masses, min_size=1, max_size=4),
    shares=st.lists(st.integers(1, 100), min_size=1, max_size=4),
    loss_pct=st.integers(0, 40),
    tz=st.integers(-14, 14),
)
def test_random_transformations_export_and_validate(
    validator: Draft7Validator, inputs: list[Decimal], shares: list[int], loss_pct: int, tz: int
) -> None:
    drawn = sum(inputs, Decimal(0))
    loss = (drawn * loss_pct / 100).quantize(Decimal("0.001"))
    cuts = [((drawn - loss) * n / sum(shares)).quantize(Decimal("0.001")) for n in shares[:-1]]
    made = [*cuts, drawn - loss - sum(cuts, Decimal(0))]
    assume(all(mass > 0 for mass in made))
    outputs = tuple(
        BatchOutput(uuid.uuid4(), mass, kind, OIL if kind is OutputKind.WASTE else None)
        for mass, kind in zip(made, [list(OutputKind)[n % 4] for n in shares], strict=True)
    )
    drawn_from = tuple(BatchMass(uuid.uuid4(), mass) for mass in inputs)
    use = event(EventType.TRANSFORMED, 0, inputs=drawn_from, outputs=outputs, declared_loss_kg=loss)
    when = T0.replace(tzinfo=timezone(timedelta(hours=tz)))
    out = epcis_event(replace(use, event_time=when), context=ExportContext())
    assert_valid(validator, out)
    assert [Decimal(repr(q["quantity"])) for q in out["inputQuantityList"]] == inputs
    assert [Decimal(repr(q["quantity"])) for q in out["outputQuantityList"]] == made
    assert [o["zw:outputKind"] for o in out["ilmd"]["zw:outputs"]] == [o.kind for o in outputs]
    assert ("zw:declaredLoss" in out) == (loss > 0)


def test_lab_compositions_travel_as_extensions(
    validator: Draft7Validator, context: ExportContext
) -> None:
    lab = {"fractions": {"Fe": "0.62"}, "method": "XRF", "lab": "L", "sampled_on": "2026-03-01"}
    composition = parse_composition(lab, "composition")
    output = BatchOutput(uuid.uuid4(), Decimal(5), waste_code=OIL, composition=composition)
    made = epcis_event(event(EventType.GENERATED, 98, outputs=(output,)), context=context)
    assert made["ilmd"]["zw:composition"] == lab
    assert_valid(validator, made)
    observed = event(
        EventType.STORED, 99, inputs=(kg(output.batch_id, "5"),), composition=composition
    )
    exported_lab = epcis_event(observed, context=context)
    assert exported_lab["zw:composition"] == lab
    assert_valid(validator, exported_lab)
