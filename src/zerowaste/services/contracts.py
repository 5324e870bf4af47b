"""Contracts: both parties sign the drafted terms, either may terminate; reading and scope."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from zerowaste.adapters.db.manifests_repository import ActionRow
from zerowaste.adapters.db.unit_of_work import UnitOfWork
from zerowaste.domain.access import Principal
from zerowaste.domain.contract_documents import (
    ContractCommand,
    contract_document,
    parse_contract_document,
)
from zerowaste.domain.contract_performance import Performance
from zerowaste.domain.contract_template import Clause
from zerowaste.domain.contracts import (
    Contract,
    ContractAction,
    ContractRole,
    ContractSignature,
    ContractState,
    ContractTerms,
)
from zerowaste.domain.pages import Page, PageRequest
from zerowaste.errors import ContractNotFound, Forbidden, InvalidInput, ProposalNotFound
from zerowaste.services.authorization import listing_scope
from zerowaste.services.capture_checks import acting_organization
from zerowaste.services.contract_drafts import ContractDrafter, terms_digest
from zerowaste.services.contract_performance import performance_of
from zerowaste.services.market_steps import MarketStepService, StepKey
from zerowaste.services.signed_steps import ClientSigner, SignedStep, StepResult

#: The `subject` of contract steps in `workflow_actions`.
CONTRACT = "contract"


@dataclass(frozen=True)
class ContractView:
    """A contract, its signed steps in log order, and whether its terms still match the digest."""

    contract: Contract
    actions: list[ActionRow]
    digest_matches: bool

    def documents(self) -> list[dict[str, Any]]:
        """The signed step documents, in log order."""
        return [json.loads(a.document) for a in self.actions]


def may_see(actor: Principal, contract: Contract) -> bool:
    """Parties, the beneficiary, regulators of either party's region, admins."""
    t = contract.terms
    return actor.organization_id in (t.supplier_id, t.buyer_id, t.beneficiary_id) or (
        actor.oversees(contract.supplier_region_code) or actor.oversees(contract.buyer_region_code)
    )


class ContractService(MarketStepService):
    """Sign and terminate contracts; read them and their performance."""

    def __init__(self, *args: Any, drafter: ContractDrafter, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._drafter = drafter

    # -- signed documents ------------------------------------------------------------------

    def submit(self, actor: Principal, document: Any, signature: Any) -> StepResult:
        """Log a client-signed `zerowaste.contract/1` step."""
        command = parse_contract_document(document)
        step = self._signed(
            actor, document, command.organization_id, command.action_time, signature
        )
        return self._apply(actor, command, step)

    def act(self, actor: Principal, document: Any) -> StepResult:
        """Sign a step with the organization's custodial key and log it."""
        command = parse_contract_document(document)
        step = self._signed(actor, document, command.organization_id, command.action_time, None)
        return self._apply(actor, command, step)

    # -- conveniences ----------------------------------------------------------------------

    def _document(
        self,
        actor: Principal,
        action: ContractAction,
        contract_id: uuid.UUID,
        at: datetime | None,
        organization_id: uuid.UUID | None,
        reason: str = "",
    ) -> dict[str, Any]:
        with self._uow() as uow:
            contract = uow.contracts.get(contract_id)
        if contract is None:
            raise ContractNotFound(f"no contract {contract_id}", field="contract_id")
        signer = organization_id or actor.organization_id
        if signer is None:
            raise InvalidInput("name the signing organization", field="organization_id")
        return contract_document(
            action, contract_id, signer, contract.terms_digest, at or self._clock(), reason=reason
        )

    def sign(
        self,
        actor: Principal,
        contract_id: uuid.UUID,
        at: datetime | None = None,
        *,
        organization_id: uuid.UUID | None = None,
        signer: ClientSigner | None = None,
    ) -> StepResult:
        """A party (`organization_id`, default the actor's) signs the contract's terms."""
        document = self._document(actor, ContractAction.SIGN, contract_id, at, organization_id)
        if signer is not None:
            return self.submit(actor, document, signer.sign(document))
        return self.act(actor, document)

    def terminate(
        self,
        actor: Principal,
        contract_id: uuid.UUID,
        reason: str,
        at: datetime | None = None,
        *,
        organization_id: uuid.UUID | None = None,
        signer: ClientSigner | None = None,
    ) -> StepResult:
        """A party ends the contract early, saying why."""
        document = self._document(
            actor, ContractAction.TERMINATE, contract_id, at, organization_id, reason
        )
        if signer is not None:
            return self.submit(actor, document, signer.sign(document))
        return self.act(actor, document)

    def _apply(self, actor: Principal, command: ContractCommand, step: SignedStep) -> StepResult:
        key = StepKey(
            CONTRACT, command.contract_id, command.action.value, command.action_id,
            command.action_time, command.organization_id,
        )  # fmt: skip

        def project(uow: UnitOfWork, index: int, now: datetime) -> None:
            current = uow.contracts.get(command.contract_id)
            if current is None:
                raise ContractNotFound(f"no contract {command.contract_id}", field="contract_id")
            record = ContractSignature(
                action_id=command.action_id,
                action=command.action,
                role=ContractRole.SUPPLIER,  # set by the contract from the signer
                organization_id=command.organization_id,
                signed_at=command.action_time,
                key_id=step.signature.key_id,
                user_id=actor.user_id,
                reason=command.reason,
            )
            if command.action is ContractAction.SIGN:
                contract = current.sign(record, command.terms_digest)
            else:
                contract = current.terminate(record, command.terms_digest)
            uow.contracts.put(contract.with_leaf(command.action_id, index), now)

        return self._log(actor, key, step, project)

    # -- reading ---------------------------------------------------------------------------

    def _visible(self, uow: UnitOfWork, actor: Principal, contract_id: uuid.UUID) -> Contract:
        contract = uow.contracts.get(contract_id)
        if contract is None:
            raise ContractNotFound(f"no contract {contract_id}", field="contract_id")
        if not may_see(actor, contract):
            raise Forbidden("this contract is not yours to see", field="contract_id")
        return contract

    def contract(self, actor: Principal, contract_id: uuid.UUID) -> ContractView:
        """A contract with its signed steps, for those `may_see` lets in."""
        with self._uow() as uow:
            contract = self._visible(uow, actor, contract_id)
            digest_ok = terms_digest(contract.terms) == contract.terms_digest
            return ContractView(contract, uow.manifests.actions_of(contract_id), digest_ok)

    def find(
        self,
        actor: Principal,
        page: PageRequest,
        *,
        organization_id: uuid.UUID | None = None,
        state: ContractState | None = None,
    ) -> Page[Contract]:
        """A page of contracts: a firm's own (as party or beneficiary), a region's, or all."""
        organization_id, region = listing_scope(actor, organization_id)
        with self._uow() as uow:
            if organization_id is not None:
                acting_organization(uow, actor, organization_id)
            return uow.contracts.find(
                page, organization_id=organization_id, region_code=region, state=state
            )

    def draft(
        self, actor: Principal, proposal_id: uuid.UUID, clauses: tuple[Clause, ...] = ()
    ) -> ContractTerms:
        """The terms a proposal's acceptance would draft (nothing stored), for its parties."""
        with self._uow() as uow:
            proposal = uow.contracts.proposal(proposal_id)
            if proposal is None:
                raise ProposalNotFound(f"no proposal {proposal_id}", field="proposal_id")
            t = proposal.terms
            if actor.organization_id not in (t.supplier_id, t.buyer_id) and not (
                actor.oversees(proposal.supplier_region_code)
            ):
                raise Forbidden("this proposal is not yours", field="proposal_id")
            return self._drafter.terms(uow, proposal, clauses)

    def performance(
        self, actor: Principal, contract_id: uuid.UUID, as_of: date | None = None
    ) -> Performance:
        """Delivered versus committed, spec compliance and money owed, from the ledger."""
        with self._uow() as uow:
            contract = self._visible(uow, actor, contract_id)
            return performance_of(uow, contract, as_of or self._clock().date())
