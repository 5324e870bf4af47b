"""Market proposals and contracts, and the manifests delivered under a contract."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Table, insert, or_, select, update

from zerowaste.adapters.db.contract_json import (
    contract_from_row,
    proposal_from_row,
    proposal_json,
    signatures_json,
)
from zerowaste.adapters.db.contract_tables import market_contracts, market_proposals
from zerowaste.adapters.db.manifest_json import manifest_from_row
from zerowaste.adapters.db.paging import fetch_page
from zerowaste.adapters.db.tables import manifests
from zerowaste.domain.contract_documents import terms_record
from zerowaste.domain.contracts import Contract, ContractState
from zerowaste.domain.manifests import Manifest
from zerowaste.domain.pages import Page, PageRequest
from zerowaste.domain.proposals import Proposal, ProposalState
from zerowaste.domain.regions import region_prefix


class Direction(StrEnum):
    """Which proposals of an organization: those it made, or those made to it."""

    OUTGOING = "outgoing"
    INCOMING = "incoming"


class ContractRepository:
    """Reads and writes of proposals and contracts on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    # -- proposals -------------------------------------------------------------------------

    def proposal(self, proposal_id: uuid.UUID) -> Proposal | None:
        """The proposal, or None."""
        query = select(market_proposals).where(market_proposals.c.proposal_id == proposal_id)
        row = self._connection.execute(query).first()
        return proposal_from_row(row) if row else None

    def put_proposal(self, p: Proposal, now: datetime) -> None:
        """Insert or update a proposal's projection."""
        values = {
            "state": p.state.value,
            "proposer_id": p.proposer_id,
            "supplier_id": p.terms.supplier_id,
            "buyer_id": p.terms.buyer_id,
            "beneficiary_id": p.terms.beneficiary_id,
            "supply_listing_id": p.terms.supply_listing_id,
            "demand_listing_id": p.terms.demand_listing_id,
            "supplier_region_code": p.supplier_region_code,
            "buyer_region_code": p.buyer_region_code,
            "contract_id": p.contract_id,
            "updated_at": now,
            "body": proposal_json(p),
        }
        key = market_proposals.c.proposal_id
        if not self._update(market_proposals, key, p.proposal_id, values):
            self._connection.execute(
                insert(market_proposals),
                {"proposal_id": p.proposal_id, "created_at": now, **values},
            )

    def find_proposals(
        self,
        page: PageRequest,
        *,
        organization_id: uuid.UUID | None = None,
        region_code: str | None = None,
        state: ProposalState | None = None,
        direction: Direction | None = None,
    ) -> Page[Proposal]:
        """A page of proposals by id: of a party (either way, or one way), or of a region."""
        p = market_proposals.c
        query = select(market_proposals)
        if organization_id is not None:
            party = or_(p.supplier_id == organization_id, p.buyer_id == organization_id)
            if direction is Direction.OUTGOING:
                query = query.where(p.proposer_id == organization_id)
            elif direction is Direction.INCOMING:
                query = query.where(party, p.proposer_id != organization_id)
            else:
                query = query.where(or_(party, p.beneficiary_id == organization_id))
        if region_code is not None:
            prefix = region_prefix(region_code) + "%"
            query = query.where(
                or_(p.supplier_region_code.like(prefix), p.buyer_region_code.like(prefix))
            )
        if state is not None:
            query = query.where(p.state == state.value)
        return fetch_page(self._connection, query, p.proposal_id, page, proposal_from_row)

    # -- contracts -------------------------------------------------------------------------

    def get(self, contract_id: uuid.UUID) -> Contract | None:
        """The contract, or None."""
        query = select(market_contracts).where(market_contracts.c.contract_id == contract_id)
        row = self._connection.execute(query).first()
        return contract_from_row(row) if row else None

    def put(self, c: Contract, now: datetime) -> None:
        """Insert or update a contract's projection."""
        t = c.terms
        values = {
            "state": c.state.value,
            "signatures": signatures_json(c),
            "updated_at": now,
        }
        key = market_contracts.c.contract_id
        if self._update(market_contracts, key, c.contract_id, values):
            return
        row = {
            "contract_id": c.contract_id,
            "number": c.number,
            "proposal_id": t.proposal_id,
            "supplier_id": t.supplier_id,
            "buyer_id": t.buyer_id,
            "beneficiary_id": t.beneficiary_id,
            "supplier_region_code": c.supplier_region_code,
            "buyer_region_code": c.buyer_region_code,
            "waste_code": t.waste_code,
            "start_on": t.start_on,
            "end_on": t.end_on,
            "terms": terms_record(t),
            "terms_digest": c.terms_digest,
            "drafted_at": c.drafted_at,
            **values,
        }
        self._connection.execute(insert(market_contracts), row)

    def find(
        self,
        page: PageRequest,
        *,
        organization_id: uuid.UUID | None = None,
        region_code: str | None = None,
        state: ContractState | None = None,
    ) -> Page[Contract]:
        """A page of contracts by number: of a party or beneficiary, or touching a region."""
        c = market_contracts.c
        query = select(market_contracts)
        if organization_id is not None:
            query = query.where(
                or_(
                    c.supplier_id == organization_id,
                    c.buyer_id == organization_id,
                    c.beneficiary_id == organization_id,
                )
            )
        if region_code is not None:
            prefix = region_prefix(region_code) + "%"
            query = query.where(
                or_(c.supplier_region_code.like(prefix), c.buyer_region_code.like(prefix))
            )
        if state is not None:
            query = query.where(c.state == state.value)
        return fetch_page(self._connection, query, c.number, page, contract_from_row)

    def manifests_of(self, contract_id: uuid.UUID) -> list[Manifest]:
        """The manifests naming the contract, by number."""
        query = (
            select(manifests)
            .where(manifests.c.contract_id == contract_id)
            .order_by(manifests.c.number)
        )
        return [manifest_from_row(row) for row in self._connection.execute(query)]

    def _update(self, table: Table, key: Any, value: uuid.UUID, values: dict[str, Any]) -> bool:
        result = self._connection.execute(update(table).where(key == value), values)
        return bool(result.rowcount)
