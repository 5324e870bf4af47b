"""Manifests and approvals as stored: JSON bodies of the projections and rows read back."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Row

from zerowaste.domain.approvals import (
    Approval,
    ApprovalAction,
    ApprovalState,
    ApprovalStep,
    ApprovalTerms,
)
from zerowaste.domain.manifests import (
    Disposition,
    Leg,
    Manifest,
    ManifestAction,
    ManifestLine,
    ManifestSignature,
    ManifestState,
    ManifestTerms,
    PartyRole,
    Rejection,
)
from zerowaste.domain.permits import PermitActivity


def _s(value: object) -> str | None:
    return None if value is None else str(value)


@lru_cache(maxsize=1 << 16)
def _uuid(text: str) -> uuid.UUID:
    """A UUID from its text; the same ids (parties, keys, steps) recur in every manifest read."""
    return uuid.UUID(text)


def _id(value: Any) -> uuid.UUID | None:
    return None if value is None else _uuid(value)


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def _time(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def terms_json(terms: ManifestTerms) -> dict[str, Any]:
    """The terms as stored JSON (decimals as strings)."""
    return {
        "generator_id": str(terms.generator_id),
        "generator_site_id": str(terms.generator_site_id),
        "receiver_id": str(terms.receiver_id),
        "receiver_site_id": str(terms.receiver_site_id),
        "transporter_ids": [str(t) for t in terms.transporter_ids],
        "activity": terms.activity.value,
        "approval_id": _s(terms.approval_id),
        "contract_id": _s(terms.contract_id),
        "note": terms.note,
        "lines": [
            {
                "batch_id": str(x.batch_id),
                "waste_code": x.waste_code,
                "mass_kg": str(x.mass_kg),
                "shipped_kg": _s(x.shipped_kg),
                "weighed_kg": _s(x.weighed_kg),
                "rejected_kg": str(x.rejected_kg),
                "received_event_kg": _s(x.received_event_kg),
            }
            for x in terms.lines
        ],
    }


def terms_from_json(data: dict[str, Any]) -> ManifestTerms:
    """Terms read back from their stored JSON."""
    return ManifestTerms(
        generator_id=_uuid(data["generator_id"]),
        generator_site_id=_uuid(data["generator_site_id"]),
        receiver_id=_uuid(data["receiver_id"]),
        receiver_site_id=_uuid(data["receiver_site_id"]),
        transporter_ids=tuple(_uuid(t) for t in data["transporter_ids"]),
        activity=PermitActivity(data["activity"]),
        approval_id=_id(data["approval_id"]),
        contract_id=_id(data.get("contract_id")),
        note=data["note"],
        lines=tuple(
            ManifestLine(
                batch_id=_uuid(x["batch_id"]),
                waste_code=x["waste_code"],
                mass_kg=Decimal(x["mass_kg"]),
                shipped_kg=_dec(x["shipped_kg"]),
                weighed_kg=_dec(x["weighed_kg"]),
                rejected_kg=Decimal(x["rejected_kg"]),
                received_event_kg=_dec(x["received_event_kg"]),
            )
            for x in data["lines"]
        ),
    )


def manifest_json(m: Manifest) -> dict[str, Any]:
    """The stored JSON body of a manifest (what its columns do not hold)."""
    r = m.rejection
    return {
        "terms": terms_json(m.terms),
        "issued_at": _s(m.issued_at and m.issued_at.isoformat()),
        "received_at": _s(m.received_at and m.received_at.isoformat()),
        "closed_at": _s(m.closed_at and m.closed_at.isoformat()),
        "legs": [
            {
                "transporter_id": str(leg.transporter_id),
                "picked_up_at": _s(leg.picked_up_at and leg.picked_up_at.isoformat()),
                "delivered_at": _s(leg.delivered_at and leg.delivered_at.isoformat()),
            }
            for leg in m.legs
        ],
        "rejection": None
        if r is None
        else {
            "disposition": r.disposition.value,
            "organization_id": str(r.organization_id),
            "site_id": str(r.site_id),
            "reason": r.reason,
            "mass_kg": str(r.mass_kg),
        },
        "signatures": [
            {
                "action_id": str(s.action_id),
                "action": s.action.value,
                "role": s.role.value,
                "organization_id": str(s.organization_id),
                "signed_at": s.signed_at.isoformat(),
                "key_id": s.key_id,
                "version": s.version,
                "leg": s.leg,
                "user_id": _s(s.user_id),
                "leaf_index": s.leaf_index,
            }
            for s in m.signatures
        ],
    }


def manifest_from_row(row: Row[Any]) -> Manifest:
    """A manifest read back from its row."""
    body = row.body
    r = body["rejection"]
    return Manifest(
        manifest_id=row.manifest_id,
        number=row.number,
        version=row.version,
        state=ManifestState(row.state),
        terms=terms_from_json(body["terms"]),
        origin_region_code=row.origin_region_code,
        destination_region_code=row.destination_region_code,
        issued_at=_time(body["issued_at"]),
        received_at=_time(body["received_at"]),
        closed_at=_time(body["closed_at"]),
        legs=tuple(
            Leg(_uuid(g["transporter_id"]), _time(g["picked_up_at"]), _time(g["delivered_at"]))
            for g in body["legs"]
        ),
        rejection=None
        if r is None
        else Rejection(
            Disposition(r["disposition"]),
            _uuid(r["organization_id"]),
            _uuid(r["site_id"]),
            r["reason"],
            Decimal(r["mass_kg"]),
        ),
        signatures=tuple(
            ManifestSignature(
                action_id=_uuid(s["action_id"]),
                action=ManifestAction(s["action"]),
                role=PartyRole(s["role"]),
                organization_id=_uuid(s["organization_id"]),
                signed_at=datetime.fromisoformat(s["signed_at"]),
                key_id=s["key_id"],
                version=s["version"],
                leg=s["leg"],
                user_id=_id(s["user_id"]),
                leaf_index=s["leaf_index"],
            )
            for s in body["signatures"]
        ),
    )


def approval_json(a: Approval) -> dict[str, Any]:
    """The stored JSON body of an approval (what its columns do not hold)."""
    t = a.terms
    return {
        "generator_site_id": str(t.generator_site_id),
        "receiver_site_id": str(t.receiver_site_id),
        "note": t.note,
        "steps": [
            {
                "action_id": str(s.action_id),
                "action": s.action.value,
                "signed_at": s.signed_at.isoformat(),
                "key_id": s.key_id,
                "organization_id": _s(s.organization_id),
                "user_id": _s(s.user_id),
                "jurisdiction_code": s.jurisdiction_code,
                "note": s.note,
                "leaf_index": s.leaf_index,
            }
            for s in a.steps
        ],
    }


def approval_from_row(row: Row[Any]) -> Approval:
    """An approval read back from its row."""
    body = row.body
    return Approval(
        approval_id=row.approval_id,
        number=row.number,
        state=ApprovalState(row.state),
        terms=ApprovalTerms(
            generator_id=row.generator_id,
            generator_site_id=_uuid(body["generator_site_id"]),
            receiver_id=row.receiver_id,
            receiver_site_id=_uuid(body["receiver_site_id"]),
            waste_code=row.waste_code,
            cap_kg=row.cap_kg,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            note=body["note"],
        ),
        origin_region_code=row.origin_region_code,
        destination_region_code=row.destination_region_code,
        used_kg=row.used_kg,
        steps=tuple(
            ApprovalStep(
                action_id=_uuid(s["action_id"]),
                action=ApprovalAction(s["action"]),
                signed_at=datetime.fromisoformat(s["signed_at"]),
                key_id=s["key_id"],
                organization_id=_id(s["organization_id"]),
                user_id=_id(s["user_id"]),
                jurisdiction_code=s["jurisdiction_code"],
                note=s["note"],
                leaf_index=s["leaf_index"],
            )
            for s in body["steps"]
        ),
    )
