"""Audit of `workflow_actions` against the log: every workflow step row is its own leaf.

Manifest and approval histories are read from `workflow_actions`, so an edit there would go
unseen by the Merkle audit alone. Each row must sit at the leaf of its own id, hold that leaf's
document byte for byte and its signature, and say in its columns what the document says. A
leaf holding a step document with no row is reported too (a deleted row), and so is a row no
leaf holds (an inserted or moved one).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import or_, select

from zerowaste.adapters.db.ledger_repository import LeafRow
from zerowaste.adapters.db.tables import workflow_actions
from zerowaste.adapters.db.unit_of_work import UnitOfWork
from zerowaste.domain.alerts import OVERSIGHT_FORMAT
from zerowaste.domain.approval_documents import APPROVAL_FORMAT
from zerowaste.domain.contract_documents import CONTRACT_FORMAT
from zerowaste.domain.manifest_documents import MANIFEST_FORMAT
from zerowaste.domain.proposal_documents import PROPOSAL_FORMAT
from zerowaste.ledger.audit import Finding
from zerowaste.services.oversight_steps import SUBJECT_MEMBER

#: The audit finding kind of a `workflow_actions` row that disagrees with (or lacks) its leaf.
ACTION = "action"
_PREFIX = b'{"event":'
_STEP_FORMATS = (
    MANIFEST_FORMAT,
    APPROVAL_FORMAT,
    OVERSIGHT_FORMAT,
    PROPOSAL_FORMAT,
    CONTRACT_FORMAT,
)
_MARKERS = tuple(b'"format":"' + f.encode() + b'"' for f in _STEP_FORMATS)
_SUBJECT_MEMBER = {
    "manifest": "manifest_id",
    "approval": "approval_id",
    "proposal": "proposal_id",
    "contract": "contract_id",
    **SUBJECT_MEMBER,
}


def _step_document(leaf_data: bytes) -> dict[str, Any] | None:
    """The leaf's document if it is a manifest or approval step, else None."""
    if not any(marker in leaf_data for marker in _MARKERS):
        return None  # the common case, an event leaf, decided without parsing
    try:
        event = orjson.loads(leaf_data).get("event")
    except (orjson.JSONDecodeError, AttributeError):
        return None
    if isinstance(event, dict) and event.get("format") in _STEP_FORMATS:
        return event
    return None


def _faults(leaf: LeafRow | None, row: Any) -> list[str]:
    """What is wrong with one action row against the leaf at its index."""
    if leaf is None:
        return [f"workflow action {row.action_id} names leaf {row.leaf_index}, which is absent"]
    try:
        same_entry = leaf[3] is not None and uuid.UUID(hex=str(leaf[3])) == row.action_id
    except ValueError:
        same_entry = False
    if not same_entry:
        return [f"workflow action {row.action_id} is not the entry at leaf {row.leaf_index}"]
    faults = []
    data = bytes(leaf[1])
    document = bytes(row.document)
    if not data.startswith(_PREFIX + document + b","):
        faults.append("its document differs from the logged one")
    signature = (
        orjson.dumps(row.signature_key_id) + b',"value":' + orjson.dumps(row.signature_value)
    )
    if not data.endswith(b'"key_id":' + signature + b"}}"):
        faults.append("its signature differs from the logged one")
    try:
        logged = orjson.loads(document)
    except orjson.JSONDecodeError:
        return [*faults, "its document is not JSON"]
    if not isinstance(logged, dict):
        return [*faults, "its document is not a JSON object"]
    if logged.get("action") != row.action:
        faults.append(f"its action {row.action!r} is not the document's")
    member = _SUBJECT_MEMBER.get(row.subject)
    if member is None or logged.get(member) != str(row.subject_id):
        faults.append(f"its subject {row.subject} {row.subject_id} is not the document's")
    try:
        stated = datetime.fromisoformat(str(logged.get("action_time")))
    except ValueError:
        stated = None
    if stated != row.action_time:
        faults.append("its action time is not the document's")
    return faults


class WorkflowActionAudit:
    """The `workflow_actions` table checked against the log's leaves, page by page."""

    def __init__(self, uow: UnitOfWork, log_id: str, cap: int = 100) -> None:
        self._connection = uow.connection
        self._log_id = log_id
        self._cap = cap
        self._seen_up_to = -1
        self._findings: list[Finding] = []

    def _add(self, index: int, detail: str) -> None:
        if len(self._findings) < self._cap:
            self._findings.append(Finding(index, ACTION, detail))

    def page(self, leaves: Sequence[LeafRow]) -> None:
        """Check the action rows at one page of leaves, and the page's step leaves have rows."""
        if not leaves:
            return
        low, high = leaves[0][0], leaves[-1][0]
        a = workflow_actions.c
        query = select(workflow_actions).where(
            a.log_id == self._log_id, a.leaf_index >= low, a.leaf_index <= high
        )
        rows = {row.leaf_index: row for row in self._connection.execute(query)}
        self._seen_up_to = high
        for leaf in leaves:
            row = rows.pop(leaf[0], None)
            if row is None:
                if _step_document(bytes(leaf[1])) is not None:
                    self._add(leaf[0], f"leaf {leaf[0]} is a logged step with no action row")
                continue
            if faults := _faults(leaf, row):
                self._add(leaf[0], f"workflow action {row.action_id}: " + "; ".join(faults))
        for index, row in rows.items():  # indexes the page skipped: rows of missing leaves
            self._add(index, _faults(None, row)[0])

    def findings(self) -> list[Finding]:
        """The findings of the pages seen, and of action rows outside the leaves streamed."""
        a = workflow_actions.c
        outside = select(workflow_actions).where(
            a.log_id == self._log_id, or_(a.leaf_index > self._seen_up_to, a.leaf_index < 0)
        )
        for row in self._connection.execute(outside.limit(self._cap)):
            self._add(row.leaf_index, _faults(None, row)[0])
        return self._findings
