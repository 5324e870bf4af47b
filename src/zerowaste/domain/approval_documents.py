"""The signed approval step document (`zerowaste.approval/1`) and its strict parser.

A generator's `request` carries the terms; a regulator's `consent`, `approve` or `refuse`
names the regulator (`regulator_user_id`, `jurisdiction_code`). See docs/manifests.md.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from zerowaste.domain.approvals import ApprovalAction, ApprovalTerms
from zerowaste.domain.document_fields import (
    COMMON,
    action_time,
    day,
    mass_kg,
    only,
    parsed,
    quantity,
    str_member,
    uuid_member,
)
from zerowaste.errors import InvalidInput

APPROVAL_FORMAT = "zerowaste.approval/1"
REQUEST_FIELDS = {
    "organization_id",
    "generator_site_id",
    "receiver_id",
    "receiver_site_id",
    "waste_code",
    "quantity",
    "unit",
    "valid_from",
    "valid_to",
}


@dataclass(frozen=True, slots=True)
class ApprovalCommand:
    """A parsed approval step: the generator's request, or a regulator's decision."""

    action_id: uuid.UUID
    action: ApprovalAction
    action_time: datetime
    approval_id: uuid.UUID
    organization_id: uuid.UUID | None = None
    terms: ApprovalTerms | None = None
    regulator_user_id: uuid.UUID | None = None
    jurisdiction_code: str | None = None
    note: str = ""


def parse_approval_document(document: Any) -> ApprovalCommand:
    """Parse and check a `zerowaste.approval/1` document; errors name the JSON path at fault."""
    if not isinstance(document, Mapping):
        raise InvalidInput("an approval document is a JSON object", field="$")
    if document.get("format") != APPROVAL_FORMAT:
        raise InvalidInput(f"must be {APPROVAL_FORMAT!r}", field="format")
    action = parsed(str_member(document, "action"), ApprovalAction, "action", "an approval action")
    common = {
        "action_id": uuid_member(document, "action_id"),
        "action": action,
        "action_time": action_time(document),
        "approval_id": uuid_member(document, "approval_id"),
        "note": str_member(document, "note", required=False) or "",
    }
    if action is ApprovalAction.REQUEST:
        only(document, COMMON | {"approval_id"} | REQUEST_FIELDS)
        generator_id = uuid_member(document, "organization_id")
        terms = ApprovalTerms(
            generator_id=generator_id,
            generator_site_id=uuid_member(document, "generator_site_id"),
            receiver_id=uuid_member(document, "receiver_id"),
            receiver_site_id=uuid_member(document, "receiver_site_id"),
            waste_code=str_member(document, "waste_code"),
            cap_kg=mass_kg(document, ""),
            valid_from=day(document, "valid_from"),
            valid_to=day(document, "valid_to"),
            note=str(common["note"]),
        )
        return ApprovalCommand(organization_id=generator_id, terms=terms, **common)  # type: ignore[arg-type]
    only(document, COMMON | {"approval_id", "regulator_user_id", "jurisdiction_code"})
    jurisdiction = str_member(document, "jurisdiction_code", required=False)
    return ApprovalCommand(
        regulator_user_id=uuid_member(document, "regulator_user_id"),
        jurisdiction_code=jurisdiction,
        **common,  # type: ignore[arg-type]
    )


def approval_document(
    action: ApprovalAction,
    approval_id: uuid.UUID,
    at: datetime,
    *,
    action_id: uuid.UUID | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A `zerowaste.approval/1` document, ready to sign."""
    return {
        "format": APPROVAL_FORMAT,
        "action": action.value,
        "action_id": str(action_id or uuid.uuid4()),
        "action_time": at.isoformat(),
        "approval_id": str(approval_id),
        **fields,
    }


def request_fields(terms: ApprovalTerms) -> dict[str, Any]:
    """The members of an approval request document."""
    fields = {
        "organization_id": str(terms.generator_id),
        "generator_site_id": str(terms.generator_site_id),
        "receiver_id": str(terms.receiver_id),
        "receiver_site_id": str(terms.receiver_site_id),
        "waste_code": terms.waste_code,
        **quantity(terms.cap_kg),
        "valid_from": terms.valid_from.isoformat(),
        "valid_to": terms.valid_to.isoformat(),
    }
    if terms.note:
        fields["note"] = terms.note
    return fields
