"""Capture on both backends: a realistic chain, refused inputs, atomicity, idempotency, races."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.factories import OPERATOR, Factory
from zerowaste.bootstrap import Context
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import NewSigningKey, UserRole
from zerowaste.domain.batches import BatchStatus
from zerowaste.domain.ids import urn
from zerowaste.domain.organizations import Organization
from zerowaste.domain.sites import Site
from zerowaste.errors import (
    EventIdReused,
    EventInFuture,
    Forbidden,
    InsufficientMass,
    InvalidInput,
    InvalidQuantity,
    SignatureInvalid,
    SigningKeyNotValid,
    SiteNotOfOrganization,
    UnknownOrganization,
    UnknownSite,
    UnknownWasteCode,
    ZeroWasteError,
)
from zerowaste.ledger.receipts import verify_receipt
from zerowaste.ledger.signatures import generate_private_key, public_key_bytes, sign_document

T0 = datetime(2026, 5, 20, 8, 0, tzinfo=UTC)
CODE = "900-214-08"


@dataclass
class Firm:
    """An organization with a site and a registered client-side key."""

    organization: Organization
    site: Site
    private: Ed25519PrivateKey
    key_id: uuid.UUID


def make_firm(factory: Factory, region_code: str = "320505") -> Firm:
    organization = factory.organization(region_code=region_code)
    site = factory.site(organization)
    private = generate_private_key()
    new = NewSigningKey(public_key_bytes(private), T0 - timedelta(days=60))
    key = factory.context.signing_keys.register(OPERATOR, organization.id, new)
    return Firm(organization, site, private, key.id)


def line(batch_id: uuid.UUID, quantity: str, unit: str = "KGM", **extra: str) -> dict[str, str]:
    return {"batch": urn("batch", batch_id), "quantity": quantity, "unit": unit, **extra}


def document(
    firm: Firm, event_type: str, at: datetime = T0, event_id: uuid.UUID | None = None, **fields: Any
) -> dict[str, Any]:
    return {
        "format": "zerowaste.event/1",
        "event_id": str(event_id or uuid.uuid4()),
        "event_type": event_type,
        "event_time": at.isoformat(),
        "organization_id": str(firm.organization.id),
        "site_id": str(firm.site.id),
        **fields,
    }


def generated(firm: Firm, batch_id: uuid.UUID, kg: str = "1000", **fields: Any) -> dict[str, Any]:
    return document(firm, "generated", outputs=[line(batch_id, kg, waste_code=CODE)], **fields)


def signed(firm: Firm, event: Any, key_id: uuid.UUID | None = None) -> dict[str, Any]:
    signature = sign_document(firm.private, str(key_id or firm.key_id), event)
    return {"event": event, "signature": signature.to_json()}


def snapshot(context: Context) -> tuple[int, int, int, int]:
    """Events, batches, lineage edges and ledger leaves stored."""
    with context.unit_of_work() as uow:
        return (*uow.events.counts(), uow.ledger.head_size(context.ledger.log_id))


def test_a_realistic_chain_is_projected_and_logged(factory: Factory) -> None:
    context = factory.context
    firm = make_firm(factory)
    raw, part_a, part_b, product, residue = (uuid.uuid4() for _ in range(5))
    hour = timedelta(hours=1)
    chain = [
        document(firm, "generated", outputs=[line(raw, "1.2", "TNE", waste_code=CODE)]),
        document(firm, "stored", T0 + hour, inputs=[line(raw, "1200")]),
        document(
            firm,
            "split",
            T0 + 2 * hour,
            inputs=[line(raw, "1200")],
            outputs=[line(part_a, "700"), line(part_b, "500")],
        ),
        document(
            firm,
            "transformed",
            T0 + 3 * hour,
            inputs=[line(part_a, "700")],
            outputs=[
                line(product, "520", kind="secondary_raw_material", description="再生油"),
                line(residue, "150", kind="waste", waste_code=CODE),
            ],
            declared_loss={"quantity": "30", "unit": "KGM"},
        ),
        document(
            firm,
            "disposed",
            T0 + 4 * hour,
            inputs=[line(part_b, "500")],
            disposal_method="incineration",
        ),
    ]
    submissions = [signed(firm, event) for event in chain]
    first = context.capture.capture(OPERATOR, submissions[:2])
    rest = context.capture.capture(OPERATOR, submissions[2:])
    results = first + rest
    assert [r.status for r in results] == ["stored"] * 5
    assert [r.leaf_index for r in results] == [0, 1, 2, 3, 4]
    assert snapshot(context) == (5, 5, 4, 5)

    view = context.capture.batch(OPERATOR, raw)
    assert view.batch.status is BatchStatus.CONSUMED
    assert [e.event_type for e in view.events] == ["generated", "stored", "split"]
    assert context.capture.batch(OPERATOR, part_b).batch.status is BatchStatus.DISPOSED
    assert context.capture.batch(OPERATOR, residue).batch.waste_code == CODE
    inventory = context.capture.inventory(OPERATOR, firm.site.id)
    assert {(i.waste_code, i.kind, str(i.mass_kg)) for i in inventory} == {
        (CODE, "waste", "150"),
        (None, "secondary_raw_material", "520"),
    }
    assert all(i.oldest_storage_days == 11 for i in inventory)  # made at T0 + 3 h

    verifier = context.ledger.verifier_key()
    for event, result in zip(chain, results, strict=True):
        stored = context.capture.event(OPERATOR, result.event_id)
        assert stored.document == event
        assert stored.user_id == OPERATOR.user_id
        receipt = context.ledger.receipt(result.event_id)
        assert receipt.event == event
        assert verify_receipt(receipt, verifier).leaf_index == result.leaf_index


def test_custodial_capture_records_the_key_and_the_user(factory: Factory) -> None:
    context = factory.context
    firm = make_firm(factory)
    key = context.signing_keys.create_custodial(OPERATOR, firm.organization.id)
    user = factory.user(UserRole.FIRM, organization=firm.organization)
    at = context.clock()  # a custodial key is valid from its creation on
    [result] = context.capture.capture_custodial(user, [generated(firm, uuid.uuid4(), at=at)])
    stored = context.capture.event(user, result.event_id)
    assert stored.signature.key_id == str(key.id)
    assert stored.user_id == user.user_id
    other = factory.user(UserRole.FIRM, organization=factory.organization())
    with pytest.raises(Forbidden):
        context.capture.capture_custodial(other, [generated(firm, uuid.uuid4(), at=at)])


def _refused(context: Context, actor: Principal, submissions: list[Any]) -> ZeroWasteError:
    before = snapshot(context)
    with pytest.raises(ZeroWasteError) as caught:
        context.capture.capture(actor, submissions)
    assert snapshot(context) == before, "a refused capture stored something"
    assert 400 <= caught.value.status < 500
    return caught.value


BAD_INPUTS = [
    "malformed",
    "schema",
    "signature",
    "other_key",
    "retired_key",
    "unknown_org",
    "unknown_site",
    "foreign_site",
    "unknown_code",
    "category_code",
    "negative_mass",
    "absurd_mass",
    "future",
    "over_draw",
    "reused_id",
    "not_acting",
]


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_each_bad_input_is_refused_naming_the_field(factory: Factory, case: str) -> None:
    context = factory.context
    firm, other = make_firm(factory), make_firm(factory)
    held = uuid.uuid4()
    stored_event = generated(firm, held)
    context.capture.capture(OPERATOR, [signed(firm, stored_event)])
    fresh = generated(firm, uuid.uuid4())
    actor = OPERATOR
    expected: tuple[type[ZeroWasteError], str]
    if case == "malformed":
        submission, expected = signed(firm, ["not", "an", "event"]), (InvalidInput, "event")
    elif case == "schema":
        submission = signed(firm, fresh | {"colour": "red"})
        expected = (InvalidInput, "event.colour")
    elif case == "signature":
        submission = signed(firm, fresh)
        submission["event"] = fresh | {"note": "changed after signing"}
        expected = (SignatureInvalid, "signature.value")
    elif case == "other_key":
        submission = signed(other, fresh)
        expected = (SigningKeyNotValid, "signature.key_id")
    elif case == "retired_key":
        private = generate_private_key()
        new = NewSigningKey(public_key_bytes(private), T0 - timedelta(days=1))
        key = context.signing_keys.register(OPERATOR, firm.organization.id, new)
        context.signing_keys.retire(OPERATOR, firm.organization.id, key.id)
        firm.private = private
        submission = signed(firm, fresh, key.id)
        expected = (SigningKeyNotValid, "signature.key_id")
    elif case == "unknown_org":
        submission = signed(firm, fresh | {"organization_id": str(uuid.uuid4())})
        expected = (UnknownOrganization, "event.organization_id")
    elif case == "unknown_site":
        submission = signed(firm, fresh | {"site_id": str(uuid.uuid4())})
        expected = (UnknownSite, "event.site_id")
    elif case == "foreign_site":
        submission = signed(firm, fresh | {"site_id": str(other.site.id)})
        expected = (SiteNotOfOrganization, "event.site_id")
    elif case in ("unknown_code", "category_code"):
        code = "999-999-99" if case == "unknown_code" else "HW08"
        event = fresh | {"outputs": [line(uuid.uuid4(), "5", waste_code=code)]}
        submission = signed(firm, event)
        expected = (UnknownWasteCode, "event.outputs[0].waste_code")
    elif case in ("negative_mass", "absurd_mass"):
        quantity = "-5" if case == "negative_mass" else "2000000"
        event = fresh | {"outputs": [line(uuid.uuid4(), quantity, "TNE", waste_code=CODE)]}
        submission = signed(firm, event)
        expected = (InvalidQuantity, "event.outputs[0].quantity")
    elif case == "future":
        submission = signed(firm, generated(firm, uuid.uuid4(), at=T0 + timedelta(days=30)))
        expected = (EventInFuture, "event.event_time")
    elif case == "over_draw":
        event = document(
            firm, "disposed", inputs=[line(held, "1000.001")], disposal_method="landfill"
        )
        submission = signed(firm, event)
        expected = (InsufficientMass, "event.inputs[0].quantity")
    elif case == "reused_id":
        submission = signed(firm, stored_event | {"note": "other bytes"})
        expected = (EventIdReused, "event.event_id")
    else:
        actor = factory.user(UserRole.FIRM, organization=other.organization)
        submission = signed(firm, fresh)
        expected = (Forbidden, "event.organization_id")
    error = _refused(context, actor, [submission])
    assert isinstance(error, expected[0]), error
    assert error.field == f"events[0].{expected[1]}"


def test_a_bad_third_event_stores_none_of_three(factory: Factory) -> None:
    context = factory.context
    firm = make_firm(factory)
    batch = uuid.uuid4()
    submissions = [
        signed(firm, generated(firm, batch, "10")),
        signed(firm, document(firm, "stored", inputs=[line(batch, "10")])),
        signed(
            firm, document(firm, "disposed", inputs=[line(batch, "11")], disposal_method="other")
        ),
    ]
    error = _refused(context, OPERATOR, submissions)
    assert isinstance(error, InsufficientMass)
    assert error.field == "events[2].event.inputs[0].quantity"
    assert snapshot(context) == (0, 0, 0, 0)


def _forged(firm: Firm, event: dict[str, Any]) -> dict[str, Any]:
    submission = signed(firm, event)
    submission["event"] = event | {"note": "changed after signing"}
    return submission


@pytest.mark.parametrize("bad_signature_at", [0, 70, 150])
def test_the_first_refusal_in_order_is_reported_though_signatures_verify_apart(
    factory: Factory, bad_signature_at: int
) -> None:
    """Signatures verify on worker threads in chunks; the earliest refusal still wins."""
    context = factory.context
    firm = make_firm(factory)
    submissions = [signed(firm, generated(firm, uuid.uuid4(), "1")) for _ in range(200)]
    submissions[bad_signature_at] = _forged(firm, generated(firm, uuid.uuid4()))
    unknown_site = generated(firm, uuid.uuid4()) | {"site_id": str(uuid.uuid4())}
    submissions[100] = signed(firm, unknown_site)
    error = _refused(context, OPERATOR, submissions)
    if bad_signature_at < 100:
        assert isinstance(error, SignatureInvalid)
        assert error.field == f"events[{bad_signature_at}].signature.value"
    else:
        assert isinstance(error, UnknownSite)
        assert error.field == "events[100].event.site_id"


def test_a_bad_signature_anywhere_comes_before_a_refusal_of_the_batches(
    factory: Factory,
) -> None:
    """Batches are projected while signatures still verify; nothing commits past a bad one."""
    context = factory.context
    firm = make_firm(factory)
    held = uuid.uuid4()
    submissions = [signed(firm, generated(firm, held, "10"))]
    over_draw = document(firm, "disposed", inputs=[line(held, "11")], disposal_method="other")
    submissions.append(signed(firm, over_draw))
    submissions += [signed(firm, generated(firm, uuid.uuid4(), "1")) for _ in range(150)]
    submissions.append(_forged(firm, generated(firm, uuid.uuid4())))
    error = _refused(context, OPERATOR, submissions)
    assert isinstance(error, SignatureInvalid)
    assert error.field == "events[152].signature.value"
    error = _refused(context, OPERATOR, submissions[:-1])
    assert isinstance(error, InsufficientMass)
    assert snapshot(context) == (0, 0, 0, 0)


def test_an_event_bad_in_signature_and_site_is_refused_for_its_signature(
    factory: Factory,
) -> None:
    context = factory.context
    firm = make_firm(factory)
    event = generated(firm, uuid.uuid4()) | {"site_id": str(uuid.uuid4())}
    error = _refused(context, OPERATOR, [_forged(firm, event)])
    assert isinstance(error, SignatureInvalid)
    assert error.field == "events[0].signature.value"


def test_resubmission_is_stored_once(factory: Factory) -> None:
    context = factory.context
    firm = make_firm(factory)
    submissions = [signed(firm, generated(firm, uuid.uuid4())) for _ in range(3)]
    first = context.capture.capture(OPERATOR, submissions)
    again = context.capture.capture(OPERATOR, [*submissions, submissions[0]])
    assert [r.status for r in again] == ["already_stored"] * 4
    assert [r.leaf_index for r in again[:3]] == [r.leaf_index for r in first]
    assert snapshot(context) == (3, 3, 0, 3)
    mixed = [submissions[1], signed(firm, generated(firm, uuid.uuid4()))]
    assert [r.status for r in context.capture.capture(OPERATOR, mixed)] == [
        "already_stored",
        "stored",
    ]


def test_concurrent_over_draw_lets_exactly_one_through(factory: Factory) -> None:
    context = factory.context
    firm = make_firm(factory)
    batch = uuid.uuid4()
    context.capture.capture(OPERATOR, [signed(firm, generated(firm, batch, "1000"))])
    draws = [
        signed(
            firm,
            document(firm, "disposed", inputs=[line(batch, "600")], disposal_method="landfill"),
        )
        for _ in range(2)
    ]
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def attempt(submission: dict[str, Any]) -> None:
        barrier.wait()
        try:
            outcomes.append(context.capture.capture(OPERATOR, [submission])[0].status)
        except ZeroWasteError as exc:
            outcomes.append(type(exc))

    threads = [threading.Thread(target=attempt, args=(d,)) for d in draws]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(str, outcomes)) == sorted(map(str, ["stored", InsufficientMass]))
    assert context.capture.batch(OPERATOR, batch).batch.mass_kg == 400
    assert snapshot(context)[0] == 2
