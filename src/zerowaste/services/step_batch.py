"""What one transaction of manifest or approval steps reads once and writes once, at the end."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TypeVar

from zerowaste.adapters.db.manifests_repository import ActionRow
from zerowaste.adapters.db.unit_of_work import UnitOfWork
from zerowaste.domain.accounts import SigningKey
from zerowaste.domain.approvals import Approval
from zerowaste.domain.manifests import Manifest

K = TypeVar("K")
V = TypeVar("V")


class StepBatch:
    """The manifests, approvals, actions and keys a batch of steps touches, in its transaction.

    Each step sees the state the earlier steps of the batch left: reads come from what the
    batch holds, else from the database (once). The changed projections, new versions and
    action rows are held and written by `flush`, once per manifest or approval however many
    steps moved it, in the same transaction before it commits.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self._manifests: dict[uuid.UUID, Manifest | None] = {}
        self._approvals: dict[uuid.UUID, Approval | None] = {}
        self._actions: dict[uuid.UUID, ActionRow | None] = {}
        self._keys: dict[uuid.UUID, SigningKey | None] = {}
        self._numbers: dict[str, bool | None] = {}
        self._changed: dict[uuid.UUID, Manifest] = {}
        self._versions: list[tuple[Manifest, uuid.UUID]] = []
        self._changed_approvals: dict[uuid.UUID, Approval] = {}
        self._new_actions: list[ActionRow] = []

    # -- reading ---------------------------------------------------------------------------

    def prefetch(
        self,
        *,
        manifests: Iterable[uuid.UUID] = (),
        approvals: Iterable[uuid.UUID] = (),
        actions: Iterable[uuid.UUID] = (),
        keys: Iterable[uuid.UUID] = (),
        numbers: Iterable[str] = (),
    ) -> None:
        """Load what the batch's steps will look up, a query or so per kind."""
        repository = self.uow.manifests
        load_missing(self._manifests, manifests, repository.many)
        load_missing(self._approvals, approvals, repository.approvals)
        load_missing(self._actions, actions, repository.actions)
        load_missing(self._keys, keys, self.uow.signing_keys.many)
        load_missing(self._numbers, numbers, self._taken)

    def _taken(self, numbers: Iterable[str]) -> dict[str, bool]:
        return dict.fromkeys(self.uow.manifests.numbers_taken(numbers), True)

    def manifest(self, manifest_id: uuid.UUID) -> Manifest | None:
        """The manifest as the batch's earlier steps left it, or None."""
        load_missing(self._manifests, [manifest_id], self.uow.manifests.many)
        return self._manifests[manifest_id]

    def approval(self, approval_id: uuid.UUID) -> Approval | None:
        """The approval as the batch's earlier steps left it, or None."""
        load_missing(self._approvals, [approval_id], self.uow.manifests.approvals)
        return self._approvals[approval_id]

    def action(self, action_id: uuid.UUID) -> ActionRow | None:
        """The action logged with this id (earlier, or by this batch), or None."""
        load_missing(self._actions, [action_id], self.uow.manifests.actions)
        return self._actions[action_id]

    def signing_key(self, key_id: uuid.UUID) -> SigningKey | None:
        """The registered signing key, or None."""
        load_missing(self._keys, [key_id], self.uow.signing_keys.many)
        return self._keys[key_id]

    def number_taken(self, number: str) -> bool:
        """Whether a stored manifest or one issued by this batch carries the number."""
        load_missing(self._numbers, [number], self._taken)
        return bool(self._numbers[number])

    # -- writing (held until `flush`) ------------------------------------------------------

    def put(self, manifest: Manifest) -> None:
        """Hold a manifest's new state."""
        self._manifests[manifest.manifest_id] = self._changed[manifest.manifest_id] = manifest
        self._numbers[manifest.number] = True

    def add_version(self, manifest: Manifest, action_id: uuid.UUID) -> None:
        """Hold the terms of a new version (issue or correction)."""
        self._versions.append((manifest, action_id))

    def put_approval(self, approval: Approval) -> None:
        """Hold an approval's new state."""
        self._approvals[approval.approval_id] = approval
        self._changed_approvals[approval.approval_id] = approval

    def add_action(self, row: ActionRow) -> None:
        """Hold the record of a logged action."""
        self._actions[row.action_id] = row
        self._new_actions.append(row)

    def flush(self, now: datetime) -> None:
        """Write everything held, in the batch's transaction (the caller commits)."""
        repository = self.uow.manifests
        if self._changed:
            repository.put_many(list(self._changed.values()), now)
        repository.add_versions(self._versions, now)
        if self._changed_approvals:
            repository.put_approvals(list(self._changed_approvals.values()), now)
        if self._new_actions:
            repository.add_actions(self._new_actions)
        self._changed, self._versions, self._changed_approvals, self._new_actions = {}, [], {}, []


def load_missing(
    held: dict[K, V | None], keys: Iterable[K], load: Callable[[Iterable[K]], dict[K, V]]
) -> None:
    """Load the keys not held yet; a key not found is held as None."""
    missing = [k for k in dict.fromkeys(keys) if k not in held]
    if missing:
        found = load(missing)
        held.update({k: found.get(k) for k in missing})
