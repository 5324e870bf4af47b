"""Write the demo city's planned year of events through the real capture service, signed.

Each firm signs client-side with a demo key derived from the seed and its credit code (so the
same seed gives the same signatures), registered through `SigningKeyService.register` as valid
from before the first event. Events are captured in recording order on a replayed clock, so
each stored `recorded_at` is near when the event was recorded (backdated records show it).
Planted attempts the capture layer may refuse are captured on their own; a refusal is noted
in the ground truth, never hidden.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from zerowaste.demo.model import DemoCity
from zerowaste.demo.plan import EventPlan, PlannedEvent
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import NewSigningKey
from zerowaste.domain.event_documents import event_document
from zerowaste.domain.events import EventType, WasteEvent
from zerowaste.errors import ZeroWasteError
from zerowaste.ledger.canonical import canonical_json
from zerowaste.ledger.signatures import public_key_bytes, sign
from zerowaste.services.capture import MAX_EVENTS_PER_CAPTURE, CaptureService
from zerowaste.services.demo_transfers import Refusal, TransferDesk, TransferServices
from zerowaste.services.signing_keys import SigningKeyService

#: Called as the build goes: (stage, done, total).
Progress = Callable[[str, int, int], None]
#: A capture request holds the events recorded within this span (and at most 1,000).
CHUNK_SPAN = timedelta(days=7)
#: How long after its last event a replayed capture request arrives.
RECORDING_DELAY = timedelta(minutes=5)


class ReplayClock:
    """A clock the build sets to each capture request's recording time."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        """The current replayed instant."""
        return self.now


class EventTarget(TransferServices, Protocol):
    """What writing events needs of a context on the replayed clock."""

    @property
    def capture(self) -> CaptureService:
        """Captures signed events."""
        ...


@dataclass(frozen=True)
class Ids:
    """Stored ids of the demo's organizations and sites, by reference id."""

    organizations: dict[uuid.UUID, uuid.UUID]
    sites: dict[uuid.UUID, uuid.UUID]


def demo_private_key(seed: int, credit_code: str) -> Ed25519PrivateKey:
    """The demo key of a firm: derived from the seed and its credit code (public knowledge)."""
    digest = hashlib.sha256(f"zerowaste-demo-signing-key/{seed}/{credit_code}".encode()).digest()
    return Ed25519PrivateKey.from_private_bytes(digest)


def register_demo_keys(
    signing_keys: SigningKeyService,
    actor: Principal,
    city: DemoCity,
    ids: Ids,
    valid_from: datetime,
) -> dict[uuid.UUID, tuple[str, Ed25519PrivateKey]]:
    """Register every firm's demo key (valid from `valid_from`); return key id and key by ref."""
    keys = {}
    for firm in city.firms:
        if not firm.custodial_key:
            continue
        private = demo_private_key(city.seed, firm.organization.credit_code)
        key = signing_keys.register(
            actor, ids.organizations[firm.ref], NewSigningKey(public_key_bytes(private), valid_from)
        )
        keys[firm.ref] = (str(key.id), private)
    return keys


def _stored(event: WasteEvent, ids: Ids) -> WasteEvent:
    def site(ref: uuid.UUID | None) -> uuid.UUID | None:
        return None if ref is None else ids.sites[ref]

    return replace(
        event,
        organization_id=ids.organizations[event.organization_id],
        site_id=site(event.site_id),
        destination_site_id=site(event.destination_site_id),
    )


def _chunks(events: tuple[PlannedEvent, ...]) -> Iterator[list[PlannedEvent]]:
    """Consecutive ordinary events recorded within `CHUNK_SPAN`; each attempt on its own."""
    chunk: list[PlannedEvent] = []
    for planned in events:
        if chunk and (
            planned.attempt
            or chunk[0].attempt
            or len(chunk) >= MAX_EVENTS_PER_CAPTURE
            or planned.recorded_at - chunk[0].recorded_at > CHUNK_SPAN
        ):
            yield chunk
            chunk = []
        chunk.append(planned)
    if chunk:
        yield chunk


def capture_plan(
    target: EventTarget,
    clock: ReplayClock,
    actor: Principal,
    plan: EventPlan,
    ids: Ids,
    keys: Mapping[uuid.UUID, tuple[str, Ed25519PrivateKey]],
    regulators: Mapping[str, Principal],
    progress: Progress,
) -> list[Refusal]:
    """Sign and capture the plan's events in order with their manifest steps.

    Each chunk is captured in rounds: the manifest steps now due, then every event whose
    batches and manifest are ready, until the chunk is done.

    Returns:
        The refused planted attempts.

    Raises:
        ZeroWasteError: If the platform refuses an ordinary event or step (a bug in the plan).
    """
    desk = TransferDesk(target, actor, plan, (ids.organizations, ids.sites), keys, regulators)
    done = 0
    for chunk in _chunks(plan.events):
        clock.now = max(p.recorded_at for p in chunk) + RECORDING_DELAY
        pending = [p for p in chunk if not desk.refused(p)]
        while pending:
            desk.advance(clock.now, _issuable(pending))
            pending = [p for p in pending if not desk.refused(p)]
            ready, pending = _split(pending, desk)
            if not ready:
                if pending:
                    raise RuntimeError(f"demo plan stuck at event {pending[0].event.event_id}")
                break
            _capture(target, actor, ready, ids, keys, desk)
        desk.advance(clock.now, set())
        done += len(chunk)
        progress("events", done, len(plan.events))
    return desk.refusals


def _issuable(pending: list[PlannedEvent]) -> set[uuid.UUID]:
    """Manifests whose shipped event is pending with no earlier pending event of its batch."""
    touched: set[uuid.UUID] = set()
    found = set()
    for planned in pending:
        event = planned.event
        if event.event_type is EventType.SHIPPED and touched.isdisjoint(event.batch_ids):
            assert event.manifest_id is not None
            found.add(event.manifest_id)
        touched.update(event.batch_ids)
    return found


def _split(
    pending: list[PlannedEvent], desk: TransferDesk
) -> tuple[list[PlannedEvent], list[PlannedEvent]]:
    """The events capturable now (in order) and those still waiting on a batch or manifest."""
    blocked: set[uuid.UUID] = set()
    ready: list[PlannedEvent] = []
    waiting: list[PlannedEvent] = []
    for planned in pending:
        batches = planned.event.batch_ids
        if (
            blocked.isdisjoint(batches)
            and desk.ready(planned)
            and len(ready) < MAX_EVENTS_PER_CAPTURE
        ):
            ready.append(planned)
        else:
            waiting.append(planned)
            blocked.update(batches)
    return ready, waiting


def _capture(
    target: EventTarget,
    actor: Principal,
    ready: list[PlannedEvent],
    ids: Ids,
    keys: Mapping[uuid.UUID, tuple[str, Ed25519PrivateKey]],
    desk: TransferDesk,
) -> None:
    submissions = []
    for planned in ready:
        document = event_document(_stored(planned.event, ids))
        key_id, private = keys[planned.event.organization_id]
        signature = sign(private, key_id, canonical_json(document))
        submissions.append({"event": document, "signature": signature.to_json()})
    try:
        target.capture.capture(actor, submissions)
    except ZeroWasteError as exc:
        if not (len(ready) == 1 and ready[0].attempt):
            raise
        event = ready[0].event
        desk.refusals.append(Refusal(event.event_id, exc.title, exc.field, exc.detail))
        return
    for planned in ready:
        desk.captured(planned)
