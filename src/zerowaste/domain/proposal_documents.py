"""The signed proposal step document (`zerowaste.proposal/1`) and its strict parser.

A `propose` carries the offered terms; `accept` names the contract its acceptance drafts;
`decline` and `withdraw` name only the proposal and the signer::

    {"format": "zerowaste.proposal/1", "action": "accept", "action_id": "…",
     "action_time": "2026-06-01T09:00:00+08:00", "proposal_id": "…",
     "organization_id": "<the counterparty>", "contract_id": "…"}
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from zerowaste.domain.contract_documents import decimal_text
from zerowaste.domain.document_fields import (
    COMMON,
    action_time,
    day,
    only,
    optional_uuid,
    parsed,
    str_member,
    uuid_member,
)
from zerowaste.domain.proposals import ProposalAction, ProposalTerms
from zerowaste.domain.quantities import parse_decimal
from zerowaste.errors import InvalidInput

PROPOSAL_FORMAT = "zerowaste.proposal/1"
_IDS = ("supply_listing_id", "demand_listing_id", "supplier_id", "supplier_site_id")
_IDS2 = ("buyer_id", "buyer_site_id")
_DECIMALS = ("quantity_t_per_month", "price_cny_per_t")
_OPTIONAL_DECIMALS = (
    "tolerance",
    "shortfall_penalty_cny_per_t",
    "off_spec_penalty_cny_per_t",
    "revenue_share",
)
_PROPOSE = {
    *_IDS,
    *_IDS2,
    *_DECIMALS,
    *_OPTIONAL_DECIMALS,
    "waste_code",
    "start_on",
    "end_on",
    "beneficiary_id",
    "allocation_id",
    "line_no",
}
_FIELDS = {
    ProposalAction.PROPOSE: _PROPOSE,
    ProposalAction.ACCEPT: {"contract_id"},
    ProposalAction.DECLINE: set(),
    ProposalAction.WITHDRAW: set(),
}


@dataclass(frozen=True, slots=True)
class ProposalCommand:
    """A parsed proposal step; `terms` for a proposal, `contract_id` for an acceptance."""

    action_id: uuid.UUID
    action: ProposalAction
    action_time: datetime
    proposal_id: uuid.UUID
    organization_id: uuid.UUID
    terms: ProposalTerms | None = None
    contract_id: uuid.UUID | None = None
    note: str = ""


def _decimal(document: Mapping[str, Any], key: str) -> Decimal:
    return parse_decimal(str_member(document, key), field=key)


def _terms(document: Mapping[str, Any], note: str) -> ProposalTerms:
    line_no = document.get("line_no")
    if line_no is not None and (not isinstance(line_no, int) or isinstance(line_no, bool)):
        raise InvalidInput("must be an integer", field="line_no")
    optional = {
        key: _decimal(document, key) for key in _OPTIONAL_DECIMALS if document.get(key) is not None
    }
    return ProposalTerms(
        supply_listing_id=uuid_member(document, "supply_listing_id"),
        demand_listing_id=uuid_member(document, "demand_listing_id"),
        supplier_id=uuid_member(document, "supplier_id"),
        supplier_site_id=uuid_member(document, "supplier_site_id"),
        buyer_id=uuid_member(document, "buyer_id"),
        buyer_site_id=uuid_member(document, "buyer_site_id"),
        waste_code=str_member(document, "waste_code"),
        quantity_t=_decimal(document, "quantity_t_per_month"),
        price_cny_per_t=_decimal(document, "price_cny_per_t"),
        start_on=day(document, "start_on"),
        end_on=day(document, "end_on"),
        beneficiary_id=optional_uuid(document, "beneficiary_id"),
        allocation_id=optional_uuid(document, "allocation_id"),
        line_no=line_no,
        note=note,
        **optional,
    )


def parse_proposal_document(document: Any) -> ProposalCommand:
    """Parse and check a `zerowaste.proposal/1` document; errors name the JSON path at fault."""
    if not isinstance(document, Mapping):
        raise InvalidInput("a proposal document is a JSON object", field="$")
    if document.get("format") != PROPOSAL_FORMAT:
        raise InvalidInput(f"must be {PROPOSAL_FORMAT!r}", field="format")
    action = parsed(str_member(document, "action"), ProposalAction, "action", "a proposal action")
    only(document, COMMON | {"proposal_id", "organization_id"} | _FIELDS[action])
    note = str_member(document, "note", required=False) or ""
    if len(note) > 2000:
        raise InvalidInput("at most 2000 characters", field="note")
    return ProposalCommand(
        action_id=uuid_member(document, "action_id"),
        action=action,
        action_time=action_time(document),
        proposal_id=uuid_member(document, "proposal_id"),
        organization_id=uuid_member(document, "organization_id"),
        terms=_terms(document, note) if action is ProposalAction.PROPOSE else None,
        contract_id=(
            uuid_member(document, "contract_id") if action is ProposalAction.ACCEPT else None
        ),
        note=note,
    )


def terms_fields(terms: ProposalTerms) -> dict[str, Any]:
    """The members of a `propose` document that carry the terms."""
    fields: dict[str, Any] = {
        "supply_listing_id": str(terms.supply_listing_id),
        "demand_listing_id": str(terms.demand_listing_id),
        "supplier_id": str(terms.supplier_id),
        "supplier_site_id": str(terms.supplier_site_id),
        "buyer_id": str(terms.buyer_id),
        "buyer_site_id": str(terms.buyer_site_id),
        "waste_code": terms.waste_code,
        "quantity_t_per_month": decimal_text(terms.quantity_t),
        "price_cny_per_t": decimal_text(terms.price_cny_per_t),
        "start_on": terms.start_on.isoformat(),
        "end_on": terms.end_on.isoformat(),
        "tolerance": decimal_text(terms.tolerance),
        "shortfall_penalty_cny_per_t": decimal_text(terms.shortfall_penalty_cny_per_t),
        "off_spec_penalty_cny_per_t": decimal_text(terms.off_spec_penalty_cny_per_t),
        "revenue_share": decimal_text(terms.revenue_share),
    }
    for key, value in (
        ("beneficiary_id", terms.beneficiary_id),
        ("allocation_id", terms.allocation_id),
    ):
        if value is not None:
            fields[key] = str(value)
    if terms.line_no is not None:
        fields["line_no"] = terms.line_no
    if terms.note:
        fields["note"] = terms.note
    return fields


def proposal_document(
    action: ProposalAction,
    proposal_id: uuid.UUID,
    organization_id: uuid.UUID,
    at: datetime,
    *,
    action_id: uuid.UUID | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A `zerowaste.proposal/1` document, ready to sign (see `terms_fields`)."""
    return {
        "format": PROPOSAL_FORMAT,
        "action": action.value,
        "action_id": str(action_id or uuid.uuid4()),
        "action_time": at.isoformat(),
        "proposal_id": str(proposal_id),
        "organization_id": str(organization_id),
        **fields,
    }
