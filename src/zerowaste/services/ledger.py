"""The stored Merkle log: append signed entries, cut checkpoints, prove, build receipts, audit."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from sqlalchemy.exc import IntegrityError

from zerowaste.adapters.db.ledger_repository import (
    CheckpointRow,
    LogKeyRow,
    NewEntryRow,
    Progress,
)
from zerowaste.adapters.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from zerowaste.adapters.secrets import PrivateKeyVault
from zerowaste.domain.ids import new_id
from zerowaste.errors import (
    EntryNotCheckpointed,
    InvalidInput,
    LedgerTampered,
    NotFound,
    SignatureInvalid,
)
from zerowaste.ledger.audit import AuditReport
from zerowaste.ledger.checkpoints import Checkpoint, sign_checkpoint
from zerowaste.ledger.merkle import EMPTY_ROOT, leaf_hash
from zerowaste.ledger.notes import NoteSigner, NoteVerifier
from zerowaste.ledger.receipts import Receipt, build_receipt, leaf_data, leaf_data_of_canonical
from zerowaste.ledger.signatures import (
    ALGORITHM,
    Signature,
    b64encode,
    decode_public_key,
    public_key_bytes,
)
from zerowaste.ledger.tree import consistency_ranges, inclusion_ranges, range_hashes
from zerowaste.services.ledger_audit import RowAudit, audit_log


@dataclass(frozen=True)
class NewEntry:
    """A signed event document the caller has verified and accepted, ready to be logged."""

    id: uuid.UUID
    event: Mapping[str, Any]
    signature: Signature
    public_key: bytes
    organization_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    #: The event's RFC 8785 bytes, if the caller has them (saves canonicalizing it again).
    canonical: bytes | None = None

    def leaf_data(self) -> bytes:
        """The bytes the log stores and hashes for this entry."""
        if self.canonical is not None:
            return leaf_data_of_canonical(self.canonical, self.signature, self.public_key)
        return leaf_data(self.event, self.signature, self.public_key)


@dataclass(frozen=True)
class SignedCheckpoint:
    """A stored checkpoint: the tree head, its signed note and when it was cut."""

    origin: str
    size: int
    root_hash: bytes
    note: str
    created_at: datetime


@dataclass(frozen=True)
class InclusionProof:
    """The audit path of one leaf to the root of a tree size."""

    entry_id: uuid.UUID
    leaf_index: int
    tree_size: int
    leaf_hash: bytes
    root_hash: bytes
    path: tuple[bytes, ...]


@dataclass(frozen=True)
class ConsistencyProof:
    """The proof that the tree of `size2` leaves extends the one of `size1` leaves."""

    size1: int
    size2: int
    root1: bytes
    root2: bytes
    path: tuple[bytes, ...]


class LedgerService:
    """One log (its id and origin from settings) stored in the database."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        vault: PrivateKeyVault,
        clock: Callable[[], datetime],
        *,
        log_id: str,
        origin: str,
        checkpoint_every: int = 1000,
        checkpoint_seconds: float = 60.0,
        row_audits: Sequence[RowAudit] = (),
    ) -> None:
        self._uow = unit_of_work
        self._vault = vault
        self._clock = clock
        self.log_id = log_id
        self.origin = origin
        self._every = checkpoint_every
        self._seconds = checkpoint_seconds
        self._signers: dict[uuid.UUID, NoteSigner] = {}
        self._row_audits = tuple(row_audits)

    def append(self, uow: UnitOfWork, entries: Sequence[NewEntry]) -> list[int]:
        """Log verified signed documents in the caller's unit of work; return their leaf indexes.

        The caller commits (with its own projections) or rolls back; the append is serialized
        with concurrent ones by the log's head row.

        Raises:
            LedgerEntryExists: An entry id is already logged.
            LedgerTampered: The stored frontier is incomplete.
        """
        now = self._clock()
        rows = [
            NewEntryRow(
                id=entry.id,
                leaf_data=(data := entry.leaf_data()),
                leaf_hash=leaf_hash(data),
                recorded_at=now,
                organization_id=entry.organization_id,
                signer_key_id=entry.signature.key_id,
                user_id=entry.user_id,
            )
            for entry in entries
        ]
        try:
            return uow.ledger.append(self.log_id, rows)
        except LookupError as exc:
            raise LedgerTampered(f"the stored tree is damaged: {exc}") from exc

    def _key(self) -> LogKeyRow:
        """The log's key row, created (sealed with the master key) on first use."""
        with self._uow() as uow:
            found = uow.ledger.key(self.log_id)
        if found is not None:
            return found
        private = Ed25519PrivateKey.generate()
        raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        key_id = new_id()
        row = LogKeyRow(
            key_id,
            self.origin,
            public_key_bytes(private),
            self._vault.seal(key_id, raw),
            self._clock(),
        )
        try:
            with self._uow() as uow:
                uow.ledger.add_key(self.log_id, row)
                uow.commit()
        except IntegrityError:  # created concurrently: use that one
            with self._uow() as uow:
                found = uow.ledger.key(self.log_id)
            assert found is not None
            return found
        return row

    def _signer(self) -> NoteSigner:
        key = self._key()
        if key.id not in self._signers:
            raw = self._vault.open(key.id, key.sealed_private_key)
            private = Ed25519PrivateKey.from_private_bytes(raw)
            if public_key_bytes(private) != key.public_key:
                raise SignatureInvalid("the log's sealed key does not match its public key")
            self._signers[key.id] = NoteSigner.create(key.name, private)
        return self._signers[key.id]

    def sign_as_platform(self, message: bytes) -> tuple[Signature, bytes]:
        """Sign a document with the log's own key, for steps of signers without keys (regulators).

        Returns:
            The signature (key id `log:<log key id>`) and the log's raw public key.
        """
        return self.sign_many_as_platform([message])[0]

    def sign_many_as_platform(self, messages: Sequence[bytes]) -> list[tuple[Signature, bytes]]:
        """`sign_as_platform` of each message, reading and unsealing the log's key once."""
        key = self._key()
        private = Ed25519PrivateKey.from_private_bytes(
            self._vault.open(key.id, key.sealed_private_key)
        )
        key_id = f"log:{key.id}"
        return [
            (Signature(key_id, ALGORITHM, b64encode(private.sign(m))), key.public_key)
            for m in messages
        ]

    def verifier(self) -> NoteVerifier:
        """The log's checkpoint verifier (the key is created on first use)."""
        key = self._key()
        return NoteVerifier.create(key.name, key.public_key)

    def verifier_key(self) -> str:
        """The C2SP / sumdb verifier key string `<origin>+<key id>+<key>` of the log."""
        return self.verifier().encode()

    def _signed(self, row: CheckpointRow) -> SignedCheckpoint:
        return SignedCheckpoint(self.origin, row.size, row.root_hash, row.note, row.created_at)

    def checkpoint(self) -> SignedCheckpoint:
        """Cut and sign a checkpoint at the current size (or return the one already there).

        Raises:
            MasterKeyMissing: The log key must be created or opened and no master key is set.
            LedgerTampered: The stored tree no longer matches the previous checkpoint.
        """
        signer = self._signer()
        with self._uow() as uow:
            size = uow.ledger.head_size(self.log_id)
            existing = uow.ledger.checkpoint_at(self.log_id, size)
            if existing is not None:
                return self._signed(existing)
            previous = uow.ledger.latest_checkpoint(self.log_id)
            sizes = [size] + ([previous.size] if previous and previous.size else [])
            try:
                store = uow.ledger.store(self.log_id, size)
                ranges = [(0, s) for s in sizes]
                roots = range_hashes(store, ranges, size) if size else [EMPTY_ROOT]
            except LookupError as exc:
                raise LedgerTampered(f"the stored tree is damaged: {exc}") from exc
            if previous and previous.size and roots[1] != previous.root_hash:
                raise LedgerTampered(
                    f"the stored tree disagrees with the checkpoint at size {previous.size}"
                )
            note = sign_checkpoint(Checkpoint(self.origin, size, roots[0]), signer)
            row = CheckpointRow(size, roots[0], note, self._clock())
            try:
                uow.ledger.add_checkpoint(self.log_id, row)
                uow.commit()
            except IntegrityError:  # cut concurrently at the same size: use that one
                concurrent = True
            else:
                concurrent = False
        return self.checkpoint_at(size) if concurrent else self._signed(row)

    def maybe_checkpoint(self) -> SignedCheckpoint | None:
        """Cut a checkpoint if `checkpoint_every` entries are new or `checkpoint_seconds` passed.

        Returns:
            The new checkpoint, or None when nothing is due (or nothing is new).
        """
        with self._uow() as uow:
            size = uow.ledger.head_size(self.log_id)
            latest = uow.ledger.latest_checkpoint(self.log_id)
        fresh = size - (latest.size if latest else 0)
        if fresh <= 0:
            return None
        if latest is not None and fresh < self._every:
            age = (self._clock() - latest.created_at).total_seconds()
            if age < self._seconds:
                return None
        return self.checkpoint()

    def latest_checkpoint(self) -> SignedCheckpoint:
        """The newest checkpoint; `NotFound` if none was cut yet."""
        with self._uow() as uow:
            found = uow.ledger.latest_checkpoint(self.log_id)
        if found is None:
            raise NotFound("no checkpoint has been cut yet", field="size")
        return self._signed(found)

    def checkpoint_at(self, size: int) -> SignedCheckpoint:
        """The checkpoint cut at exactly `size` leaves; `NotFound` if none was."""
        with self._uow() as uow:
            found = uow.ledger.checkpoint_at(self.log_id, size)
        if found is None:
            raise NotFound(f"no checkpoint at size {size}", field="size")
        return self._signed(found)

    def inclusion_proof(self, entry: uuid.UUID | int, size: int | None = None) -> InclusionProof:
        """The inclusion proof of an entry (by id or leaf index) at a tree size.

        Args:
            entry: The entry's id, or its leaf index.
            size: The tree size; by default the latest checkpoint's.

        Raises:
            NotFound: No such entry, or the log is smaller than `size`.
            EntryNotCheckpointed: No size given and no checkpoint covers the entry yet.
            InvalidInput: The size does not cover the entry.
        """
        field = "leaf_index" if isinstance(entry, int) else "entry_id"
        with self._uow() as uow:
            if isinstance(entry, int):
                row = uow.ledger.entry_at(self.log_id, entry)
            else:
                row = uow.ledger.entry(self.log_id, entry)
            if row is None:
                raise NotFound(f"no ledger entry {entry}", field=field)
            if size is None:
                latest = uow.ledger.latest_checkpoint(self.log_id)
                if latest is None or latest.size <= row.leaf_index:
                    raise EntryNotCheckpointed(
                        f"no checkpoint covers leaf {row.leaf_index} yet", field=field
                    )
                size = latest.size
            if size <= row.leaf_index:
                raise InvalidInput(
                    f"a tree of size {size} does not hold leaf {row.leaf_index}", field="size"
                )
            ranges = [*inclusion_ranges(row.leaf_index, size), (0, size)]
            hashes = self._hashes(uow, ranges, size)
        return InclusionProof(
            row.id, row.leaf_index, size, row.leaf_hash, hashes[-1], tuple(hashes[:-1])
        )

    def consistency_proof(self, size1: int, size2: int) -> ConsistencyProof:
        """The consistency proof between two tree sizes (0 < size1 <= size2 <= the log's size).

        Raises:
            InvalidInput: The sizes are out of order or not positive (field `from`).
            NotFound: The log is smaller than `size2` (field `to`).
        """
        if not 0 < size1 <= size2:
            raise InvalidInput(f"no consistency proof from size {size1} to {size2}", field="from")
        with self._uow() as uow:
            ranges = [*consistency_ranges(size1, size2), (0, size1), (0, size2)]
            hashes = self._hashes(uow, ranges, size2, field="to")
        return ConsistencyProof(size1, size2, hashes[-2], hashes[-1], tuple(hashes[:-2]))

    def _hashes(
        self, uow: UnitOfWork, ranges: list[tuple[int, int]], size: int, field: str = "size"
    ) -> list[bytes]:
        head = uow.ledger.head_size(self.log_id)
        if size > head:
            raise NotFound(f"the log holds {head} entries, not {size}", field=field)
        try:
            return range_hashes(uow.ledger.store(self.log_id, head), ranges, size)
        except LookupError as exc:
            raise LedgerTampered(f"the stored tree is damaged: {exc}") from exc

    def receipt(self, entry_id: uuid.UUID) -> Receipt:
        """A receipt against the latest checkpoint (cut now if none covers the entry yet)."""
        with self._uow() as uow:
            row = uow.ledger.entry(self.log_id, entry_id)
            if row is None:
                raise NotFound(f"no ledger entry {entry_id}", field="entry_id")
            latest = uow.ledger.latest_checkpoint(self.log_id)
        checkpoint = self._signed(latest) if latest else None
        if checkpoint is None or checkpoint.size <= row.leaf_index:
            checkpoint = self.checkpoint()
        document = json.loads(row.leaf_data)
        signature = Signature.from_json(document["signature"])
        public_key = decode_public_key(document["public_key"])
        verifier = self.verifier()
        with self._uow() as uow:
            store = uow.ledger.store(self.log_id)
            try:
                return build_receipt(
                    store,
                    document["event"],
                    signature,
                    public_key,
                    row.leaf_index,
                    checkpoint.note,
                    verifier,
                )
            except (LookupError, InvalidInput) as exc:
                raise LedgerTampered(f"cannot prove leaf {row.leaf_index}: {exc}") from exc

    def audit(self, progress: Progress | None = None, *, batch: int = 20000) -> AuditReport:
        """Recompute the log from its rows and compare every node, leaf hash and checkpoint.

        See `services.ledger_audit.audit_log`; the `row_audits` given at construction (e.g.
        of `event` rows) are fed the same pages of rows.
        """
        with self._uow() as uow:
            return audit_log(uow, self.log_id, self._row_audits, progress, batch)
