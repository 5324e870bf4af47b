"""JSON-ready records of proposals, contracts and performance, for the API, CLI and web pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from zerowaste.domain.contract_documents import decimal_text
from zerowaste.domain.contract_performance import Performance
from zerowaste.domain.contracts import Contract
from zerowaste.domain.proposals import Proposal
from zerowaste.services.contracts import ContractView
from zerowaste.services.manifest_records import action_record
from zerowaste.services.proposals import ProposalView

_T = Decimal("0.001")
_CNY = Decimal("0.01")


def _id(value: object) -> str | None:
    return None if value is None else str(value)


def tonnes(value: Decimal | None) -> str | None:
    """Tonnes to the kilogram, as text."""
    return None if value is None else decimal_text(value.quantize(_T))


def cny(value: Decimal) -> str:
    """Yuan to the fen, as text."""
    return format(value.quantize(_CNY), "f")


def proposal_record(p: Proposal) -> dict[str, Any]:
    """A proposal's terms, parties, state and steps."""
    t = p.terms
    return {
        "proposal_id": str(p.proposal_id),
        "state": p.state.value,
        "proposer_id": str(p.proposer_id),
        "counterparty_id": str(p.counterparty_id),
        "supply_listing_id": str(t.supply_listing_id),
        "demand_listing_id": str(t.demand_listing_id),
        "supplier_id": str(t.supplier_id),
        "supplier_site_id": str(t.supplier_site_id),
        "buyer_id": str(t.buyer_id),
        "buyer_site_id": str(t.buyer_site_id),
        "supplier_region_code": p.supplier_region_code,
        "buyer_region_code": p.buyer_region_code,
        "waste_code": t.waste_code,
        "quantity_t_per_month": decimal_text(t.quantity_t),
        "price_cny_per_t": decimal_text(t.price_cny_per_t),
        "start_on": t.start_on.isoformat(),
        "end_on": t.end_on.isoformat(),
        "tolerance": decimal_text(t.tolerance),
        "shortfall_penalty_cny_per_t": decimal_text(t.shortfall_penalty_cny_per_t),
        "off_spec_penalty_cny_per_t": decimal_text(t.off_spec_penalty_cny_per_t),
        "revenue_share": decimal_text(t.revenue_share),
        "beneficiary_id": _id(t.beneficiary_id),
        "allocation_id": _id(t.allocation_id),
        "line_no": t.line_no,
        "note": t.note,
        "contract_id": _id(p.contract_id),
        "steps": [
            {
                "action_id": str(s.action_id),
                "action": s.action.value,
                "organization_id": str(s.organization_id),
                "signed_at": s.signed_at.isoformat(),
                "key_id": s.key_id,
                "note": s.note,
                "leaf_index": s.leaf_index,
            }
            for s in p.steps
        ],
    }


def proposal_view_record(view: ProposalView) -> dict[str, Any]:
    """A proposal with its logged steps."""
    return {**proposal_record(view.proposal), "actions": [action_record(a) for a in view.actions]}


def contract_record(c: Contract) -> dict[str, Any]:
    """A contract's terms (with clauses in both languages), state and signatures."""
    t = c.terms
    return {
        "contract_id": str(c.contract_id),
        "number": c.number,
        "state": c.state.value,
        "proposal_id": str(t.proposal_id),
        "supplier_id": str(t.supplier_id),
        "supplier_site_id": str(t.supplier_site_id),
        "buyer_id": str(t.buyer_id),
        "buyer_site_id": str(t.buyer_site_id),
        "supplier_region_code": c.supplier_region_code,
        "buyer_region_code": c.buyer_region_code,
        "waste_code": t.waste_code,
        "quantity_t_per_month": decimal_text(t.quantity_t),
        "committed_total_t": tonnes(t.committed_total_t),
        "price_cny_per_t": decimal_text(t.price_cny_per_t),
        "start_on": t.start_on.isoformat(),
        "end_on": t.end_on.isoformat(),
        "specs": [
            {"component": s.component, "low": _dec(s.low), "high": _dec(s.high)} for s in t.specs
        ],
        "tolerance": decimal_text(t.tolerance),
        "shortfall_penalty_cny_per_t": decimal_text(t.shortfall_penalty_cny_per_t),
        "off_spec_penalty_cny_per_t": decimal_text(t.off_spec_penalty_cny_per_t),
        "take_back": t.take_back,
        "revenue_share": decimal_text(t.revenue_share),
        "beneficiary_id": _id(t.beneficiary_id),
        "template": t.template,
        "clauses": [{"key": x.key, "text_zh": x.text_zh, "text_en": x.text_en} for x in t.clauses],
        "terms_digest": c.terms_digest,
        "drafted_at": c.drafted_at.isoformat(),
        "signatures": [
            {
                "action_id": str(s.action_id),
                "action": s.action.value,
                "role": s.role.value,
                "organization_id": str(s.organization_id),
                "signed_at": s.signed_at.isoformat(),
                "key_id": s.key_id,
                "reason": s.reason,
                "leaf_index": s.leaf_index,
            }
            for s in c.signatures
        ],
    }


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else decimal_text(value)


def contract_view_record(view: ContractView) -> dict[str, Any]:
    """A contract with its logged steps and whether its stored terms match the signed digest."""
    return {
        **contract_record(view.contract),
        "digest_matches": view.digest_matches,
        "actions": [action_record(a) for a in view.actions],
    }


def performance_record(p: Performance) -> dict[str, Any]:
    """Performance figures with their evidence (manifest numbers, batches, leaf indexes)."""
    return {
        "as_of": p.as_of.isoformat(),
        "committed_t": tonnes(p.committed_t),
        "committed_to_date_t": tonnes(p.committed_to_date_t),
        "delivered_t": tonnes(p.delivered_t),
        "compliant_t": tonnes(p.compliant_t),
        "off_spec_t": tonnes(p.off_spec_t),
        "unknown_t": tonnes(p.unknown_t),
        "shortfall_penalty_cny": cny(p.shortfall_penalty_cny),
        "off_spec_penalty_cny": cny(p.off_spec_penalty_cny),
        "revenue_cny": cny(p.revenue_cny),
        "revenue_share_due_cny": cny(p.revenue_share_due_cny),
        "months": [
            {
                "month": m.month,
                "first_day": m.first_day.isoformat(),
                "last_day": m.last_day.isoformat(),
                "committed_t": tonnes(m.committed_t),
                "delivered_t": tonnes(m.delivered_t),
                "floor_t": tonnes(m.floor_t),
                "shortfall_t": tonnes(m.shortfall_t),
                "shortfall_penalty_cny": cny(m.shortfall_penalty_cny),
                "closed": m.closed,
                "manifest_numbers": list(m.manifest_numbers),
            }
            for m in p.months
        ],
        "deliveries": [
            {
                "month": x.month,
                "manifest_id": str(x.line.manifest_id),
                "manifest_number": x.line.manifest_number,
                "batch_id": str(x.line.batch_id),
                "received_on": x.line.received_on.isoformat(),
                "accepted_t": tonnes(x.accepted_t),
                "rejected_kg": decimal_text(x.line.rejected_kg),
                "leaf_index": x.line.leaf_index,
                "spec_status": x.status.value,
                "checks": [
                    {
                        "component": c.component,
                        "low": _dec(c.low),
                        "high": _dec(c.high),
                        "measured": _dec(c.measured),
                        "status": c.status.value,
                    }
                    for c in x.checks
                ],
            }
            for x in p.lines
        ],
    }
