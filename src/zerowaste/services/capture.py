"""Capture of signed waste events: check, project and log a batch of them atomically."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from zerowaste.adapters.db.events_repository import INPUT, OUTPUT, EventRow
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import SigningKey
from zerowaste.domain.batches import Batch, BatchBook, LineageEdge
from zerowaste.domain.event_documents import parse_event
from zerowaste.domain.events import WasteEvent
from zerowaste.errors import (
    EventIdReused,
    Forbidden,
    MasterKeyMissing,
    NotFound,
    SignatureInvalid,
    TooManyEvents,
    ZeroWasteError,
)
from zerowaste.ledger.canonical import canonical_json
from zerowaste.ledger.parallel_verify import SignatureBatch
from zerowaste.ledger.signatures import ALGORITHM, Signature, b64encode
from zerowaste.services.authorization import require_acts_for
from zerowaste.services.capture_checks import (
    Parsed,
    SubmissionChecker,
    SubmissionFields,
    acting_organization,
    parse_submission,
    prefixed,
)
from zerowaste.services.capture_findings import prepare_findings, record_findings
from zerowaste.services.capture_views import BatchView, InventoryLine, StoredEvent
from zerowaste.services.ledger import NewEntry
from zerowaste.services.manifest_capture import ManifestTracker
from zerowaste.services.signed_log import SignedLogService

_log = logging.getLogger(__name__)

#: The most events one capture request may carry.
MAX_EVENTS_PER_CAPTURE = 1000


@dataclass(frozen=True)
class CaptureResult:
    """What became of one submitted event."""

    event_id: uuid.UUID
    leaf_index: int
    status: Literal["stored", "already_stored"]


@dataclass(frozen=True)
class _Accepted:
    parsed: Parsed
    event: WasteEvent
    key: SigningKey


def _same(row: EventRow, parsed: Parsed) -> bool:
    return (
        row.document == parsed.canonical
        and row.signature_key_id == parsed.signature.key_id
        and row.signature_value == parsed.signature.value
    )


def _signature_refusal(signatures: SignatureBatch) -> SignatureInvalid | None:
    """The first signature of the batch that did not verify, as the error naming it."""
    if (failure := signatures.first_failure()) is None:
        return None
    index, exc = failure
    refusal = prefixed(SignatureInvalid(exc.detail, field="signature.value"), index, "")
    assert isinstance(refusal, SignatureInvalid)
    return refusal


@contextmanager
def _signatures_first(signatures: SignatureBatch) -> Iterator[None]:
    """A refusal raised inside gives way to a bad signature of the batch, if there is one."""
    try:
        yield
    except ZeroWasteError as exc:
        if (refusal := _signature_refusal(signatures)) is None:
            raise
        raise refusal from exc


def _require_verified(signatures: SignatureBatch) -> None:
    """Wait for the batch's signatures; raise the first that did not verify."""
    if (refusal := _signature_refusal(signatures)) is not None:
        raise refusal


def _reused(parsed: Parsed) -> EventIdReused:
    return EventIdReused(
        f"event {parsed.event.event_id} was captured with other bytes or another signature",
        field=f"events[{parsed.index}].event.event_id",
    )


class CaptureService(SignedLogService):
    """Validate signed events against the registry and the batches, then log and project them."""

    _listeners: tuple[Callable[[list[uuid.UUID]], object], ...] = ()

    def on_stored(self, listener: Callable[[list[uuid.UUID]], object]) -> None:
        """Call `listener` with the ids of newly stored events after each capture commits.

        A listener's failure is logged and swallowed: the events are acknowledged already,
        and whatever the listener derives must be derivable again later (the oversight
        sweep re-runs the capture-level rules over the whole store).
        """
        self._listeners = (*self._listeners, listener)

    def capture(self, actor: Principal, submissions: Sequence[Any]) -> list[CaptureResult]:
        """Capture client-signed events, all or none; results in submission order.

        Args:
            actor: Who submits; must act for every event's organization.
            submissions: `{"event": <zerowaste.event/1>, "signature": {key_id, algorithm,
                value}}` objects.

        Raises:
            ZeroWasteError: The first refused submission's condition, its field prefixed with
                `events[i]`; nothing is stored then.
        """
        if len(submissions) > MAX_EVENTS_PER_CAPTURE:
            raise TooManyEvents(f"at most {MAX_EVENTS_PER_CAPTURE} events", field="events")
        parsed = [parse_submission(i, s) for i, s in enumerate(submissions)]
        return self._capture(actor, parsed)

    def capture_custodial(
        self, actor: Principal, documents: Sequence[Mapping[str, Any]]
    ) -> list[CaptureResult]:
        """Sign event documents with their organizations' custodial keys, then capture them."""
        if len(documents) > MAX_EVENTS_PER_CAPTURE:
            raise TooManyEvents(f"at most {MAX_EVENTS_PER_CAPTURE} events", field="events")
        parsed: list[Parsed] = []
        for index, document in enumerate(documents):
            with SubmissionFields(index):
                event = parse_event(document)
                canonical = canonical_json(document)
                with self._uow() as uow:
                    acting_organization(uow, actor, event.organization_id)
                key, raw = self._signing_keys.sign_custodial(event.organization_id, canonical)
            signature = Signature(str(key.id), ALGORITHM, b64encode(raw))
            parsed.append(Parsed(index, event, document, canonical, signature))
        return self._capture(actor, parsed)

    def _capture(self, actor: Principal, parsed: list[Parsed]) -> list[CaptureResult]:
        unique: dict[uuid.UUID, Parsed] = {}
        for item in parsed:
            first = unique.setdefault(item.event.event_id, item)
            if first is not item and (
                first.canonical != item.canonical or first.signature != item.signature
            ):
                raise _reused(item)
        with self._uow() as uow:
            stored = uow.events.events_by_id(unique)
            checker = SubmissionChecker(uow, self._catalog, self._clock(), self._skew)
            accepted, signatures = self._checked(checker, actor, list(unique.values()), stored)
        leaves = {event_id: row.leaf_index for event_id, row in stored.items()}
        fresh = self._store(actor, accepted, leaves, signatures) if accepted else set()
        if fresh:
            with suppress(MasterKeyMissing):  # checkpoints wait for the master key
                self._ledger.maybe_checkpoint()
            self._notify([p.event.event_id for p in unique.values() if p.event.event_id in fresh])
        return [
            CaptureResult(
                p.event.event_id,
                leaves[p.event.event_id],
                "stored"
                if p.event.event_id in fresh and unique[p.event.event_id] is p
                else "already_stored",
            )
            for p in parsed
        ]

    def _notify(self, event_ids: list[uuid.UUID]) -> None:
        for listener in self._listeners:
            try:
                listener(event_ids)
            except Exception:  # the capture is committed; the sweep derives the same later
                _log.exception("a capture listener failed on %d events", len(event_ids))

    @staticmethod
    def _checked(
        checker: SubmissionChecker,
        actor: Principal,
        items: list[Parsed],
        stored: Mapping[uuid.UUID, EventRow],
    ) -> tuple[list[_Accepted], SignatureBatch]:
        """Check the submissions not yet stored, in order, verifying signatures on worker threads.

        The first refused submission is reported, as a one-by-one check would report it: a bad
        signature of an earlier or the same submission comes before a registry refusal, and a
        reused event id with other bytes is refused where it stands.

        Returns:
            The accepted submissions, and their signatures, still being verified: `_store`
            projects them meanwhile and commits only once every one verified.
        """
        signatures = SignatureBatch()
        accepted: list[_Accepted] = []
        for item in items:
            row = stored.get(item.event.event_id)
            with _signatures_first(signatures):
                if row is None:
                    key = checker.signer(actor, item)
                    signatures.add(item.index, item.signature, key.public_key, item.canonical)
                    accepted.append(_Accepted(item, checker.registry_facts(item), key))
                elif not _same(row, item):
                    checker.check(actor, item)  # a forged or malformed reuse says so first
                    raise _reused(item)
        return accepted, signatures

    def _store(
        self,
        actor: Principal,
        accepted: list[_Accepted],
        leaves: dict[uuid.UUID, int],
        signatures: SignatureBatch,
    ) -> set[uuid.UUID]:
        """In one transaction, serialized with other captures: apply, project, log, commit.

        Nothing commits before every signature verified; a bad one is refused before any
        refusal of the batches (as checking the signatures first would have).
        """
        with _signatures_first(signatures), self._uow() as uow:
            uow.events.lock_log(self._ledger.log_id)
            raced = uow.events.events_by_id(a.event.event_id for a in accepted)
            for item in accepted:
                row = raced.get(item.event.event_id)
                if row is not None and not _same(row, item.parsed):
                    raise _reused(item.parsed)
                if row is not None:
                    leaves[row.event_id] = row.leaf_index
            todo = [a for a in accepted if a.event.event_id not in raced]
            if not todo:
                _require_verified(signatures)
                return set()
            book = BatchBook(uow.events.batches_by_id(b for a in todo for b in a.event.batch_ids))
            prepare_findings(uow, book, [(a.parsed.index, a.event) for a in todo])
            changed: dict[uuid.UUID, Batch] = {}
            edges: list[LineageEdge] = []
            links: list[tuple[uuid.UUID, uuid.UUID, str]] = []
            discrepancies: dict[uuid.UUID, Decimal | None] = {}
            manifests = ManifestTracker(uow)
            for item in todo:
                event = item.event
                with SubmissionFields(item.parsed.index):
                    manifests.apply(event)
                    applied = book.apply(event)
                changed.update({b.batch_id: b for b in applied.batches})
                edges.extend(applied.edges)
                links.extend(
                    (event.event_id, b, role)
                    for role, ids in (
                        (INPUT, {i.batch_id for i in event.inputs}),
                        (OUTPUT, {o.batch_id for o in event.outputs}),
                    )
                    for b in ids
                )
                discrepancies[event.event_id] = applied.discrepancy_kg
            indexes = self._ledger.append(
                uow,
                [
                    NewEntry(
                        id=a.event.event_id,
                        event=a.parsed.document,
                        signature=a.parsed.signature,
                        public_key=a.key.public_key,
                        organization_id=a.event.organization_id,
                        user_id=actor.user_id,
                        canonical=a.parsed.canonical,
                    )
                    for a in todo
                ],
            )
            recorded_at = self._clock()
            rows = [
                EventRow(
                    event_id=a.event.event_id,
                    log_id=self._ledger.log_id,
                    leaf_index=index,
                    event_type=a.event.event_type.value,
                    event_time=a.event.event_time,
                    organization_id=a.event.organization_id,
                    site_id=a.event.site_id,
                    manifest_id=a.event.manifest_id,
                    document=a.parsed.canonical,
                    signature_key_id=a.parsed.signature.key_id,
                    signature_value=a.parsed.signature.value,
                    user_id=actor.user_id,
                    recorded_at=recorded_at,
                    discrepancy_kg=discrepancies[a.event.event_id],
                )
                for a, index in zip(todo, indexes, strict=True)
            ]
            uow.events.add(rows, list(changed.values()), edges, links)
            manifests.save(recorded_at)
            record_findings(uow, book, [a.event for a in todo], actor.user_id, recorded_at)
            _require_verified(signatures)
            uow.commit()
        leaves.update({row.event_id: row.leaf_index for row in rows})
        return {row.event_id for row in rows}

    def event(self, actor: Principal, event_id: uuid.UUID) -> StoredEvent:
        """A captured event, for its organization, that organization's regulators and admins."""
        with self._uow() as uow:
            row = uow.events.event(event_id)
            if row is None:
                raise NotFound(f"no event {event_id}", field="event_id")
            organization = uow.organizations.get(row.organization_id)
            correction = uow.findings.corrections_of([event_id]).get(event_id)
        if organization is None:
            raise NotFound(f"no organization {row.organization_id}", field="organization_id")
        require_acts_for(actor, organization)
        return StoredEvent(
            event_id=row.event_id,
            event_type=row.event_type,
            event_time=row.event_time,
            organization_id=row.organization_id,
            leaf_index=row.leaf_index,
            document=json.loads(row.document),
            signature=Signature(row.signature_key_id, ALGORITHM, row.signature_value),
            user_id=row.user_id,
            recorded_at=row.recorded_at,
            discrepancy_kg=row.discrepancy_kg,
            correction=correction,
        )

    def batch(self, actor: Principal, batch_id: uuid.UUID) -> BatchView:
        """A batch and its events, for any organization that held or handled it (and oversight)."""
        with self._uow() as uow:
            batch = uow.events.batches_by_id([batch_id]).get(batch_id)
            if batch is None:
                raise NotFound(f"no batch {batch_id}", field="batch_id")
            history = uow.events.events_of_batch(batch_id)
            parties = {batch.holder_id, *(e.organization_id for e in history)}
            organizations = [uow.organizations.get(p) for p in parties]
            corrections = uow.findings.corrections_of(e.event_id for e in history)
        if not any(o is not None and actor.acts_for(o.id, o.region_code) for o in organizations):
            raise Forbidden("this batch's data is not yours to see")
        return BatchView(batch, history, corrections)

    def inventory(self, actor: Principal, site_id: uuid.UUID) -> list[InventoryLine]:
        """Held stock at a site by waste code, with the oldest batch's storage age in days."""
        now = self._clock()
        with self._uow() as uow:
            site = uow.sites.get(site_id)
            if site is None:
                raise NotFound(f"no site {site_id}", field="site_id")
            organization = uow.organizations.get(site.organization_id)
            assert organization is not None
            require_acts_for(actor, organization)
            held = uow.events.held_at_site(site_id)
        groups: dict[tuple[str | None, str], list[Batch]] = {}
        for batch in held:
            groups.setdefault((batch.waste_code, batch.kind.value), []).append(batch)
        return [
            InventoryLine(
                waste_code=code,
                kind=kind,
                batches=len(batches),
                mass_kg=sum((b.mass_kg for b in batches), Decimal(0)),
                oldest_storage_days=max((now - b.stored_since).days for b in batches),
                batch_ids=[b.batch_id for b in batches],
            )
            for (code, kind), batches in sorted(
                groups.items(), key=lambda g: (g[0][0] or "", g[0][1])
            )
        ]
