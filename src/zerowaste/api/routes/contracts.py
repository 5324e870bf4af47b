"""Market proposals and contracts: propose, accept, sign, terminate, performance."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from zerowaste.api.pagination import page_out, page_request
from zerowaste.api.routes.manifests import SignedStepIn, StepOut, step_out
from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.domain.contract_template import Clause
from zerowaste.domain.contracts import ContractState
from zerowaste.domain.proposals import ProposalAction, ProposalState
from zerowaste.domain.quantities import parse_decimal
from zerowaste.errors import InvalidInput
from zerowaste.services.contract_records import (
    contract_record,
    contract_view_record,
    performance_record,
    proposal_record,
    proposal_view_record,
)
from zerowaste.services.signed_steps import StepResult

router = APIRouter(tags=["market contracts"])
signed_in = Depends(allow(Rule.AUTHENTICATED))
_DECIMAL = r"^-?[0-9]+(\.[0-9]+)?$"


class ProposalIn(BaseModel):
    """A proposal between two listings; parties, sites and code come from the listings."""

    supply_listing_id: uuid.UUID
    demand_listing_id: uuid.UUID
    quantity_t_per_month: str = Field(pattern=_DECIMAL, max_length=30)
    start_on: date
    end_on: date
    price_cny_per_t: str | None = Field(default=None, pattern=_DECIMAL, max_length=30)
    organization_id: uuid.UUID | None = Field(
        default=None, description="The proposing side (default: the caller's organization)"
    )
    proposal_id: uuid.UUID | None = None
    tolerance: str = Field(default="0.1", pattern=_DECIMAL, max_length=30)
    shortfall_penalty_cny_per_t: str = Field(default="0", pattern=_DECIMAL, max_length=30)
    off_spec_penalty_cny_per_t: str = Field(default="0", pattern=_DECIMAL, max_length=30)
    revenue_share: str = Field(default="0", pattern=_DECIMAL, max_length=30)
    beneficiary_id: uuid.UUID | None = None
    allocation_id: uuid.UUID | None = None
    line_no: int | None = Field(default=None, ge=0)
    note: str = Field(default="", max_length=2000)


class ClauseIn(BaseModel):
    """A standard clause to add to the drafted contract."""

    key: str = Field(min_length=1, max_length=64)
    text_zh: str = Field(min_length=1, max_length=4000)
    text_en: str = Field(min_length=1, max_length=4000)


class RespondIn(BaseModel):
    """Accept, decline or withdraw; `organization_id` defaults to the side that may."""

    organization_id: uuid.UUID | None = None
    note: str = Field(default="", max_length=2000)
    clauses: list[ClauseIn] = Field(default_factory=list, max_length=50)


class SignIn(BaseModel):
    """A custodial signature (`organization_id` defaults to the caller's organization)."""

    organization_id: uuid.UUID | None = None


class TerminateIn(BaseModel):
    """A custodial termination with its reason."""

    reason: str = Field(min_length=1, max_length=2000)
    organization_id: uuid.UUID | None = None


def _d(value: str, field: str) -> Decimal:
    return parse_decimal(value, field=field)


def _with_step(record: dict[str, Any], result: StepResult) -> dict[str, Any]:
    return {**record, "step": step_out(result).model_dump(mode="json")}


@router.post("/market/proposals", status_code=201)
def create_proposal(
    request: Request, body: ProposalIn, actor: Annotated[Principal, signed_in]
) -> dict[str, Any]:
    """Propose a contract between a supply and a demand listing (signed custodially)."""
    service = context_of(request).proposals
    terms = service.terms_from_listings(
        body.supply_listing_id,
        body.demand_listing_id,
        _d(body.quantity_t_per_month, "quantity_t_per_month"),
        body.start_on,
        body.end_on,
        price_cny_per_t=(
            None if body.price_cny_per_t is None else _d(body.price_cny_per_t, "price_cny_per_t")
        ),
        tolerance=_d(body.tolerance, "tolerance"),
        shortfall_penalty_cny_per_t=_d(
            body.shortfall_penalty_cny_per_t, "shortfall_penalty_cny_per_t"
        ),
        off_spec_penalty_cny_per_t=_d(
            body.off_spec_penalty_cny_per_t, "off_spec_penalty_cny_per_t"
        ),
        revenue_share=_d(body.revenue_share, "revenue_share"),
        beneficiary_id=body.beneficiary_id,
        allocation_id=body.allocation_id,
        line_no=body.line_no,
        note=body.note,
    )
    proposal_id = body.proposal_id or uuid.uuid4()
    result = service.propose(actor, proposal_id, terms, organization_id=body.organization_id)
    return _with_step(proposal_record(service.proposal(actor, proposal_id).proposal), result)


@router.post("/market/proposals/steps", status_code=201, response_model=StepOut)
def submit_proposal_step(
    request: Request, body: SignedStepIn, actor: Annotated[Principal, signed_in]
) -> StepOut:
    """Log a client-signed `zerowaste.proposal/1` step."""
    result = context_of(request).proposals.submit(actor, body.document, body.signature.model_dump())
    return step_out(result)


@router.get("/market/proposals")
def list_proposals(
    request: Request,
    actor: Annotated[Principal, signed_in],
    organization_id: uuid.UUID | None = None,
    state: ProposalState | None = None,
    direction: Annotated[str | None, Query(pattern="^(incoming|outgoing)$")] = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """Proposals: a firm's (incoming, outgoing or both), a regulator's region's, or all."""
    page = context_of(request).proposals.find(
        actor, page_request(cursor, limit), organization_id=organization_id, state=state,
        direction=direction,
    )  # fmt: skip
    return page_out(page, proposal_record)


@router.get("/market/proposals/{proposal_id}")
def get_proposal(
    request: Request, proposal_id: uuid.UUID, actor: Annotated[Principal, signed_in]
) -> dict[str, Any]:
    """A proposal with its signed steps."""
    return proposal_view_record(context_of(request).proposals.proposal(actor, proposal_id))


def _respond(
    request: Request,
    actor: Principal,
    proposal_id: uuid.UUID,
    action: ProposalAction,
    body: RespondIn,
) -> dict[str, Any]:
    service = context_of(request).proposals
    clauses = tuple(Clause(c.key, c.text_zh, c.text_en) for c in body.clauses)
    result = service.respond(
        actor, proposal_id, action, organization_id=body.organization_id, note=body.note,
        clauses=clauses,
    )  # fmt: skip
    return _with_step(proposal_record(service.proposal(actor, proposal_id).proposal), result)


@router.post("/market/proposals/{proposal_id}/accept", status_code=201)
def accept_proposal(
    request: Request,
    proposal_id: uuid.UUID,
    body: RespondIn,
    actor: Annotated[Principal, signed_in],
) -> dict[str, Any]:
    """The counterparty accepts: the contract is drafted (see `contract_id`)."""
    return _respond(request, actor, proposal_id, ProposalAction.ACCEPT, body)


@router.post("/market/proposals/{proposal_id}/decline", status_code=201)
def decline_proposal(
    request: Request,
    proposal_id: uuid.UUID,
    body: RespondIn,
    actor: Annotated[Principal, signed_in],
) -> dict[str, Any]:
    """The counterparty declines."""
    return _respond(request, actor, proposal_id, ProposalAction.DECLINE, body)


@router.post("/market/proposals/{proposal_id}/withdraw", status_code=201)
def withdraw_proposal(
    request: Request,
    proposal_id: uuid.UUID,
    body: RespondIn,
    actor: Annotated[Principal, signed_in],
) -> dict[str, Any]:
    """The proposer withdraws its open proposal."""
    return _respond(request, actor, proposal_id, ProposalAction.WITHDRAW, body)


@router.get("/market/contracts")
def list_contracts(
    request: Request,
    actor: Annotated[Principal, signed_in],
    organization_id: uuid.UUID | None = None,
    state: ContractState | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """Contracts by number: a firm's (as party or beneficiary), a region's, or all."""
    page = context_of(request).contracts.find(
        actor, page_request(cursor, limit), organization_id=organization_id, state=state
    )
    return page_out(page, contract_record)


@router.get("/market/contracts/{contract_id}")
def get_contract(
    request: Request, contract_id: uuid.UUID, actor: Annotated[Principal, signed_in]
) -> dict[str, Any]:
    """A contract: terms, clauses in both languages, signatures and logged steps."""
    return contract_view_record(context_of(request).contracts.contract(actor, contract_id))


def _contract_step(
    request: Request, actor: Principal, contract_id: uuid.UUID, result: StepResult
) -> dict[str, Any]:
    view = context_of(request).contracts.contract(actor, contract_id)
    return _with_step(contract_record(view.contract), result)


@router.post("/market/contracts/{contract_id}/sign", status_code=201)
def sign_contract(
    request: Request,
    contract_id: uuid.UUID,
    body: SignIn,
    actor: Annotated[Principal, signed_in],
) -> dict[str, Any]:
    """A party signs the contract's terms with its custodial key."""
    result = context_of(request).contracts.sign(
        actor, contract_id, organization_id=body.organization_id
    )
    return _contract_step(request, actor, contract_id, result)


@router.post("/market/contracts/{contract_id}/signatures", status_code=201)
def submit_contract_step(
    request: Request,
    contract_id: uuid.UUID,
    body: SignedStepIn,
    actor: Annotated[Principal, signed_in],
) -> dict[str, Any]:
    """Log a client-signed `zerowaste.contract/1` step (sign or terminate) of this contract."""
    if body.document.get("contract_id") != str(contract_id):
        raise InvalidInput("must be the contract of the path", field="document.contract_id")
    service = context_of(request).contracts
    result = service.submit(actor, body.document, body.signature.model_dump())
    return _contract_step(request, actor, contract_id, result)


@router.post("/market/contracts/{contract_id}/terminate", status_code=201)
def terminate_contract(
    request: Request,
    contract_id: uuid.UUID,
    body: TerminateIn,
    actor: Annotated[Principal, signed_in],
) -> dict[str, Any]:
    """A party ends the contract early, saying why (custodial signature)."""
    result = context_of(request).contracts.terminate(
        actor, contract_id, body.reason, organization_id=body.organization_id
    )
    return _contract_step(request, actor, contract_id, result)


@router.get("/market/contracts/{contract_id}/performance")
def contract_performance(
    request: Request,
    contract_id: uuid.UUID,
    actor: Annotated[Principal, signed_in],
    as_of: date | None = None,
) -> dict[str, Any]:
    """Delivered versus committed per month, spec compliance, penalties and revenue share due."""
    performance = context_of(request).contracts.performance(actor, contract_id, as_of)
    return {"contract_id": str(contract_id), **performance_record(performance)}
