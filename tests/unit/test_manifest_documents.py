"""The signed manifest and approval documents: builders round-trip, faults name their path."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from zerowaste.domain.approval_documents import (
    approval_document,
    parse_approval_document,
    request_fields,
)
from zerowaste.domain.approvals import ApprovalAction, ApprovalTerms
from zerowaste.domain.manifest_documents import (
    RejectionSpec,
    manifest_document,
    parse_manifest_document,
    receipt_fields,
    terms_fields,
)
from zerowaste.domain.manifests import (
    Disposition,
    ManifestAction,
    ManifestLine,
    ManifestTerms,
    ReceiptLine,
)
from zerowaste.errors import InvalidInput, InvalidQuantity, ZeroWasteError

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
IDS = [uuid.uuid4() for _ in range(8)]
TERMS = ManifestTerms(
    IDS[0], IDS[1], IDS[2], IDS[3], (IDS[4],), (ManifestLine(IDS[5], "900-214-08", Decimal("1.5")),)
)


def issue() -> dict[str, Any]:
    return manifest_document(ManifestAction.ISSUE, IDS[6], IDS[0], T0, **terms_fields(TERMS))


def test_issue_round_trips() -> None:
    command = parse_manifest_document(issue())
    assert command.terms == TERMS
    assert command.action is ManifestAction.ISSUE
    assert command.action_time == T0


def test_receipt_round_trips_with_a_redirection() -> None:
    lines = (ReceiptLine(IDS[5], Decimal("1.5"), Decimal("0.5")),)
    spec = RejectionSpec(Disposition.REDIRECT, "超标", IDS[7], IDS[3])
    fields = receipt_fields(IDS[3], lines, spec)
    command = parse_manifest_document(
        manifest_document(ManifestAction.RECEIVE, IDS[6], IDS[2], T0, **fields)
    )
    assert command.receipt == lines
    assert command.rejection == spec
    assert command.site_id == IDS[3]


def test_approval_request_round_trips() -> None:
    terms = ApprovalTerms(
        IDS[0], IDS[1], IDS[2], IDS[3], "HW08", Decimal(2000), date(2026, 6, 1), date(2026, 9, 30)
    )
    doc = approval_document(ApprovalAction.REQUEST, IDS[6], T0, **request_fields(terms))
    assert parse_approval_document(doc).terms == terms


def _set(document: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    target: Any = document
    parts = path.replace("[", ".").replace("]", "").split(".")
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    last = parts[-1]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return document


@pytest.mark.parametrize(
    ("path", "value", "error", "field"),
    [
        ("colour", "red", InvalidInput, "colour"),
        ("format", "zerowaste.manifest/2", InvalidInput, "format"),
        ("action", "teleport", InvalidInput, "action"),
        ("action_time", "2026-06-01T08:00:00", InvalidInput, "action_time"),
        ("manifest_id", "nope", InvalidInput, "manifest_id"),
        ("receiver_id", KeyError, InvalidInput, "receiver_id"),
        ("transporters", "x", InvalidInput, "transporters"),
        ("transporters", [], InvalidInput, "transporters"),
        ("lines[0].batch", "urn:other:1", InvalidInput, "lines[0].batch"),
        ("lines[0].quantity", "-1", InvalidQuantity, "lines[0].quantity"),
        ("lines[0].unit", "LB", InvalidQuantity, "lines[0].unit"),
        ("lines[0].colour", "red", InvalidInput, "lines[0].colour"),
        ("activity", "transport", InvalidInput, "activity"),
        ("leg", 0, InvalidInput, "leg"),  # not a member of an issue
    ],
)
def test_each_fault_names_its_path(
    path: str, value: Any, error: type[ZeroWasteError], field: str
) -> None:
    with pytest.raises(error) as caught:
        parse_manifest_document(_set(issue(), path, value))
    assert caught.value.field == field


@pytest.mark.parametrize("leg", [-1, "0", True, None])
def test_a_pickup_names_its_leg(leg: Any) -> None:
    document = manifest_document(ManifestAction.PICKUP, IDS[6], IDS[4], T0, leg=leg)
    with pytest.raises(InvalidInput) as caught:
        parse_manifest_document(document)
    assert caught.value.field == "leg"


def test_receipt_faults_name_their_path() -> None:
    lines = (ReceiptLine(IDS[5], Decimal(2)),)
    base = receipt_fields(IDS[3], lines)
    document = manifest_document(ManifestAction.RECEIVE, IDS[6], IDS[2], T0, **base)
    document["lines"][0]["rejected"] = {"quantity": "3", "unit": "KGM"}
    with pytest.raises(InvalidQuantity) as caught:
        parse_manifest_document(document)
    assert caught.value.field == "lines[0].rejected.quantity"
    document["lines"][0]["rejected"] = {"quantity": "1", "unit": "KGM"}
    document["rejection"] = {"disposition": "return", "reason": " "}
    with pytest.raises(InvalidInput) as caught:
        parse_manifest_document(document)
    assert caught.value.field == "rejection.reason"
    document["rejection"] = {"disposition": "redirect", "reason": "wet"}
    with pytest.raises(InvalidInput) as caught:
        parse_manifest_document(document)
    assert caught.value.field == "rejection.receiver_id"


def test_a_correction_says_why() -> None:
    document = manifest_document(ManifestAction.CORRECT, IDS[6], IDS[0], T0, **terms_fields(TERMS))
    with pytest.raises(InvalidInput) as caught:
        parse_manifest_document(document)
    assert caught.value.field == "reason"


def test_a_regulator_step_names_the_regulator() -> None:
    document = approval_document(ApprovalAction.CONSENT, IDS[6], T0)
    with pytest.raises(InvalidInput) as caught:
        parse_approval_document(document)
    assert caught.value.field == "regulator_user_id"
    document["regulator_user_id"] = str(IDS[0])
    document["waste_code"] = "HW08"
    with pytest.raises(InvalidInput) as caught:
        parse_approval_document(document)
    assert caught.value.field == "waste_code"
