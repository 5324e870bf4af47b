"""The contract terms record (what is digested and signed) and the `zerowaste.contract/1` step.

Both parties sign a `sign` document naming the contract and the SHA-256 digest of the RFC 8785
canonical form of its terms record; either may sign a `terminate` document with a reason::

    {"format": "zerowaste.contract/1", "action": "sign", "action_id": "…",
     "action_time": "2026-06-01T09:00:00+08:00", "contract_id": "…",
     "organization_id": "<the signer>", "terms_digest": "<64 hex>"}
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from zerowaste.domain.contract_template import Clause
from zerowaste.domain.contracts import ContractAction, ContractTerms
from zerowaste.domain.document_fields import (
    COMMON,
    action_time,
    only,
    parsed,
    str_member,
    uuid_member,
)
from zerowaste.domain.listings import ComponentRange
from zerowaste.errors import InvalidInput

CONTRACT_FORMAT = "zerowaste.contract/1"
_DIGEST = re.compile(r"[0-9a-f]{64}")
_FIELDS = {
    ContractAction.SIGN: {"contract_id", "organization_id", "terms_digest"},
    ContractAction.TERMINATE: {"contract_id", "organization_id", "terms_digest", "reason"},
}


def decimal_text(value: Decimal) -> str:
    """A decimal in plain notation without trailing zeros (one spelling per value)."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _opt(value: Decimal | None) -> str | None:
    return None if value is None else decimal_text(value)


def terms_record(terms: ContractTerms) -> dict[str, Any]:
    """The terms as JSON: decimals as strings, dates ISO; its canonical form is digested."""
    return {
        "template": terms.template,
        "proposal_id": str(terms.proposal_id),
        "supplier_id": str(terms.supplier_id),
        "supplier_site_id": str(terms.supplier_site_id),
        "buyer_id": str(terms.buyer_id),
        "buyer_site_id": str(terms.buyer_site_id),
        "waste_code": terms.waste_code,
        "quantity_t_per_month": decimal_text(terms.quantity_t),
        "price_cny_per_t": decimal_text(terms.price_cny_per_t),
        "start_on": terms.start_on.isoformat(),
        "end_on": terms.end_on.isoformat(),
        "specs": [
            {"component": s.component, "low": _opt(s.low), "high": _opt(s.high)}
            for s in terms.specs
        ],
        "tolerance": decimal_text(terms.tolerance),
        "shortfall_penalty_cny_per_t": decimal_text(terms.shortfall_penalty_cny_per_t),
        "off_spec_penalty_cny_per_t": decimal_text(terms.off_spec_penalty_cny_per_t),
        "take_back": terms.take_back,
        "revenue_share": decimal_text(terms.revenue_share),
        "beneficiary_id": None if terms.beneficiary_id is None else str(terms.beneficiary_id),
        "clauses": [
            {"key": c.key, "text_zh": c.text_zh, "text_en": c.text_en} for c in terms.clauses
        ],
    }


def _d(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def terms_from_record(data: Mapping[str, Any]) -> ContractTerms:
    """Terms read back from their record."""
    beneficiary = data["beneficiary_id"]
    return ContractTerms(
        proposal_id=uuid.UUID(data["proposal_id"]),
        supplier_id=uuid.UUID(data["supplier_id"]),
        supplier_site_id=uuid.UUID(data["supplier_site_id"]),
        buyer_id=uuid.UUID(data["buyer_id"]),
        buyer_site_id=uuid.UUID(data["buyer_site_id"]),
        waste_code=data["waste_code"],
        quantity_t=Decimal(data["quantity_t_per_month"]),
        price_cny_per_t=Decimal(data["price_cny_per_t"]),
        start_on=date.fromisoformat(data["start_on"]),
        end_on=date.fromisoformat(data["end_on"]),
        specs=tuple(
            ComponentRange(s["component"], _d(s["low"]), _d(s["high"])) for s in data["specs"]
        ),
        tolerance=Decimal(data["tolerance"]),
        shortfall_penalty_cny_per_t=Decimal(data["shortfall_penalty_cny_per_t"]),
        off_spec_penalty_cny_per_t=Decimal(data["off_spec_penalty_cny_per_t"]),
        take_back=bool(data["take_back"]),
        revenue_share=Decimal(data["revenue_share"]),
        beneficiary_id=None if beneficiary is None else uuid.UUID(beneficiary),
        clauses=tuple(Clause(c["key"], c["text_zh"], c["text_en"]) for c in data["clauses"]),
        template=data["template"],
    )


@dataclass(frozen=True, slots=True)
class ContractCommand:
    """A parsed contract step: a signature or a termination."""

    action_id: uuid.UUID
    action: ContractAction
    action_time: datetime
    contract_id: uuid.UUID
    organization_id: uuid.UUID
    terms_digest: str
    reason: str = ""
    note: str = ""


def parse_contract_document(document: Any) -> ContractCommand:
    """Parse and check a `zerowaste.contract/1` document; errors name the JSON path at fault."""
    if not isinstance(document, Mapping):
        raise InvalidInput("a contract document is a JSON object", field="$")
    if document.get("format") != CONTRACT_FORMAT:
        raise InvalidInput(f"must be {CONTRACT_FORMAT!r}", field="format")
    action = parsed(str_member(document, "action"), ContractAction, "action", "a contract action")
    only(document, COMMON | _FIELDS[action])
    digest = str_member(document, "terms_digest")
    if not _DIGEST.fullmatch(digest):
        raise InvalidInput("must be 64 lowercase hex digits (SHA-256)", field="terms_digest")
    reason = str_member(document, "reason", required=action is ContractAction.TERMINATE) or ""
    if action is ContractAction.TERMINATE and not reason.strip():
        raise InvalidInput("say why the contract ends", field="reason")
    if len(reason) > 2000:
        raise InvalidInput("at most 2000 characters", field="reason")
    return ContractCommand(
        action_id=uuid_member(document, "action_id"),
        action=action,
        action_time=action_time(document),
        contract_id=uuid_member(document, "contract_id"),
        organization_id=uuid_member(document, "organization_id"),
        terms_digest=digest,
        reason=reason,
        note=str_member(document, "note", required=False) or "",
    )


def contract_document(
    action: ContractAction,
    contract_id: uuid.UUID,
    organization_id: uuid.UUID,
    terms_digest: str,
    at: datetime,
    *,
    action_id: uuid.UUID | None = None,
    reason: str = "",
    note: str = "",
) -> dict[str, Any]:
    """A `zerowaste.contract/1` document, ready to sign."""
    document: dict[str, Any] = {
        "format": CONTRACT_FORMAT,
        "action": action.value,
        "action_id": str(action_id or uuid.uuid4()),
        "action_time": at.isoformat(),
        "contract_id": str(contract_id),
        "organization_id": str(organization_id),
        "terms_digest": terms_digest,
    }
    if reason:
        document["reason"] = reason
    if note:
        document["note"] = note
    return document
