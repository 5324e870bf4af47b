"""The audit of a stored log: its tree, leaf hashes, checkpoints and the rows beside them."""

from __future__ import annotations

import hmac
from collections.abc import Callable, Sequence
from typing import Protocol

from zerowaste.adapters.db.ledger_repository import CheckpointRow, LeafRow, Progress
from zerowaste.adapters.db.unit_of_work import UnitOfWork
from zerowaste.errors import InvalidInput, SignatureInvalid
from zerowaste.ledger.audit import CHECKPOINT, AuditReport, Finding, audit
from zerowaste.ledger.checkpoints import open_checkpoint
from zerowaste.ledger.notes import NoteVerifier


class RowCheck(Protocol):
    """An extra audit over the stored rows, fed the pages of rows the ledger's audit streams."""

    def page(self, leaves: Sequence[LeafRow]) -> None:
        """Check one page of stored rows, in index order."""
        ...

    def findings(self) -> list[Finding]:
        """What it found, once every page was seen."""
        ...


#: Makes an extra audit over the stored rows for `(uow, log_id)`.
RowAudit = Callable[[UnitOfWork, str], RowCheck]


def audit_log(
    uow: UnitOfWork,
    log_id: str,
    row_audits: Sequence[RowAudit],
    progress: Progress | None = None,
    batch: int = 20000,
) -> AuditReport:
    """Recompute a log from its rows and compare every node, leaf hash and checkpoint.

    Rows are streamed in batches of `batch`; only the O(log n) frontier is kept. Besides
    the engine's findings (`ledger.audit`), it reports rows missing from the sequence
    (`row`), a row whose `leaf_hash` column disagrees with its data (`leaf`), a
    checkpoint whose signature or stored root disagrees with its note (`checkpoint`) and
    whatever the `row_audits` find (e.g. `event` rows), fed the same pages of rows.
    """
    extra: list[Finding] = []
    size = uow.ledger.head_size(log_id)
    stored = uow.ledger.checkpoints(log_id)
    key = uow.ledger.key(log_id)
    verifier = NoteVerifier.create(key.name, key.public_key) if key else None
    for checkpoint in stored:
        extra.extend(_check_note(checkpoint, verifier))
    checks = [row_audit(uow, log_id) for row_audit in row_audits]

    def on_page(leaves: Sequence[LeafRow]) -> None:
        for check in checks:
            check.page(leaves)

    leaves = uow.ledger.recomputed_leaf_hashes(
        log_id, size, extra, progress, batch, on_page if checks else None
    )
    report = audit(
        leaves,
        uow.ledger.store(log_id, size),
        [(c.size, c.root_hash) for c in stored],
        hashed=True,
        batch=batch,
    )
    for check in checks:
        extra.extend(check.findings())
    findings = sorted({*report.findings, *extra}, key=lambda f: (f.index, f.kind, f.detail))
    return AuditReport(
        report.size, report.root, report.checkpoints_checked, tuple(findings), report.truncated
    )


def _check_note(row: CheckpointRow, verifier: NoteVerifier | None) -> list[Finding]:
    """Findings for a stored checkpoint whose note does not verify or match its columns."""
    if verifier is None:
        return [Finding(row.size, CHECKPOINT, "checkpoints are stored but the log key is not")]
    try:
        signed = open_checkpoint(row.note, verifier)
    except (InvalidInput, SignatureInvalid) as exc:
        return [Finding(row.size, CHECKPOINT, f"checkpoint {row.size}'s note: {exc.detail}")]
    if signed.size != row.size or not hmac.compare_digest(signed.root_hash, row.root_hash):
        detail = f"checkpoint {row.size}'s stored size or root differs from its signed note"
        return [Finding(row.size, CHECKPOINT, detail)]
    return []
