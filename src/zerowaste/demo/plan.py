"""What the event generator returns: a year of planned waste events, shipments and violations.

Planned events name organizations and sites by their demo reference ids (see `model.py`);
whoever captures them swaps in the stored ids. Event, batch and manifest ids are final: the
same seed always gives the same ids, so the ground truth can name them.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from zerowaste.domain.events import WasteEvent
from zerowaste.domain.permits import PermitActivity

#: Receipt weighing noise: the standard deviation and the largest honest relative gap.
WEIGHING_NOISE_SD = 0.0035
WEIGHING_NOISE_MAX = 0.012
#: A receipt differing from the shipped mass by more than this share is a weight gap.
WEIGHT_GAP_TOLERANCE = 0.02
#: A manifest still in transit after this many days is overdue.
OVERDUE_TRANSIT_DAYS = 7
#: Hazardous waste may be stored at most this many days: one year for licensed businesses
#: (固体废物污染环境防治法, 2020 revision, art. 81); the demo holds every holder to it.
MAX_STORAGE_DAYS = 365
#: A held batch with no event for this many days has vanished from the record.
VANISHED_AFTER_DAYS = 120
#: An event recorded this many days or more after it happened is backdated.
BACKDATED_AFTER_DAYS = 30


class ViolationKind(StrEnum):
    """The kinds of violation the demo plants for the oversight rules to find."""

    OVER_STORAGE = "over_storage"
    UNPERMITTED_RECEIVER = "unpermitted_receiver"
    WEIGHT_GAP = "weight_gap"
    VANISHED_BATCH = "vanished_batch"
    OVERDUE_MANIFEST = "overdue_manifest"
    UNDER_REPORTING = "under_reporting"
    BACKDATED_RECORD = "backdated_record"


@dataclass(frozen=True, slots=True)
class PlannedEvent:
    """A waste event to capture, when it is recorded, and whether capture may refuse it.

    `attempt` marks the events of a planted violation that the capture layer may refuse (a
    shipment to an unpermitted receiver); they are captured one by one and nothing depends
    on them.
    """

    event: WasteEvent
    recorded_at: datetime
    attempt: bool = False


@dataclass(frozen=True, slots=True)
class PlannedShipment:
    """One transfer: the manifest's parties, the batch, the masses, and the receiver's activity.

    `contract_id` names the market contract the transfer delivers under, if any.
    """

    manifest_id: uuid.UUID
    batch_id: uuid.UUID
    waste_code: str
    hazardous: bool
    generator: uuid.UUID
    generator_site: uuid.UUID
    transporter: uuid.UUID | None
    receiver: uuid.UUID
    receiver_site: uuid.UUID
    shipped_kg: Decimal
    shipped_at: datetime
    received_kg: Decimal | None
    received_at: datetime | None
    cross_province: bool
    activity: PermitActivity = PermitActivity.UTILIZE
    attempt: bool = False
    approval_id: uuid.UUID | None = None
    contract_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class PlannedApproval:
    """A cross-province transfer approval one stream's manifests draw down.

    The generator requests it, the destination province's regulator consents a day later and
    the origin province's regulator approves the day after.
    """

    approval_id: uuid.UUID
    generator: uuid.UUID
    generator_site: uuid.UUID
    receiver: uuid.UUID
    receiver_site: uuid.UUID
    waste_code: str
    cap_kg: Decimal
    valid_from: date
    valid_to: date
    requested_at: datetime
    origin_province: str
    destination_province: str

    @property
    def consented_at(self) -> datetime:
        """When the destination province's regulator consents."""
        return self.requested_at + timedelta(days=1)

    @property
    def approved_at(self) -> datetime:
        """When the origin province's regulator approves."""
        return self.requested_at + timedelta(days=2)


@dataclass(frozen=True, slots=True)
class Violation:
    """One planted violation: what, who, which records, and the figures that show it."""

    kind: ViolationKind
    firm_key: str
    organization_ref: uuid.UUID
    credit_code: str
    batch_ids: tuple[uuid.UUID, ...] = ()
    event_ids: tuple[uuid.UUID, ...] = ()
    manifest_id: uuid.UUID | None = None
    detail: str = ""
    figures: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The violation as JSON-ready values (ids as strings)."""
        return {
            "kind": self.kind.value,
            "firm_key": self.firm_key,
            "organization_ref": str(self.organization_ref),
            "credit_code": self.credit_code,
            "batch_ids": [str(b) for b in self.batch_ids],
            "event_ids": [str(e) for e in self.event_ids],
            "manifest_id": str(self.manifest_id) if self.manifest_id else None,
            "detail": self.detail,
            "figures": dict(self.figures),
        }


@dataclass(frozen=True, slots=True)
class EventPlan:
    """A year of the demo city's waste events in capture order, with the planted violations.

    Attributes:
        seed: The random seed.
        as_of: The day the city is generated for; every event happens before it.
        window_start: The first instant of the twelve months of ordinary events (planted
            over-storage starts earlier).
        events: Planned events ordered by recording time; capture them in this order.
        shipments: Every transfer, planted ones included.
        violations: The ground truth, kept apart from anything the app stores.
        approvals: The cross-province approvals the transfers draw down.
    """

    seed: int
    as_of: date
    window_start: datetime
    events: tuple[PlannedEvent, ...]
    shipments: tuple[PlannedShipment, ...]
    violations: tuple[Violation, ...]
    approvals: tuple[PlannedApproval, ...] = ()

    @property
    def earliest(self) -> datetime:
        """The time of the earliest event (signing keys must be valid from then)."""
        return min(p.event.event_time for p in self.events)

    def counts(self) -> dict[str, int]:
        """How many events of each type, shipments and violations of each kind the plan holds."""
        types = Counter(p.event.event_type.value for p in self.events)
        kinds = Counter(v.kind.value for v in self.violations)
        counts = {"events": len(self.events), "shipments": len(self.shipments)}
        counts.update({f"event:{key}": value for key, value in sorted(types.items())})
        counts["cross_province_shipments"] = sum(s.cross_province for s in self.shipments)
        counts["approvals"] = len(self.approvals)
        counts["violations"] = len(self.violations)
        counts.update({f"violation:{key}": value for key, value in sorted(kinds.items())})
        return counts
