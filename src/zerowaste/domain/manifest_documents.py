"""The signed manifest step document (`zerowaste.manifest/1`) and its strict parser.

Every manifest (and approval, see `approval_documents`) step is a JSON document its signer
signs in RFC 8785 canonical form and the platform logs beside the waste events. The parser
accepts exactly the documented fields of each action and names the JSON path of anything
wrong; quantities are decimal strings with a UN/CEFACT unit, normalized to kilograms::

    {"format": "zerowaste.manifest/1", "action": "pickup", "action_id": "…",
     "action_time": "2026-06-01T09:00:00+08:00", "manifest_id": "…",
     "organization_id": "<the carrier>", "leg": 0}
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import partial
from typing import Any

from zerowaste.domain.document_fields import (
    COMMON,
    batch_member,
    mass_kg,
    objects,
    only,
    optional_uuid,
    parsed,
    quantity,
    str_member,
    uuid_member,
    with_path,
)
from zerowaste.domain.document_fields import action_time as read_action_time
from zerowaste.domain.ids import urn
from zerowaste.domain.manifests import (
    Disposition,
    ManifestAction,
    ManifestLine,
    ManifestTerms,
    ReceiptLine,
)
from zerowaste.domain.permits import PermitActivity
from zerowaste.errors import InvalidInput

MANIFEST_FORMAT = "zerowaste.manifest/1"
_TERMS = {
    "generator_site_id",
    "receiver_id",
    "receiver_site_id",
    "transporters",
    "activity",
    "lines",
    "approval_id",
    "contract_id",
}
_MANIFEST_FIELDS = {
    ManifestAction.ISSUE: _TERMS,
    ManifestAction.CORRECT: _TERMS | {"reason"},
    ManifestAction.PICKUP: {"leg"},
    ManifestAction.DELIVER: {"leg"},
    ManifestAction.RECEIVE: {"site_id", "lines", "rejection"},
    ManifestAction.REJECT: {"site_id", "lines", "rejection"},
    ManifestAction.CLOSE: set(),
}


@dataclass(frozen=True, slots=True)
class RejectionSpec:
    """Where the receiver sends refused waste; `return` goes to the generator's site."""

    disposition: Disposition
    reason: str
    receiver_id: uuid.UUID | None = None
    site_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class ManifestCommand:
    """A parsed manifest step; the members its action does not use are None."""

    action_id: uuid.UUID
    action: ManifestAction
    action_time: datetime
    organization_id: uuid.UUID
    manifest_id: uuid.UUID
    terms: ManifestTerms | None = None
    leg: int | None = None
    site_id: uuid.UUID | None = None
    receipt: tuple[ReceiptLine, ...] = ()
    rejection: RejectionSpec | None = None
    reason: str = ""
    note: str = ""


def _terms(document: Mapping[str, Any], generator_id: uuid.UUID) -> ManifestTerms:
    transporters = document.get("transporters")
    if not isinstance(transporters, list) or not all(isinstance(t, str) for t in transporters):
        raise InvalidInput("must be a list of organization ids", field="transporters")
    lines = []
    for index, line in enumerate(objects(document, "lines")):
        path = f"lines[{index}]."
        only(line, {"batch", "waste_code", "quantity", "unit"}, path)
        lines.append(
            ManifestLine(
                batch_member(line, path), str_member(line, "waste_code", path), mass_kg(line, path)
            )
        )
    activity = str_member(document, "activity", required=False) or PermitActivity.UTILIZE.value
    return ManifestTerms(
        generator_id=generator_id,
        generator_site_id=uuid_member(document, "generator_site_id"),
        receiver_id=uuid_member(document, "receiver_id"),
        receiver_site_id=uuid_member(document, "receiver_site_id"),
        transporter_ids=tuple(
            parsed(t, uuid.UUID, f"transporters[{i}]", "a UUID") for i, t in enumerate(transporters)
        ),
        lines=tuple(lines),
        activity=parsed(activity, PermitActivity, "activity", "a permit activity"),
        approval_id=optional_uuid(document, "approval_id"),
        note=str_member(document, "note", required=False) or "",
        contract_id=optional_uuid(document, "contract_id"),
    )


def _receipt(document: Mapping[str, Any]) -> tuple[ReceiptLine, ...]:
    lines = []
    for index, line in enumerate(objects(document, "lines")):
        path = f"lines[{index}]."
        only(line, {"batch", "weighed", "rejected"}, path)
        weighed = line.get("weighed")
        if not isinstance(weighed, dict):
            raise InvalidInput("must be {quantity, unit}", field=f"{path}weighed")
        rejected = line.get("rejected")
        if rejected is not None and not isinstance(rejected, dict):
            raise InvalidInput("must be {quantity, unit}", field=f"{path}rejected")
        batch = batch_member(line, path)
        weighed_kg = mass_kg(weighed, f"{path}weighed.")
        rejected_kg = Decimal(0) if rejected is None else mass_kg(rejected, f"{path}rejected.")
        lines.append(with_path(path, partial(ReceiptLine, batch, weighed_kg, rejected_kg)))
    return tuple(lines)


def _rejection(document: Mapping[str, Any]) -> RejectionSpec | None:
    value = document.get("rejection")
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidInput("must be an object", field="rejection")
    path = "rejection."
    only(value, {"disposition", "receiver_id", "site_id", "reason"}, path)
    disposition = parsed(
        str_member(value, "disposition", path),
        Disposition,
        f"{path}disposition",
        "return or redirect",
    )
    reason = str_member(value, "reason", path)
    if not reason.strip():
        raise InvalidInput("say why the waste is refused", field=f"{path}reason")
    if disposition is Disposition.RETURN:
        only(value, {"disposition", "reason"}, path)
        return RejectionSpec(disposition, reason)
    return RejectionSpec(
        disposition,
        reason,
        uuid_member(value, "receiver_id", path),
        uuid_member(value, "site_id", path),
    )


def parse_manifest_document(document: Any) -> ManifestCommand:
    """Parse and check a `zerowaste.manifest/1` document; errors name the JSON path at fault."""
    if not isinstance(document, Mapping):
        raise InvalidInput("a manifest document is a JSON object", field="$")
    if document.get("format") != MANIFEST_FORMAT:
        raise InvalidInput(f"must be {MANIFEST_FORMAT!r}", field="format")
    action = parsed(str_member(document, "action"), ManifestAction, "action", "a manifest action")
    only(document, COMMON | {"manifest_id", "organization_id"} | _MANIFEST_FIELDS[action])
    organization_id = uuid_member(document, "organization_id")
    leg = document.get("leg")
    if action in (ManifestAction.PICKUP, ManifestAction.DELIVER) and (
        not isinstance(leg, int) or isinstance(leg, bool) or leg < 0
    ):
        raise InvalidInput("must be the carrier's leg number (0, 1, …)", field="leg")
    terms = None
    if action in (ManifestAction.ISSUE, ManifestAction.CORRECT):
        terms = _terms(document, organization_id)
    receiving = action in (ManifestAction.RECEIVE, ManifestAction.REJECT)
    reason = str_member(document, "reason", required=action is ManifestAction.CORRECT) or ""
    if action is ManifestAction.CORRECT and not reason.strip():
        raise InvalidInput("say what the correction fixes", field="reason")
    return ManifestCommand(
        action_id=uuid_member(document, "action_id"),
        action=action,
        action_time=read_action_time(document),
        organization_id=organization_id,
        manifest_id=uuid_member(document, "manifest_id"),
        terms=terms,
        leg=leg if isinstance(leg, int) else None,
        site_id=uuid_member(document, "site_id") if receiving else None,
        receipt=_receipt(document) if receiving else (),
        rejection=_rejection(document) if receiving else None,
        reason=reason,
        note=str_member(document, "note", required=False) or "",
    )


def terms_fields(terms: ManifestTerms) -> dict[str, Any]:
    """The members of an issue or correct document that carry the terms."""
    fields: dict[str, Any] = {
        "generator_site_id": str(terms.generator_site_id),
        "receiver_id": str(terms.receiver_id),
        "receiver_site_id": str(terms.receiver_site_id),
        "transporters": [str(t) for t in terms.transporter_ids],
        "activity": terms.activity.value,
        "lines": [
            {"batch": urn("batch", line.batch_id), "waste_code": line.waste_code}
            | quantity(line.mass_kg)
            for line in terms.lines
        ],
    }
    if terms.approval_id is not None:
        fields["approval_id"] = str(terms.approval_id)
    if terms.contract_id is not None:
        fields["contract_id"] = str(terms.contract_id)
    if terms.note:
        fields["note"] = terms.note
    return fields


def receipt_fields(
    site_id: uuid.UUID, lines: tuple[ReceiptLine, ...], rejection: RejectionSpec | None = None
) -> dict[str, Any]:
    """The members of a receive or reject document."""
    fields: dict[str, Any] = {
        "site_id": str(site_id),
        "lines": [
            {"batch": urn("batch", line.batch_id), "weighed": quantity(line.weighed_kg)}
            | ({"rejected": quantity(line.rejected_kg)} if line.rejected_kg else {})
            for line in lines
        ],
    }
    if rejection is not None:
        spec: dict[str, Any] = {
            "disposition": rejection.disposition.value,
            "reason": rejection.reason,
        }
        if rejection.receiver_id is not None:
            spec["receiver_id"] = str(rejection.receiver_id)
        if rejection.site_id is not None:
            spec["site_id"] = str(rejection.site_id)
        fields["rejection"] = spec
    return fields


def manifest_document(
    action: ManifestAction,
    manifest_id: uuid.UUID,
    organization_id: uuid.UUID,
    at: datetime,
    *,
    action_id: uuid.UUID | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A `zerowaste.manifest/1` document, ready to sign (see `terms_fields`, `receipt_fields`)."""
    return {
        "format": MANIFEST_FORMAT,
        "action": action.value,
        "action_id": str(action_id or uuid.uuid4()),
        "action_time": at.isoformat(),
        "manifest_id": str(manifest_id),
        "organization_id": str(organization_id),
        **fields,
    }
