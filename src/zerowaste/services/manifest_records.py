"""JSON-ready records of manifests and approvals, shared by the API, the CLI and the web pages."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from zerowaste.adapters.db.manifests_repository import ActionRow
from zerowaste.domain.approvals import Approval
from zerowaste.domain.manifests import Manifest, ManifestTerms
from zerowaste.services.approvals import ApprovalView
from zerowaste.services.manifests import ManifestView


def _kg(mass: Decimal | None) -> str | None:
    return None if mass is None else format(mass, "f")


def _at(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _id(value: object) -> str | None:
    return None if value is None else str(value)


def terms_record(terms: ManifestTerms) -> dict[str, Any]:
    """The declared terms of one version."""
    return {
        "generator_id": str(terms.generator_id),
        "generator_site_id": str(terms.generator_site_id),
        "receiver_id": str(terms.receiver_id),
        "receiver_site_id": str(terms.receiver_site_id),
        "transporter_ids": [str(t) for t in terms.transporter_ids],
        "activity": terms.activity.value,
        "approval_id": _id(terms.approval_id),
        "contract_id": _id(terms.contract_id),
        "note": terms.note,
        "mass_kg": _kg(terms.mass_kg),
        "lines": [
            {
                "batch_id": str(line.batch_id),
                "waste_code": line.waste_code,
                "mass_kg": _kg(line.mass_kg),
                "shipped_kg": _kg(line.shipped_kg),
                "weighed_kg": _kg(line.weighed_kg),
                "rejected_kg": _kg(line.rejected_kg),
                "accepted_kg": _kg(line.accepted_kg),
                "discrepancy_kg": _kg(line.discrepancy_kg),
                "received_event_kg": _kg(line.received_event_kg),
            }
            for line in terms.lines
        ],
    }


def manifest_record(manifest: Manifest) -> dict[str, Any]:
    """A manifest's current version: state, parties, lines, legs, rejection and signatures."""
    r = manifest.rejection
    return {
        "manifest_id": str(manifest.manifest_id),
        "number": manifest.number,
        "version": manifest.version,
        "state": manifest.state.value,
        "origin_region_code": manifest.origin_region_code,
        "destination_region_code": manifest.destination_region_code,
        "cross_province": manifest.cross_province,
        "delivered": manifest.delivered,
        "issued_at": _at(manifest.issued_at),
        "received_at": _at(manifest.received_at),
        "closed_at": _at(manifest.closed_at),
        **terms_record(manifest.terms),
        "legs": [
            {
                "leg": index,
                "transporter_id": str(leg.transporter_id),
                "picked_up_at": _at(leg.picked_up_at),
                "delivered_at": _at(leg.delivered_at),
            }
            for index, leg in enumerate(manifest.legs)
        ],
        "rejection": None
        if r is None
        else {
            "disposition": r.disposition.value,
            "organization_id": str(r.organization_id),
            "site_id": str(r.site_id),
            "reason": r.reason,
            "mass_kg": _kg(r.mass_kg),
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
                "user_id": _id(s.user_id),
                "leaf_index": s.leaf_index,
            }
            for s in manifest.signatures
        ],
    }


def action_record(row: ActionRow) -> dict[str, Any]:
    """A logged step: the document as signed, its signature and leaf."""
    return {
        "action_id": str(row.action_id),
        "action": row.action,
        "action_time": row.action_time.isoformat(),
        "organization_id": _id(row.organization_id),
        "leaf_index": row.leaf_index,
        "document": json.loads(row.document),
        "signature": {
            "key_id": row.signature_key_id,
            "algorithm": "Ed25519",
            "value": row.signature_value,
        },
        "user_id": _id(row.user_id),
        "recorded_at": row.recorded_at.isoformat(),
    }


def manifest_view_record(view: ManifestView) -> dict[str, Any]:
    """Everything a copy of record prints: the manifest, its versions, steps, events, parties."""
    return {
        **manifest_record(view.manifest),
        "versions": [
            {"version": v, "action_id": str(a), "terms": terms_record(t)}
            for v, a, t in view.versions
        ],
        "actions": [action_record(a) for a in view.actions],
        "events": [
            {
                "event_id": str(e.event_id),
                "event_type": e.event_type,
                "event_time": e.event_time.isoformat(),
                "organization_id": str(e.organization_id),
                "leaf_index": e.leaf_index,
            }
            for e in view.events
        ],
        "parties": [
            {
                "organization_id": str(o.id),
                "name": o.name,
                "credit_code": o.credit_code,
                "region_code": o.region_code,
            }
            for o in view.organizations.values()
        ],
        "sites": [
            {
                "site_id": str(s.id),
                "organization_id": str(s.organization_id),
                "name": s.name,
                "region_code": s.region_code,
                "address": s.address,
            }
            for s in view.sites.values()
        ],
        "approval": None if view.approval is None else approval_record(view.approval),
    }


def approval_record(approval: Approval) -> dict[str, Any]:
    """An approval's terms, state, draw-down and signed steps."""
    t = approval.terms
    return {
        "approval_id": str(approval.approval_id),
        "number": approval.number,
        "state": approval.state.value,
        "generator_id": str(t.generator_id),
        "generator_site_id": str(t.generator_site_id),
        "receiver_id": str(t.receiver_id),
        "receiver_site_id": str(t.receiver_site_id),
        "origin_region_code": approval.origin_region_code,
        "destination_region_code": approval.destination_region_code,
        "waste_code": t.waste_code,
        "cap_kg": _kg(t.cap_kg),
        "used_kg": _kg(approval.used_kg),
        "remaining_kg": _kg(approval.remaining_kg),
        "valid_from": t.valid_from.isoformat(),
        "valid_to": t.valid_to.isoformat(),
        "note": t.note,
        "steps": [
            {
                "action_id": str(s.action_id),
                "action": s.action.value,
                "signed_at": s.signed_at.isoformat(),
                "key_id": s.key_id,
                "organization_id": _id(s.organization_id),
                "user_id": _id(s.user_id),
                "jurisdiction_code": s.jurisdiction_code,
                "note": s.note,
                "leaf_index": s.leaf_index,
            }
            for s in approval.steps
        ],
    }


def approval_view_record(view: ApprovalView) -> dict[str, Any]:
    """An approval with its logged steps."""
    return {**approval_record(view.approval), "actions": [action_record(a) for a in view.actions]}
