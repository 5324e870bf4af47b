"""The parts of a transfer manifest: states, steps, roles, lines, terms, legs and signatures."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from zerowaste.domain.events import positive_mass
from zerowaste.domain.permits import PermitActivity
from zerowaste.errors import InvalidInput, InvalidQuantity

#: Activities a receiver may take a manifest's waste for (its licence must list the one named).
RECEIVING_ACTIVITIES = frozenset(
    {PermitActivity.COLLECT, PermitActivity.STORE, PermitActivity.UTILIZE, PermitActivity.DISPOSE}
)


class ManifestState(StrEnum):
    """Where a manifest is in its life (DESIGN.md §5)."""

    DRAFT = "draft"
    ISSUED = "issued"
    PICKED_UP = "picked_up"
    IN_TRANSIT = "in_transit"
    RECEIVED = "received"
    REJECTED = "rejected"
    PARTIALLY_RECEIVED = "partially_received"
    CLOSED = "closed"


class ManifestAction(StrEnum):
    """The signed steps of a manifest."""

    ISSUE = "issue"
    PICKUP = "pickup"
    DELIVER = "deliver"
    RECEIVE = "receive"
    REJECT = "reject"
    CLOSE = "close"
    CORRECT = "correct"


class PartyRole(StrEnum):
    """The role a signer plays on a manifest."""

    GENERATOR = "generator"
    TRANSPORTER = "transporter"
    RECEIVER = "receiver"
    RETURN_RECEIVER = "return_receiver"


class Disposition(StrEnum):
    """Where a rejected load goes: back to the generator, or on to an alternate receiver."""

    RETURN = "return"
    REDIRECT = "redirect"


def manifest_number(origin_region_code: str, issued_on: date, manifest_id: uuid.UUID) -> str:
    """The human manifest number: origin region code, issue date, 8 characters of the id.

    E.g. `320505-20260601-1A2B3C4D` for a manifest issued in Suzhou's Huqiu district.
    """
    return f"{origin_region_code}-{issued_on:%Y%m%d}-{manifest_id.hex[:8].upper()}"


def province_of(region_code: str) -> str:
    """The province part of a GB/T 2260 code (its first two digits)."""
    return region_code[:2]


def crosses_provinces(origin_region_code: str, destination_region_code: str) -> bool:
    """Whether a transfer leaves its province and so needs an approval (跨省转移审批)."""
    return province_of(origin_region_code) != province_of(destination_region_code)


@dataclass(frozen=True, slots=True)
class ManifestLine:
    """One batch on a manifest: its code, the declared mass, and what shipping and receipt found.

    `shipped_kg` is the mass of the generator's `shipped` event; `weighed_kg` the receiver's
    gate weighing; `rejected_kg` the part of it refused; `received_event_kg` the mass of the
    `received` event that took the batch in.
    """

    batch_id: uuid.UUID
    waste_code: str
    mass_kg: Decimal
    shipped_kg: Decimal | None = None
    weighed_kg: Decimal | None = None
    rejected_kg: Decimal = Decimal(0)
    received_event_kg: Decimal | None = None

    @property
    def accepted_kg(self) -> Decimal | None:
        """Weighed minus rejected, once weighed."""
        return None if self.weighed_kg is None else self.weighed_kg - self.rejected_kg

    @property
    def discrepancy_kg(self) -> Decimal | None:
        """Weighed minus shipped (or declared, if the shipment was not captured), once weighed."""
        if self.weighed_kg is None:
            return None
        return self.weighed_kg - (self.mass_kg if self.shipped_kg is None else self.shipped_kg)


@dataclass(frozen=True, slots=True)
class ManifestTerms:
    """What the generator declares on issue (or on a correction)."""

    generator_id: uuid.UUID
    generator_site_id: uuid.UUID
    receiver_id: uuid.UUID
    receiver_site_id: uuid.UUID
    transporter_ids: tuple[uuid.UUID, ...]
    lines: tuple[ManifestLine, ...]
    activity: PermitActivity = PermitActivity.UTILIZE
    approval_id: uuid.UUID | None = None
    note: str = ""
    contract_id: uuid.UUID | None = None

    def __post_init__(self) -> None:
        if not self.transporter_ids:
            raise InvalidInput("name at least one transporter", field="transporters")
        if len(set(self.transporter_ids)) != len(self.transporter_ids):
            raise InvalidInput("a transporter carries one leg", field="transporters")
        if not self.lines:
            raise InvalidInput("a manifest lists at least one batch", field="lines")
        seen: set[uuid.UUID] = set()
        for index, line in enumerate(self.lines):
            if line.batch_id in seen:
                raise InvalidInput("a batch is listed once", field=f"lines[{index}].batch")
            seen.add(line.batch_id)
            positive_mass(line.mass_kg, field=f"lines[{index}].quantity")
        if self.activity not in RECEIVING_ACTIVITIES:
            raise InvalidInput(f"{self.activity} is not a receiving activity", field="activity")
        if (
            self.receiver_id == self.generator_id
            and self.receiver_site_id == self.generator_site_id
        ):
            raise InvalidInput("a manifest moves waste to another site", field="receiver_site_id")

    @property
    def mass_kg(self) -> Decimal:
        """The declared mass of all lines."""
        return sum((line.mass_kg for line in self.lines), Decimal(0))


@dataclass(frozen=True, slots=True)
class Leg:
    """One transporter's leg: when it picked the load up and delivered (or handed it) on."""

    transporter_id: uuid.UUID
    picked_up_at: datetime | None = None
    delivered_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ManifestSignature:
    """A signed step: who (organization, key, user), which role and leg, when, and its leaf."""

    action_id: uuid.UUID
    action: ManifestAction
    role: PartyRole
    organization_id: uuid.UUID
    signed_at: datetime
    key_id: str
    version: int
    leg: int | None = None
    user_id: uuid.UUID | None = None
    leaf_index: int | None = None


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    """The receiver's weighing of one batch and the part of it refused."""

    batch_id: uuid.UUID
    weighed_kg: Decimal
    rejected_kg: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        positive_mass(self.weighed_kg, field="weighed.quantity")
        if not self.rejected_kg.is_finite() or self.rejected_kg < 0:
            raise InvalidQuantity("must not be negative", field="rejected.quantity")
        if self.rejected_kg > self.weighed_kg:
            raise InvalidQuantity(
                f"rejects {self.rejected_kg} kg of {self.weighed_kg} kg weighed",
                field="rejected.quantity",
            )


@dataclass(frozen=True, slots=True)
class Rejection:
    """Where refused waste goes: back to the generator's site, or to an alternate receiver."""

    disposition: Disposition
    organization_id: uuid.UUID
    site_id: uuid.UUID
    reason: str
    mass_kg: Decimal = Decimal(0)
