"""What EPCIS capture works with: jobs and their states, prepared and signed events, outcomes."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from zerowaste.adapters.db.epcis_repository import JobRow
from zerowaste.errors import InvalidInput, ZeroWasteError
from zerowaste.ledger.canonical import canonical_sha256
from zerowaste.ledger.signatures import Signature

ROLLBACK = "rollback"
PROCEED = "proceed"
ERROR_BEHAVIOURS = (ROLLBACK, PROCEED)
QUEUED, RUNNING, SUCCESS, FAILURE = "queued", "running", "success", "failure"


@dataclass(frozen=True)
class CaptureJob:
    """A capture job as GS1's capture interface reports it."""

    id: uuid.UUID
    status: str
    error_behaviour: str
    organization_id: uuid.UUID
    event_count: int
    stored_count: int
    errors: list[dict[str, Any]]
    created_at: datetime
    finished_at: datetime | None

    @property
    def running(self) -> bool:
        """Whether the job has not finished yet."""
        return self.status in (QUEUED, RUNNING)

    @property
    def success(self) -> bool:
        """Whether every event was stored (or found stored already)."""
        return self.status == SUCCESS


@dataclass(frozen=True)
class CapturedEvent:
    """What became of one event: stored now, or found stored already."""

    event_id: str
    entry_id: uuid.UUID
    leaf_index: int
    status: Literal["stored", "already_stored"]


@dataclass(frozen=True)
class PreparedEvent:
    """An event ready to store: its JSON path, eventID set, recordTime dropped, and digest."""

    path: str
    event: dict[str, Any]
    context: Any
    digest: bytes


@dataclass(frozen=True)
class SignedEvent:
    """A prepared event with its recordTime, as logged (with context), and its signature."""

    item: PreparedEvent
    event: dict[str, Any]
    logged: dict[str, Any]
    public_key: bytes
    signature: Signature

    @property
    def event_id(self) -> str:
        """The event's eventID."""
        return str(self.item.event["eventID"])


def problem_entry(exc: ZeroWasteError) -> dict[str, Any]:
    """One entry of a job's `errors`: the Problem Details members of a refusal."""
    return {
        "type": f"urn:zerowaste:problem:{exc.type_slug}",
        "title": exc.title,
        "status": exc.status,
        "detail": exc.detail,
        "field": exc.field,
    }


def job_of(row: JobRow) -> CaptureJob:
    """The job a stored row describes."""
    assert row.created_at is not None
    return CaptureJob(
        row.id,
        row.status,
        row.error_behaviour,
        row.organization_id,
        row.event_count,
        row.stored_count,
        list(row.errors),
        row.created_at,
        row.finished_at,
    )


def member_path(path: str, member: str) -> str:
    """The JSON path of a member of the event at `path` (`` for a lone event)."""
    return f"{path}.{member}" if path else member


def record_time_text(moment: datetime) -> str:
    """A `recordTime` value: UTC, milliseconds, `Z`."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def prepare_event(
    path: str, event: Mapping[str, Any], context: Any, default_id: uuid.UUID
) -> PreparedEvent:
    """The event as it will be stored: an eventID, no recordTime (the repository sets it)."""
    body = {k: v for k, v in event.items() if k != "recordTime"}
    body.setdefault("eventID", f"urn:uuid:{default_id}")
    try:
        digest = canonical_sha256(body)
    except InvalidInput as exc:
        inner = (exc.field or "$").removeprefix("$").lstrip(".")
        raise InvalidInput(
            exc.detail, field=member_path(path, inner) if inner else path or "$"
        ) from exc
    return PreparedEvent(path, body, body.get("@context", context), digest)
