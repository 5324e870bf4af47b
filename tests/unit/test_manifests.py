"""The manifest state machine: every step in order, every illegal step refused, masses exact."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zerowaste.domain.manifests import (
    Disposition,
    Manifest,
    ManifestAction,
    ManifestLine,
    ManifestSignature,
    ManifestState,
    ManifestTerms,
    PartyRole,
    ReceiptLine,
    Rejection,
    crosses_provinces,
    manifest_number,
)
from zerowaste.errors import (
    BatchNotOnManifest,
    InvalidInput,
    InvalidQuantity,
    ManifestNotCorrectable,
    ManifestNotDelivered,
    ManifestNotInTransit,
    ManifestNotIssued,
    ManifestNotReceived,
    ManifestOutOfOrder,
    NotManifestParty,
    ZeroWasteError,
)

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
GEN, GEN_SITE, RCV, RCV_SITE = (uuid.uuid4() for _ in range(4))
CARRIER_A, CARRIER_B, ALT, ALT_SITE = (uuid.uuid4() for _ in range(4))
B1, B2 = uuid.uuid4(), uuid.uuid4()


def terms(carriers: tuple[uuid.UUID, ...] = (CARRIER_A,)) -> ManifestTerms:
    return ManifestTerms(
        generator_id=GEN,
        generator_site_id=GEN_SITE,
        receiver_id=RCV,
        receiver_site_id=RCV_SITE,
        transporter_ids=carriers,
        lines=(
            ManifestLine(B1, "900-214-08", Decimal(600)),
            ManifestLine(B2, "900-214-08", Decimal(400)),
        ),
    )


def sig(
    action: ManifestAction, organization: uuid.UUID, leg: int | None = None, minutes: int = 0
) -> ManifestSignature:
    return ManifestSignature(
        action_id=uuid.uuid4(),
        action=action,
        role=PartyRole.GENERATOR,
        organization_id=organization,
        signed_at=T0 + timedelta(minutes=minutes),
        key_id="k",
        version=1,
        leg=leg,
    )


def issued(carriers: tuple[uuid.UUID, ...] = (CARRIER_A,)) -> Manifest:
    draft = Manifest.draft(uuid.uuid4(), terms(carriers), "320505", "320506")
    return draft.issue(
        sig(ManifestAction.ISSUE, GEN), manifest_number("320505", T0.date(), draft.manifest_id)
    )


def shipped_all(m: Manifest) -> Manifest:
    for batch, kg in ((B1, 600), (B2, 400)):
        m = m.ship(batch, GEN, GEN_SITE, Decimal(kg))
    return m


def in_transit() -> Manifest:
    return shipped_all(issued().pickup(sig(ManifestAction.PICKUP, CARRIER_A, 0)))


def delivered() -> Manifest:
    return in_transit().deliver(sig(ManifestAction.DELIVER, CARRIER_A, 0))


def full_receipt(b1: str = "598", b2: str = "401") -> tuple[ReceiptLine, ...]:
    return (ReceiptLine(B1, Decimal(b1)), ReceiptLine(B2, Decimal(b2)))


def received() -> Manifest:
    return delivered().receive(sig(ManifestAction.RECEIVE, RCV), RCV_SITE, full_receipt(), None)


def test_the_happy_path_visits_every_state_in_order() -> None:
    m = Manifest.draft(uuid.uuid4(), terms(), "320505", "320506")
    assert m.state is ManifestState.DRAFT
    m = m.issue(sig(ManifestAction.ISSUE, GEN), "320505-20260601-ABCDEF12")
    assert (m.state, m.version, m.number) == (ManifestState.ISSUED, 1, "320505-20260601-ABCDEF12")
    m = m.pickup(sig(ManifestAction.PICKUP, CARRIER_A, 0))
    assert m.state is ManifestState.PICKED_UP
    m = m.ship(B1, GEN, GEN_SITE, Decimal(600))
    assert m.state is ManifestState.PICKED_UP  # B2 still at the gate
    m = m.ship(B2, GEN, GEN_SITE, Decimal(400))
    assert m.state is ManifestState.IN_TRANSIT
    m = m.deliver(sig(ManifestAction.DELIVER, CARRIER_A, 0))
    assert m.delivered
    assert m.state is ManifestState.IN_TRANSIT
    m = m.receive(sig(ManifestAction.RECEIVE, RCV), RCV_SITE, full_receipt(), None)
    assert m.state is ManifestState.RECEIVED
    assert [line.discrepancy_kg for line in m.terms.lines] == [Decimal(-2), Decimal(1)]
    m = m.take_in(B1, RCV, RCV_SITE, Decimal(598))
    m = m.close(sig(ManifestAction.CLOSE, RCV))
    assert m.state is ManifestState.CLOSED
    assert [s.action for s in m.signatures] == [
        ManifestAction.ISSUE,
        ManifestAction.PICKUP,
        ManifestAction.DELIVER,
        ManifestAction.RECEIVE,
        ManifestAction.CLOSE,
    ]


def test_shipping_before_pickup_goes_straight_to_transit_on_pickup() -> None:
    m = shipped_all(issued())
    assert m.state is ManifestState.ISSUED
    assert m.pickup(sig(ManifestAction.PICKUP, CARRIER_A, 0)).state is ManifestState.IN_TRANSIT


def test_two_carriers_hand_off_in_order() -> None:
    m = shipped_all(issued((CARRIER_A, CARRIER_B)).pickup(sig(ManifestAction.PICKUP, CARRIER_A, 0)))
    with pytest.raises(ManifestOutOfOrder):
        m.pickup(sig(ManifestAction.PICKUP, CARRIER_B, 1))  # A has not handed over
    m = m.deliver(sig(ManifestAction.DELIVER, CARRIER_A, 0))
    assert not m.delivered
    with pytest.raises(ManifestOutOfOrder):
        m.deliver(sig(ManifestAction.DELIVER, CARRIER_B, 1))  # B has not picked up
    with pytest.raises(ManifestNotDelivered):
        m.receive(sig(ManifestAction.RECEIVE, RCV), RCV_SITE, full_receipt(), None)
    m = m.pickup(sig(ManifestAction.PICKUP, CARRIER_B, 1)).deliver(
        sig(ManifestAction.DELIVER, CARRIER_B, 1)
    )
    assert m.delivered
    assert [s.leg for s in m.signatures[1:]] == [0, 0, 1, 1]


Step = Callable[[Manifest], Manifest]
STEPS: dict[str, Step] = {
    "issue": lambda m: m.issue(sig(ManifestAction.ISSUE, GEN), "X"),
    "pickup": lambda m: m.pickup(sig(ManifestAction.PICKUP, CARRIER_A, 0)),
    "ship": lambda m: m.ship(B1, GEN, GEN_SITE, Decimal(600)),
    "deliver": lambda m: m.deliver(sig(ManifestAction.DELIVER, CARRIER_A, 0)),
    "receive": lambda m: m.receive(
        sig(ManifestAction.RECEIVE, RCV), RCV_SITE, full_receipt(), None
    ),
    "close": lambda m: m.close(sig(ManifestAction.CLOSE, RCV)),
    "correct": lambda m: m.correct(terms(), sig(ManifestAction.CORRECT, GEN), "320506"),
}
STATES: dict[str, Callable[[], Manifest]] = {
    "draft": lambda: Manifest.draft(uuid.uuid4(), terms(), "320505", "320506"),
    "issued": issued,
    "picked_up": lambda: issued().pickup(sig(ManifestAction.PICKUP, CARRIER_A, 0)),
    "in_transit": in_transit,
    "delivered": delivered,
    "received": received,
    "closed": lambda: received().close(sig(ManifestAction.CLOSE, RCV)),
}
LEGAL = {
    ("draft", "issue"),
    ("issued", "pickup"),
    ("issued", "ship"),
    ("issued", "correct"),
    ("picked_up", "ship"),
    ("in_transit", "deliver"),
    ("delivered", "receive"),
    ("received", "close"),
}
ILLEGAL = [(s, a) for s in STATES for a in STEPS if (s, a) not in LEGAL]


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_every_illegal_step_is_refused_with_a_state_conflict(state: str, action: str) -> None:
    manifest = STATES[state]()
    with pytest.raises(ZeroWasteError) as caught:
        STEPS[action](manifest)
    assert caught.value.status == 409, f"{action} on {state}: {caught.value!r}"
    assert caught.value.field is not None


@pytest.mark.parametrize(("state", "action"), sorted(LEGAL))
def test_every_legal_step_is_accepted(state: str, action: str) -> None:
    assert STEPS[action](STATES[state]()) is not None


def test_the_refusals_are_named_after_their_conditions() -> None:
    with pytest.raises(ManifestNotInTransit):
        issued().pickup(sig(ManifestAction.PICKUP, CARRIER_A, 0)).deliver(
            sig(ManifestAction.DELIVER, CARRIER_A, 0)
        )
    with pytest.raises(ManifestNotIssued):
        in_transit().ship(B1, GEN, GEN_SITE, Decimal(600))
    with pytest.raises(ManifestNotReceived):
        delivered().close(sig(ManifestAction.CLOSE, RCV))
    with pytest.raises(ManifestNotCorrectable):
        in_transit().correct(terms(), sig(ManifestAction.CORRECT, GEN), "320506")
    with pytest.raises(ManifestOutOfOrder):
        received().close(sig(ManifestAction.CLOSE, RCV)).close(sig(ManifestAction.CLOSE, RCV))


@pytest.mark.parametrize(
    ("step", "field"),
    [
        (lambda m: m.pickup(sig(ManifestAction.PICKUP, CARRIER_B, 0)), "organization_id"),
        (lambda m: m.ship(B1, RCV, GEN_SITE, Decimal(1)), "organization_id"),
        (lambda m: m.ship(B1, GEN, RCV_SITE, Decimal(1)), "site_id"),
    ],
)
def test_only_the_party_of_a_step_signs_it(step: Step, field: str) -> None:
    with pytest.raises(NotManifestParty) as caught:
        step(issued())
    assert caught.value.field == field


def test_a_receipt_is_by_the_receiver_at_its_site_for_every_line() -> None:
    m = delivered()
    with pytest.raises(NotManifestParty):
        m.receive(sig(ManifestAction.RECEIVE, ALT), RCV_SITE, full_receipt(), None)
    with pytest.raises(NotManifestParty):
        m.receive(sig(ManifestAction.RECEIVE, RCV), ALT_SITE, full_receipt(), None)
    with pytest.raises(InvalidInput):
        m.receive(sig(ManifestAction.RECEIVE, RCV), RCV_SITE, full_receipt()[:1], None)
    stray = (*full_receipt(), ReceiptLine(uuid.uuid4(), Decimal(1)))
    with pytest.raises(BatchNotOnManifest):
        m.receive(sig(ManifestAction.RECEIVE, RCV), RCV_SITE, stray, None)


def test_a_shipment_of_an_unlisted_batch_is_refused() -> None:
    with pytest.raises(BatchNotOnManifest) as caught:
        issued().ship(uuid.uuid4(), GEN, GEN_SITE, Decimal(1))
    assert caught.value.field == "inputs[0].batch_id"


def test_partial_rejection_with_redirection_closes_at_the_alternate() -> None:
    lines = (ReceiptLine(B1, Decimal(600), Decimal(600)), ReceiptLine(B2, Decimal(400)))
    redirect = Rejection(Disposition.REDIRECT, ALT, ALT_SITE, "含水率超标")
    with pytest.raises(InvalidInput):  # rejected mass needs a destination
        delivered().receive(sig(ManifestAction.RECEIVE, RCV), RCV_SITE, lines, None)
    m = delivered().receive(sig(ManifestAction.RECEIVE, RCV), RCV_SITE, lines, redirect)
    assert m.state is ManifestState.PARTIALLY_RECEIVED
    assert m.rejection is not None
    assert m.rejection.mass_kg == Decimal(600)
    assert m.role_of(ManifestAction.CLOSE) is PartyRole.RETURN_RECEIVER
    with pytest.raises(NotManifestParty):
        m.take_in(B1, RCV, RCV_SITE, Decimal(600))  # the rejected batch goes to the alternate
    m = m.take_in(B1, ALT, ALT_SITE, Decimal(599)).take_in(B2, RCV, RCV_SITE, Decimal(400))
    with pytest.raises(NotManifestParty):
        m.close(sig(ManifestAction.CLOSE, RCV))
    assert m.close(sig(ManifestAction.CLOSE, ALT)).state is ManifestState.CLOSED


def test_full_rejection_returns_to_the_generator() -> None:
    lines = (
        ReceiptLine(B1, Decimal(600), Decimal(600)),
        ReceiptLine(B2, Decimal(400), Decimal(400)),
    )
    back = Rejection(Disposition.RETURN, GEN, GEN_SITE, "代码不符")
    m = delivered().receive(sig(ManifestAction.REJECT, RCV), RCV_SITE, lines, back)
    assert m.state is ManifestState.REJECTED
    assert m.close(sig(ManifestAction.CLOSE, GEN)).state is ManifestState.CLOSED
    partial = (ReceiptLine(B1, Decimal(600), Decimal(1)), ReceiptLine(B2, Decimal(400)))
    with pytest.raises(InvalidInput):  # a rejection refuses everything
        delivered().receive(sig(ManifestAction.REJECT, RCV), RCV_SITE, partial, back)


def test_a_correction_makes_a_new_version_and_resets_the_legs() -> None:
    m = issued()
    corrected = m.correct(terms((CARRIER_B,)), sig(ManifestAction.CORRECT, GEN), "320506")
    assert (corrected.version, corrected.number) == (2, m.number)
    assert [leg.transporter_id for leg in corrected.legs] == [CARRIER_B]
    with pytest.raises(NotManifestParty):
        m.correct(terms(), sig(ManifestAction.CORRECT, RCV), "320506")
    with pytest.raises(ManifestNotCorrectable):
        m.ship(B1, GEN, GEN_SITE, Decimal(600)).correct(
            terms(), sig(ManifestAction.CORRECT, GEN), "x"
        )


def test_terms_refuse_impossible_manifests() -> None:
    base = terms()
    with pytest.raises(InvalidInput, match="transporter"):
        ManifestTerms(GEN, GEN_SITE, RCV, RCV_SITE, (), base.lines)
    with pytest.raises(InvalidInput, match="once"):
        ManifestTerms(GEN, GEN_SITE, RCV, RCV_SITE, (CARRIER_A,), (base.lines[0], base.lines[0]))
    with pytest.raises(InvalidQuantity):
        ManifestTerms(
            GEN,
            GEN_SITE,
            RCV,
            RCV_SITE,
            (CARRIER_A,),
            (ManifestLine(B1, "900-214-08", Decimal(0)),),
        )
    with pytest.raises(InvalidInput):
        ManifestTerms(GEN, GEN_SITE, GEN, GEN_SITE, (CARRIER_A,), base.lines)


def test_numbers_carry_the_origin_region_and_provinces_are_compared() -> None:
    manifest_id = uuid.UUID("1a2b3c4d-0000-0000-0000-000000000000")
    assert manifest_number("320505", T0.date(), manifest_id) == "320505-20260601-1A2B3C4D"
    assert crosses_provinces("320505", "340100")
    assert not crosses_provinces("320505", "320100")


kilograms = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(10**6), places=3)


@given(shipped=kilograms, weighed=kilograms, share=st.fractions(min_value=0, max_value=1))
def test_receipt_masses_are_exact(shipped: Decimal, weighed: Decimal, share: object) -> None:
    rejected = (weighed * Decimal(share.numerator) / Decimal(share.denominator)).quantize(  # type: ignore[attr-defined]
        Decimal("0.001"), rounding="ROUND_DOWN"
    )
    line = ReceiptLine(B1, weighed, rejected)
    manifest_line = ManifestLine(
        B1,
        "900-214-08",
        shipped,
        shipped_kg=shipped,
        weighed_kg=line.weighed_kg,
        rejected_kg=line.rejected_kg,
    )
    assert manifest_line.accepted_kg is not None
    assert manifest_line.accepted_kg + manifest_line.rejected_kg == weighed
    assert manifest_line.discrepancy_kg == weighed - shipped
    assert manifest_line.accepted_kg >= 0


@given(weighed=kilograms, extra=kilograms)
def test_rejecting_more_than_weighed_is_refused(weighed: Decimal, extra: Decimal) -> None:
    with pytest.raises(InvalidQuantity) as caught:
        ReceiptLine(B1, weighed, weighed + extra)
    assert caught.value.field == "rejected.quantity"


@given(shipped=kilograms, weighed=kilograms)
def test_the_discrepancy_of_a_receipt_is_weighed_minus_shipped(
    shipped: Decimal, weighed: Decimal
) -> None:
    draft = Manifest.draft(
        uuid.uuid4(),
        ManifestTerms(
            GEN, GEN_SITE, RCV, RCV_SITE, (CARRIER_A,), (ManifestLine(B1, "900-214-08", shipped),)
        ),
        "320505",
        "320506",
    )
    m = draft.issue(sig(ManifestAction.ISSUE, GEN), "N").pickup(
        sig(ManifestAction.PICKUP, CARRIER_A, 0)
    )
    m = m.ship(B1, GEN, GEN_SITE, shipped).deliver(sig(ManifestAction.DELIVER, CARRIER_A, 0))
    m = m.receive(sig(ManifestAction.RECEIVE, RCV), RCV_SITE, (ReceiptLine(B1, weighed),), None)
    assert m.terms.lines[0].discrepancy_kg == weighed - shipped
