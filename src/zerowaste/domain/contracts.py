"""Supply contracts: terms drafted from an accepted proposal, signed by both parties.

A draft becomes active once the supplier and the buyer have each signed a `zerowaste.contract/1`
document over the digest of its canonical terms; it reads as completed after its end date, and
either party may end it early by a signed termination with a reason. A manifest may name an
active contract whose supplier is its generator, whose buyer is its receiver and whose waste
its lines carry.
"""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from zerowaste.domain.catalog import covers
from zerowaste.domain.contract_template import Clause
from zerowaste.domain.listings import ComponentRange, check_components
from zerowaste.domain.proposals import fraction, rate
from zerowaste.errors import (
    ContractMismatch,
    ContractNotActive,
    ContractStateConflict,
    Forbidden,
    InvalidInput,
    InvalidPeriod,
    TermsDigestMismatch,
)


class ContractState(StrEnum):
    """Where a contract is (`completed` is read off the date: see `Contract.state_on`)."""

    DRAFTED = "drafted"
    SIGNED_BY_SUPPLIER = "signed_by_supplier"
    SIGNED_BY_BUYER = "signed_by_buyer"
    ACTIVE = "active"
    COMPLETED = "completed"
    TERMINATED = "terminated"


class ContractAction(StrEnum):
    """The signed steps of a contract."""

    SIGN = "sign"
    TERMINATE = "terminate"


class ContractRole(StrEnum):
    """Which side of a contract a signer is."""

    SUPPLIER = "supplier"
    BUYER = "buyer"


@dataclass(frozen=True, slots=True)
class ContractTerms:
    """What both parties sign: the proposal's commercial terms, the specs and the clauses."""

    proposal_id: uuid.UUID
    supplier_id: uuid.UUID
    supplier_site_id: uuid.UUID
    buyer_id: uuid.UUID
    buyer_site_id: uuid.UUID
    waste_code: str
    quantity_t: Decimal
    price_cny_per_t: Decimal
    start_on: date
    end_on: date
    specs: tuple[ComponentRange, ...] = ()
    tolerance: Decimal = Decimal("0.1")
    shortfall_penalty_cny_per_t: Decimal = Decimal(0)
    off_spec_penalty_cny_per_t: Decimal = Decimal(0)
    take_back: bool = True
    revenue_share: Decimal = Decimal(0)
    beneficiary_id: uuid.UUID | None = None
    clauses: tuple[Clause, ...] = ()
    template: str = ""

    def __post_init__(self) -> None:
        if self.quantity_t <= 0:
            raise InvalidInput("must be more than zero", field="quantity_t")
        if self.end_on < self.start_on:
            raise InvalidPeriod(
                f"ends {self.end_on} before it starts {self.start_on}", field="end_on"
            )
        check_components(self.specs, "specs")
        fraction(self.tolerance, "tolerance")
        fraction(self.revenue_share, "revenue_share")
        rate(self.shortfall_penalty_cny_per_t, "shortfall_penalty_cny_per_t")
        rate(self.off_spec_penalty_cny_per_t, "off_spec_penalty_cny_per_t")
        keys = [c.key for c in self.clauses]
        if len(set(keys)) != len(keys):
            raise InvalidInput("a clause key is used twice", field="clauses")

    def months(self) -> list[tuple[str, date, date, Decimal]]:
        """Each calendar month of the term: `YYYY-MM`, first and last day covered, tonnes due.

        A month the term covers in part is committed pro rata to its days.
        """
        out = []
        day = self.start_on
        while day <= self.end_on:
            length = calendar.monthrange(day.year, day.month)[1]
            last = min(self.end_on, day.replace(day=length))
            share = Decimal((last - day).days + 1) / Decimal(length)
            out.append((f"{day:%Y-%m}", day, last, self.quantity_t * share))
            day = last + timedelta(days=1)
        return out

    @property
    def committed_total_t(self) -> Decimal:
        """Tonnes committed over the whole term."""
        return sum((m[3] for m in self.months()), Decimal(0))


@dataclass(frozen=True, slots=True)
class ContractSignature:
    """A signed step: who, on which side, with which key, when, why (termination), its leaf."""

    action_id: uuid.UUID
    action: ContractAction
    role: ContractRole
    organization_id: uuid.UUID
    signed_at: datetime
    key_id: str
    user_id: uuid.UUID | None = None
    reason: str = ""
    leaf_index: int | None = None


@dataclass(frozen=True, slots=True)
class Contract:
    """A contract: terms and their digest, state, signatures, and the parties' regions."""

    contract_id: uuid.UUID
    number: str
    state: ContractState
    terms: ContractTerms
    terms_digest: str
    supplier_region_code: str
    buyer_region_code: str
    drafted_at: datetime
    signatures: tuple[ContractSignature, ...] = ()

    @classmethod
    def draft(
        cls,
        contract_id: uuid.UUID,
        terms: ContractTerms,
        terms_digest: str,
        supplier_region_code: str,
        buyer_region_code: str,
        at: datetime,
    ) -> Contract:
        """A new draft, numbered by the supplier's region and the drafting day."""
        number = f"{supplier_region_code}-{at:%Y%m%d}-C{contract_id.hex[:7].upper()}"
        return cls(
            contract_id, number, ContractState.DRAFTED, terms, terms_digest,
            supplier_region_code, buyer_region_code, at,
        )  # fmt: skip

    def role_of(self, organization_id: uuid.UUID) -> ContractRole:
        """The side `organization_id` is on; `Forbidden` for anyone else."""
        if organization_id == self.terms.supplier_id:
            return ContractRole.SUPPLIER
        if organization_id == self.terms.buyer_id:
            return ContractRole.BUYER
        raise Forbidden("only the supplier or the buyer signs", field="organization_id")

    def signed_by(self, role: ContractRole) -> ContractSignature | None:
        """The signature of one side, or None."""
        return next(
            (s for s in self.signatures if s.role is role and s.action is ContractAction.SIGN),
            None,
        )

    def _digest(self, digest: str) -> None:
        if digest != self.terms_digest:
            raise TermsDigestMismatch(
                "the document signs other terms than the contract's", field="terms_digest"
            )

    def sign(self, step: ContractSignature, digest: str) -> Contract:
        """One party signs the terms; the second signature makes the contract active."""
        self._digest(digest)
        if self.state not in (
            ContractState.DRAFTED,
            ContractState.SIGNED_BY_SUPPLIER,
            ContractState.SIGNED_BY_BUYER,
        ):
            raise ContractStateConflict(f"contract {self.number} is {self.state}", field="action")
        if step.signed_at.date() > self.terms.end_on:
            raise ContractStateConflict("the contract's term has ended", field="action_time")
        role = self.role_of(step.organization_id)
        if self.signed_by(role) is not None:
            raise ContractStateConflict(f"the {role} has signed already", field="organization_id")
        other = ContractRole.BUYER if role is ContractRole.SUPPLIER else ContractRole.SUPPLIER
        if self.signed_by(other) is not None:
            state = ContractState.ACTIVE
        elif role is ContractRole.SUPPLIER:
            state = ContractState.SIGNED_BY_SUPPLIER
        else:
            state = ContractState.SIGNED_BY_BUYER
        signature = replace(step, role=role, action=ContractAction.SIGN)
        return replace(self, state=state, signatures=(*self.signatures, signature))

    def terminate(self, step: ContractSignature, digest: str) -> Contract:
        """Either party ends the contract early, saying why."""
        self._digest(digest)
        if self.state is ContractState.TERMINATED:
            raise ContractStateConflict(f"contract {self.number} is terminated", field="action")
        if self.state_on(step.signed_at.date()) is ContractState.COMPLETED:
            raise ContractStateConflict(f"contract {self.number} is completed", field="action")
        if not step.reason.strip():
            raise InvalidInput("say why the contract ends", field="reason")
        role = self.role_of(step.organization_id)
        signature = replace(step, role=role, action=ContractAction.TERMINATE)
        return replace(
            self, state=ContractState.TERMINATED, signatures=(*self.signatures, signature)
        )

    @property
    def terminated_on(self) -> date | None:
        """The day a termination was signed, or None."""
        for s in self.signatures:
            if s.action is ContractAction.TERMINATE:
                return s.signed_at.date()
        return None

    def state_on(self, on: date) -> ContractState:
        """The state on a day: an active contract past its end date reads as completed."""
        if self.state is ContractState.ACTIVE and on > self.terms.end_on:
            return ContractState.COMPLETED
        return self.state

    def check_covers(
        self,
        *,
        generator_id: uuid.UUID,
        receiver_id: uuid.UUID,
        waste_codes: tuple[str, ...],
        on: date,
    ) -> None:
        """Refuse a manifest this contract does not cover (state, term, parties, wastes)."""
        field = "contract_id"
        t = self.terms
        if self.state is not ContractState.ACTIVE:
            raise ContractNotActive(f"contract {self.number} is {self.state}", field=field)
        if not t.start_on <= on <= t.end_on:
            raise ContractNotActive(
                f"{on} is outside the contract's term {t.start_on}..{t.end_on}", field=field
            )
        if generator_id != t.supplier_id:
            raise ContractMismatch("the contract's supplier is not the generator", field=field)
        if receiver_id != t.buyer_id:
            raise ContractMismatch("the contract's buyer is not the receiver", field=field)
        for index, code in enumerate(waste_codes):
            if not covers([t.waste_code], code):
                raise ContractMismatch(
                    f"the contract is for {t.waste_code}, not {code} (lines[{index}])",
                    field=field,
                )

    def with_leaf(self, action_id: uuid.UUID, leaf_index: int) -> Contract:
        """The contract with the log position of a signature filled in."""
        return replace(
            self,
            signatures=tuple(
                replace(s, leaf_index=leaf_index) if s.action_id == action_id else s
                for s in self.signatures
            ),
        )
