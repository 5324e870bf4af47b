"""Drafting a contract when a proposal is accepted: specs, names, standard clauses, digest."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from datetime import datetime

from zerowaste.adapters.db.unit_of_work import UnitOfWork
from zerowaste.domain.contract_documents import terms_record
from zerowaste.domain.contract_drafting import draft_terms
from zerowaste.domain.contract_template import Clause, standard_clauses
from zerowaste.domain.contracts import Contract, ContractTerms
from zerowaste.domain.listings import Listing
from zerowaste.domain.proposals import Proposal, ProposalTerms
from zerowaste.errors import ListingNotFound
from zerowaste.ledger.canonical import canonical_json
from zerowaste.services.admission import chain_clauses

#: The standard clauses a contract of these terms carries (e.g. its chain master's).
ClauseSource = Callable[[UnitOfWork, ProposalTerms], tuple[Clause, ...]]
#: Reads a stored listing in the caller's unit of work.
ListingLookup = Callable[[UnitOfWork, uuid.UUID], Listing | None]


def stored_listing(uow: UnitOfWork, listing_id: uuid.UUID) -> Listing | None:
    """The stored listing, or None."""
    return uow.listings.get(listing_id)


def no_clauses(uow: UnitOfWork, terms: ProposalTerms) -> tuple[Clause, ...]:
    """No standard clauses (the default until a chain master's rules are wired)."""
    return ()


def chain_master_clauses(uow: UnitOfWork, terms: ProposalTerms) -> tuple[Clause, ...]:
    """The standard clauses of every chain master whose chain holds both parties."""
    by_master = chain_clauses(uow, terms.supplier_id, terms.buyer_id)
    return standard_clauses(c for _, clauses in sorted(by_master.items()) for c in clauses)


def terms_digest(terms: ContractTerms) -> str:
    """SHA-256 (hex) of the RFC 8785 canonical form of the terms record: what parties sign."""
    return hashlib.sha256(canonical_json(terms_record(terms))).hexdigest()


class ContractDrafter:
    """Builds the draft a proposal's acceptance creates, in the caller's unit of work."""

    def __init__(self, listings: ListingLookup, clauses: ClauseSource = no_clauses) -> None:
        self._listings = listings
        self._clauses = clauses

    def terms(
        self, uow: UnitOfWork, proposal: Proposal, extra: tuple[Clause, ...] = ()
    ) -> ContractTerms:
        """The terms: the proposal's, the demand listing's limits as specs, rendered clauses."""
        t = proposal.terms
        demand = self._listings(uow, t.demand_listing_id)
        if demand is None or demand.terms.demand is None:
            raise ListingNotFound(
                f"no demand listing {t.demand_listing_id}", field="demand_listing_id"
            )
        names: dict[str, str] = {}
        for key, organization_id in (
            ("supplier", t.supplier_id),
            ("buyer", t.buyer_id),
            ("beneficiary", t.beneficiary_id),
        ):
            organization = uow.organizations.get(organization_id) if organization_id else None
            if organization is not None:
                names[key] = organization.name
        for key, site_id in (
            ("supplier_site", t.supplier_site_id),
            ("buyer_site", t.buyer_site_id),
        ):
            site = uow.sites.get(site_id)
            if site is not None:
                names[key] = site.name
        clauses = (*self._clauses(uow, t), *extra)
        return draft_terms(proposal.proposal_id, t, demand.terms.demand.limits, names, clauses)

    def draft(
        self,
        uow: UnitOfWork,
        proposal: Proposal,
        contract_id: uuid.UUID,
        at: datetime,
        extra: tuple[Clause, ...] = (),
    ) -> Contract:
        """The drafted contract, its terms digested."""
        terms = self.terms(uow, proposal, extra)
        return Contract.draft(
            contract_id,
            terms,
            terms_digest(terms),
            proposal.supplier_region_code,
            proposal.buyer_region_code,
            at,
        )
