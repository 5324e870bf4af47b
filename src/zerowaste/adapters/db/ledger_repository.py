"""The stored Merkle log: entries, subtree hashes, the head row, checkpoints and the log key."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from zerowaste.adapters.db.bulk import bulk_insert
from zerowaste.adapters.db.hash_store import SqlHashStore, driver_rows
from zerowaste.adapters.db.tables import (
    ledger_checkpoints,
    ledger_entries,
    ledger_heads,
    ledger_keys,
    ledger_nodes,
)
from zerowaste.errors import LedgerEntryExists
from zerowaste.ledger.audit import LEAF, Finding
from zerowaste.ledger.tree import Frontier

#: An audit finding kind of the stored log only: leaf indexes with no row.
ROW = "row"
#: Called with (rows audited, rows to audit).
Progress = Callable[[int, int], None]
#: A stored row as the audit streams it: `(leaf_index, leaf_data, leaf_hash, id)`, the id as
#: the driver spells it in 32 hex digits (SQLite stores it so, unless edited).
LeafRow = tuple[int, bytes, bytes, Any]
#: Called with each page of rows the audit streams, before their hashes are compared.
PageHook = Callable[[Sequence[LeafRow]], None]


@dataclass(frozen=True, slots=True)
class NewEntryRow:
    """An entry to append: its id, leaf data and hash, and who is behind it."""

    id: uuid.UUID
    leaf_data: bytes
    leaf_hash: bytes
    recorded_at: datetime
    organization_id: uuid.UUID | None = None
    signer_key_id: str | None = None
    user_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class EntryRow:
    """A stored entry and its position in the log."""

    leaf_index: int
    id: uuid.UUID
    leaf_data: bytes
    leaf_hash: bytes
    recorded_at: datetime
    organization_id: uuid.UUID | None
    signer_key_id: str | None
    user_id: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class CheckpointRow:
    """A stored signed checkpoint."""

    size: int
    root_hash: bytes
    note: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class LogKeyRow:
    """The log's checkpoint signing key, its private half sealed with the master key."""

    id: uuid.UUID
    name: str
    public_key: bytes
    sealed_private_key: bytes
    created_at: datetime


#: A keyset page of leaves, as plain SQL: the driver's values are used as they come
#: (`{id}` becomes the id's spelling as 32 lowercase hex digits).
_LEAF_PAGE = (
    "SELECT leaf_index, leaf_data, leaf_hash, {id} FROM ledger_entries"
    " WHERE log_id = {} AND leaf_index > {} AND leaf_index < {}"
    " ORDER BY leaf_index LIMIT {}"
)

#: PostgreSQL: the entry id spelled as 32 lowercase hex digits, as SQLite stores it.
_HEX_ID = "replace(CAST(id AS TEXT), '-', '')"

#: The statements of the single-row reads (proofs, receipts), built once: with bound
#: parameters, SQLAlchemy answers them from its compiled cache without rebuilding them.
_HEAD_SIZE = select(ledger_heads.c.size).where(ledger_heads.c.log_id == bindparam("log_id"))
_ENTRY_BY_ID = select(ledger_entries).where(
    ledger_entries.c.log_id == bindparam("log_id"), ledger_entries.c.id == bindparam("id")
)
_ENTRY_AT = select(ledger_entries).where(
    ledger_entries.c.log_id == bindparam("log_id"),
    ledger_entries.c.leaf_index == bindparam("leaf_index"),
)


class LedgerRepository:
    """Reads and appends of the stored logs, inside the caller's transaction."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def head_size(self, log_id: str) -> int:
        """The number of leaves the log's head row records (0 for a log never appended to)."""
        size = self._connection.execute(_HEAD_SIZE, {"log_id": log_id}).scalar()
        return int(size or 0)

    def store(self, log_id: str, size: int | None = None) -> SqlHashStore:
        """A hash store of the log at `size` leaves (default: its head)."""
        return SqlHashStore(
            self._connection, log_id, self.head_size(log_id) if size is None else size
        )

    def _claim(self, log_id: str, count: int) -> int:
        """Grow the head row by `count` and return the old size; the row lock serializes appends.

        The UPDATE is the transaction's first write, so SQLite takes its write lock here and
        PostgreSQL locks the head row until commit: a concurrent append waits, then sees the
        grown size.
        """
        grow = (
            update(ledger_heads)
            .where(ledger_heads.c.log_id == log_id)
            .values(size=ledger_heads.c.size + count)
            .returning(ledger_heads.c.size)
        )
        new_size = self._connection.execute(grow).scalar()
        if new_size is None:
            dialect = postgresql if self._connection.dialect.name == "postgresql" else sqlite
            self._connection.execute(
                dialect.insert(ledger_heads)
                .values(log_id=log_id, size=0)
                .on_conflict_do_nothing(index_elements=["log_id"])
            )
            new_size = self._connection.execute(grow).scalar_one()
        return int(new_size) - count

    def append(self, log_id: str, entries: Sequence[NewEntryRow]) -> list[int]:
        """Append entries at the end of the log with every node they complete; return indexes.

        Runs in the caller's transaction, so the append commits or rolls back with whatever
        else the caller wrote.

        Raises:
            LedgerEntryExists: An entry id is already logged (the transaction is then unusable).
            LookupError: The stored frontier is incomplete (a damaged store).
        """
        if not entries:
            return []
        if len({entry.id for entry in entries}) != len(entries):
            raise LedgerEntryExists("an entry id appears twice in the batch", field="id")
        start = self._claim(log_id, len(entries))
        frontier = Frontier.load(SqlHashStore(self._connection, log_id, start))
        entry_rows: list[dict[str, Any]] = []
        node_rows: list[dict[str, Any]] = []
        for offset, entry in enumerate(entries):
            entry_rows.append(
                {
                    "log_id": log_id,
                    "leaf_index": start + offset,
                    "id": entry.id,
                    "leaf_data": entry.leaf_data,
                    "leaf_hash": entry.leaf_hash,
                    "recorded_at": entry.recorded_at,
                    "organization_id": entry.organization_id,
                    "signer_key_id": entry.signer_key_id,
                    "user_id": entry.user_id,
                }
            )
            node_rows.extend(
                {"log_id": log_id, "level": level, "node_index": index, "hash": value}
                for level, index, value in frontier.append(entry.leaf_hash)
            )
        try:
            bulk_insert(self._connection, ledger_entries, entry_rows)
        except IntegrityError as exc:
            raise LedgerEntryExists("an entry with this id is already logged", field="id") from exc
        bulk_insert(self._connection, ledger_nodes, node_rows)
        return [start + offset for offset in range(len(entries))]

    def _entry(self, query: Any, parameters: dict[str, Any]) -> EntryRow | None:
        row = self._connection.execute(query, parameters).first()
        if row is None:
            return None
        return EntryRow(
            leaf_index=row.leaf_index,
            id=row.id,
            leaf_data=bytes(row.leaf_data),
            leaf_hash=bytes(row.leaf_hash),
            recorded_at=row.recorded_at,
            organization_id=row.organization_id,
            signer_key_id=row.signer_key_id,
            user_id=row.user_id,
        )

    def entry(self, log_id: str, entry_id: uuid.UUID) -> EntryRow | None:
        """The entry with this id, if it is in the log."""
        return self._entry(_ENTRY_BY_ID, {"log_id": log_id, "id": entry_id})

    def entry_at(self, log_id: str, leaf_index: int) -> EntryRow | None:
        """The entry at a leaf index, if stored."""
        return self._entry(_ENTRY_AT, {"log_id": log_id, "leaf_index": leaf_index})

    def entry_count(self, log_id: str) -> int:
        """The number of entry rows actually stored (the head row may say otherwise)."""
        count = self._connection.execute(
            select(func.count())
            .select_from(ledger_entries)
            .where(ledger_entries.c.log_id == log_id)
        ).scalar()
        return int(count or 0)

    def leaf_pages(self, log_id: str, below: int, batch: int = 5000) -> Iterator[list[LeafRow]]:
        """Stream pages of `LeafRow`s of the rows below an index.

        Keyset pages of `batch` rows in index order, read straight from the driver (no
        per-value type processing), so memory stays bounded at any log size.
        """
        hex_id = "id" if self._connection.dialect.name == "sqlite" else _HEX_ID
        sql = _LEAF_PAGE.replace("{id}", hex_id)
        after = -1
        while True:
            rows = driver_rows(self._connection, sql, (log_id, after, below, batch))
            if not all(type(row[1]) is bytes and type(row[2]) is bytes for row in rows):
                rows = [(row[0], bytes(row[1]), bytes(row[2]), row[3]) for row in rows]
            yield rows
            if len(rows) < batch:
                return
            after = rows[-1][0]

    def recomputed_leaf_hashes(
        self,
        log_id: str,
        size: int,
        findings: list[Finding],
        progress: Progress | None = None,
        batch: int = 5000,
        on_page: PageHook | None = None,
    ) -> Iterator[bytes]:
        """Stream the leaf hashes recomputed from the rows below `size`, checking the rows.

        Appends to `findings` a `row` finding for each run of missing indexes and a `leaf`
        finding for each row whose `leaf_hash` column disagrees with its leaf data. `on_page`
        sees each page of rows first (the service's row audits read them there, so the leaves
        are read once).
        """
        sha256 = hashlib.sha256
        expected = 0
        for page in self.leaf_pages(log_id, size, batch):
            if on_page is not None:
                on_page(page)
            recomputed = [sha256(b"\x00" + row[1]).digest() for row in page]
            first = page[0][0] if page else expected
            if first == expected and (not page or page[-1][0] == expected + len(page) - 1):
                # The usual case: no gap in this page; only the mismatching rows are examined.
                if recomputed != [row[2] for row in page]:
                    for mine, (index, _, column, _) in zip(recomputed, page, strict=True):
                        if mine != column:
                            detail = f"row {index}'s leaf_hash column does not match its leaf data"
                            findings.append(Finding(index, LEAF, detail))
                expected += len(page)
            else:
                for mine, (index, _, column, _) in zip(recomputed, page, strict=True):
                    if index != expected:
                        detail = f"rows {expected}-{index - 1} are missing"
                        findings.append(Finding(expected, ROW, detail))
                        expected = index
                    if mine != column:
                        detail = f"row {index}'s leaf_hash column does not match its leaf data"
                        findings.append(Finding(index, LEAF, detail))
                    expected += 1
            if progress is not None and page:
                progress(expected, size)
            yield from recomputed
        if expected < size:
            findings.append(Finding(expected, ROW, f"rows {expected}-{size - 1} are missing"))

    def add_checkpoint(self, log_id: str, checkpoint: CheckpointRow) -> None:
        """Store a signed checkpoint (one per size; the caller checks for an existing one)."""
        self._connection.execute(
            insert(ledger_checkpoints).values(
                log_id=log_id,
                size=checkpoint.size,
                root_hash=checkpoint.root_hash,
                note=checkpoint.note,
                created_at=checkpoint.created_at,
            )
        )

    def _checkpoints(self, log_id: str, *conditions: Any, latest: bool = False) -> list[Any]:
        c = ledger_checkpoints.c
        query = select(ledger_checkpoints).where(c.log_id == log_id, *conditions)
        query = query.order_by(c.size.desc()).limit(1) if latest else query.order_by(c.size)
        return [
            CheckpointRow(row.size, bytes(row.root_hash), row.note, row.created_at)
            for row in self._connection.execute(query)
        ]

    def latest_checkpoint(self, log_id: str) -> CheckpointRow | None:
        """The checkpoint of the largest size, if any."""
        found = self._checkpoints(log_id, latest=True)
        return found[0] if found else None

    def checkpoint_at(self, log_id: str, size: int) -> CheckpointRow | None:
        """The checkpoint at exactly this size, if one was cut."""
        found = self._checkpoints(log_id, ledger_checkpoints.c.size == size)
        return found[0] if found else None

    def checkpoints(self, log_id: str) -> list[CheckpointRow]:
        """Every checkpoint of the log, smallest first."""
        return self._checkpoints(log_id)

    def key(self, log_id: str) -> LogKeyRow | None:
        """The log's checkpoint signing key, if created."""
        row = self._connection.execute(
            select(ledger_keys).where(ledger_keys.c.log_id == log_id)
        ).first()
        if row is None:
            return None
        return LogKeyRow(
            row.id, row.name, bytes(row.public_key), bytes(row.sealed_private_key), row.created_at
        )

    def add_key(self, log_id: str, key: LogKeyRow) -> None:
        """Store the log's signing key (at most one per log: a second insert fails)."""
        self._connection.execute(
            insert(ledger_keys).values(
                id=key.id,
                log_id=log_id,
                name=key.name,
                public_key=key.public_key,
                sealed_private_key=key.sealed_private_key,
                created_at=key.created_at,
            )
        )
