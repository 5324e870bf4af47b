"""Cross-province approvals: the order of consent and approval, jurisdictions, and draw-down."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from zerowaste.domain.approvals import (
    Approval,
    ApprovalAction,
    ApprovalState,
    ApprovalStep,
    ApprovalTerms,
)
from zerowaste.errors import (
    ApprovalExceeded,
    ApprovalExpired,
    ApprovalMismatch,
    ApprovalMissing,
    ApprovalStateConflict,
    Forbidden,
    InvalidInput,
    InvalidPeriod,
)

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
GEN, GEN_SITE, RCV, RCV_SITE = (uuid.uuid4() for _ in range(4))
TERMS = ApprovalTerms(
    GEN, GEN_SITE, RCV, RCV_SITE, "HW08", Decimal(5000), date(2026, 6, 1), date(2026, 12, 31)
)


def step(action: ApprovalAction, jurisdiction: str | None = None) -> ApprovalStep:
    organization = GEN if action is ApprovalAction.REQUEST else None
    return ApprovalStep(uuid.uuid4(), action, T0, "k", organization, None, jurisdiction)


def requested() -> Approval:
    # Jiangsu (32) sends to Anhui (34).
    return Approval.request(uuid.uuid4(), TERMS, "320505", "340104", step(ApprovalAction.REQUEST))


def approved() -> Approval:
    consented = requested().consent(step(ApprovalAction.CONSENT, "340000"))
    return consented.approve(step(ApprovalAction.APPROVE, "320000"))


def covers(approval: Approval, code: str = "900-214-08", on: date = date(2026, 7, 1)) -> None:
    approval.check_covers(
        generator_id=GEN,
        generator_site_id=GEN_SITE,
        receiver_id=RCV,
        receiver_site_id=RCV_SITE,
        waste_codes=(code,),
        on=on,
    )


def test_request_consent_approve_in_that_order() -> None:
    a = requested()
    assert a.state is ApprovalState.REQUESTED
    assert a.number.startswith("320505-20260601-A")
    with pytest.raises(ApprovalStateConflict):
        a.approve(step(ApprovalAction.APPROVE, "320000"))  # origin before destination
    a = a.consent(step(ApprovalAction.CONSENT, "340000"))
    with pytest.raises(ApprovalStateConflict):
        a.consent(step(ApprovalAction.CONSENT, "340000"))
    a = a.approve(step(ApprovalAction.APPROVE, "320000"))
    assert a.state is ApprovalState.APPROVED
    assert [s.action for s in a.steps] == list(ApprovalAction)[:3]
    with pytest.raises(ApprovalStateConflict):
        a.refuse(step(ApprovalAction.REFUSE, "320000"))


@pytest.mark.parametrize("jurisdiction", ["320000", "340100", "110000"])
def test_only_the_destination_province_regulator_consents(jurisdiction: str) -> None:
    with pytest.raises(Forbidden) as caught:
        requested().consent(step(ApprovalAction.CONSENT, jurisdiction))
    assert caught.value.field == "jurisdiction_code"


@pytest.mark.parametrize("jurisdiction", ["340000", "320500"])
def test_only_the_origin_province_regulator_approves(jurisdiction: str) -> None:
    consented = requested().consent(step(ApprovalAction.CONSENT, "340000"))
    with pytest.raises(Forbidden):
        consented.approve(step(ApprovalAction.APPROVE, jurisdiction))


def test_a_refusal_ends_the_workflow() -> None:
    refused = requested().refuse(step(ApprovalAction.REFUSE, "340000"))
    assert refused.state is ApprovalState.REFUSED
    with pytest.raises(ApprovalStateConflict):
        refused.consent(step(ApprovalAction.CONSENT, "340000"))
    with pytest.raises(ApprovalMissing):
        covers(refused)


def test_a_request_within_one_province_is_refused() -> None:
    with pytest.raises(InvalidInput):
        Approval.request(uuid.uuid4(), TERMS, "320505", "320100", step(ApprovalAction.REQUEST))
    with pytest.raises(InvalidPeriod):
        ApprovalTerms(
            GEN, GEN_SITE, RCV, RCV_SITE, "HW08", Decimal(1), date(2026, 2, 1), date(2026, 1, 1)
        )


def test_draw_down_up_to_the_cap_and_no_further() -> None:
    a = approved()
    covers(a)
    a = a.draw(Decimal(3000)).draw(Decimal(2000))
    assert a.remaining_kg == 0
    with pytest.raises(ApprovalExceeded) as caught:
        a.draw(Decimal("0.001"))
    assert caught.value.status == 409
    assert a.release(Decimal(2000)).remaining_kg == Decimal(2000)


def test_manifests_outside_the_period_or_terms_are_refused() -> None:
    a = approved()
    with pytest.raises(ApprovalExpired):
        covers(a, on=date(2027, 1, 1))
    with pytest.raises(ApprovalExpired):
        covers(a, on=date(2026, 5, 31))
    with pytest.raises(ApprovalMismatch):
        covers(a, code="900-041-49")  # HW49, not HW08
    with pytest.raises(ApprovalMissing):
        covers(requested())
