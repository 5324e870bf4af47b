"""Proposals and contracts on both backends: signed steps in the log, manifests, performance."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import update

from tests.contract_world import ContractWorld, build_contract_world
from tests.factories import OPERATOR, Factory
from tests.integration.test_manifests import stored
from zerowaste.adapters.db.tables import workflow_actions
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.contract_performance import SpecStatus
from zerowaste.domain.contracts import ContractState
from zerowaste.domain.organizations import OrganizationRole
from zerowaste.domain.pages import PageRequest
from zerowaste.domain.proposals import ProposalAction, ProposalState
from zerowaste.errors import (
    ContractMismatch,
    ContractNotActive,
    ContractStateConflict,
    Forbidden,
    InvalidInput,
    ListingNotFound,
    ProposalStateConflict,
    TermsDigestMismatch,
    UnknownContract,
    ZeroWasteError,
)
from zerowaste.services.admission import demo_admission_rules


@pytest.fixture
def cw(factory: Factory) -> ContractWorld:
    return build_contract_world(factory)


def refused(cw: ContractWorld, run: object) -> ZeroWasteError:
    before = stored(cw.context)
    with pytest.raises(ZeroWasteError) as caught:
        run()  # type: ignore[operator]
    assert stored(cw.context) == before, "a refused step stored something"
    return caught.value


def test_propose_accept_sign_twice_makes_an_active_contract_in_the_log(cw: ContractWorld) -> None:
    context, w = cw.context, cw.world
    g, r = w.generator, w.receiver
    proposal_id = uuid.uuid4()
    proposed = context.proposals.propose(
        g.user, proposal_id, cw.proposal_terms(), w.tick(), signer=g.signer
    )
    view = context.proposals.proposal(r.user, proposal_id)
    assert view.proposal.state is ProposalState.PROPOSED
    assert view.proposal.counterparty_id == r.id
    assert view.documents()[0]["format"] == "zerowaste.proposal/1"
    assert view.proposal.steps[0].leaf_index == proposed.leaf_index
    incoming = context.proposals.find(r.user, PageRequest(), direction="incoming")
    assert [p.proposal_id for p in incoming.items] == [proposal_id]
    assert context.proposals.find(r.user, PageRequest(), direction="outgoing").items == []
    outgoing = context.proposals.find(g.user, PageRequest(), direction="outgoing")
    assert [p.proposal_id for p in outgoing.items] == [proposal_id]
    with pytest.raises(InvalidInput):
        context.proposals.find(g.user, PageRequest(), direction="sideways")

    accepted = context.proposals.respond(r.user, proposal_id, ProposalAction.ACCEPT, w.tick())
    proposal = context.proposals.proposal(g.user, proposal_id).proposal
    assert proposal.state is ProposalState.ACCEPTED
    assert proposal.contract_id is not None
    contract = context.contracts.contract(g.user, proposal.contract_id).contract
    assert contract.state is ContractState.DRAFTED
    assert contract.terms.specs[0].component == "water"
    assert [c.key for c in contract.terms.clauses][:3] == ["parties", "subject", "specifications"]
    assert "take_back" in {c.key for c in contract.terms.clauses}
    assert contract.terms.committed_total_t == Decimal(10) * 3  # June, July, August in full

    first = context.contracts.sign(g.user, contract.contract_id, w.tick(), signer=g.signer)
    assert context.contracts.contract(r.user, contract.contract_id).contract.state is (
        ContractState.SIGNED_BY_SUPPLIER
    )
    second = context.contracts.sign(r.user, contract.contract_id, w.tick())
    view_c = context.contracts.contract(r.user, contract.contract_id)
    assert view_c.contract.state is ContractState.ACTIVE
    assert view_c.digest_matches
    assert [s.leaf_index for s in view_c.contract.signatures] == [
        first.leaf_index,
        second.leaf_index,
    ]
    assert [d["terms_digest"] for d in view_c.documents()] == [contract.terms_digest] * 2
    assert accepted.leaf_index < first.leaf_index < second.leaf_index
    assert context.ledger.audit().ok

    error = refused(cw, lambda: context.contracts.sign(r.user, contract.contract_id, w.tick()))
    assert isinstance(error, ContractStateConflict)


def test_steps_out_of_turn_are_refused_and_store_nothing(cw: ContractWorld) -> None:
    context, w = cw.context, cw.world
    g, r = w.generator, w.receiver
    proposal_id = uuid.uuid4()
    context.proposals.propose(g.user, proposal_id, cw.proposal_terms(), w.tick())
    # The proposer cannot accept its own proposal; the counterparty cannot withdraw it.
    assert isinstance(
        refused(cw, lambda: context.proposals.respond(
            g.user, proposal_id, ProposalAction.ACCEPT, w.tick(), organization_id=g.id
        )),
        Forbidden,
    )  # fmt: skip
    context.proposals.respond(r.user, proposal_id, ProposalAction.DECLINE, w.tick())
    error = refused(
        cw, lambda: context.proposals.respond(r.user, proposal_id, ProposalAction.ACCEPT, w.tick())
    )
    assert isinstance(error, ProposalStateConflict)
    assert error.field == "action"
    # A stranger cannot see it.
    stranger = w.factory.user(UserRole.FIRM, organization=w.alternate.organization)
    with pytest.raises(Forbidden):
        context.proposals.proposal(stranger, proposal_id)


def test_proposals_must_match_their_listings(cw: ContractWorld) -> None:
    context, w = cw.context, cw.world
    g = w.generator
    cases = {
        "quantity_t": cw.proposal_terms(quantity_t=Decimal(25)),  # supply offers 20 t/month
        "buyer_id": cw.proposal_terms(buyer_id=w.alternate.id, buyer_site_id=w.alternate.site.id),
        "waste_code": cw.proposal_terms(waste_code="900-249-08"),
    }
    for field, terms in cases.items():
        error = refused(
            cw, lambda t=terms: context.proposals.propose(g.user, uuid.uuid4(), t, w.tick())
        )
        assert isinstance(error, InvalidInput), field
        assert error.field == field
    missing = cw.proposal_terms(demand_listing_id=uuid.uuid4())
    error = refused(cw, lambda: context.proposals.propose(g.user, uuid.uuid4(), missing, w.tick()))
    assert isinstance(error, ListingNotFound)
    assert error.field == "demand_listing_id"


def test_a_signature_over_other_terms_or_twice_is_refused(cw: ContractWorld) -> None:
    context, w = cw.context, cw.world
    g, r = w.generator, w.receiver
    contract_id = cw.active_contract()
    error = refused(cw, lambda: context.contracts.sign(r.user, contract_id, w.tick()))
    assert isinstance(error, ContractStateConflict)
    from zerowaste.domain.contract_documents import contract_document
    from zerowaste.domain.contracts import ContractAction

    forged = contract_document(ContractAction.TERMINATE, contract_id, g.id, "0" * 64, w.tick(),
                               reason="cheaper elsewhere")  # fmt: skip
    error = refused(cw, lambda: context.contracts.act(g.user, forged))
    assert isinstance(error, TermsDigestMismatch)
    assert error.field == "terms_digest"
    context.contracts.terminate(g.user, contract_id, "plant closes", w.tick())
    contract = context.contracts.contract(r.user, contract_id).contract
    assert contract.state is ContractState.TERMINATED
    assert contract.signatures[-1].reason == "plant closes"


def test_the_ledger_audit_names_an_edited_contract_step(cw: ContractWorld) -> None:
    context = cw.context
    contract_id = cw.active_contract()
    assert context.ledger.audit().ok
    steps = workflow_actions.c
    with context.engine.begin() as connection:
        connection.execute(
            update(workflow_actions)
            .where(steps.subject_id == contract_id, steps.action == "sign")
            .values(action="terminate")
        )
    findings = [f for f in context.ledger.audit().findings if f.kind == "action"]
    assert len(findings) == 2
    assert all(str(contract_id) in f.detail or "action" in f.detail for f in findings)
    assert all("is not the document's" in f.detail for f in findings)


def test_a_manifest_names_an_active_contract_of_its_parties_and_waste(cw: ContractWorld) -> None:
    context, w = cw.context, cw.world
    g = w.generator
    service = context.manifests
    # A draft contract (not signed yet) is refused, and so is an unknown one.
    proposal_id = uuid.uuid4()
    context.proposals.propose(g.user, proposal_id, cw.proposal_terms(), w.tick())
    context.proposals.respond(w.receiver.user, proposal_id, ProposalAction.ACCEPT, w.tick())
    draft_id = context.proposals.proposal(g.user, proposal_id).proposal.contract_id
    assert draft_id is not None
    batch = cw.generate("1000", "0.05")
    for contract_id, error_type in ((draft_id, ContractNotActive), (uuid.uuid4(), UnknownContract)):
        terms = cw.terms(batch, contract_id)
        error = refused(
            cw, lambda t=terms: service.issue(g.user, uuid.uuid4(), t, w.tick(), g.signer)
        )
        assert isinstance(error, error_type)
        assert error.field == "contract_id"
    active = cw.active_contract()
    other = replace(
        cw.terms(batch, active), receiver_id=w.alternate.id, receiver_site_id=w.alternate.site.id
    )
    error = refused(cw, lambda: service.issue(g.user, uuid.uuid4(), other, w.tick(), g.signer))
    assert isinstance(error, ContractMismatch)
    assert error.field == "contract_id"
    manifest_id = uuid.uuid4()
    service.issue(g.user, manifest_id, cw.terms(batch, active), w.tick(), g.signer)
    view = service.manifest(g.user, manifest_id)
    assert view.manifest.terms.contract_id == active
    document = json.loads(view.actions[0].document)
    assert document["contract_id"] == str(active)


def test_performance_from_received_manifests_and_lab_results(cw: ContractWorld) -> None:
    context, w = cw.context, cw.world
    contract_id = cw.active_contract(revenue_share=Decimal("0.05"), beneficiary_id=w.alternate.id)
    compliant = cw.deliver(contract_id, "4000", "3990", water="0.05")
    off_spec = cw.deliver(contract_id, "2000", "2000", rejected="500", water="0.15")
    unknown = cw.deliver(contract_id, "1000", "1010")
    # July and August pass with nothing delivered; measured on September 5th.
    w.factory.context.clock.now += timedelta(days=96)
    result = context.contracts.performance(w.receiver.user, contract_id)
    june, july, august = result.months
    assert june.delivered_t == Decimal("6.5")  # 3.99 + 1.5 + 1.01
    assert june.committed_t == Decimal(10)
    assert june.shortfall_t == Decimal("2.5")  # floor 9 t
    assert july.shortfall_t == august.shortfall_t == Decimal(9)
    assert result.shortfall_penalty_cny == Decimal("20.5") * 50
    statuses = {x.line.manifest_id: x.status for x in result.lines}
    assert statuses == {
        compliant: SpecStatus.COMPLIANT,
        off_spec: SpecStatus.OFF_SPEC,
        unknown: SpecStatus.UNKNOWN,
    }
    assert result.off_spec_t == Decimal("1.5")
    assert result.off_spec_penalty_cny == Decimal(150)
    assert result.revenue_cny == Decimal("6.5") * 800
    assert result.revenue_share_due_cny == Decimal("6.5") * 800 * Decimal("0.05")
    assert all(x.line.leaf_index is not None for x in result.lines)
    # The beneficiary sees it, a stranger does not.
    chain_master = w.factory.user(UserRole.FIRM, organization=w.alternate.organization)
    assert context.contracts.performance(chain_master, contract_id).delivered_t == Decimal("6.5")
    stranger = w.factory.user(UserRole.FIRM, organization=w.carrier.organization)
    with pytest.raises(Forbidden):
        context.contracts.performance(stranger, contract_id)
    assert context.contracts.find(OPERATOR, PageRequest()).items[0].contract_id == contract_id


def test_a_contract_inside_a_chain_carries_the_chain_masters_standard_clauses(
    cw: ContractWorld,
) -> None:
    context, w = cw.context, cw.world
    outside = context.contracts.contract(w.generator.user, cw.active_contract())
    assert not [c for c in outside.contract.terms.clauses if c.key.startswith("std.")]

    master = w.factory.organization(roles=(OrganizationRole.CHAIN_MASTER,), name="链主")
    for member in (w.generator.id, w.receiver.id):
        context.chains.add(OPERATOR, master.id, member)
    criteria, clauses = demo_admission_rules(master.id)
    context.admission.set_rules(OPERATOR, master.id, criteria, clauses)

    inside = context.contracts.contract(w.generator.user, cw.active_contract())
    keys = [c.key for c in inside.contract.terms.clauses]
    assert {f"std.{c.key}" for c in clauses} <= set(keys)
    assert len(keys) == len(outside.contract.terms.clauses) + len(clauses)
