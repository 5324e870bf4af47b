"""The manifest and approval steps around the demo's shipped and received events.

Each planned shipment travels on a real transfer manifest (转移联单): the generator issues it
45 minutes before loading, the transporter signs pickup, the `shipped` event is captured, the
transporter signs delivery and the receiver its receipt with the weighed mass, the `received`
event is captured and the receiver closes the manifest. A cross-province stream first gets
its approval: the generator requests it, the destination province's regulator consents and the
origin province's regulator approves. Every firm step is client-signed with the firm's demo
key; regulators' decisions are signed by the platform, as the approval service does.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from zerowaste.demo.plan import EventPlan, PlannedApproval, PlannedEvent, PlannedShipment
from zerowaste.domain.access import Principal
from zerowaste.domain.approvals import ApprovalAction, ApprovalTerms
from zerowaste.domain.events import EventType
from zerowaste.domain.manifest_documents import manifest_document, receipt_fields, terms_fields
from zerowaste.domain.manifests import ManifestAction, ManifestLine, ManifestTerms, ReceiptLine
from zerowaste.errors import ZeroWasteError
from zerowaste.services.approvals import ApprovalService
from zerowaste.services.capture_checks import MAX_CLOCK_SKEW
from zerowaste.services.manifests import MAX_STEPS_PER_BATCH, ManifestService
from zerowaste.services.signed_steps import ClientSigner

ISSUE_BEFORE = timedelta(minutes=45)
PICKUP_BEFORE = timedelta(minutes=15)
DELIVER_BEFORE = timedelta(minutes=10)
RECEIPT_BEFORE = timedelta(minutes=2)
CLOSE_AFTER = timedelta(minutes=4)


class Stage(IntEnum):
    """How far a manifest has come."""

    REFUSED = -1
    NEW = 0
    ISSUED = 1
    SHIPPED = 2
    RECEIPTED = 3
    TAKEN_IN = 4
    CLOSED = 5


class TransferServices(Protocol):
    """The manifest and approval services on the replayed clock."""

    @property
    def manifests(self) -> ManifestService:
        """Issues and moves manifests."""
        ...

    @property
    def approvals(self) -> ApprovalService:
        """Requests and decides cross-province approvals."""
        ...


@dataclass(frozen=True)
class Refusal:
    """A planted attempt the platform refused: which event or step, and the condition named."""

    event_id: uuid.UUID
    title: str
    field: str | None
    detail: str


class TransferDesk:
    """Runs each manifest's and approval's steps as soon as the replayed clock allows."""

    def __init__(
        self,
        services: TransferServices,
        actor: Principal,
        plan: EventPlan,
        ids: tuple[Mapping[uuid.UUID, uuid.UUID], Mapping[uuid.UUID, uuid.UUID]],
        keys: Mapping[uuid.UUID, tuple[str, Ed25519PrivateKey]],
        regulators: Mapping[str, Principal],
    ) -> None:
        self._services = services
        self._actor = actor
        self._organizations, self._sites = ids
        self._keys = keys
        self._regulators = regulators
        self.stage = {s.manifest_id: Stage.NEW for s in plan.shipments}
        self._shipments = {s.manifest_id: s for s in plan.shipments}
        self._approvals = sorted(plan.approvals, key=lambda a: a.requested_at)
        self._shipped_event = {
            p.event.manifest_id: p.event.event_id
            for p in plan.events
            if p.event.event_type is EventType.SHIPPED
        }
        self._active: set[uuid.UUID] = set()
        self._pending: list[tuple[dict[str, Any], dict[str, str]]] = []
        self.refusals: list[Refusal] = []

    def _signer(self, ref: uuid.UUID) -> ClientSigner:
        key_id, private = self._keys[ref]
        return ClientSigner(private, uuid.UUID(key_id))

    def _queue(
        self,
        action: ManifestAction,
        manifest_id: uuid.UUID,
        ref: uuid.UUID,
        at: datetime,
        **fields: Any,
    ) -> None:
        """Sign a step by the firm `ref` and hold it for the next batch."""
        document = manifest_document(action, manifest_id, self._organizations[ref], at, **fields)
        self._pending.append((document, self._signer(ref).sign(document)))

    def _flush(self) -> None:
        """Log the held steps, in order, one transaction per batch."""
        service = self._services.manifests
        while self._pending:
            batch = self._pending[:MAX_STEPS_PER_BATCH]
            service.submit_many(self._actor, batch)
            del self._pending[: len(batch)]

    # events ------------------------------------------------------------------------------
    def ready(self, planned: PlannedEvent) -> bool:
        """Whether an event's manifest has come far enough for it to be captured."""
        event = planned.event
        if event.manifest_id is None:
            return True
        stage = self.stage[event.manifest_id]
        if event.event_type is EventType.SHIPPED:
            return stage is Stage.ISSUED
        return stage is Stage.RECEIPTED

    def refused(self, planned: PlannedEvent) -> bool:
        """Whether the event's manifest was refused (the event is then never captured)."""
        manifest = planned.event.manifest_id
        return manifest is not None and self.stage[manifest] is Stage.REFUSED

    def captured(self, planned: PlannedEvent) -> None:
        """Note a captured shipped or received event."""
        manifest = planned.event.manifest_id
        if manifest is None:
            return
        self._active.add(manifest)
        self.stage[manifest] = (
            Stage.SHIPPED if planned.event.event_type is EventType.SHIPPED else Stage.TAKEN_IN
        )

    # steps -------------------------------------------------------------------------------
    def advance(self, now: datetime, issuable: set[uuid.UUID]) -> int:
        """Run every step due by `now`: approvals, issues of `issuable`, deliveries, receipts."""
        done = 0
        due = now + MAX_CLOCK_SKEW
        while self._approvals and self._approvals[0].approved_at <= due:
            self._approve(self._approvals.pop(0))
            done += 3
        for manifest_id in sorted(issuable):
            shipment = self._shipments[manifest_id]
            if self.stage[manifest_id] is Stage.NEW and shipment.shipped_at - ISSUE_BEFORE <= due:
                self._issue(shipment)
                done += 1
        for manifest_id in sorted(self._active):
            shipment = self._shipments[manifest_id]
            stage = self.stage[manifest_id]
            arrives = shipment.received_at
            if stage is Stage.SHIPPED and arrives is not None and arrives - RECEIPT_BEFORE <= due:
                self._receipt(shipment)
                done += 1
            elif stage is Stage.TAKEN_IN and arrives is not None and arrives + CLOSE_AFTER <= due:
                self._close(shipment)
                done += 1
        self._flush()
        return done

    def _approve(self, approval: PlannedApproval) -> None:
        org, site = self._organizations, self._sites
        terms = ApprovalTerms(
            generator_id=org[approval.generator],
            generator_site_id=site[approval.generator_site],
            receiver_id=org[approval.receiver],
            receiver_site_id=site[approval.receiver_site],
            waste_code=approval.waste_code,
            cap_kg=approval.cap_kg,
            valid_from=approval.valid_from,
            valid_to=approval.valid_to,
        )
        service = self._services.approvals
        signer = self._signer(approval.generator)
        service.request(self._actor, approval.approval_id, terms, approval.requested_at, signer)
        destination = self._regulators[approval.destination_province]
        origin = self._regulators[approval.origin_province]
        service.decide(
            destination, approval.approval_id, ApprovalAction.CONSENT, approval.consented_at
        )
        service.decide(origin, approval.approval_id, ApprovalAction.APPROVE, approval.approved_at)

    def _issue(self, s: PlannedShipment) -> None:
        org, site = self._organizations, self._sites
        transporters = (org[s.transporter],) if s.transporter else ()
        terms = ManifestTerms(
            generator_id=org[s.generator],
            generator_site_id=site[s.generator_site],
            receiver_id=org[s.receiver],
            receiver_site_id=site[s.receiver_site],
            transporter_ids=transporters,
            lines=(ManifestLine(s.batch_id, s.waste_code, s.shipped_kg),),
            activity=s.activity,
            approval_id=s.approval_id,
            contract_id=s.contract_id,
        )
        at = s.shipped_at - ISSUE_BEFORE
        if not s.attempt:
            self._queue(ManifestAction.ISSUE, s.manifest_id, s.generator, at, **terms_fields(terms))
        else:
            self._flush()  # keep the log order: the held steps come first
            try:
                self._services.manifests.issue(
                    self._actor, s.manifest_id, terms, at, self._signer(s.generator)
                )
            except ZeroWasteError as exc:
                event_id = self._shipped_event[s.manifest_id]
                self.refusals.append(Refusal(event_id, exc.title, exc.field, exc.detail))
                self.stage[s.manifest_id] = Stage.REFUSED
                return
        if s.transporter is not None:
            self._queue(
                ManifestAction.PICKUP, s.manifest_id, s.transporter,
                s.shipped_at - PICKUP_BEFORE, leg=0,
            )  # fmt: skip
        self.stage[s.manifest_id] = Stage.ISSUED

    def _receipt(self, s: PlannedShipment) -> None:
        assert s.received_at is not None
        assert s.received_kg is not None
        if s.transporter is not None:
            self._queue(
                ManifestAction.DELIVER, s.manifest_id, s.transporter,
                s.received_at - DELIVER_BEFORE, leg=0,
            )  # fmt: skip
        lines = (ReceiptLine(s.batch_id, s.received_kg),)
        self._queue(
            ManifestAction.RECEIVE, s.manifest_id, s.receiver, s.received_at - RECEIPT_BEFORE,
            **receipt_fields(self._sites[s.receiver_site], lines, None),
        )  # fmt: skip
        self.stage[s.manifest_id] = Stage.RECEIPTED

    def _close(self, s: PlannedShipment) -> None:
        assert s.received_at is not None
        self._queue(ManifestAction.CLOSE, s.manifest_id, s.receiver, s.received_at + CLOSE_AFTER)
        self.stage[s.manifest_id] = Stage.CLOSED
        self._active.discard(s.manifest_id)
