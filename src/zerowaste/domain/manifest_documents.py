"""Signed manifest and approval documents (`zerowaste.manifest/1`, `zerowaste.approval/1`).

Every manifest or approval step is a JSON document its signer signs in RFC 8785 canonical form
and the platform logs beside the waste events. The parsers accept exactly the documented fields
of each action and name the JSON path of anything wrong; quantities are decimal strings with a
UN/CEFACT unit, normalized to kilograms. Example::

    {"format": "zerowaste.manifest/1", "action": "pickup", "action_id": "…",
     "action_time": "2026-06-01T09:00:00+08:00", "manifest_id": "…",
     "organization_id": "<the carrier>", "leg": 0}
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

from zerowaste.domain.approvals import ApprovalAction, ApprovalTerms
from zerowaste.domain.events import positive_mass
from zerowaste.domain.ids import urn
from zerowaste.domain.manifests import (
    Disposition,
    ManifestAction,
    ManifestLine,
    ManifestTerms,
    ReceiptLine,
)
from zerowaste.domain.permits import PermitActivity
from zerowaste.domain.quantities import parse_decimal, to_kilograms
from zerowaste.errors import InvalidInput, ZeroWasteError

MANIFEST_FORMAT = "zerowaste.manifest/1"
APPROVAL_FORMAT = "zerowaste.approval/1"
BATCH_URN_PREFIX = "urn:zerowaste:batch:"
_COMMON = {"format", "action", "action_id", "action_time", "note"}
_TERMS = {
    "generator_site_id",
    "receiver_id",
    "receiver_site_id",
    "transporters",
    "activity",
    "lines",
    "approval_id",
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
_REQUEST_FIELDS = {
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
T = TypeVar("T")


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


def _text(document: Mapping[str, Any], key: str, path: str = "", *, required: bool = True) -> Any:
    value = document.get(key)
    if value is None:
        if required:
            raise InvalidInput("is required", field=f"{path}{key}")
        return None
    if not isinstance(value, str):
        raise InvalidInput("must be a string", field=f"{path}{key}")
    return value


def _parsed(text: str, parse: Callable[[str], T], field: str, what: str) -> T:
    try:
        return parse(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not {what}", field=field) from None


def _uuid(document: Mapping[str, Any], key: str, path: str = "") -> uuid.UUID:
    return _parsed(_text(document, key, path), uuid.UUID, f"{path}{key}", "a UUID")


def _optional_uuid(document: Mapping[str, Any], key: str) -> uuid.UUID | None:
    text = _text(document, key, required=False)
    return None if text is None else _parsed(text, uuid.UUID, key, "a UUID")


def _time(document: Mapping[str, Any]) -> datetime:
    at = _parsed(_text(document, "action_time"), datetime.fromisoformat, "action_time", "a time")
    if at.tzinfo is None:
        raise InvalidInput("needs a time zone offset (RFC 3339)", field="action_time")
    return at


def _day(document: Mapping[str, Any], key: str) -> date:
    return _parsed(_text(document, key), date.fromisoformat, key, "a date (YYYY-MM-DD)")


def _mass_kg(line: Mapping[str, Any], path: str) -> Decimal:
    amount = parse_decimal(_text(line, "quantity", path), field=f"{path}quantity")
    kilograms = to_kilograms(amount, _text(line, "unit", path), field=f"{path}unit")
    return positive_mass(kilograms, field=f"{path}quantity")


def _batch(line: Mapping[str, Any], path: str) -> uuid.UUID:
    text = _text(line, "batch", path)
    if not text.startswith(BATCH_URN_PREFIX):
        raise InvalidInput(f"must start with {BATCH_URN_PREFIX}", field=f"{path}batch")
    return _parsed(text.removeprefix(BATCH_URN_PREFIX), uuid.UUID, f"{path}batch", "a batch URN")


def _objects(document: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = document.get(key)
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise InvalidInput("must be a list of objects", field=key)
    return value


def _only(document: Mapping[str, Any], allowed: set[str], path: str = "") -> None:
    if stray := sorted(set(document) - allowed):
        raise InvalidInput(f"unknown field(s) {', '.join(stray)}", field=f"{path}{stray[0]}")


def _with_path(path: str, build: Callable[[], T]) -> T:
    """Run `build`, prefixing the field of any error it raises with `path`."""
    try:
        return build()
    except ZeroWasteError as exc:
        inner = exc.field or ""
        raise type(exc)(exc.detail, field=f"{path}{inner}".rstrip(".")) from exc


def _terms(document: Mapping[str, Any], generator_id: uuid.UUID) -> ManifestTerms:
    transporters = document.get("transporters")
    if not isinstance(transporters, list) or not all(isinstance(t, str) for t in transporters):
        raise InvalidInput("must be a list of organization ids", field="transporters")
    lines = []
    for index, line in enumerate(_objects(document, "lines")):
        path = f"lines[{index}]."
        _only(line, {"batch", "waste_code", "quantity", "unit"}, path)
        lines.append(
            ManifestLine(_batch(line, path), _text(line, "waste_code", path), _mass_kg(line, path))
        )
    activity = _text(document, "activity", required=False) or PermitActivity.UTILIZE.value
    return ManifestTerms(
        generator_id=generator_id,
        generator_site_id=_uuid(document, "generator_site_id"),
        receiver_id=_uuid(document, "receiver_id"),
        receiver_site_id=_uuid(document, "receiver_site_id"),
        transporter_ids=tuple(
            _parsed(t, uuid.UUID, f"transporters[{i}]", "a UUID")
            for i, t in enumerate(transporters)
        ),
        lines=tuple(lines),
        activity=_parsed(activity, PermitActivity, "activity", "a permit activity"),
        approval_id=_optional_uuid(document, "approval_id"),
        note=_text(document, "note", required=False) or "",
    )


def _receipt(document: Mapping[str, Any]) -> tuple[ReceiptLine, ...]:
    lines = []
    for index, line in enumerate(_objects(document, "lines")):
        path = f"lines[{index}]."
        _only(line, {"batch", "weighed", "rejected"}, path)
        weighed = line.get("weighed")
        if not isinstance(weighed, dict):
            raise InvalidInput("must be {quantity, unit}", field=f"{path}weighed")
        rejected = line.get("rejected")
        if rejected is not None and not isinstance(rejected, dict):
            raise InvalidInput("must be {quantity, unit}", field=f"{path}rejected")
        batch = _batch(line, path)
        weighed_kg = _mass_kg(weighed, f"{path}weighed.")
        rejected_kg = Decimal(0) if rejected is None else _mass_kg(rejected, f"{path}rejected.")
        lines.append(_with_path(path, partial(ReceiptLine, batch, weighed_kg, rejected_kg)))
    return tuple(lines)


def _rejection(document: Mapping[str, Any]) -> RejectionSpec | None:
    value = document.get("rejection")
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidInput("must be an object", field="rejection")
    path = "rejection."
    _only(value, {"disposition", "receiver_id", "site_id", "reason"}, path)
    disposition = _parsed(
        _text(value, "disposition", path), Disposition, f"{path}disposition", "return or redirect"
    )
    reason = _text(value, "reason", path)
    if not reason.strip():
        raise InvalidInput("say why the waste is refused", field=f"{path}reason")
    if disposition is Disposition.RETURN:
        _only(value, {"disposition", "reason"}, path)
        return RejectionSpec(disposition, reason)
    return RejectionSpec(
        disposition, reason, _uuid(value, "receiver_id", path), _uuid(value, "site_id", path)
    )


def parse_manifest_document(document: Any) -> ManifestCommand:
    """Parse and check a `zerowaste.manifest/1` document; errors name the JSON path at fault."""
    if not isinstance(document, Mapping):
        raise InvalidInput("a manifest document is a JSON object", field="$")
    if document.get("format") != MANIFEST_FORMAT:
        raise InvalidInput(f"must be {MANIFEST_FORMAT!r}", field="format")
    action = _parsed(_text(document, "action"), ManifestAction, "action", "a manifest action")
    _only(document, _COMMON | {"manifest_id", "organization_id"} | _MANIFEST_FIELDS[action])
    organization_id = _uuid(document, "organization_id")
    leg = document.get("leg")
    if action in (ManifestAction.PICKUP, ManifestAction.DELIVER) and (
        not isinstance(leg, int) or isinstance(leg, bool) or leg < 0
    ):
        raise InvalidInput("must be the carrier's leg number (0, 1, …)", field="leg")
    terms = None
    if action in (ManifestAction.ISSUE, ManifestAction.CORRECT):
        terms = _terms(document, organization_id)
    receiving = action in (ManifestAction.RECEIVE, ManifestAction.REJECT)
    reason = _text(document, "reason", required=action is ManifestAction.CORRECT) or ""
    if action is ManifestAction.CORRECT and not reason.strip():
        raise InvalidInput("say what the correction fixes", field="reason")
    return ManifestCommand(
        action_id=_uuid(document, "action_id"),
        action=action,
        action_time=_time(document),
        organization_id=organization_id,
        manifest_id=_uuid(document, "manifest_id"),
        terms=terms,
        leg=leg if isinstance(leg, int) else None,
        site_id=_uuid(document, "site_id") if receiving else None,
        receipt=_receipt(document) if receiving else (),
        rejection=_rejection(document) if receiving else None,
        reason=reason,
        note=_text(document, "note", required=False) or "",
    )


def parse_approval_document(document: Any) -> ApprovalCommand:
    """Parse and check a `zerowaste.approval/1` document; errors name the JSON path at fault."""
    if not isinstance(document, Mapping):
        raise InvalidInput("an approval document is a JSON object", field="$")
    if document.get("format") != APPROVAL_FORMAT:
        raise InvalidInput(f"must be {APPROVAL_FORMAT!r}", field="format")
    action = _parsed(_text(document, "action"), ApprovalAction, "action", "an approval action")
    common = {
        "action_id": _uuid(document, "action_id"),
        "action": action,
        "action_time": _time(document),
        "approval_id": _uuid(document, "approval_id"),
        "note": _text(document, "note", required=False) or "",
    }
    if action is ApprovalAction.REQUEST:
        _only(document, _COMMON | {"approval_id"} | _REQUEST_FIELDS)
        generator_id = _uuid(document, "organization_id")
        terms = ApprovalTerms(
            generator_id=generator_id,
            generator_site_id=_uuid(document, "generator_site_id"),
            receiver_id=_uuid(document, "receiver_id"),
            receiver_site_id=_uuid(document, "receiver_site_id"),
            waste_code=_text(document, "waste_code"),
            cap_kg=_mass_kg(document, ""),
            valid_from=_day(document, "valid_from"),
            valid_to=_day(document, "valid_to"),
            note=str(common["note"]),
        )
        return ApprovalCommand(organization_id=generator_id, terms=terms, **common)  # type: ignore[arg-type]
    _only(document, _COMMON | {"approval_id", "regulator_user_id", "jurisdiction_code"})
    jurisdiction = _text(document, "jurisdiction_code", required=False)
    return ApprovalCommand(
        regulator_user_id=_uuid(document, "regulator_user_id"),
        jurisdiction_code=jurisdiction,
        **common,  # type: ignore[arg-type]
    )


def _quantity(mass_kg: Decimal) -> dict[str, str]:
    return {"quantity": format(mass_kg, "f"), "unit": "KGM"}


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
            | _quantity(line.mass_kg)
            for line in terms.lines
        ],
    }
    if terms.approval_id is not None:
        fields["approval_id"] = str(terms.approval_id)
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
            {"batch": urn("batch", line.batch_id), "weighed": _quantity(line.weighed_kg)}
            | ({"rejected": _quantity(line.rejected_kg)} if line.rejected_kg else {})
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
        **_quantity(terms.cap_kg),
        "valid_from": terms.valid_from.isoformat(),
        "valid_to": terms.valid_to.isoformat(),
    }
    if terms.note:
        fields["note"] = terms.note
    return fields
