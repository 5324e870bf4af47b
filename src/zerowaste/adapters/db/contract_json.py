"""Proposals and contracts as stored: JSON bodies of the projections, and rows read back."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row

from zerowaste.domain.contract_documents import decimal_text, terms_from_record
from zerowaste.domain.contracts import (
    Contract,
    ContractAction,
    ContractRole,
    ContractSignature,
    ContractState,
)
from zerowaste.domain.proposals import (
    Proposal,
    ProposalAction,
    ProposalState,
    ProposalStep,
    ProposalTerms,
)


def _s(value: object) -> str | None:
    return None if value is None else str(value)


def _id(value: Any) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(value)


def proposal_json(p: Proposal) -> dict[str, Any]:
    """The stored JSON body of a proposal (its terms and steps)."""
    t = p.terms
    return {
        "terms": {
            "supply_listing_id": str(t.supply_listing_id),
            "demand_listing_id": str(t.demand_listing_id),
            "supplier_id": str(t.supplier_id),
            "supplier_site_id": str(t.supplier_site_id),
            "buyer_id": str(t.buyer_id),
            "buyer_site_id": str(t.buyer_site_id),
            "waste_code": t.waste_code,
            "quantity_t": decimal_text(t.quantity_t),
            "price_cny_per_t": decimal_text(t.price_cny_per_t),
            "start_on": t.start_on.isoformat(),
            "end_on": t.end_on.isoformat(),
            "tolerance": decimal_text(t.tolerance),
            "shortfall_penalty_cny_per_t": decimal_text(t.shortfall_penalty_cny_per_t),
            "off_spec_penalty_cny_per_t": decimal_text(t.off_spec_penalty_cny_per_t),
            "revenue_share": decimal_text(t.revenue_share),
            "beneficiary_id": _s(t.beneficiary_id),
            "allocation_id": _s(t.allocation_id),
            "line_no": t.line_no,
            "note": t.note,
        },
        "steps": [
            {
                "action_id": str(s.action_id),
                "action": s.action.value,
                "organization_id": str(s.organization_id),
                "signed_at": s.signed_at.isoformat(),
                "key_id": s.key_id,
                "user_id": _s(s.user_id),
                "note": s.note,
                "leaf_index": s.leaf_index,
            }
            for s in p.steps
        ],
    }


def proposal_from_row(row: Row[Any]) -> Proposal:
    """A proposal read back from its row."""
    body = row.body
    t = body["terms"]
    terms = ProposalTerms(
        supply_listing_id=uuid.UUID(t["supply_listing_id"]),
        demand_listing_id=uuid.UUID(t["demand_listing_id"]),
        supplier_id=uuid.UUID(t["supplier_id"]),
        supplier_site_id=uuid.UUID(t["supplier_site_id"]),
        buyer_id=uuid.UUID(t["buyer_id"]),
        buyer_site_id=uuid.UUID(t["buyer_site_id"]),
        waste_code=t["waste_code"],
        quantity_t=Decimal(t["quantity_t"]),
        price_cny_per_t=Decimal(t["price_cny_per_t"]),
        start_on=datetime.fromisoformat(t["start_on"]).date(),
        end_on=datetime.fromisoformat(t["end_on"]).date(),
        tolerance=Decimal(t["tolerance"]),
        shortfall_penalty_cny_per_t=Decimal(t["shortfall_penalty_cny_per_t"]),
        off_spec_penalty_cny_per_t=Decimal(t["off_spec_penalty_cny_per_t"]),
        revenue_share=Decimal(t["revenue_share"]),
        beneficiary_id=_id(t["beneficiary_id"]),
        allocation_id=_id(t["allocation_id"]),
        line_no=t["line_no"],
        note=t["note"],
    )
    steps = tuple(
        ProposalStep(
            action_id=uuid.UUID(s["action_id"]),
            action=ProposalAction(s["action"]),
            organization_id=uuid.UUID(s["organization_id"]),
            signed_at=datetime.fromisoformat(s["signed_at"]),
            key_id=s["key_id"],
            user_id=_id(s["user_id"]),
            note=s["note"],
            leaf_index=s["leaf_index"],
        )
        for s in body["steps"]
    )
    return Proposal(
        proposal_id=row.proposal_id,
        state=ProposalState(row.state),
        terms=terms,
        proposer_id=row.proposer_id,
        supplier_region_code=row.supplier_region_code,
        buyer_region_code=row.buyer_region_code,
        steps=steps,
        contract_id=row.contract_id,
    )


def signatures_json(c: Contract) -> list[dict[str, Any]]:
    """A contract's signatures as stored JSON."""
    return [
        {
            "action_id": str(s.action_id),
            "action": s.action.value,
            "role": s.role.value,
            "organization_id": str(s.organization_id),
            "signed_at": s.signed_at.isoformat(),
            "key_id": s.key_id,
            "user_id": _s(s.user_id),
            "reason": s.reason,
            "leaf_index": s.leaf_index,
        }
        for s in c.signatures
    ]


def contract_from_row(row: Row[Any]) -> Contract:
    """A contract read back from its row."""
    signatures = tuple(
        ContractSignature(
            action_id=uuid.UUID(s["action_id"]),
            action=ContractAction(s["action"]),
            role=ContractRole(s["role"]),
            organization_id=uuid.UUID(s["organization_id"]),
            signed_at=datetime.fromisoformat(s["signed_at"]),
            key_id=s["key_id"],
            user_id=_id(s["user_id"]),
            reason=s["reason"],
            leaf_index=s["leaf_index"],
        )
        for s in row.signatures
    )
    return Contract(
        contract_id=row.contract_id,
        number=row.number,
        state=ContractState(row.state),
        terms=terms_from_record(row.terms),
        terms_digest=row.terms_digest,
        supplier_region_code=row.supplier_region_code,
        buyer_region_code=row.buyer_region_code,
        drafted_at=row.drafted_at,
        signatures=signatures,
    )
