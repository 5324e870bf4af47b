"""Manifest and approval projections, their versions and the signed actions that built them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Row,
    bindparam,
    delete,
    insert,
    or_,
    select,
    update,
)

from zerowaste.adapters.db.bulk import bulk_insert
from zerowaste.adapters.db.id_lists import chunks, in_list, rows_in
from zerowaste.adapters.db.manifest_json import (
    approval_from_row,
    approval_json,
    manifest_from_row,
    manifest_json,
    terms_from_json,
    terms_json,
)
from zerowaste.adapters.db.paging import fetch_page
from zerowaste.adapters.db.tables import (
    approvals,
    events,
    manifest_parties,
    manifest_versions,
    manifests,
    workflow_actions,
)
from zerowaste.domain.approvals import (
    Approval,
    ApprovalState,
)
from zerowaste.domain.manifests import (
    Manifest,
    ManifestState,
    ManifestTerms,
)
from zerowaste.domain.pages import Page, PageRequest
from zerowaste.domain.regions import region_prefix

MANIFEST = "manifest"
APPROVAL = "approval"


#: Ids per `IN (...)` list.
@dataclass(frozen=True, slots=True)
class ActionRow:
    """A logged manifest or approval action: its signed document and place in the log."""

    action_id: uuid.UUID
    subject: str
    subject_id: uuid.UUID
    action: str
    action_time: datetime
    organization_id: uuid.UUID | None
    log_id: str
    leaf_index: int
    document: bytes
    signature_key_id: str
    signature_value: str
    user_id: uuid.UUID | None
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class ManifestEventRow:
    """A waste event captured on a manifest (shipped, received)."""

    event_id: uuid.UUID
    event_type: str
    event_time: datetime
    organization_id: uuid.UUID
    leaf_index: int


class ManifestRepository:
    """Reads and writes of manifests, approvals and their actions on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    # -- manifests -------------------------------------------------------------------------

    def get(self, manifest_id: uuid.UUID) -> Manifest | None:
        """The manifest's current version, or None."""
        row = self._connection.execute(_MANIFEST, {"id": manifest_id}).first()
        return manifest_from_row(row) if row else None

    def many(self, manifest_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Manifest]:
        """The manifests among `manifest_ids`."""
        rows = rows_in(self._connection, _MANIFESTS, manifest_ids)
        return {r.manifest_id: manifest_from_row(r) for r in rows}

    def number_taken(self, number: str) -> bool:
        """Whether a manifest carries this number."""
        return bool(self.numbers_taken([number]))

    def numbers_taken(self, numbers: Iterable[str]) -> set[str]:
        """The numbers among `numbers` that manifests carry."""
        return {r.number for r in rows_in(self._connection, _NUMBERS, numbers)}

    def put(self, manifest: Manifest, now: datetime) -> None:
        """Insert or update the manifest's projection and its party index."""
        self.put_many([manifest], now)

    def put_many(self, changed: Sequence[Manifest], now: datetime) -> None:
        """Insert or update manifests' projections and party indexes, a few statements in all."""
        rows = []
        for m in changed:
            assert m.issued_at is not None
            rows.append(
                {
                    "manifest_id": m.manifest_id,
                    "number": m.number,
                    "version": m.version,
                    "state": m.state.value,
                    "generator_id": m.terms.generator_id,
                    "receiver_id": m.terms.receiver_id,
                    "approval_id": m.terms.approval_id,
                    "contract_id": m.terms.contract_id,
                    "origin_region_code": m.origin_region_code,
                    "destination_region_code": m.destination_region_code,
                    "issued_at": m.issued_at,
                    "updated_at": now,
                    "body": manifest_json(m),
                }
            )
        _upsert(self._connection, manifests.c.manifest_id, rows)
        for ids in chunks(m.manifest_id for m in changed):
            self._connection.execute(_PARTIES_DELETE, {"ids": ids})
        parties = [
            {"manifest_id": m.manifest_id, "organization_id": o}
            for m in changed
            for o in m.party_ids
        ]
        bulk_insert(self._connection, manifest_parties, parties)

    def add_version(self, manifest: Manifest, action_id: uuid.UUID, now: datetime) -> None:
        """Keep the terms of a new version (issue or correction) beside the earlier ones."""
        self.add_versions([(manifest, action_id)], now)

    def add_versions(self, new: Sequence[tuple[Manifest, uuid.UUID]], now: datetime) -> None:
        """Keep the terms of new versions, each with the action (issue, correction) that made it."""
        if not new:
            return
        rows = [
            {
                "manifest_id": m.manifest_id,
                "version": m.version,
                "action_id": action_id,
                "terms": terms_json(m.terms),
                "recorded_at": now,
            }
            for m, action_id in new
        ]
        self._connection.execute(insert(manifest_versions), rows)

    def versions(self, manifest_id: uuid.UUID) -> list[tuple[int, uuid.UUID, ManifestTerms]]:
        """Every version's number, action and terms, oldest first."""
        query = (
            select(manifest_versions)
            .where(manifest_versions.c.manifest_id == manifest_id)
            .order_by(manifest_versions.c.version)
        )
        return [
            (row.version, row.action_id, terms_from_json(row.terms))
            for row in self._connection.execute(query)
        ]

    def find(
        self,
        page: PageRequest,
        *,
        organization_id: uuid.UUID | None = None,
        region_code: str | None = None,
        state: ManifestState | None = None,
    ) -> Page[Manifest]:
        """A page of manifests by number: of a party, or touching a region (either end)."""
        query = select(manifests)
        if organization_id is not None:
            parties = select(manifest_parties.c.manifest_id).where(
                manifest_parties.c.organization_id == organization_id
            )
            query = query.where(manifests.c.manifest_id.in_(parties))
        if region_code is not None:
            prefix = region_prefix(region_code) + "%"
            query = query.where(
                or_(
                    manifests.c.origin_region_code.like(prefix),
                    manifests.c.destination_region_code.like(prefix),
                )
            )
        if state is not None:
            query = query.where(manifests.c.state == state.value)
        return fetch_page(self._connection, query, manifests.c.number, page, manifest_from_row)

    def events_of(self, manifest_id: uuid.UUID) -> list[ManifestEventRow]:
        """The waste events captured on a manifest, in log order."""
        query = (
            select(
                events.c.event_id,
                events.c.event_type,
                events.c.event_time,
                events.c.organization_id,
                events.c.leaf_index,
            )
            .where(events.c.manifest_id == manifest_id)
            .order_by(events.c.leaf_index)
        )
        return [ManifestEventRow(**dict(r._mapping)) for r in self._connection.execute(query)]

    # -- approvals -------------------------------------------------------------------------

    def approval(self, approval_id: uuid.UUID) -> Approval | None:
        """The approval, or None."""
        return self.approvals([approval_id]).get(approval_id)

    def approvals(self, approval_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Approval]:
        """The approvals among `approval_ids`."""
        rows = rows_in(self._connection, _APPROVALS, approval_ids)
        return {r.approval_id: approval_from_row(r) for r in rows}

    def put_approval(self, approval: Approval, now: datetime) -> None:
        """Insert or update an approval's projection."""
        self.put_approvals([approval], now)

    def put_approvals(self, changed: Sequence[Approval], now: datetime) -> None:
        """Insert or update approvals' projections."""
        rows = [
            {
                "approval_id": a.approval_id,
                "number": a.number,
                "state": a.state.value,
                "generator_id": a.terms.generator_id,
                "receiver_id": a.terms.receiver_id,
                "origin_region_code": a.origin_region_code,
                "destination_region_code": a.destination_region_code,
                "waste_code": a.terms.waste_code,
                "cap_kg": a.terms.cap_kg,
                "used_kg": a.used_kg,
                "valid_from": a.terms.valid_from,
                "valid_to": a.terms.valid_to,
                "updated_at": now,
                "body": approval_json(a),
            }
            for a in changed
        ]
        _upsert(self._connection, approvals.c.approval_id, rows)

    def find_approvals(
        self,
        page: PageRequest,
        *,
        organization_id: uuid.UUID | None = None,
        region_code: str | None = None,
        state: ApprovalState | None = None,
        active_on: date | None = None,
    ) -> Page[Approval]:
        """A page of approvals by number: of a generator or receiver, or touching a region."""
        query = select(approvals)
        if organization_id is not None:
            query = query.where(
                or_(
                    approvals.c.generator_id == organization_id,
                    approvals.c.receiver_id == organization_id,
                )
            )
        if region_code is not None:
            prefix = region_prefix(region_code) + "%"
            query = query.where(
                or_(
                    approvals.c.origin_region_code.like(prefix),
                    approvals.c.destination_region_code.like(prefix),
                )
            )
        if state is not None:
            query = query.where(approvals.c.state == state.value)
        if active_on is not None:
            query = query.where(
                approvals.c.valid_from <= active_on, approvals.c.valid_to >= active_on
            )
        return fetch_page(self._connection, query, approvals.c.number, page, approval_from_row)

    # -- actions ---------------------------------------------------------------------------

    def action(self, action_id: uuid.UUID) -> ActionRow | None:
        """A logged action, or None."""
        return self.actions([action_id]).get(action_id)

    def actions(self, action_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, ActionRow]:
        """The logged actions among `action_ids`."""
        rows = rows_in(self._connection, _ACTIONS, action_ids)
        return {r.action_id: _action(r) for r in rows}

    def add_action(self, row: ActionRow) -> None:
        """Record a logged action."""
        self.add_actions([row])

    def add_actions(self, rows: Sequence[ActionRow]) -> None:
        """Record logged actions (one bulk insert)."""
        values = [{f: getattr(row, f) for f in ActionRow.__slots__} for row in rows]
        bulk_insert(self._connection, workflow_actions, values)

    def actions_of(self, subject_id: uuid.UUID) -> list[ActionRow]:
        """The actions on a manifest or approval, in log order."""
        query = (
            select(workflow_actions)
            .where(workflow_actions.c.subject_id == subject_id)
            .order_by(workflow_actions.c.leaf_index)
        )
        return [_action(row) for row in self._connection.execute(query)]

    def counts(self) -> tuple[int, int, int]:
        """How many manifests, approvals and actions are stored (tests)."""
        c = self._connection
        return (
            len(c.execute(select(manifests.c.manifest_id)).all()),
            len(c.execute(select(approvals.c.approval_id)).all()),
            len(c.execute(select(workflow_actions.c.action_id)).all()),
        )


def _action(row: Row[Any]) -> ActionRow:
    values = dict(row._mapping)
    values["document"] = bytes(values["document"])
    return ActionRow(**values)


_MANIFEST = select(manifests).where(manifests.c.manifest_id == bindparam("id"))
_MANIFESTS = in_list(manifests.c.manifest_id, manifests)
_NUMBERS = in_list(manifests.c.number)
_APPROVALS = in_list(approvals.c.approval_id, approvals)
_ACTIONS = in_list(workflow_actions.c.action_id, workflow_actions)
_PARTIES_DELETE = delete(manifest_parties).where(
    manifest_parties.c.manifest_id.in_(bindparam("ids", expanding=True))
)
#: Per key column: which keys are stored, and the update by key (its SET from the values).
_UPSERTS = {
    key: (in_list(key), update(key.table).where(key == bindparam("_key")))
    for key in (manifests.c.manifest_id, approvals.c.approval_id)
}


def _upsert(connection: Connection, key: Column[Any], rows: list[dict[str, Any]]) -> None:
    """Update the rows whose `key` is stored (one executemany), insert the others (one more)."""
    if not rows:
        return
    existing, update_by_key = _UPSERTS[key]
    stored = {r[0] for r in rows_in(connection, existing, (r[key.name] for r in rows))}
    updates = [
        {"_key": r[key.name], **{c: v for c, v in r.items() if c != key.name}}
        for r in rows
        if r[key.name] in stored
    ]
    if updates:
        connection.execute(update_by_key, updates)
    inserts = [r for r in rows if r[key.name] not in stored]
    if inserts:
        connection.execute(insert(key.table), inserts)
