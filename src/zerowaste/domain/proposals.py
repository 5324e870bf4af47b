"""Market proposals: one party offers the other a supply contract drawn from two listings.

A supplier (holding a supply listing) or a buyer (holding a demand listing) proposes a monthly
quantity, a price and a period, optionally from a line of a region-wide allocation. The
counterparty accepts (which drafts the contract) or declines; the proposer may withdraw while
the proposal is open. Each step is a signed `zerowaste.proposal/1` document in the log.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from zerowaste.domain.listings import MAX_ABS_PRICE_CNY_PER_T, MAX_QUANTITY_T
from zerowaste.errors import (
    Forbidden,
    InvalidInput,
    InvalidPeriod,
    ProposalStateConflict,
)

#: Longest contract term a proposal may name (days).
MAX_TERM_DAYS = 5 * 366
#: Bounds of the penalty rates a proposal may name (CNY per tonne).
MAX_PENALTY_CNY_PER_T = Decimal(1_000_000)


class ProposalState(StrEnum):
    """Where a proposal is: open, or accepted, declined or withdrawn."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class ProposalAction(StrEnum):
    """The signed steps of a proposal."""

    PROPOSE = "propose"
    ACCEPT = "accept"
    DECLINE = "decline"
    WITHDRAW = "withdraw"


def fraction(value: Decimal, field: str) -> None:
    """Refuse anything but a finite fraction in [0, 1]."""
    if not value.is_finite() or not 0 <= value <= 1:
        raise InvalidInput(f"{value} is not a fraction between 0 and 1", field=field)


def rate(value: Decimal, field: str) -> None:
    """Refuse a negative, infinite or absurd penalty rate (CNY per tonne)."""
    if not value.is_finite() or not 0 <= value <= MAX_PENALTY_CNY_PER_T:
        raise InvalidInput(
            f"{value} is not a rate of 0..{MAX_PENALTY_CNY_PER_T} CNY/t", field=field
        )


@dataclass(frozen=True, slots=True)
class ProposalTerms:
    """What a proposal offers (the contract's commercial terms, before the template).

    Attributes:
        supply_listing_id: The supplier's listing.
        demand_listing_id: The buyer's listing.
        supplier_id: The organization that supplies (the manifests' generator).
        supplier_site_id: Its site the waste leaves from.
        buyer_id: The organization that takes the waste (the manifests' receiver).
        buyer_site_id: Its site the waste goes to.
        waste_code: The waste code, category or class contracted.
        quantity_t: Tonnes committed per calendar month.
        price_cny_per_t: What the buyer pays per accepted tonne (negative: a gate fee it charges).
        start_on: First day of the contract.
        end_on: Last day of the contract.
        tolerance: Fraction of the monthly commitment that may fall short without penalty.
        shortfall_penalty_cny_per_t: Owed by the supplier per tonne short beyond the tolerance.
        off_spec_penalty_cny_per_t: Owed by the supplier per delivered tonne off the specs.
        revenue_share: Fraction of the delivered value owed to the beneficiary.
        beneficiary_id: Who the revenue share is owed to (e.g. the chain master), if any.
        allocation_id: The allocation the proposal comes from, if any.
        line_no: The allocation's line, if any.
        note: Free text.
    """

    supply_listing_id: uuid.UUID
    demand_listing_id: uuid.UUID
    supplier_id: uuid.UUID
    supplier_site_id: uuid.UUID
    buyer_id: uuid.UUID
    buyer_site_id: uuid.UUID
    waste_code: str
    quantity_t: Decimal
    price_cny_per_t: Decimal
    start_on: date
    end_on: date
    tolerance: Decimal = Decimal("0.1")
    shortfall_penalty_cny_per_t: Decimal = Decimal(0)
    off_spec_penalty_cny_per_t: Decimal = Decimal(0)
    revenue_share: Decimal = Decimal(0)
    beneficiary_id: uuid.UUID | None = None
    allocation_id: uuid.UUID | None = None
    line_no: int | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if not self.waste_code.strip() or len(self.waste_code) > 20:
            raise InvalidInput("1-20 characters", field="waste_code")
        q = self.quantity_t
        if not q.is_finite() or not 0 < q <= MAX_QUANTITY_T:
            raise InvalidInput(f"{q} is not a positive monthly tonnage", field="quantity_t")
        p = self.price_cny_per_t
        if not p.is_finite() or abs(p) > MAX_ABS_PRICE_CNY_PER_T:
            raise InvalidInput(f"{p} is not a price in CNY per tonne", field="price_cny_per_t")
        if self.end_on < self.start_on:
            raise InvalidPeriod(
                f"ends {self.end_on} before it starts {self.start_on}", field="end_on"
            )
        if (self.end_on - self.start_on).days > MAX_TERM_DAYS:
            raise InvalidPeriod(f"at most {MAX_TERM_DAYS} days", field="end_on")
        fraction(self.tolerance, "tolerance")
        fraction(self.revenue_share, "revenue_share")
        rate(self.shortfall_penalty_cny_per_t, "shortfall_penalty_cny_per_t")
        rate(self.off_spec_penalty_cny_per_t, "off_spec_penalty_cny_per_t")
        if self.revenue_share > 0 and self.beneficiary_id is None:
            raise InvalidInput("name who the revenue share is owed to", field="beneficiary_id")
        if self.supplier_id == self.buyer_id and self.supplier_site_id == self.buyer_site_id:
            raise InvalidInput("a contract moves waste to another site", field="buyer_site_id")
        if self.line_no is not None and (self.allocation_id is None or self.line_no < 0):
            raise InvalidInput("a line number of a named allocation (0, 1, …)", field="line_no")
        if len(self.note) > 2000:
            raise InvalidInput("at most 2000 characters", field="note")


@dataclass(frozen=True, slots=True)
class ProposalStep:
    """A signed step: which organization, user and key, when, and its leaf."""

    action_id: uuid.UUID
    action: ProposalAction
    organization_id: uuid.UUID
    signed_at: datetime
    key_id: str
    user_id: uuid.UUID | None = None
    note: str = ""
    leaf_index: int | None = None


@dataclass(frozen=True, slots=True)
class Proposal:
    """A proposal, its state, its steps and the contract its acceptance drafted."""

    proposal_id: uuid.UUID
    state: ProposalState
    terms: ProposalTerms
    proposer_id: uuid.UUID
    supplier_region_code: str
    buyer_region_code: str
    steps: tuple[ProposalStep, ...] = ()
    contract_id: uuid.UUID | None = None

    @classmethod
    def propose(
        cls,
        proposal_id: uuid.UUID,
        terms: ProposalTerms,
        step: ProposalStep,
        supplier_region_code: str,
        buyer_region_code: str,
    ) -> Proposal:
        """A new proposal by the supplier or the buyer."""
        if step.organization_id not in (terms.supplier_id, terms.buyer_id):
            raise Forbidden("only the supplier or the buyer proposes", field="organization_id")
        return cls(
            proposal_id=proposal_id,
            state=ProposalState.PROPOSED,
            terms=terms,
            proposer_id=step.organization_id,
            supplier_region_code=supplier_region_code,
            buyer_region_code=buyer_region_code,
            steps=(step,),
        )

    @property
    def counterparty_id(self) -> uuid.UUID:
        """The party that did not propose: it accepts or declines."""
        t = self.terms
        return t.buyer_id if self.proposer_id == t.supplier_id else t.supplier_id

    def _open(self) -> None:
        if self.state is not ProposalState.PROPOSED:
            raise ProposalStateConflict(f"the proposal is {self.state}", field="action")

    def _by_counterparty(self, step: ProposalStep) -> None:
        self._open()
        if step.organization_id != self.counterparty_id:
            raise Forbidden("only the counterparty accepts or declines", field="organization_id")

    def accept(self, step: ProposalStep, contract_id: uuid.UUID) -> Proposal:
        """The counterparty accepts: the proposal points at the drafted contract."""
        self._by_counterparty(step)
        return replace(
            self, state=ProposalState.ACCEPTED, steps=(*self.steps, step), contract_id=contract_id
        )

    def decline(self, step: ProposalStep) -> Proposal:
        """The counterparty declines."""
        self._by_counterparty(step)
        return replace(self, state=ProposalState.DECLINED, steps=(*self.steps, step))

    def withdraw(self, step: ProposalStep) -> Proposal:
        """The proposer withdraws an open proposal."""
        self._open()
        if step.organization_id != self.proposer_id:
            raise Forbidden("only the proposer withdraws", field="organization_id")
        return replace(self, state=ProposalState.WITHDRAWN, steps=(*self.steps, step))

    def with_leaf(self, action_id: uuid.UUID, leaf_index: int) -> Proposal:
        """The proposal with the log position of a step filled in."""
        return replace(
            self,
            steps=tuple(
                replace(s, leaf_index=leaf_index) if s.action_id == action_id else s
                for s in self.steps
            ),
        )
