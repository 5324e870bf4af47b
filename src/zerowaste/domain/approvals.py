"""Cross-province transfer approvals (跨省转移审批): request, consent, approve, draw down.

The generator requests an approval for one waste code (or category), a quantity cap, a period
and a receiver; the destination province's regulator consents to take the waste in; the origin
province's regulator then approves (《固体废物污染环境防治法》第二十二条; 《危险废物转移管理办法》
第三章). A manifest whose sites lie in different provinces draws its declared mass down from an
approved approval of the same parties and waste, inside the period and under the cap.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from zerowaste.domain.catalog import covers
from zerowaste.domain.events import positive_mass
from zerowaste.domain.manifests import crosses_provinces, province_of
from zerowaste.domain.regions import in_jurisdiction
from zerowaste.errors import (
    ApprovalExceeded,
    ApprovalExpired,
    ApprovalMismatch,
    ApprovalMissing,
    ApprovalStateConflict,
    Forbidden,
    InvalidInput,
    InvalidPeriod,
)


class ApprovalState(StrEnum):
    """Where an approval is in its workflow."""

    REQUESTED = "requested"
    CONSENTED = "consented"
    APPROVED = "approved"
    REFUSED = "refused"


class ApprovalAction(StrEnum):
    """The signed steps of an approval."""

    REQUEST = "request"
    CONSENT = "consent"
    APPROVE = "approve"
    REFUSE = "refuse"


@dataclass(frozen=True, slots=True)
class ApprovalTerms:
    """What the generator asks for."""

    generator_id: uuid.UUID
    generator_site_id: uuid.UUID
    receiver_id: uuid.UUID
    receiver_site_id: uuid.UUID
    waste_code: str
    cap_kg: Decimal
    valid_from: date
    valid_to: date
    note: str = ""

    def __post_init__(self) -> None:
        positive_mass(self.cap_kg, field="quantity")
        if self.valid_to < self.valid_from:
            raise InvalidPeriod(
                f"ends {self.valid_to} before it starts {self.valid_from}", field="valid_to"
            )


@dataclass(frozen=True, slots=True)
class ApprovalStep:
    """A signed step: who (organization or regulator user), when, with which key, its leaf."""

    action_id: uuid.UUID
    action: ApprovalAction
    signed_at: datetime
    key_id: str
    organization_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    jurisdiction_code: str | None = None
    note: str = ""
    leaf_index: int | None = None


@dataclass(frozen=True, slots=True)
class Approval:
    """An approval and how much of its cap manifests have drawn."""

    approval_id: uuid.UUID
    number: str
    state: ApprovalState
    terms: ApprovalTerms
    origin_region_code: str
    destination_region_code: str
    used_kg: Decimal = Decimal(0)
    steps: tuple[ApprovalStep, ...] = ()

    @classmethod
    def request(
        cls,
        approval_id: uuid.UUID,
        terms: ApprovalTerms,
        origin_region_code: str,
        destination_region_code: str,
        step: ApprovalStep,
    ) -> Approval:
        """A new request by the generator; its sites must lie in different provinces."""
        if not crosses_provinces(origin_region_code, destination_region_code):
            raise InvalidInput(
                "both sites lie in one province: no approval is needed", field="receiver_site_id"
            )
        if step.organization_id != terms.generator_id:
            raise InvalidInput("the generator requests its approval", field="organization_id")
        number = f"{origin_region_code}-{step.signed_at:%Y%m%d}-A{approval_id.hex[:7].upper()}"
        return cls(
            approval_id=approval_id,
            number=number,
            state=ApprovalState.REQUESTED,
            terms=terms,
            origin_region_code=origin_region_code,
            destination_region_code=destination_region_code,
            steps=(step,),
        )

    @property
    def remaining_kg(self) -> Decimal:
        """What manifests may still draw."""
        return self.terms.cap_kg - self.used_kg

    def _regulator_of(self, step: ApprovalStep, region_code: str, side: str) -> None:
        """Refuse a step by anyone but a regulator over the province (admins pass: None)."""
        jurisdiction = step.jurisdiction_code
        if jurisdiction is None:
            return
        if not in_jurisdiction(region_code, jurisdiction) or jurisdiction[2:] != "0000":
            raise Forbidden(
                f"only the {side} province's regulator ({province_of(region_code)}0000) may",
                field="jurisdiction_code",
            )

    def consent(self, step: ApprovalStep) -> Approval:
        """The destination province's regulator agrees to take the waste in."""
        if self.state is not ApprovalState.REQUESTED:
            raise ApprovalStateConflict(f"approval {self.number} is {self.state}", field="action")
        self._regulator_of(step, self.destination_region_code, "destination")
        return replace(self, state=ApprovalState.CONSENTED, steps=(*self.steps, step))

    def approve(self, step: ApprovalStep) -> Approval:
        """The origin province's regulator approves, after the destination's consent."""
        if self.state is not ApprovalState.CONSENTED:
            raise ApprovalStateConflict(
                f"approval {self.number} is {self.state}; it needs the destination's consent",
                field="action",
            )
        self._regulator_of(step, self.origin_region_code, "origin")
        return replace(self, state=ApprovalState.APPROVED, steps=(*self.steps, step))

    def refuse(self, step: ApprovalStep) -> Approval:
        """Either regulator refuses, before approval (the destination only before consenting)."""
        if self.state is ApprovalState.REQUESTED:
            self._regulator_of(step, self.destination_region_code, "destination")
        elif self.state is ApprovalState.CONSENTED:
            self._regulator_of(step, self.origin_region_code, "origin")
        else:
            raise ApprovalStateConflict(f"approval {self.number} is {self.state}", field="action")
        return replace(self, state=ApprovalState.REFUSED, steps=(*self.steps, step))

    def check_covers(
        self,
        *,
        generator_id: uuid.UUID,
        generator_site_id: uuid.UUID,
        receiver_id: uuid.UUID,
        receiver_site_id: uuid.UUID,
        waste_codes: tuple[str, ...],
        on: date,
    ) -> None:
        """Refuse a manifest this approval does not cover (state, parties, wastes, period)."""
        field = "approval_id"
        if self.state is not ApprovalState.APPROVED:
            raise ApprovalMissing(f"approval {self.number} is {self.state}", field=field)
        t = self.terms
        if (generator_id, generator_site_id) != (t.generator_id, t.generator_site_id):
            raise ApprovalMismatch("the approval is for another generator or site", field=field)
        if (receiver_id, receiver_site_id) != (t.receiver_id, t.receiver_site_id):
            raise ApprovalMismatch("the approval is for another receiver or site", field=field)
        for index, code in enumerate(waste_codes):
            if not covers([t.waste_code], code):
                raise ApprovalMismatch(
                    f"the approval covers {t.waste_code}, not {code}", field=f"lines[{index}]"
                )
        if not t.valid_from <= on <= t.valid_to:
            raise ApprovalExpired(
                f"{on} is outside the approval's period {t.valid_from}..{t.valid_to}", field=field
            )

    def draw(self, mass_kg: Decimal) -> Approval:
        """Draw a manifest's mass down; `ApprovalExceeded` past the cap."""
        if mass_kg > self.remaining_kg:
            raise ApprovalExceeded(
                f"{mass_kg} kg exceeds the {self.remaining_kg} kg left of {self.terms.cap_kg} kg",
                field="approval_id",
            )
        return replace(self, used_kg=self.used_kg + mass_kg)

    def release(self, mass_kg: Decimal) -> Approval:
        """Give back a superseded version's mass (on a correction)."""
        return replace(self, used_kg=max(Decimal(0), self.used_kg - mass_kg))

    def with_leaf(self, action_id: uuid.UUID, leaf_index: int) -> Approval:
        """The approval with the log position of a step filled in."""
        return replace(
            self,
            steps=tuple(
                replace(s, leaf_index=leaf_index) if s.action_id == action_id else s
                for s in self.steps
            ),
        )
