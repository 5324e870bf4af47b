"""Drafting a contract from an accepted proposal: the template's parameters and the terms."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from zerowaste.domain.contract_documents import decimal_text
from zerowaste.domain.contract_template import TEMPLATE_VERSION, Clause, render
from zerowaste.domain.contracts import ContractTerms
from zerowaste.domain.listings import ComponentRange
from zerowaste.domain.proposals import ProposalTerms

_T = Decimal("0.001")


def _pct(fraction: Decimal) -> str:
    return decimal_text(fraction * 100)


def specs_text(specs: tuple[ComponentRange, ...]) -> tuple[str, str]:
    """The composition limits in words: (Chinese, English); empty when there are none."""
    zh, en = [], []
    for s in specs:
        if s.low is not None and s.high is not None:
            zh.append(f"{s.component} 在 {_pct(s.low)}%～{_pct(s.high)}% 之间")
            en.append(f"{s.component} between {_pct(s.low)}% and {_pct(s.high)}%")
        elif s.low is not None:
            zh.append(f"{s.component} 不低于 {_pct(s.low)}%")
            en.append(f"{s.component} at least {_pct(s.low)}%")
        elif s.high is not None:
            zh.append(f"{s.component} 不高于 {_pct(s.high)}%")
            en.append(f"{s.component} at most {_pct(s.high)}%")
    return "；".join(zh), "; ".join(en)


def draft_terms(
    proposal_id: uuid.UUID,
    terms: ProposalTerms,
    specs: tuple[ComponentRange, ...],
    names: Mapping[str, str],
    clauses: tuple[Clause, ...] = (),
    *,
    take_back: bool = True,
) -> ContractTerms:
    """The contract terms an accepted proposal yields, its clauses rendered from the template.

    Args:
        proposal_id: The accepted proposal.
        terms: Its commercial terms.
        specs: The composition limits (the demand listing's).
        names: Display names: `supplier`, `supplier_site`, `buyer`, `buyer_site`, `beneficiary`.
        clauses: Standard clauses to append (e.g. the chain master's waste clauses).
        take_back: Whether the supplier takes back off-spec loads at its cost.
    """
    base = ContractTerms(
        proposal_id=proposal_id,
        supplier_id=terms.supplier_id,
        supplier_site_id=terms.supplier_site_id,
        buyer_id=terms.buyer_id,
        buyer_site_id=terms.buyer_site_id,
        waste_code=terms.waste_code,
        quantity_t=terms.quantity_t,
        price_cny_per_t=terms.price_cny_per_t,
        start_on=terms.start_on,
        end_on=terms.end_on,
        specs=specs,
        tolerance=terms.tolerance,
        shortfall_penalty_cny_per_t=terms.shortfall_penalty_cny_per_t,
        off_spec_penalty_cny_per_t=terms.off_spec_penalty_cny_per_t,
        take_back=take_back,
        revenue_share=terms.revenue_share,
        beneficiary_id=terms.beneficiary_id,
        template=TEMPLATE_VERSION,
    )
    specs_zh, specs_en = specs_text(specs)
    parameters = {
        "supplier": names.get("supplier", str(terms.supplier_id)),
        "supplier_site": names.get("supplier_site", str(terms.supplier_site_id)),
        "buyer": names.get("buyer", str(terms.buyer_id)),
        "buyer_site": names.get("buyer_site", str(terms.buyer_site_id)),
        "beneficiary": names.get("beneficiary", str(terms.beneficiary_id or "")),
        "waste_code": terms.waste_code,
        "quantity_t": decimal_text(terms.quantity_t),
        "total_t": decimal_text(base.committed_total_t.quantize(_T)),
        "specs_zh": specs_zh,
        "specs_en": specs_en,
        "price": decimal_text(terms.price_cny_per_t),
        "start_on": terms.start_on.isoformat(),
        "end_on": terms.end_on.isoformat(),
        "take_back": "yes" if take_back else "no",
        "floor_pct": _pct(1 - terms.tolerance),
        "shortfall_penalty": decimal_text(terms.shortfall_penalty_cny_per_t),
        "off_spec_penalty": decimal_text(terms.off_spec_penalty_cny_per_t),
        "share_pct": _pct(terms.revenue_share) if terms.revenue_share else "",
    }
    return replace(base, clauses=render(parameters, clauses))
