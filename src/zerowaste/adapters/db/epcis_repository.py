"""EPCIS repository tables: indexed events, the identifiers they name, and capture jobs."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, select, update

from zerowaste.adapters.db.events_repository import EventRow
from zerowaste.adapters.db.tables import (
    epcis_capture_jobs,
    epcis_event_epcs,
    epcis_events,
    events,
    organizations,
)
from zerowaste.domain.epcis_index import EpcRole, EventFacts
from zerowaste.domain.regions import region_prefix

CAPTURED = "epcis"
PLATFORM = "platform"


@dataclass(frozen=True, slots=True)
class EpcisEventRow:
    """One indexed EPCIS event: the facts queried on and the event JSON as returned."""

    id: uuid.UUID
    log_id: str
    leaf_index: int
    source: str
    event_id: str
    facts: EventFacts
    record_time: datetime
    organization_id: uuid.UUID
    user_id: uuid.UUID | None
    job_id: uuid.UUID | None
    content_hash: bytes
    context: Any
    document: bytes


@dataclass(frozen=True, slots=True)
class EventFilter:
    """The SimpleEventQuery restrictions, already parsed; empty tuples restrict nothing.

    Attributes:
        matches: For each MATCH_ parameter given, the roles it looks at and the values any of
            which must appear there.
    """

    event_types: tuple[str, ...] = ()
    ge_event_time: datetime | None = None
    lt_event_time: datetime | None = None
    ge_record_time: datetime | None = None
    lt_record_time: datetime | None = None
    actions: tuple[str, ...] = ()
    biz_steps: tuple[str, ...] = ()
    dispositions: tuple[str, ...] = ()
    biz_locations: tuple[str, ...] = ()
    read_points: tuple[str, ...] = ()
    event_ids: tuple[str, ...] = ()
    matches: tuple[tuple[tuple[EpcRole, ...], tuple[str, ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class Visibility:
    """Whose events a caller may read: all (admins), one organization, or a region's."""

    organization_id: uuid.UUID | None = None
    jurisdiction_code: str | None = None
    everything: bool = False


@dataclass(frozen=True, slots=True)
class JobRow:
    """A capture job: the document as accepted and what became of it."""

    id: uuid.UUID
    status: str
    error_behaviour: str
    organization_id: uuid.UUID
    user_id: uuid.UUID | None
    document: bytes
    event_count: int
    stored_count: int
    errors: list[dict[str, Any]] = field(default_factory=list)
    created_at: datetime | None = None
    finished_at: datetime | None = None


def _row(row: Row[Any], identifiers: frozenset[tuple[EpcRole, str]]) -> EpcisEventRow:
    m = row._mapping
    facts = EventFacts(
        m["event_type"],
        m["event_time"],
        m["action"],
        m["biz_step"],
        m["disposition"],
        m["read_point"],
        m["biz_location"],
        identifiers,
    )
    return EpcisEventRow(
        m["id"],
        m["log_id"],
        m["leaf_index"],
        m["source"],
        m["event_id"],
        facts,
        m["record_time"],
        m["organization_id"],
        m["user_id"],
        m["job_id"],
        m["content_hash"],
        m["context"],
        m["document"],
    )


class EpcisRepository:
    """Reads and writes of the EPCIS tables inside one unit of work."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, rows: Sequence[EpcisEventRow]) -> None:
        """Insert indexed events and their identifiers."""
        if not rows:
            return
        self._connection.execute(
            epcis_events.insert(),
            [
                {
                    "id": r.id,
                    "log_id": r.log_id,
                    "leaf_index": r.leaf_index,
                    "source": r.source,
                    "event_id": r.event_id,
                    "event_type": r.facts.event_type,
                    "event_time": r.facts.event_time,
                    "record_time": r.record_time,
                    "action": r.facts.action,
                    "biz_step": r.facts.biz_step,
                    "disposition": r.facts.disposition,
                    "read_point": r.facts.read_point,
                    "biz_location": r.facts.biz_location,
                    "organization_id": r.organization_id,
                    "user_id": r.user_id,
                    "job_id": r.job_id,
                    "content_hash": r.content_hash,
                    "context": r.context,
                    "document": r.document,
                }
                for r in rows
            ],
        )
        identifiers = [
            {"entry_id": r.id, "role": role.value, "epc": epc}
            for r in rows
            for role, epc in sorted(r.facts.identifiers)
        ]
        if identifiers:
            self._connection.execute(epcis_event_epcs.insert(), identifiers)

    def _identifiers(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, set[tuple[EpcRole, str]]]:
        found: dict[uuid.UUID, set[tuple[EpcRole, str]]] = {i: set() for i in ids}
        for start in range(0, len(ids), 500):
            query = select(epcis_event_epcs).where(
                epcis_event_epcs.c.entry_id.in_(ids[start : start + 500])
            )
            for row in self._connection.execute(query):
                found[row.entry_id].add((EpcRole(row.role), row.epc))
        return found

    def _rows(self, result: Iterable[Row[Any]]) -> list[EpcisEventRow]:
        rows = list(result)
        identifiers = self._identifiers([r.id for r in rows])
        return [_row(r, frozenset(identifiers[r.id])) for r in rows]

    def by_event_ids(self, log_id: str, event_ids: Iterable[str]) -> dict[str, list[EpcisEventRow]]:
        """Stored events by eventID (an error declaration shares its original's)."""
        ids = sorted(set(event_ids))
        found: dict[str, list[EpcisEventRow]] = {}
        for start in range(0, len(ids), 500):
            query = (
                select(epcis_events)
                .where(epcis_events.c.log_id == log_id)
                .where(epcis_events.c.event_id.in_(ids[start : start + 500]))
                .order_by(epcis_events.c.leaf_index)
            )
            for row in self._rows(self._connection.execute(query)):
                found.setdefault(row.event_id, []).append(row)
        return found

    def query(
        self,
        log_id: str,
        where: EventFilter,
        visibility: Visibility,
        *,
        after_leaf: int | None,
        limit: int,
    ) -> list[EpcisEventRow]:
        """Events matching every restriction, visible to the caller, in log order."""
        e = epcis_events.c
        query = select(epcis_events).where(e.log_id == log_id)
        for column, values in (
            (e.event_type, where.event_types),
            (e.action, where.actions),
            (e.biz_step, where.biz_steps),
            (e.disposition, where.dispositions),
            (e.biz_location, where.biz_locations),
            (e.read_point, where.read_points),
            (e.event_id, where.event_ids),
        ):
            if values:
                query = query.where(column.in_(values))
        for column, bound, lower in (
            (e.event_time, where.ge_event_time, True),
            (e.event_time, where.lt_event_time, False),
            (e.record_time, where.ge_record_time, True),
            (e.record_time, where.lt_record_time, False),
        ):
            if bound is not None:
                query = query.where(column >= bound if lower else column < bound)
        for roles, values in where.matches:
            named = select(epcis_event_epcs.c.entry_id).where(
                epcis_event_epcs.c.role.in_([r.value for r in roles]),
                epcis_event_epcs.c.epc.in_(values),
            )
            query = query.where(e.id.in_(named))
        if not visibility.everything:
            if visibility.organization_id is not None:
                query = query.where(e.organization_id == visibility.organization_id)
            elif visibility.jurisdiction_code is not None:
                prefix = region_prefix(visibility.jurisdiction_code)
                overseen = select(organizations.c.id).where(
                    organizations.c.region_code.startswith(prefix, autoescape=True)
                )
                query = query.where(e.organization_id.in_(overseen))
            else:
                return []
        if after_leaf is not None:
            query = query.where(e.leaf_index > after_leaf)
        query = query.order_by(e.leaf_index).limit(limit)
        return self._rows(self._connection.execute(query))

    def platform_watermark(self, log_id: str) -> int:
        """The highest leaf index of a platform event indexed so far (-1 if none)."""
        query = select(func.max(epcis_events.c.leaf_index)).where(
            epcis_events.c.log_id == log_id, epcis_events.c.source == PLATFORM
        )
        found = self._connection.execute(query).scalar()
        return -1 if found is None else int(found)

    def platform_events_after(self, log_id: str, leaf_index: int, limit: int) -> list[EventRow]:
        """Captured platform events past a leaf index, in log order."""
        query = (
            select(events)
            .where(events.c.log_id == log_id, events.c.leaf_index > leaf_index)
            .order_by(events.c.leaf_index)
            .limit(limit)
        )
        return [EventRow(**row._mapping) for row in self._connection.execute(query)]

    def platform_events_of_manifest(self, manifest_id: uuid.UUID) -> list[EventRow]:
        """Captured platform events on one transfer manifest, in log order."""
        query = (
            select(events).where(events.c.manifest_id == manifest_id).order_by(events.c.leaf_index)
        )
        return [EventRow(**row._mapping) for row in self._connection.execute(query)]

    def add_job(self, job: JobRow) -> None:
        """Persist a new capture job with its document."""
        self._connection.execute(
            epcis_capture_jobs.insert().values(
                id=job.id,
                status=job.status,
                error_behaviour=job.error_behaviour,
                organization_id=job.organization_id,
                user_id=job.user_id,
                document=job.document,
                event_count=job.event_count,
                stored_count=job.stored_count,
                errors=job.errors,
                created_at=job.created_at,
                finished_at=job.finished_at,
            )
        )

    def job(self, job_id: uuid.UUID) -> JobRow | None:
        """One capture job, or None."""
        row = self._connection.execute(
            select(epcis_capture_jobs).where(epcis_capture_jobs.c.id == job_id)
        ).first()
        return None if row is None else JobRow(**row._mapping)

    def recent_jobs(self, visibility: Visibility, user_id: uuid.UUID, limit: int) -> list[JobRow]:
        """The newest capture jobs a caller may see: its own, and its organizations'."""
        j = epcis_capture_jobs.c
        query = select(epcis_capture_jobs)
        if not visibility.everything:
            mine = j.user_id == user_id
            if visibility.organization_id is not None:
                query = query.where(mine | (j.organization_id == visibility.organization_id))
            elif visibility.jurisdiction_code is not None:
                prefix = region_prefix(visibility.jurisdiction_code)
                overseen = select(organizations.c.id).where(
                    organizations.c.region_code.startswith(prefix, autoescape=True)
                )
                query = query.where(mine | j.organization_id.in_(overseen))
            else:
                query = query.where(mine)
        query = query.order_by(j.created_at.desc(), j.id).limit(limit)
        return [JobRow(**row._mapping) for row in self._connection.execute(query)]

    def jobs_with_status(self, statuses: Iterable[str]) -> list[uuid.UUID]:
        """Ids of the jobs in one of `statuses`, oldest first."""
        query = (
            select(epcis_capture_jobs.c.id)
            .where(epcis_capture_jobs.c.status.in_(list(statuses)))
            .order_by(epcis_capture_jobs.c.created_at, epcis_capture_jobs.c.id)
        )
        return list(self._connection.execute(query).scalars())

    def set_job_status(self, job_id: uuid.UUID, status: str, *, when: str | None = None) -> bool:
        """Move a job to `status` (only from `when`, if given); whether it moved."""
        change = update(epcis_capture_jobs).where(epcis_capture_jobs.c.id == job_id)
        if when is not None:
            change = change.where(epcis_capture_jobs.c.status == when)
        return bool(self._connection.execute(change.values(status=status)).rowcount)

    def finish_job(
        self,
        job_id: uuid.UUID,
        status: str,
        stored_count: int,
        errors: list[dict[str, Any]],
        finished_at: datetime,
    ) -> None:
        """Record a job's outcome."""
        self._connection.execute(
            update(epcis_capture_jobs)
            .where(epcis_capture_jobs.c.id == job_id)
            .values(
                status=status, stored_count=stored_count, errors=errors, finished_at=finished_at
            )
        )
