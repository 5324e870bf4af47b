"""`zerowaste market proposal` and `zerowaste market contract`: from a match to a contract."""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from zerowaste.bootstrap import Context
from zerowaste.cli.capture import _load_key
from zerowaste.cli.common import AsUser, actor_of, emit, run
from zerowaste.domain.contracts import ContractState
from zerowaste.domain.pages import PageRequest
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
from zerowaste.services.signed_steps import ClientSigner, StepResult

proposal_app = typer.Typer(help="Contract proposals between two listings.", no_args_is_help=True)
contract_app = typer.Typer(
    help="Supply contracts: sign, terminate, performance.", no_args_is_help=True
)

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON")]
Organization = Annotated[
    uuid.UUID | None, typer.Option("--organization", help="The acting side's organization id")
]
KeyFile = Annotated[
    Path | None, typer.Option(help="Sign client-side with this private key (else custodially)")
]
KeyId = Annotated[uuid.UUID | None, typer.Option(help="The registered id of --key")]
_PROPOSAL = ("proposal_id", "state", "waste_code", "quantity_t_per_month", "price_cny_per_t",
             "start_on", "end_on", "contract_id")  # fmt: skip
_CONTRACT = ("contract_id", "number", "state", "waste_code", "quantity_t_per_month",
             "price_cny_per_t", "start_on", "end_on")  # fmt: skip


def _signer(key: Path | None, key_id: uuid.UUID | None) -> ClientSigner | None:
    if key is None:
        return None
    if key_id is None:
        raise typer.BadParameter("--key-id is needed with --key")
    return ClientSigner(_load_key(key), key_id)


def _print(record: dict[str, Any], keys: tuple[str, ...], title: str, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        emit([{k: record[k] for k in keys}], as_json=False, title=title)


def _step_row(result: StepResult) -> dict[str, Any]:
    return {"action_id": str(result.action_id), "leaf_index": result.leaf_index}


@proposal_app.command("create")
def create_proposal(
    supply: Annotated[uuid.UUID, typer.Option(help="The supply listing's id")],
    demand: Annotated[uuid.UUID, typer.Option(help="The demand listing's id")],
    quantity: Annotated[str, typer.Option(help="Tonnes per month")],
    start: Annotated[str, typer.Option(help="First day, YYYY-MM-DD")],
    end: Annotated[str, typer.Option(help="Last day, YYYY-MM-DD")],
    price: Annotated[str | None, typer.Option(help="CNY per tonne (default: the buyer's)")] = None,
    shortfall_penalty: Annotated[str, typer.Option(help="CNY per tonne short")] = "0",
    off_spec_penalty: Annotated[str, typer.Option(help="CNY per off-spec tonne")] = "0",
    revenue_share: Annotated[str, typer.Option(help="Fraction owed to the beneficiary")] = "0",
    beneficiary: Annotated[uuid.UUID | None, typer.Option(help="Who the share is owed")] = None,
    organization: Organization = None,
    key: KeyFile = None,
    key_id: KeyId = None,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Propose a contract between a supply and a demand listing."""

    def action(context: Context) -> None:
        service = context.proposals
        terms = service.terms_from_listings(
            supply,
            demand,
            parse_decimal(quantity, field="quantity"),
            _day(start, "start"),
            _day(end, "end"),
            price_cny_per_t=None if price is None else parse_decimal(price, field="price"),
            shortfall_penalty_cny_per_t=parse_decimal(shortfall_penalty, field="shortfall_penalty"),
            off_spec_penalty_cny_per_t=parse_decimal(off_spec_penalty, field="off_spec_penalty"),
            revenue_share=parse_decimal(revenue_share, field="revenue_share"),
            beneficiary_id=beneficiary,
        )
        actor = actor_of(context, as_user)
        proposal_id = uuid.uuid4()
        service.propose(
            actor, proposal_id, terms, organization_id=organization, signer=_signer(key, key_id)
        )
        record = proposal_record(service.proposal(actor, proposal_id).proposal)
        _print(record, _PROPOSAL, "Proposal", as_json)

    run(action)


def _day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a date (YYYY-MM-DD)", field=field) from None


def _respond(
    proposal_id: uuid.UUID,
    step: ProposalAction,
    organization: uuid.UUID | None,
    key: Path | None,
    key_id: uuid.UUID | None,
    as_user: str | None,
    as_json: bool,
) -> None:
    def action(context: Context) -> None:
        actor = actor_of(context, as_user)
        context.proposals.respond(
            actor, proposal_id, step, organization_id=organization, signer=_signer(key, key_id)
        )
        record = proposal_record(context.proposals.proposal(actor, proposal_id).proposal)
        _print(record, _PROPOSAL, "Proposal", as_json)

    run(action)


ProposalId = Annotated[uuid.UUID, typer.Argument(help="The proposal's id")]
ContractId = Annotated[uuid.UUID, typer.Argument(help="The contract's id")]


@proposal_app.command("accept")
def accept_proposal(
    proposal_id: ProposalId,
    organization: Organization = None,
    key: KeyFile = None,
    key_id: KeyId = None,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Accept a proposal made to you: the contract is drafted."""
    _respond(proposal_id, ProposalAction.ACCEPT, organization, key, key_id, as_user, as_json)


@proposal_app.command("decline")
def decline_proposal(
    proposal_id: ProposalId,
    organization: Organization = None,
    key: KeyFile = None,
    key_id: KeyId = None,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Decline a proposal made to you."""
    _respond(proposal_id, ProposalAction.DECLINE, organization, key, key_id, as_user, as_json)


@proposal_app.command("withdraw")
def withdraw_proposal(
    proposal_id: ProposalId,
    organization: Organization = None,
    key: KeyFile = None,
    key_id: KeyId = None,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Withdraw your open proposal."""
    _respond(proposal_id, ProposalAction.WITHDRAW, organization, key, key_id, as_user, as_json)


@proposal_app.command("show")
def show_proposal(proposal_id: ProposalId, as_user: AsUser = None, as_json: AsJson = False) -> None:
    """Show a proposal and its signed steps."""

    def action(context: Context) -> None:
        view = context.proposals.proposal(actor_of(context, as_user), proposal_id)
        _print(proposal_view_record(view), _PROPOSAL, "Proposal", as_json)

    run(action)


@proposal_app.command("list")
def list_proposals(
    organization: Annotated[uuid.UUID | None, typer.Option(help="A party's id")] = None,
    state: Annotated[ProposalState | None, typer.Option(help="Only this state")] = None,
    direction: Annotated[str | None, typer.Option(help="incoming or outgoing")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """List proposals."""

    def action(context: Context) -> None:
        page = context.proposals.find(
            actor_of(context, as_user), PageRequest(None, limit), organization_id=organization,
            state=state, direction=direction,
        )  # fmt: skip
        records = [proposal_record(p) for p in page.items]
        rows = records if as_json else [{k: r[k] for k in _PROPOSAL} for r in records]
        emit(rows, as_json=as_json, title="Proposals")

    run(action)


@contract_app.command("show")
def show_contract(
    contract_id: ContractId,
    lang: Annotated[str, typer.Option(help="zh-CN or en")] = "en",
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Show a contract: terms, clauses (in --lang), signatures with their leaf indexes."""

    def action(context: Context) -> None:
        record = contract_view_record(
            context.contracts.contract(actor_of(context, as_user), contract_id)
        )
        if as_json:
            typer.echo(json.dumps(record, ensure_ascii=False, indent=2))
            return
        emit([{k: record[k] for k in _CONTRACT}], as_json=False, title="Contract")
        text = "text_zh" if lang.startswith("zh") else "text_en"
        emit([{"clause": c["key"], "text": c[text]} for c in record["clauses"]], as_json=False,
             title="Clauses")  # fmt: skip
        keys = ("action", "role", "organization_id", "signed_at", "reason", "leaf_index")
        emit([{k: s[k] for k in keys} for s in record["signatures"]], as_json=False,
             title="Signatures")  # fmt: skip

    run(action)


@contract_app.command("sign")
def sign_contract(
    contract_id: ContractId,
    organization: Organization = None,
    key: KeyFile = None,
    key_id: KeyId = None,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Sign the contract's terms for your side (custodially, or client-side with --key)."""

    def action(context: Context) -> None:
        actor = actor_of(context, as_user)
        result = context.contracts.sign(
            actor, contract_id, organization_id=organization, signer=_signer(key, key_id)
        )
        record = contract_record(context.contracts.contract(actor, contract_id).contract)
        _print(record | _step_row(result), (*_CONTRACT, "leaf_index"), "Contract", as_json)

    run(action)


@contract_app.command("terminate")
def terminate_contract(
    contract_id: ContractId,
    reason: Annotated[str, typer.Option(help="Why the contract ends")],
    organization: Organization = None,
    key: KeyFile = None,
    key_id: KeyId = None,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """End a contract early for your side, saying why."""

    def action(context: Context) -> None:
        actor = actor_of(context, as_user)
        result = context.contracts.terminate(
            actor, contract_id, reason, organization_id=organization, signer=_signer(key, key_id)
        )
        record = contract_record(context.contracts.contract(actor, contract_id).contract)
        _print(record | _step_row(result), (*_CONTRACT, "leaf_index"), "Contract", as_json)

    run(action)


@contract_app.command("performance")
def contract_performance(
    contract_id: ContractId,
    as_of: Annotated[str | None, typer.Option(help="Measure as of YYYY-MM-DD")] = None,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Delivered versus committed per month, spec compliance, penalties, revenue share due."""

    def action(context: Context) -> None:
        day = None if as_of is None else _day(as_of, "as_of")
        figures = performance_record(
            context.contracts.performance(actor_of(context, as_user), contract_id, day)
        )
        if as_json:
            typer.echo(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        totals = ("as_of", "committed_t", "delivered_t", "compliant_t", "off_spec_t",
                  "unknown_t", "shortfall_penalty_cny", "off_spec_penalty_cny", "revenue_cny",
                  "revenue_share_due_cny")  # fmt: skip
        emit([{k: figures[k] for k in totals}], as_json=False, title="Performance")
        month_keys = ("month", "committed_t", "delivered_t", "shortfall_t", "shortfall_penalty_cny")
        emit([{k: m[k] for k in month_keys} for m in figures["months"]], as_json=False,
             title="Months")  # fmt: skip
        line_keys = ("manifest_number", "batch_id", "accepted_t", "spec_status", "leaf_index")
        emit([{k: x[k] for k in line_keys} for x in figures["deliveries"]], as_json=False,
             title="Deliveries")  # fmt: skip

    run(action)


@contract_app.command("list")
def list_contracts(
    organization: Annotated[uuid.UUID | None, typer.Option(help="A party's id")] = None,
    state: Annotated[ContractState | None, typer.Option(help="Only this state")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """List contracts by number."""

    def action(context: Context) -> None:
        page = context.contracts.find(
            actor_of(context, as_user), PageRequest(None, limit), organization_id=organization,
            state=state,
        )  # fmt: skip
        records = [contract_record(c) for c in page.items]
        rows = records if as_json else [{k: r[k] for k in _CONTRACT} for r in records]
        emit(rows, as_json=as_json, title="Contracts")

    run(action)
