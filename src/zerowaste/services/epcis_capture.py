"""EPCIS 2.0 capture: validated events become signed Merkle-log entries and indexed query rows.

A capture document is checked, then persisted as a job before the caller is answered, and run
by a worker (in-process; jobs a crash left running are run again at startup). Events missing an
`eventID` get `urn:uuid:` ids derived from the job and their position, so a re-run finds what
an interrupted run stored. Every event is signed with the capturing organization's custodial
key and appended to the platform log in the transaction that indexes it.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Sequence
from contextlib import suppress
from datetime import datetime
from typing import Any, Literal

from zerowaste.adapters.db.epcis_repository import CAPTURED, EpcisEventRow, JobRow
from zerowaste.adapters.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import SigningKey
from zerowaste.domain.epcis_documents import parse_document, parse_event
from zerowaste.domain.epcis_index import event_facts
from zerowaste.domain.ids import new_id
from zerowaste.domain.organizations import Organization
from zerowaste.errors import (
    EpcisCaptureJobNotFound,
    EventIdReused,
    InvalidInput,
    MasterKeyMissing,
    ZeroWasteError,
)
from zerowaste.ledger.canonical import canonical_json
from zerowaste.ledger.signatures import ALGORITHM, Signature, b64encode
from zerowaste.services.capture_checks import acting_organization
from zerowaste.services.epcis_query import visibility_of
from zerowaste.services.epcis_records import (
    ERROR_BEHAVIOURS,
    FAILURE,
    QUEUED,
    ROLLBACK,
    RUNNING,
    SUCCESS,
    CapturedEvent,
    CaptureJob,
    PreparedEvent,
    SignedEvent,
    job_of,
    member_path,
    prepare_event,
    problem_entry,
    record_time_text,
)
from zerowaste.services.ledger import LedgerService, NewEntry
from zerowaste.services.signing_keys import SigningKeyService

_PROBE = b"zerowaste.epcis/custodial-key-probe"
_log = logging.getLogger(__name__)


class EpcisCaptureService:
    """Capture EPCIS documents (as jobs) and single events for an organization."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        signing_keys: SigningKeyService,
        ledger: LedgerService,
        clock: Callable[[], datetime],
    ) -> None:
        self._uow = unit_of_work
        self._signing_keys = signing_keys
        self._ledger = ledger
        self._clock = clock

    def signer(self, actor: Principal, organization_id: uuid.UUID | None) -> Organization:
        """The organization whose custodial key signs the actor's capture.

        A firm user captures for its own organization; an admin (or a regulator, within its
        jurisdiction) names the organization.

        Raises:
            InvalidInput: No organization named, or it has no valid custodial key.
            UnknownOrganization: The named organization is not registered.
            Forbidden: The actor does not act for it.
            MasterKeyMissing: Custodial keys cannot be opened.
        """
        chosen = organization_id or actor.organization_id
        if chosen is None:
            raise InvalidInput(
                "name the organization whose custodial key signs the events",
                field="organization_id",
            )
        with self._uow() as uow:
            organization = acting_organization(uow, actor, chosen)
        self._signing_keys.sign_custodial(organization.id, _PROBE)
        return organization

    def submit(
        self,
        actor: Principal,
        document: Any,
        *,
        error_behaviour: str = ROLLBACK,
        organization_id: uuid.UUID | None = None,
    ) -> CaptureJob:
        """Check an EPCISDocument and persist it as a queued job (run it with `run`).

        Raises:
            EpcisDocumentInvalid: The document breaks EPCIS 2.0; `field` is the JSON path.
            InvalidInput: Unknown error behaviour, or see `signer`.
        """
        if error_behaviour not in ERROR_BEHAVIOURS:
            raise InvalidInput(
                f"must be one of {', '.join(ERROR_BEHAVIOURS)}",
                field="GS1-Capture-Error-Behaviour",
            )
        parsed = parse_document(document)
        stored = canonical_json(document)
        organization = self.signer(actor, organization_id)
        row = JobRow(
            id=new_id(),
            status=QUEUED,
            error_behaviour=error_behaviour,
            organization_id=organization.id,
            user_id=actor.user_id,
            document=stored,
            event_count=len(parsed.epcisBody.eventList),
            stored_count=0,
            errors=[],
            created_at=self._clock(),
        )
        with self._uow() as uow:
            uow.epcis.add_job(row)
            uow.commit()
        return job_of(row)

    def job(self, actor: Principal, job_id: uuid.UUID) -> CaptureJob:
        """A capture job, for its submitter, its organization and those overseeing it."""
        with self._uow() as uow:
            row = uow.epcis.job(job_id)
            organization = uow.organizations.get(row.organization_id) if row else None
        visible = row is not None and (
            row.user_id == actor.user_id
            or (
                organization is not None
                and actor.acts_for(organization.id, organization.region_code)
            )
        )
        if row is None or not visible:
            raise EpcisCaptureJobNotFound(f"no capture job {job_id}", field="captureID")
        return job_of(row)

    def jobs(self, actor: Principal, limit: int = 50) -> list[CaptureJob]:
        """The newest capture jobs the actor may see (its own, its organization's, overseen)."""
        with self._uow() as uow:
            rows = uow.epcis.recent_jobs(visibility_of(actor), actor.user_id, limit)
        return [job_of(row) for row in rows]

    def run(self, job_id: uuid.UUID) -> CaptureJob | None:
        """Run a queued job to its end; None if it is not queued (another worker has it)."""
        with self._uow() as uow:
            claimed = uow.epcis.set_job_status(job_id, RUNNING, when=QUEUED)
            row = uow.epcis.job(job_id)
            uow.commit()
        if not claimed or row is None:
            return None
        try:
            self._run(row)
        except Exception as exc:  # an unexpected fault must not leave the job running forever
            _log.exception("EPCIS capture job %s failed", job_id)
            problem = {"type": "urn:zerowaste:problem:internal", "status": 500, "detail": str(exc)}
            with self._uow() as uow:
                uow.epcis.finish_job(job_id, FAILURE, 0, [problem], self._clock())
                uow.commit()
        with self._uow() as uow:
            done = uow.epcis.job(job_id)
        assert done is not None
        return job_of(done)

    def _run(self, row: JobRow) -> None:
        document = json.loads(row.document)
        context = document.get("@context")
        items = [
            prepare_event(f"epcisBody.eventList[{i}]", event, context, uuid.uuid5(row.id, str(i)))
            for i, event in enumerate(document["epcisBody"]["eventList"])
        ]

        def finish(status: str, stored: int, errors: list[dict[str, Any]]) -> Callable[..., None]:
            def write(uow: UnitOfWork) -> None:
                uow.epcis.finish_job(row.id, status, stored, errors, self._clock())

            return write

        if row.error_behaviour == ROLLBACK:
            try:
                self._store(
                    row.organization_id, row.user_id, row.id, items, finish(SUCCESS, len(items), [])
                )
            except ZeroWasteError as exc:
                with self._uow() as uow:
                    finish(FAILURE, 0, [problem_entry(exc)])(uow)
                    uow.commit()
            return
        errors: list[dict[str, Any]] = []
        for item in items:
            try:
                self._store(row.organization_id, row.user_id, row.id, [item])
            except ZeroWasteError as exc:
                errors.append(problem_entry(exc))
        with self._uow() as uow:
            status = FAILURE if errors else SUCCESS
            finish(status, len(items) - len(errors), errors)(uow)
            uow.commit()

    def resume(self) -> list[uuid.UUID]:
        """Run every queued job, and those a crash left running (one worker process)."""
        with self._uow() as uow:
            stuck = uow.epcis.jobs_with_status([RUNNING])
            for job_id in stuck:
                uow.epcis.set_job_status(job_id, QUEUED, when=RUNNING)
            queued = uow.epcis.jobs_with_status([QUEUED])
            uow.commit()
        for job_id in queued:
            self.run(job_id)
        return queued

    def capture_event(
        self, actor: Principal, event: Any, *, organization_id: uuid.UUID | None = None
    ) -> CapturedEvent:
        """Capture one event synchronously (it may carry its own `@context`).

        Raises:
            EpcisDocumentInvalid: The event breaks EPCIS 2.0; `field` is the JSON path.
            EventIdReused: Its eventID was captured with other content (and it declares no
                error).
        """
        parse_event(event)
        item = prepare_event("", event, event.get("@context"), uuid.uuid4())
        organization = self.signer(actor, organization_id)
        return self._store(organization.id, actor.user_id, None, [item])[0]

    def _store(
        self,
        organization_id: uuid.UUID,
        user_id: uuid.UUID | None,
        job_id: uuid.UUID | None,
        items: Sequence[PreparedEvent],
        finish: Callable[[UnitOfWork], None] | None = None,
    ) -> list[CapturedEvent]:
        """Sign, then in one transaction serialized with other captures: log, index, commit."""
        recorded = self._clock()
        key, sign = self._signing_keys.custodial_signer(organization_id)
        stamp = record_time_text(recorded)
        signed = [_signed(item, stamp, key, sign) for item in items]
        log_id = self._ledger.log_id
        with self._uow() as uow:
            uow.events.lock_log(log_id)
            existing = uow.epcis.by_event_ids(log_id, (i.event["eventID"] for i in items))
            known: dict[str, dict[bytes, tuple[uuid.UUID, int] | None]] = {
                event_id: {r.content_hash: (r.id, r.leaf_index) for r in rows}
                for event_id, rows in existing.items()
            }
            fresh: list[SignedEvent] = []
            for entry in signed:
                hashes = known.setdefault(entry.event_id, {})
                if entry.item.digest in hashes:
                    continue  # stored before, or earlier in this request
                if hashes and "errorDeclaration" not in entry.item.event:
                    raise EventIdReused(
                        f"eventID {entry.event_id} was captured with other content; "
                        "send an errorDeclaration to correct it",
                        field=member_path(entry.item.path, "eventID"),
                    )
                hashes[entry.item.digest] = None
                fresh.append(entry)
            rows = self._log(uow, organization_id, user_id, job_id, fresh, recorded)
            for row in rows:
                known[row.event_id][row.content_hash] = (row.id, row.leaf_index)
            if finish is not None:
                finish(uow)
            uow.commit()
        if rows:
            with suppress(MasterKeyMissing):  # checkpoints wait for the master key
                self._ledger.maybe_checkpoint()
        new = {row.content_hash for row in rows}
        out: list[CapturedEvent] = []
        for entry in signed:
            found = known[entry.event_id][entry.item.digest]
            assert found is not None
            status: Literal["stored", "already_stored"] = "already_stored"
            if entry.item.digest in new:
                new.discard(entry.item.digest)
                status = "stored"
            out.append(CapturedEvent(entry.event_id, found[0], found[1], status))
        return out

    def _log(
        self,
        uow: UnitOfWork,
        organization_id: uuid.UUID,
        user_id: uuid.UUID | None,
        job_id: uuid.UUID | None,
        fresh: list[SignedEvent],
        recorded: datetime,
    ) -> list[EpcisEventRow]:
        """Append the new events to the log and index them, in the caller's transaction."""
        ids = [new_id() for _ in fresh]
        entries = [
            NewEntry(e_id, e.logged, e.signature, e.public_key, organization_id, user_id)
            for e_id, e in zip(ids, fresh, strict=True)
        ]
        indexes = self._ledger.append(uow, entries) if entries else []
        rows = [
            EpcisEventRow(
                id=entry_id,
                log_id=self._ledger.log_id,
                leaf_index=index,
                source=CAPTURED,
                event_id=entry.event_id,
                facts=event_facts(entry.event),
                record_time=recorded,
                organization_id=organization_id,
                user_id=user_id,
                job_id=job_id,
                content_hash=entry.item.digest,
                context=entry.item.context,
                document=json.dumps(
                    entry.event, ensure_ascii=False, separators=(",", ":")
                ).encode(),
            )
            for entry_id, index, entry in zip(ids, indexes, fresh, strict=True)
        ]
        uow.epcis.add(rows)
        return rows


def _signed(
    item: PreparedEvent, stamp: str, key: SigningKey, sign: Callable[[bytes], bytes]
) -> SignedEvent:
    """The event with its recordTime, as logged (with its context), signed custodially."""
    event = {**item.event, "recordTime": stamp}
    logged = event
    if "@context" not in event and item.context is not None:
        logged = {"@context": item.context, **event}
    signature = Signature(str(key.id), ALGORITHM, b64encode(sign(canonical_json(logged))))
    return SignedEvent(item, event, logged, key.public_key, signature)


def _compact(event: dict[str, Any]) -> bytes:
    """The event JSON as stored for queries (compact; the logged leaf holds the canonical bytes)."""
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()
