"""Audit of the `events` table against the log: every event row must be its logged leaf's event.

Reads (`GET /events/{id}`, traces, EPCIS exports) serve the `events` rows, not the leaves, so an
edit there would go unseen by the Merkle audit alone. The Merkle audit proves each leaf's data;
this check proves each event row repeats its leaf: the same id at the same index, the document
byte for byte (the canonical bytes that were signed), the same signature, and columns that say
what the document says. A leaf holding a `zerowaste.event/1` document with no event row is
reported too (a deleted row), and so is an event row no leaf holds (an inserted one).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

import orjson

from zerowaste.adapters.db.event_leaves import EventColumns, EventLeafReader, LeafAndEvent, RawEvent
from zerowaste.adapters.db.ledger_repository import LeafRow
from zerowaste.adapters.db.unit_of_work import UnitOfWork
from zerowaste.domain.event_documents import EVENT_FORMAT
from zerowaste.ledger.audit import Finding
from zerowaste.ledger.receipts import LEAF_FORMAT

#: The audit finding kind of an `events` row that disagrees with (or lacks) its leaf.
EVENT = "event"
_PREFIX = b'{"event":'
_AFTER_EVENT = b',"format":"' + LEAF_FORMAT.encode() + b'","public_key":"'
_SIGNATURE = b',"signature":{"algorithm":"Ed25519","key_id":'
_HEX_ID = 32  # a UUID column's raw spelling: 32 lowercase hex digits
_HEX_DIGITS = "0123456789abcdef"
_UTC_TEXT = len("2026-01-01 00:00:00.000000")


def _same_id(column: uuid.UUID | None, value: object) -> bool:
    """Whether a UUID column holds the id a document member spells (in any UUID spelling)."""
    if column is None or value is None:
        return column is None and value is None
    text = str(column)
    return text == value or text == str(uuid.UUID(str(value)))


def _column_faults(row: EventColumns, document: dict[str, object]) -> Iterator[str]:
    """Names of the columns that do not say what the document says.

    Raises:
        ValueError: An id member of the document is not a UUID.
    """
    if row.event_type != document.get("event_type"):
        yield "event_type"
    for name in ("event_id", "organization_id", "site_id", "manifest_id"):
        if not _same_id(getattr(row, name), document.get(name)):
            yield name
    try:
        at = datetime.fromisoformat(str(document.get("event_time")))
    except ValueError:
        yield "event_time"
        return
    if at != row.event_time:
        yield "event_time"


def _faults(pair: LeafAndEvent, log_id: str) -> list[str]:
    """What is wrong with one ledger row and its event row (nothing for a non-event leaf)."""
    row = pair.event
    try:
        leaf = orjson.loads(pair.leaf_data)
        logged = leaf["event"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return []  # the Merkle audit reports a leaf that is not what was logged
    if row is None:
        is_event = isinstance(logged, dict) and logged.get("format") == EVENT_FORMAT
        return ["a logged event has no events row"] if is_event else []
    faults = []
    if row.log_id != log_id or row.leaf_index != pair.leaf_index:
        faults.append(f"its events row claims leaf {row.leaf_index} of log {row.log_id!r}")
    # The leaf is canonical JSON, so `event` is its first member and is followed by `format`.
    # A document that parses as a JSON object and sits exactly there is the logged event.
    if not pair.leaf_data.startswith(_PREFIX + row.document + _AFTER_EVENT):
        faults.append("its events row's document differs from the logged, signed bytes")
    signature = leaf.get("signature") or {}
    if (signature.get("key_id"), signature.get("value")) != (
        row.signature_key_id,
        row.signature_value,
    ):
        faults.append("its events row's signature differs from the logged one")
    try:
        document = orjson.loads(row.document)
    except orjson.JSONDecodeError:
        document = None
    if not isinstance(document, dict):
        faults.append("its events row's document is not a JSON object")
        return faults
    try:
        bad_columns = list(_column_faults(row, document))
    except ValueError:
        bad_columns = ["event_id"]  # an id member that is not a UUID: not the logged document
    if bad_columns:
        faults.append(f"its events row's {', '.join(bad_columns)} disagree with the document")
    return faults


def event_row_findings(
    pairs: Iterable[LeafAndEvent], strays: Iterable[EventColumns], log_id: str, cap: int = 100
) -> list[Finding]:
    """Findings for ledger rows whose event rows disagree, and for event rows with no leaf.

    Args:
        pairs: Ledger rows in index order, each with the event row of its id.
        strays: Event rows of the log whose id no ledger row holds.
        log_id: The audited log.
        cap: Keep at most this many findings.
    """
    findings: list[Finding] = []
    for pair in pairs:
        for fault in _faults(pair, log_id):
            if len(findings) < cap:
                detail = f"leaf {pair.leaf_index} (event {pair.entry_id}): {fault}"
                findings.append(Finding(pair.leaf_index, EVENT, detail))
    for row in strays:
        if len(findings) < cap:
            detail = (
                f"events row {row.event_id} claims leaf {row.leaf_index}, which logs no such id"
            )
            findings.append(Finding(row.leaf_index, EVENT, detail))
    return findings


def _same_hex(column: object, member: object) -> bool:
    """Whether a raw id column (32 lowercase hex digits, or NULL) is the id a member spells."""
    if column is None or member is None:
        return column is None and member is None
    return (
        type(member) is str
        and type(column) is str
        and len(column) == _HEX_ID
        and member.replace("-", "").lower() == column
        and not column.strip(_HEX_DIGITS)
    )


def _plainly_repeats(leaf: LeafRow, row: RawEvent) -> bool:
    """Whether an event row plainly repeats its leaf, from raw values (see `RawEvent`).

    A cheap sufficient condition for `_faults` finding nothing: the document is the leaf's
    `event` bytes, the leaf ends with the row's signature, and each column spells exactly
    what the document says (ids as lowercase hex, the time as UTC text, as stored). Any row
    it does not pass is read again as columns and judged by `_faults`.
    """
    _, event_id, event_type, event_time, organization, site, manifest, document, key, value = row
    data = leaf[1]
    if event_id != leaf[3] or type(key) is not str or type(value) is not str:
        return False
    if not data.startswith(_PREFIX + document + _AFTER_EVENT) or not data.endswith(
        _SIGNATURE + orjson.dumps(key) + b',"value":' + orjson.dumps(value) + b"}}"
    ):
        return False
    try:
        parsed = orjson.loads(document)
    except orjson.JSONDecodeError:
        return False
    if type(parsed) is not dict or parsed.get("event_type") != event_type:
        return False
    if not (
        _same_hex(event_id, parsed.get("event_id"))
        and _same_hex(organization, parsed.get("organization_id"))
        and _same_hex(site, parsed.get("site_id"))
        and _same_hex(manifest, parsed.get("manifest_id"))
    ):
        return False
    at = parsed.get("event_time")
    if type(at) is not str or type(event_time) is not str or len(event_time) != _UTC_TEXT:
        return False
    if event_time[4:20:3] != "-- ::.":  # exactly as stored, so the column type reads it so too
        return False
    try:
        return datetime.fromisoformat(at) == datetime.fromisoformat(event_time + "+00:00")
    except ValueError:
        return False


class EventRowAudit:
    """The `events` table checked against the log's leaves, page by page (a `LedgerService` hook).

    The ledger's audit hands over each page of leaves it streams; the event rows at those
    indexes are read as one raw index range. A row that plainly repeats its leaf
    (`_plainly_repeats`) is done with; any other leaf is read again with its event row (joined
    on the id) and judged in full. Event rows with no leaf are looked for only when the log
    holds more event rows than plainly matched ones.
    """

    def __init__(self, uow: UnitOfWork, log_id: str, cap: int = 100) -> None:
        self._reader = EventLeafReader(uow.connection)
        self._log_id = log_id
        self._cap = cap
        self._matched = 0
        self._findings: list[Finding] = []

    def page(self, leaves: Sequence[LeafRow]) -> None:
        """Check the event rows of one page of leaves (in index order)."""
        if not leaves:
            return
        rows = self._reader.raw_events(self._log_id, leaves[0][0], leaves[-1][0])
        doubtful = []
        for leaf in leaves:
            row = rows.get(leaf[0])
            if row is not None and _plainly_repeats(leaf, row):
                self._matched += 1
            else:
                doubtful.append(leaf[0])
        if doubtful:
            pairs = self._reader.pairs_at(self._log_id, doubtful)
            left = self._cap - len(self._findings)
            self._findings += event_row_findings(pairs, (), self._log_id, left)

    def findings(self) -> list[Finding]:
        """The findings of the pages seen, and of event rows no leaf holds."""
        if self._reader.event_count(self._log_id) != self._matched:
            strays = self._reader.events_without_leaf(self._log_id)
            left = self._cap - len(self._findings)
            self._findings += event_row_findings((), strays, self._log_id, left)
        return self._findings
