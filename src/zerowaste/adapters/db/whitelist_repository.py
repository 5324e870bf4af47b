"""The whitelist projection: each firm's latest signed admit or remove step."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, select

from zerowaste.adapters.db.id_lists import in_list, rows_in
from zerowaste.adapters.db.oversight_tables import whitelist_entries
from zerowaste.domain.regions import region_prefix
from zerowaste.oversight.whitelist import WhitelistEntry, WhitelistState


def _entry(row: Any) -> WhitelistEntry:
    return WhitelistEntry(
        organization_id=row.organization_id,
        region_code=row.region_code,
        state=WhitelistState(row.state),
        changed_at=row.changed_at,
        changed_by=row.changed_by,
        reason=row.reason,
        action_id=row.action_id,
    )


class WhitelistRepository:
    """Reads and writes of `whitelist_entries` on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, organization_id: uuid.UUID) -> WhitelistEntry | None:
        """The firm's entry, if it was ever admitted."""
        row = self._connection.execute(
            select(whitelist_entries).where(whitelist_entries.c.organization_id == organization_id)
        ).first()
        return _entry(row) if row else None

    def put(self, entry: WhitelistEntry) -> None:
        """Store the firm's latest step, replacing the previous one."""
        self._connection.execute(
            whitelist_entries.delete().where(
                whitelist_entries.c.organization_id == entry.organization_id
            )
        )
        self._connection.execute(
            whitelist_entries.insert().values(
                organization_id=entry.organization_id,
                region_code=entry.region_code,
                state=entry.state.value,
                changed_at=entry.changed_at,
                changed_by=entry.changed_by,
                reason=entry.reason,
                action_id=entry.action_id,
            )
        )

    def of_organizations(
        self, organization_ids: Iterable[uuid.UUID]
    ) -> dict[uuid.UUID, WhitelistEntry]:
        """The entries of any of `organization_ids`, by firm."""
        query = in_list(whitelist_entries.c.organization_id, whitelist_entries)
        return {
            row.organization_id: _entry(row)
            for row in rows_in(self._connection, query, organization_ids)
        }

    def listed(self, jurisdiction_code: str | None = None) -> list[WhitelistEntry]:
        """The firms on the whitelist now (in a jurisdiction if given), earliest admitted first."""
        query = select(whitelist_entries).where(
            whitelist_entries.c.state == WhitelistState.ADMITTED.value
        )
        if jurisdiction_code:
            query = query.where(
                whitelist_entries.c.region_code.startswith(region_prefix(jurisdiction_code))
            )
        query = query.order_by(whitelist_entries.c.changed_at, whitelist_entries.c.organization_id)
        return [_entry(row) for row in self._connection.execute(query)]
