"""Proposals between a supply and a demand listing: propose, accept (drafts the contract), etc."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from zerowaste.adapters.db.contracts_repository import Direction
from zerowaste.adapters.db.manifests_repository import ActionRow
from zerowaste.adapters.db.unit_of_work import UnitOfWork
from zerowaste.domain.access import Principal
from zerowaste.domain.catalog import covers
from zerowaste.domain.contract_template import Clause
from zerowaste.domain.document_fields import parsed
from zerowaste.domain.listings import (
    BASIS_DAYS,
    Listing,
    ListingSide,
    QuantityBasis,
)
from zerowaste.domain.pages import Page, PageRequest
from zerowaste.domain.proposal_documents import (
    ProposalCommand,
    parse_proposal_document,
    proposal_document,
    terms_fields,
)
from zerowaste.domain.proposals import (
    Proposal,
    ProposalAction,
    ProposalState,
    ProposalStep,
    ProposalTerms,
)
from zerowaste.errors import (
    ContractStateConflict,
    Forbidden,
    InvalidInput,
    ListingNotFound,
    ListingNotOpen,
    ProposalNotFound,
    ProposalStateConflict,
    UnknownOrganization,
)
from zerowaste.services.authorization import listing_scope
from zerowaste.services.capture_checks import acting_organization
from zerowaste.services.contract_drafts import ContractDrafter, ListingLookup, stored_listing
from zerowaste.services.manifest_rules import ManifestRules
from zerowaste.services.market_steps import MarketStepService, StepKey
from zerowaste.services.signed_steps import ClientSigner, SignedStep, StepResult

#: The `subject` of proposal steps in `workflow_actions`.
PROPOSAL = "proposal"


@dataclass(frozen=True)
class ProposalView:
    """A proposal with its signed steps in log order."""

    proposal: Proposal
    actions: list[ActionRow]

    def documents(self) -> list[dict[str, Any]]:
        """The signed step documents, in log order."""
        return [json.loads(a.document) for a in self.actions]


def _monthly_t(quantity_t: Decimal, basis: QuantityBasis) -> Decimal | None:
    """A listing's quantity per month (None for a single lot)."""
    if basis is QuantityBasis.LOT:
        return None
    return quantity_t * BASIS_DAYS[QuantityBasis.MONTH] / BASIS_DAYS[basis]


class ProposalService(MarketStepService):
    """Propose, accept, decline and withdraw; each a signed step in the log."""

    def __init__(
        self,
        *args: Any,
        drafter: ContractDrafter,
        listings: ListingLookup = stored_listing,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self._drafter = drafter
        self._listings = listings

    # -- signed documents ------------------------------------------------------------------

    def submit(self, actor: Principal, document: Any, signature: Any) -> StepResult:
        """Log a client-signed `zerowaste.proposal/1` step."""
        command = parse_proposal_document(document)
        step = self._signed(
            actor, document, command.organization_id, command.action_time, signature
        )
        return self._apply(actor, command, step)

    def act(self, actor: Principal, document: Any, clauses: tuple[Clause, ...] = ()) -> StepResult:
        """Sign a step with the organization's custodial key and log it."""
        command = parse_proposal_document(document)
        step = self._signed(actor, document, command.organization_id, command.action_time, None)
        return self._apply(actor, command, step, clauses)

    # -- conveniences ----------------------------------------------------------------------

    def propose(
        self,
        actor: Principal,
        proposal_id: uuid.UUID,
        terms: ProposalTerms,
        at: datetime | None = None,
        *,
        organization_id: uuid.UUID | None = None,
        signer: ClientSigner | None = None,
    ) -> StepResult:
        """The supplier or the buyer (`organization_id`, default the actor's) proposes."""
        proposer = organization_id or actor.organization_id
        if proposer is None:
            raise InvalidInput("name the proposing organization", field="organization_id")
        fields = terms_fields(terms)
        document = proposal_document(
            ProposalAction.PROPOSE, proposal_id, proposer, at or self._clock(), **fields
        )
        if signer is not None:
            return self.submit(actor, document, signer.sign(document))
        return self.act(actor, document)

    def terms_from_listings(
        self,
        supply_listing_id: uuid.UUID,
        demand_listing_id: uuid.UUID,
        quantity_t: Decimal,
        start_on: date,
        end_on: date,
        *,
        price_cny_per_t: Decimal | None = None,
        **options: Any,
    ) -> ProposalTerms:
        """Terms between two listings: parties, sites and code from them, the buyer's price.

        `options` are the other `ProposalTerms` fields (penalties, share, allocation line …).
        """
        with self._uow() as uow:
            supply = self._listings(uow, supply_listing_id)
            demand = self._listings(uow, demand_listing_id)
        if supply is None or supply.terms.supply is None:
            raise ListingNotFound(
                f"no supply listing {supply_listing_id}", field="supply_listing_id"
            )
        if demand is None or demand.terms.demand is None:
            raise ListingNotFound(
                f"no demand listing {demand_listing_id}", field="demand_listing_id"
            )
        price = demand.terms.demand.price_cny_per_t if price_cny_per_t is None else price_cny_per_t
        return ProposalTerms(
            supply_listing_id=supply_listing_id,
            demand_listing_id=demand_listing_id,
            supplier_id=supply.terms.organization_id,
            supplier_site_id=supply.terms.site_id,
            buyer_id=demand.terms.organization_id,
            buyer_site_id=demand.terms.site_id,
            waste_code=supply.terms.supply.waste_code,
            quantity_t=quantity_t,
            price_cny_per_t=price,
            start_on=start_on,
            end_on=end_on,
            **options,
        )

    def respond(
        self,
        actor: Principal,
        proposal_id: uuid.UUID,
        action: ProposalAction,
        at: datetime | None = None,
        *,
        organization_id: uuid.UUID | None = None,
        signer: ClientSigner | None = None,
        note: str = "",
        clauses: tuple[Clause, ...] = (),
    ) -> StepResult:
        """Accept, decline or withdraw; the signer defaults to the side that may take the step."""
        if action is ProposalAction.PROPOSE:
            raise InvalidInput("propose with `propose`", field="action")
        with self._uow() as uow:
            proposal = uow.contracts.proposal(proposal_id)
        if proposal is None:
            raise ProposalNotFound(f"no proposal {proposal_id}", field="proposal_id")
        default = (
            proposal.proposer_id if action is ProposalAction.WITHDRAW else proposal.counterparty_id
        )
        fields: dict[str, Any] = {"note": note} if note else {}
        if action is ProposalAction.ACCEPT:
            fields["contract_id"] = str(uuid.uuid4())
        document = proposal_document(
            action, proposal_id, organization_id or default, at or self._clock(), **fields
        )
        if signer is not None:
            return self.submit(actor, document, signer.sign(document))
        return self.act(actor, document, clauses)

    # -- the step --------------------------------------------------------------------------

    def _apply(
        self,
        actor: Principal,
        command: ProposalCommand,
        step: SignedStep,
        clauses: tuple[Clause, ...] = (),
    ) -> StepResult:
        key = StepKey(
            PROPOSAL, command.proposal_id, command.action.value, command.action_id,
            command.action_time, command.organization_id,
        )  # fmt: skip

        def project(uow: UnitOfWork, index: int, now: datetime) -> None:
            record = ProposalStep(
                action_id=command.action_id,
                action=command.action,
                organization_id=command.organization_id,
                signed_at=command.action_time,
                key_id=step.signature.key_id,
                user_id=actor.user_id,
                note=command.note,
            )
            current = uow.contracts.proposal(command.proposal_id)
            if command.action is ProposalAction.PROPOSE:
                if current is not None:
                    raise ProposalStateConflict(
                        f"proposal {command.proposal_id} exists", field="proposal_id"
                    )
                proposal = self._proposed(uow, command, record)
            elif current is None:
                raise ProposalNotFound(f"no proposal {command.proposal_id}", field="proposal_id")
            elif command.action is ProposalAction.ACCEPT:
                assert command.contract_id is not None
                if uow.contracts.get(command.contract_id) is not None:
                    raise ContractStateConflict(
                        f"contract {command.contract_id} exists", field="contract_id"
                    )
                proposal = current.accept(record, command.contract_id)
                contract = self._drafter.draft(
                    uow, proposal, command.contract_id, command.action_time, clauses
                )
                uow.contracts.put(contract, now)
            elif command.action is ProposalAction.DECLINE:
                proposal = current.decline(record)
            else:
                proposal = current.withdraw(record)
            uow.contracts.put_proposal(proposal.with_leaf(command.action_id, index), now)

        return self._log(actor, key, step, project)

    def _proposed(
        self, uow: UnitOfWork, command: ProposalCommand, record: ProposalStep
    ) -> Proposal:
        terms = command.terms
        assert terms is not None
        rules = ManifestRules(uow, self._catalog)
        supplier_site = rules.site_of(terms.supplier_site_id, terms.supplier_id, "supplier_site_id")
        buyer_site = rules.site_of(terms.buyer_site_id, terms.buyer_id, "buyer_site_id")
        if terms.beneficiary_id is not None and uow.organizations.get(terms.beneficiary_id) is None:
            raise UnknownOrganization(
                f"no organization {terms.beneficiary_id}", field="beneficiary_id"
            )
        on = command.action_time.date()
        code = self._check_listings(uow, terms, on)
        return Proposal.propose(
            command.proposal_id,
            replace(terms, waste_code=code),
            record,
            supplier_site.region_code,
            buyer_site.region_code,
        )

    def _listing(
        self, uow: UnitOfWork, listing_id: uuid.UUID, side: ListingSide, field: str, on: date
    ) -> Listing:
        listing = self._listings(uow, listing_id)
        if listing is None:
            raise ListingNotFound(f"no listing {listing_id}", field=field)
        if listing.terms.side is not side:
            raise InvalidInput(f"listing {listing_id} is not a {side} listing", field=field)
        if not listing.is_open_on(on):
            raise ListingNotOpen(f"listing {listing_id} is {listing.state_on(on)}", field=field)
        return listing

    def _check_listings(self, uow: UnitOfWork, terms: ProposalTerms, on: date) -> str:
        """The proposal must match its listings: parties, sites, code, quantity, window."""
        supply = self._listing(
            uow, terms.supply_listing_id, ListingSide.SUPPLY, "supply_listing_id", on
        )
        demand = self._listing(
            uow, terms.demand_listing_id, ListingSide.DEMAND, "demand_listing_id", on
        )
        for listing, org, site, name in (
            (supply, terms.supplier_id, terms.supplier_site_id, "supplier"),
            (demand, terms.buyer_id, terms.buyer_site_id, "buyer"),
        ):
            if listing.terms.organization_id != org:
                raise InvalidInput(f"the listing is not the {name}'s", field=f"{name}_id")
            if listing.terms.site_id != site:
                raise InvalidInput("the listing is of another site", field=f"{name}_site_id")
            t = listing.terms
            if not t.available_from <= terms.start_on <= t.available_to:
                raise InvalidInput(
                    f"starts outside the {name}'s listing window "
                    f"{t.available_from}..{t.available_to}",
                    field="start_on",
                )
        s, d = supply.terms.supply, demand.terms.demand
        assert s is not None
        assert d is not None
        code = terms.waste_code.strip()
        if not covers([s.waste_code], code) and code.upper() != s.waste_code.upper():
            raise InvalidInput(f"the supply listing offers {s.waste_code}", field="waste_code")
        if not covers(d.accepted_codes, code):
            raise InvalidInput("the demand listing does not accept it", field="waste_code")
        for monthly, name in (
            (_monthly_t(s.quantity_t, s.basis), "supply"),
            (_monthly_t(d.capacity_t, d.basis), "demand"),
        ):
            if monthly is not None and terms.quantity_t > monthly:
                raise InvalidInput(
                    f"more than the {name} listing's {monthly:.3f} t a month", field="quantity_t"
                )
        return code

    # -- reading ---------------------------------------------------------------------------

    def proposal(self, actor: Principal, proposal_id: uuid.UUID) -> ProposalView:
        """A proposal, for its parties, its beneficiary, either region's regulators, admins."""
        with self._uow() as uow:
            proposal = uow.contracts.proposal(proposal_id)
            if proposal is None:
                raise ProposalNotFound(f"no proposal {proposal_id}", field="proposal_id")
            t = proposal.terms
            if actor.organization_id not in (t.supplier_id, t.buyer_id, t.beneficiary_id) and not (
                actor.oversees(proposal.supplier_region_code)
                or actor.oversees(proposal.buyer_region_code)
            ):
                raise Forbidden("this proposal is not yours to see", field="proposal_id")
            return ProposalView(proposal, uow.manifests.actions_of(proposal_id))

    def find(
        self,
        actor: Principal,
        page: PageRequest,
        *,
        organization_id: uuid.UUID | None = None,
        state: ProposalState | None = None,
        direction: Direction | str | None = None,
    ) -> Page[Proposal]:
        """A page of proposals: a firm's own (incoming, outgoing or both), a region's, or all."""
        way = (
            None
            if not direction
            else parsed(str(direction), Direction, "direction", "incoming or outgoing")
        )
        organization_id, region = listing_scope(actor, organization_id)
        with self._uow() as uow:
            if organization_id is not None:
                acting_organization(uow, actor, organization_id)
            return uow.contracts.find_proposals(
                page, organization_id=organization_id, region_code=region, state=state,
                direction=way,
            )  # fmt: skip
