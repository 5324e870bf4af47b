"""Reads and writes of alerts and their evidence on one connection."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from zerowaste.adapters.db.id_lists import in_list, rows_in
from zerowaste.adapters.db.oversight_tables import alert_evidence, alerts, oversight_sweeps
from zerowaste.domain.alerts import Alert, AlertState, alert_fields
from zerowaste.domain.pages import Page, PageRequest
from zerowaste.domain.regions import region_prefix
from zerowaste.errors import InvalidInput

EVENT = "event"
BATCH = "batch"


@dataclass(frozen=True, slots=True)
class AlertFilter:
    """What an alert listing is narrowed to (None: any)."""

    organization_id: uuid.UUID | None = None
    region_code: str | None = None
    states: Collection[AlertState] | None = None
    rule_id: str | None = None
    severity: str | None = None
    raised_from: datetime | None = None
    raised_to: datetime | None = None


@dataclass(frozen=True, slots=True)
class SweepRow:
    """One recorded sweep run."""

    sweep_id: uuid.UUID
    as_of: datetime
    started_at: datetime
    finished_at: datetime
    log_size: int
    findings: int
    raised: int
    by_rule: dict[str, int]


class AlertRepository:
    """Alerts, their evidence and the sweeps' records."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def known_fingerprints(self, fingerprints: Iterable[str]) -> set[str]:
        """Which of these conditions were raised already."""
        rows = rows_in(self._connection, _FINGERPRINTS, list(set(fingerprints)))
        return {row.fingerprint for row in rows}

    def next_number(self) -> int:
        """The number the next alert gets (call with the log lock held)."""
        top = self._connection.execute(select(func.max(alerts.c.number))).scalar()
        return int(top or 0) + 1

    def add(self, new: Sequence[Alert]) -> None:
        """Store new alerts with their evidence."""
        if not new:
            return
        self._connection.execute(insert(alerts), [_row(a) for a in new])
        evidence = [
            {"alert_id": a.alert_id, "role": role, "ref_id": ref, "position": i}
            for a in new
            for role, refs in ((EVENT, a.event_ids), (BATCH, a.batch_ids))
            for i, ref in enumerate(dict.fromkeys(refs))
        ]
        if evidence:
            self._connection.execute(insert(alert_evidence), evidence)

    def put_state(self, alert: Alert) -> None:
        """Write an alert's workflow state."""
        self._connection.execute(
            update(alerts)
            .where(alerts.c.alert_id == alert.alert_id)
            .values(
                state=alert.state.value,
                updated_at=alert.updated_at,
                reason=alert.reason,
                closed_by=alert.closed_by,
            )
        )

    def get(self, alert_id: uuid.UUID) -> Alert | None:
        """One alert with its evidence, or None."""
        row = self._connection.execute(select(alerts).where(alerts.c.alert_id == alert_id)).first()
        return None if row is None else self._with_evidence([row])[0]

    def find(self, page: PageRequest, where: AlertFilter) -> Page[Alert]:
        """A page of alerts, newest first (by number); the cursor is the last number seen."""
        query = _filtered(select(alerts), where)
        if page.after is not None:
            try:
                after = int(page.after)
            except ValueError:
                raise InvalidInput("not a cursor this API gave out", field="cursor") from None
            query = query.where(alerts.c.number < after)
        rows = self._connection.execute(
            query.order_by(alerts.c.number.desc()).limit(page.limit + 1)
        ).all()
        more = len(rows) > page.limit
        rows = rows[: page.limit]
        items = self._with_evidence(rows)
        return Page(items, str(items[-1].number) if more and items else None)

    def counts(self, where: AlertFilter) -> dict[tuple[str, str], int]:
        """How many alerts there are per (rule, state) under the filter."""
        query = _filtered(
            select(alerts.c.rule_id, alerts.c.state, func.count()).group_by(
                alerts.c.rule_id, alerts.c.state
            ),
            where,
        )
        return {(r[0], r[1]): int(r[2]) for r in self._connection.execute(query)}

    def of_refs(self, ref_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
        """The alerts naming each event or batch id as evidence."""
        found: dict[uuid.UUID, list[uuid.UUID]] = {}
        for row in rows_in(self._connection, _EVIDENCE_OF, list(set(ref_ids))):
            found.setdefault(row.ref_id, []).append(row.alert_id)
        return found

    def _with_evidence(self, rows: Sequence[Row[Any]]) -> list[Alert]:
        ids = [row.alert_id for row in rows]
        refs: dict[tuple[uuid.UUID, str], list[tuple[int, uuid.UUID]]] = {}
        for row in rows_in(self._connection, _EVIDENCE, ids):
            refs.setdefault((row.alert_id, row.role), []).append((row.position, row.ref_id))
        return [_alert(row, refs) for row in rows]

    # -- sweeps ----------------------------------------------------------------------------

    def add_sweep(self, sweep: SweepRow) -> None:
        """Record a sweep run."""
        self._connection.execute(
            insert(oversight_sweeps).values(
                sweep_id=sweep.sweep_id,
                as_of=sweep.as_of,
                started_at=sweep.started_at,
                finished_at=sweep.finished_at,
                log_size=sweep.log_size,
                findings=sweep.findings,
                raised=sweep.raised,
                by_rule=sweep.by_rule,
            )
        )

    def latest_sweeps(self, limit: int = 20) -> list[SweepRow]:
        """The latest sweep runs, newest first."""
        query = select(oversight_sweeps).order_by(oversight_sweeps.c.started_at.desc())
        return [
            SweepRow(
                sweep_id=r.sweep_id,
                as_of=r.as_of,
                started_at=r.started_at,
                finished_at=r.finished_at,
                log_size=r.log_size,
                findings=r.findings,
                raised=r.raised,
                by_rule=dict(r.by_rule),
            )
            for r in self._connection.execute(query.limit(limit))
        ]


def _filtered(query: Any, where: AlertFilter) -> Any:
    c = alerts.c
    if where.organization_id is not None:
        query = query.where(c.organization_id == where.organization_id)
    if where.region_code is not None:
        query = query.where(c.region_code.like(region_prefix(where.region_code) + "%"))
    if where.states is not None:
        query = query.where(c.state.in_([s.value for s in where.states]))
    if where.rule_id is not None:
        query = query.where(c.rule_id == where.rule_id)
    if where.severity is not None:
        query = query.where(c.severity == where.severity)
    if where.raised_from is not None:
        query = query.where(c.raised_at >= where.raised_from)
    if where.raised_to is not None:
        query = query.where(c.raised_at < where.raised_to)
    return query


def _row(alert: Alert) -> dict[str, Any]:
    return {**alert_fields(alert), "number": alert.number, "fingerprint": alert.fingerprint}


def _alert(row: Row[Any], refs: dict[tuple[uuid.UUID, str], list[tuple[int, uuid.UUID]]]) -> Alert:
    def ordered(role: str) -> tuple[uuid.UUID, ...]:
        return tuple(ref for _, ref in sorted(refs.get((row.alert_id, role), [])))

    return Alert(
        alert_id=row.alert_id,
        number=row.number,
        rule_id=row.rule_id,
        fingerprint=row.fingerprint,
        severity=row.severity,
        state=AlertState(row.state),
        organization_id=row.organization_id,
        region_code=row.region_code,
        raised_at=row.raised_at,
        observed_at=row.observed_at,
        updated_at=row.updated_at,
        explanation_zh=row.explanation_zh,
        explanation_en=row.explanation_en,
        figures=dict(row.figures),
        event_ids=ordered(EVENT),
        batch_ids=ordered(BATCH),
        manifest_id=row.manifest_id,
        site_id=row.site_id,
        reason=row.reason,
        closed_by=row.closed_by,
    )


_FINGERPRINTS = in_list(alerts.c.fingerprint)
_EVIDENCE = in_list(alert_evidence.c.alert_id, alert_evidence)
_EVIDENCE_OF = in_list(alert_evidence.c.ref_id, alert_evidence)
