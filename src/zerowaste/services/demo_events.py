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
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from zerowaste.demo.model import DemoCity
from zerowaste.demo.plan import EventPlan, PlannedEvent
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import NewSigningKey
from zerowaste.domain.event_documents import event_document
from zerowaste.domain.events import WasteEvent
from zerowaste.errors import ZeroWasteError
from zerowaste.ledger.canonical import canonical_json
from zerowaste.ledger.signatures import public_key_bytes, sign
from zerowaste.services.capture import MAX_EVENTS_PER_CAPTURE, CaptureService
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


class EventTarget(Protocol):
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


@dataclass(frozen=True)
class Refusal:
    """A planted attempt the capture layer refused: which event, and the condition named."""

    event_id: uuid.UUID
    title: str
    field: str | None
    detail: str


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
    progress: Progress,
) -> list[Refusal]:
    """Sign and capture the plan's events in order; return the refused planted attempts.

    Raises:
        ZeroWasteError: If capture refuses an ordinary event (a bug in the plan).
    """
    refusals: list[Refusal] = []
    refused_manifests: set[uuid.UUID] = set()
    done = 0
    total = len(plan.events)
    for chunk in _chunks(plan.events):
        submissions: list[dict[str, Any]] = []
        for planned in chunk:
            manifest = planned.event.manifest_id
            if planned.attempt and manifest in refused_manifests:
                continue
            document = event_document(_stored(planned.event, ids))
            key_id, private = keys[planned.event.organization_id]
            signature = sign(private, key_id, canonical_json(document))
            submissions.append({"event": document, "signature": signature.to_json()})
        clock.now = max(p.recorded_at for p in chunk) + RECORDING_DELAY
        if submissions and chunk[0].attempt:
            try:
                target.capture.capture(actor, submissions)
            except ZeroWasteError as exc:
                event = chunk[0].event
                refusals.append(Refusal(event.event_id, exc.title, exc.field, exc.detail))
                if event.manifest_id is not None:
                    refused_manifests.add(event.manifest_id)
        elif submissions:
            target.capture.capture(actor, submissions)
        done += len(chunk)
        progress("events", done, total)
    return refusals
