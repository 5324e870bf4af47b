"""Manifest and approval projections, their versions and the signed actions that built them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, delete, insert, or_, select, update

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
        row = self._connection.execute(
            select(manifests).where(manifests.c.manifest_id == manifest_id)
        ).first()
        return manifest_from_row(row) if row else None

    def many(self, manifest_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Manifest]:
        """The manifests among `manifest_ids`."""
        ids = list(set(manifest_ids))
        if not ids:
            return {}
        rows = self._connection.execute(select(manifests).where(manifests.c.manifest_id.in_(ids)))
        return {row.manifest_id: manifest_from_row(row) for row in rows}

    def number_taken(self, number: str) -> bool:
        """Whether a manifest carries this number."""
        query = select(manifests.c.manifest_id).where(manifests.c.number == number)
        return self._connection.execute(query).first() is not None

    def put(self, manifest: Manifest, now: datetime) -> None:
        """Insert or update the manifest's projection and its party index."""
        assert manifest.issued_at is not None
        values = {
            "number": manifest.number,
            "version": manifest.version,
            "state": manifest.state.value,
            "generator_id": manifest.terms.generator_id,
            "receiver_id": manifest.terms.receiver_id,
            "approval_id": manifest.terms.approval_id,
            "origin_region_code": manifest.origin_region_code,
            "destination_region_code": manifest.destination_region_code,
            "issued_at": manifest.issued_at,
            "updated_at": now,
            "body": manifest_json(manifest),
        }
        c = self._connection
        where = manifests.c.manifest_id == manifest.manifest_id
        if not c.execute(update(manifests).where(where).values(**values)).rowcount:
            c.execute(insert(manifests).values(manifest_id=manifest.manifest_id, **values))
        c.execute(
            delete(manifest_parties).where(manifest_parties.c.manifest_id == manifest.manifest_id)
        )
        c.execute(
            insert(manifest_parties),
            [
                {"manifest_id": manifest.manifest_id, "organization_id": o}
                for o in manifest.party_ids
            ],
        )

    def add_version(self, manifest: Manifest, action_id: uuid.UUID, now: datetime) -> None:
        """Keep the terms of a new version (issue or correction) beside the earlier ones."""
        self._connection.execute(
            insert(manifest_versions).values(
                manifest_id=manifest.manifest_id,
                version=manifest.version,
                action_id=action_id,
                terms=terms_json(manifest.terms),
                recorded_at=now,
            )
        )

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
        row = self._connection.execute(
            select(approvals).where(approvals.c.approval_id == approval_id)
        ).first()
        return approval_from_row(row) if row else None

    def put_approval(self, approval: Approval, now: datetime) -> None:
        """Insert or update an approval's projection."""
        t = approval.terms
        values = {
            "number": approval.number,
            "state": approval.state.value,
            "generator_id": t.generator_id,
            "receiver_id": t.receiver_id,
            "origin_region_code": approval.origin_region_code,
            "destination_region_code": approval.destination_region_code,
            "waste_code": t.waste_code,
            "cap_kg": t.cap_kg,
            "used_kg": approval.used_kg,
            "valid_from": t.valid_from,
            "valid_to": t.valid_to,
            "updated_at": now,
            "body": approval_json(approval),
        }
        c = self._connection
        where = approvals.c.approval_id == approval.approval_id
        if not c.execute(update(approvals).where(where).values(**values)).rowcount:
            c.execute(insert(approvals).values(approval_id=approval.approval_id, **values))

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
        row = self._connection.execute(
            select(workflow_actions).where(workflow_actions.c.action_id == action_id)
        ).first()
        if row is None:
            return None
        values = dict(row._mapping)
        values["document"] = bytes(values["document"])
        return ActionRow(**values)

    def add_action(self, row: ActionRow) -> None:
        """Record a logged action."""
        self._connection.execute(
            insert(workflow_actions).values({f: getattr(row, f) for f in ActionRow.__slots__})
        )

    def actions_of(self, subject_id: uuid.UUID) -> list[ActionRow]:
        """The actions on a manifest or approval, in log order."""
        query = (
            select(workflow_actions)
            .where(workflow_actions.c.subject_id == subject_id)
            .order_by(workflow_actions.c.leaf_index)
        )
        found = []
        for row in self._connection.execute(query):
            values = dict(row._mapping)
            values["document"] = bytes(values["document"])
            found.append(ActionRow(**values))
        return found

    def counts(self) -> tuple[int, int, int]:
        """How many manifests, approvals and actions are stored (tests)."""
        c = self._connection
        return (
            len(c.execute(select(manifests.c.manifest_id)).all()),
            len(c.execute(select(approvals.c.approval_id)).all()),
            len(c.execute(select(workflow_actions.c.action_id)).all()),
        )
