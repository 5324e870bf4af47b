"""How captured `shipped` and `received` events move the manifests they name."""

from __future__ import annotations

import uuid
from datetime import datetime

from zerowaste.adapters.db.unit_of_work import UnitOfWork
from zerowaste.domain.events import EventType, WasteEvent
from zerowaste.domain.manifests import Manifest
from zerowaste.errors import UnknownManifest


class ManifestTracker:
    """The manifests a capture touches, checked and moved event by event in its transaction.

    A `shipped` event must name an issued manifest (not yet on the road) that lists the batch,
    shipped by the generator from the origin site; a `received` event needs the manifest
    delivered (or receipted) and the receiving party's site.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._loaded: dict[uuid.UUID, Manifest | None] = {}
        self._changed: dict[uuid.UUID, Manifest] = {}

    def _get(self, manifest_id: uuid.UUID) -> Manifest:
        if manifest_id not in self._loaded:
            self._loaded[manifest_id] = self._uow.manifests.get(manifest_id)
        manifest = self._loaded[manifest_id]
        if manifest is None:
            raise UnknownManifest(f"no manifest {manifest_id}", field="manifest_id")
        return manifest

    def apply(self, event: WasteEvent) -> None:
        """Check and apply one event (fields unprefixed: the caller adds `events[i].event`)."""
        if event.manifest_id is None or event.event_type not in (
            EventType.SHIPPED,
            EventType.RECEIVED,
        ):
            return
        manifest = self._get(event.manifest_id)
        line = event.inputs[0]
        if event.event_type is EventType.SHIPPED:
            moved = manifest.ship(line.batch_id, event.organization_id, event.site_id, line.mass_kg)
        else:
            moved = manifest.take_in(
                line.batch_id, event.organization_id, event.site_id, line.mass_kg
            )
        self._loaded[event.manifest_id] = self._changed[event.manifest_id] = moved

    def save(self, now: datetime) -> None:
        """Write the moved manifests (in the capture's transaction)."""
        if self._changed:
            self._uow.manifests.put_many(list(self._changed.values()), now)
