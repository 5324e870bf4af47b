"""Composition, inspections and corrections on both backends, through the capture service."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from tests.factories import OPERATOR, Factory, credit_code
from tests.integration.test_capture import (
    CODE,
    T0,
    Firm,
    document,
    line,
    make_firm,
    signed,
    snapshot,
)
from zerowaste.domain.accounts import NewSigningKey, UserRole
from zerowaste.domain.batches import BatchStatus
from zerowaste.domain.genealogy import Direction
from zerowaste.domain.ids import urn
from zerowaste.domain.organizations import NewOrganization, OrganizationRole
from zerowaste.errors import (
    BatchNotCorrectable,
    EventNotCorrectable,
    Forbidden,
    InspectionNotAllowed,
    InvalidInput,
)
from zerowaste.ledger.signatures import generate_private_key, public_key_bytes

HOUR = timedelta(hours=1)


def lab(fractions: dict[str, str], lab_name: str = "苏州检测中心") -> dict[str, Any]:
    return {"fractions": fractions, "method": "XRF", "lab": lab_name, "sampled_on": "2026-05-19"}


def regulator(factory: Factory, jurisdiction: str = "320500") -> Firm:
    """A regulator organization over `jurisdiction` with a site and a client-side key."""
    context = factory.context
    new = NewOrganization(
        credit_code("320500"),
        "苏州市生态环境局",
        "320500",
        None,
        roles=frozenset({OrganizationRole.REGULATOR}),
        jurisdiction_code=jurisdiction,
    )
    organization = context.organizations.register(OPERATOR, new)
    site = factory.site(organization)
    private = generate_private_key()
    key = context.signing_keys.register(
        OPERATOR, organization.id, NewSigningKey(public_key_bytes(private), T0 - timedelta(days=60))
    )
    return Firm(organization, site, private, key.id)


def capture(firm: Firm, *events: dict[str, Any], context: Any) -> None:
    context.capture.capture(OPERATOR, [signed(firm, e) for e in events])


def test_composition_is_carried_split_and_merged(factory: Factory) -> None:
    context = factory.context
    firm = make_firm(factory)
    a, b, a1, a2, mix = (uuid.uuid4() for _ in range(5))
    capture(
        firm,
        document(
            firm,
            "generated",
            outputs=[
                line(a, "600", waste_code=CODE) | {"composition": lab({"Fe": "0.6", "Zn": "0.1"})}
            ],
        ),
        document(firm, "generated", outputs=[line(b, "400", waste_code=CODE)]),
        document(
            firm,
            "stored",
            T0 + HOUR,
            inputs=[line(b, "400")],
            composition=lab({"Fe": "0.2", "Cu": "0.05"}, "宁波实验室"),
        ),
        document(
            firm,
            "split",
            T0 + 2 * HOUR,
            inputs=[line(a, "600")],
            outputs=[line(a1, "200"), line(a2, "400")],
        ),
        document(
            firm,
            "merged",
            T0 + 3 * HOUR,
            inputs=[line(a2, "400"), line(b, "400")],
            outputs=[line(mix, "800")],
        ),
        context=context,
    )
    first = context.capture.batch(OPERATOR, a1).batch.composition
    assert first is not None
    assert first.fraction("Fe") == Decimal("0.6")
    assert first.lab == "苏州检测中心"
    merged = context.capture.batch(OPERATOR, mix).batch.composition
    assert merged is not None
    # Fe is known for both inputs: (400*0.6 + 400*0.2) / 800; Zn and Cu only for one of them.
    assert merged.fractions == (("Fe", Decimal("0.4")),)
    assert merged.method == "mass-weighted merge"
    assert merged.lab == "宁波实验室, 苏州检测中心"


def test_a_bad_composition_is_refused_naming_the_path(factory: Factory) -> None:
    context = factory.context
    firm = make_firm(factory)
    bad = document(
        firm,
        "generated",
        outputs=[
            line(uuid.uuid4(), "5", waste_code=CODE)
            | {"composition": lab({"Fe": "0.7", "Si": "0.4"})}
        ],
    )
    with pytest.raises(InvalidInput) as caught:
        capture(firm, bad, context=context)
    assert caught.value.field == "events[0].event.outputs[0].composition.fractions"
    assert snapshot(context) == (0, 0, 0, 0)


def test_inspection_records_gaps_per_batch_and_code(factory: Factory) -> None:
    context = factory.context
    firm = make_firm(factory)
    kept, gone = uuid.uuid4(), uuid.uuid4()
    capture(
        firm,
        document(firm, "generated", outputs=[line(kept, "1000", waste_code=CODE)]),
        document(firm, "generated", outputs=[line(gone, "250", waste_code=CODE)]),
        context=context,
    )
    inspector = regulator(factory)
    inspection = document(
        inspector,
        "inspected",
        T0 + HOUR,
        site_id=str(firm.site.id),
        inputs=[line(kept, "990"), line(gone, "0")],
        counted=[{"waste_code": CODE, "quantity": "0.99", "unit": "TNE"}],
        conditions=["标签缺失", "地面有渗漏"],
        note="现场核查",
    )
    capture(inspector, inspection, context=context)
    [found] = context.findings.inspections(OPERATOR, firm.site.id)
    assert found.inspector_id == inspector.organization.id
    assert found.site_organization_id == firm.organization.id
    assert found.conditions == ("标签缺失", "地面有渗漏")
    gaps = [(ln.batch_id, ln.waste_code, ln.ledger_kg, ln.gap_kg) for ln in found.lines]
    assert gaps == [
        (kept, None, Decimal(1000), Decimal(-10)),
        (gone, None, Decimal(250), Decimal(-250)),
        (None, CODE, Decimal(1250), Decimal(-260)),
    ]
    assert found.total_gap_kg == Decimal(-520)
    # Inspection moves no mass.
    assert context.capture.batch(OPERATOR, gone).batch.mass_kg == Decimal(250)


def test_only_the_firm_or_its_regulator_signs_an_inspection(factory: Factory) -> None:
    context = factory.context
    firm = make_firm(factory)
    elsewhere = regulator(factory, jurisdiction="320100")  # Nanjing, not Suzhou
    stranger = make_firm(factory)
    for signer in (elsewhere, stranger):
        event = document(signer, "inspected", site_id=str(firm.site.id), note="看一看")
        with pytest.raises(InspectionNotAllowed) as caught:
            capture(signer, event, context=context)
        assert caught.value.field == "events[0].event.site_id"
    capture(firm, document(firm, "inspected", note="自查：无异常"), context=context)
    assert len(context.findings.inspections(OPERATOR, firm.site.id)) == 1


def test_a_mass_correction_adjusts_the_batch_and_the_balance(factory: Factory) -> None:
    context = factory.context
    firm = make_firm(factory)
    batch = uuid.uuid4()
    wrong = document(firm, "generated", outputs=[line(batch, "1000", waste_code=CODE)])
    capture(
        firm,
        wrong,
        document(firm, "stored", T0 + HOUR, inputs=[line(batch, "1000")]),
        context=context,
    )
    fix = document(
        firm,
        "corrected",
        T0 + 2 * HOUR,
        corrects_event_id=wrong["event_id"],
        note="磅单录入错误：实际 1100 kg",
        corrected_mass={"batch": urn("batch", batch), "quantity": "1.1", "unit": "TNE"},
    )
    capture(firm, fix, context=context)
    view = context.capture.batch(OPERATOR, batch)
    assert view.batch.mass_kg == Decimal(1100)
    correction = view.corrections[uuid.UUID(wrong["event_id"])]
    assert correction.correction_event_id == uuid.UUID(fix["event_id"])
    assert (correction.stated_kg, correction.corrected_kg) == (Decimal(1000), Decimal(1100))
    stored = context.capture.event(OPERATOR, uuid.UUID(wrong["event_id"]))
    assert stored.correction is not None
    assert stored.document["outputs"][0]["quantity"] == "1000"  # the original stays as signed
    trace = context.trace.trace(OPERATOR, batch, direction=Direction.BOTH)
    node = trace.nodes[batch]
    assert node.balance.inflow_kg == Decimal(1100)
    assert node.balance.balanced
    refs = {r.event_id: r for r in node.facts.events}
    assert refs[uuid.UUID(wrong["event_id"])].correction is not None


def test_a_disposal_correction_returns_mass_to_the_batch(factory: Factory) -> None:
    context = factory.context
    firm = make_firm(factory)
    batch = uuid.uuid4()
    disposal = document(
        firm, "disposed", T0 + HOUR, inputs=[line(batch, "500")], disposal_method="landfill"
    )
    capture(
        firm,
        document(firm, "generated", outputs=[line(batch, "500", waste_code=CODE)]),
        disposal,
        context=context,
    )
    assert context.capture.batch(OPERATOR, batch).batch.status is BatchStatus.DISPOSED
    capture(
        firm,
        document(
            firm,
            "corrected",
            T0 + 2 * HOUR,
            corrects_event_id=disposal["event_id"],
            note="只填埋了 300 kg",
            corrected_mass={"batch": urn("batch", batch), "quantity": "300", "unit": "KGM"},
        ),
        context=context,
    )
    after = context.capture.batch(OPERATOR, batch).batch
    assert (after.status, after.mass_kg) == (BatchStatus.HELD, Decimal(200))
    node = context.trace.trace(OPERATOR, batch).nodes[batch]
    assert node.balance.disposed_kg == Decimal(300)
    assert node.balance.balanced


def test_refused_corrections_store_nothing(factory: Factory) -> None:
    context = factory.context
    firm = make_firm(factory)
    other = make_firm(factory, region_code="320102")
    batch, part_a, part_b = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    made = document(firm, "generated", outputs=[line(batch, "100", waste_code=CODE)])
    split = document(
        firm,
        "split",
        T0 + HOUR,
        inputs=[line(batch, "100")],
        outputs=[line(part_a, "60"), line(part_b, "40")],
    )
    capture(firm, made, split, context=context)
    before = snapshot(context)

    def correction(signer: Firm, target: Any, **more: Any) -> dict[str, Any]:
        return document(
            signer, "corrected", T0 + 2 * HOUR, corrects_event_id=str(target), note="错误", **more
        )

    cases: list[tuple[Firm, dict[str, Any], type[Exception], str]] = [
        (firm, correction(firm, uuid.uuid4()), EventNotCorrectable, "corrects_event_id"),
        (other, correction(other, made["event_id"]), Forbidden, "corrects_event_id"),
        (
            firm,
            correction(
                firm,
                made["event_id"],
                corrected_mass={"batch": urn("batch", batch), "quantity": "90", "unit": "KGM"},
            ),
            BatchNotCorrectable,
            "corrected_mass.batch",
        ),
        (
            firm,
            correction(
                firm,
                split["event_id"],
                corrected_mass={"batch": urn("batch", part_a), "quantity": "65", "unit": "KGM"},
            ),
            BatchNotCorrectable,
            "corrected_mass.batch",
        ),
    ]
    for signer, event, error, field in cases:
        with pytest.raises(error) as caught:
            capture(signer, event, context=context)
        assert caught.value.field == f"events[0].event.{field}"  # type: ignore[attr-defined]
    assert snapshot(context) == before
    capture(firm, correction(firm, split["event_id"]), context=context)  # reason only: fine
    with pytest.raises(EventNotCorrectable):
        capture(firm, correction(firm, split["event_id"]), context=context)


def test_custodial_capture_through_the_api(factory: Factory, client: Any) -> None:
    context = factory.context
    firm = make_firm(factory)
    user = factory.user(UserRole.FIRM, organization=firm.organization)
    key = context.signing_keys.create_custodial(OPERATOR, firm.organization.id)
    headers = factory.api_key(user)
    batch = uuid.uuid4()
    event = document(
        firm,
        "generated",
        context.clock(),
        outputs=[line(batch, "12", waste_code=CODE) | {"composition": lab({"Pb": "0.02"})}],
    )
    response = client.post("/api/v1/events/custodial", json={"events": [event]}, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["results"][0]["status"] == "stored"
    stored = client.get(f"/api/v1/events/{event['event_id']}", headers=headers).json()
    assert stored["signature"]["key_id"] == str(key.id)
    assert stored["user_id"] == str(user.user_id)
    got = client.get(f"/api/v1/batches/{batch}", headers=headers).json()
    assert got["composition"]["fractions"] == {"Pb": "0.02"}
    again = client.post("/api/v1/events/custodial", json={"events": [event]}, headers=headers)
    assert again.json()["results"][0]["status"] == "already_stored"
    bad = dict(
        event, event_id=str(uuid.uuid4()), outputs=[line(uuid.uuid4(), "-1", waste_code=CODE)]
    )
    refused = client.post("/api/v1/events/custodial", json={"events": [bad]}, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "events[0].event.outputs[0].quantity"


def test_counted_waste_codes_must_be_full_codes_of_the_catalog(factory: Factory) -> None:
    context = factory.context
    firm = make_firm(factory)
    for code in ("HW08", "999-999-99"):
        event = document(
            firm, "inspected", counted=[{"waste_code": code, "quantity": "1", "unit": "KGM"}]
        )
        with pytest.raises(InvalidInput) as caught:
            capture(firm, event, context=context)
        assert caught.value.field == "events[0].event.counted[0].waste_code"
    assert snapshot(context) == (0, 0, 0, 0)
