"""The public ledger: signed checkpoints, the verifier key, proofs and receipts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel

from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Rule
from zerowaste.ledger.checkpoints import MAX_TREE_SIZE
from zerowaste.ledger.signatures import b64encode
from zerowaste.services.ledger import SignedCheckpoint

router = APIRouter(prefix="/ledger", tags=["ledger"])
TEXT = "text/plain; charset=utf-8"
_NOTE_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The signed note (C2SP tlog-checkpoint), or JSON if asked for",
        "content": {"text/plain": {}, "application/json": {}},
    }
}


class CheckpointOut(BaseModel):
    """A signed checkpoint, its fields decoded."""

    origin: str
    size: int
    root_hash: str
    note: str
    created_at: datetime

    @classmethod
    def of(cls, checkpoint: SignedCheckpoint) -> CheckpointOut:
        """Serialize a checkpoint, the root hash in base64."""
        return cls(
            origin=checkpoint.origin,
            size=checkpoint.size,
            root_hash=b64encode(checkpoint.root_hash),
            note=checkpoint.note,
            created_at=checkpoint.created_at,
        )


class InclusionProofOut(BaseModel):
    """An inclusion proof; hashes in base64."""

    entry_id: uuid.UUID
    leaf_index: int
    tree_size: int
    leaf_hash: str
    root_hash: str
    proof: list[str]


class ConsistencyProofOut(BaseModel):
    """A consistency proof between two tree sizes; hashes in base64."""

    from_size: int
    to_size: int
    from_root: str
    to_root: str
    proof: list[str]


class FindingOut(BaseModel):
    """One disagreement the audit found: the first row (leaf index) it concerns."""

    index: int
    kind: str
    detail: str


class AuditOut(BaseModel):
    """The audit report: the recomputed tree head and every finding."""

    ok: bool
    size: int
    root_hash: str
    checkpoints_checked: int
    first_bad_index: int | None
    truncated: bool
    findings: list[FindingOut]


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _checkpoint_response(request: Request, checkpoint: SignedCheckpoint) -> Response:
    if _wants_json(request):
        return Response(
            CheckpointOut.of(checkpoint).model_dump_json(), media_type="application/json"
        )
    return PlainTextResponse(checkpoint.note, media_type=TEXT)


@router.get(
    "/checkpoints/latest",
    response_class=Response,
    responses=_NOTE_RESPONSE,
    dependencies=[Depends(allow(Rule.PUBLIC))],
)
def latest_checkpoint(request: Request) -> Response:
    """The newest signed checkpoint."""
    return _checkpoint_response(request, context_of(request).ledger.latest_checkpoint())


@router.get(
    "/checkpoints/{size}",
    response_class=Response,
    responses=_NOTE_RESPONSE,
    dependencies=[Depends(allow(Rule.PUBLIC))],
)
def checkpoint_at(request: Request, size: Annotated[int, Path(ge=0, le=MAX_TREE_SIZE)]) -> Response:
    """The checkpoint cut at exactly `size` entries."""
    return _checkpoint_response(request, context_of(request).ledger.checkpoint_at(size))


@router.post(
    "/checkpoints", response_model=CheckpointOut, dependencies=[Depends(allow(Rule.ADMIN))]
)
def cut_checkpoint(request: Request) -> CheckpointOut:
    """Cut and sign a checkpoint now (or return the one already at the current size)."""
    return CheckpointOut.of(context_of(request).ledger.checkpoint())


@router.get(
    "/verifier-key",
    response_class=PlainTextResponse,
    dependencies=[Depends(allow(Rule.PUBLIC))],
)
def verifier_key(request: Request) -> PlainTextResponse:
    """The log's verifier key `<origin>+<key id>+<base64 key>`, to check checkpoints offline."""
    return PlainTextResponse(context_of(request).ledger.verifier_key() + "\n", media_type=TEXT)


@router.get("/entries/{entry_id}/receipt", dependencies=[Depends(allow(Rule.PUBLIC))])
def receipt(request: Request, entry_id: uuid.UUID) -> dict[str, Any]:
    """The entry's receipt bundle (`zerowaste.receipt/1`), checked offline by `ledger verify`."""
    return context_of(request).ledger.receipt(entry_id).to_json()


@router.get(
    "/proofs/inclusion",
    response_model=InclusionProofOut,
    dependencies=[Depends(allow(Rule.PUBLIC))],
)
def inclusion_proof(
    request: Request,
    entry_id: Annotated[uuid.UUID, Query(description="The logged entry (event) id")],
    size: Annotated[
        int | None, Query(ge=1, le=MAX_TREE_SIZE, description="Tree size; latest checkpoint's")
    ] = None,
) -> InclusionProofOut:
    """The inclusion proof of an entry at a tree size."""
    proof = context_of(request).ledger.inclusion_proof(entry_id, size)
    return InclusionProofOut(
        entry_id=proof.entry_id,
        leaf_index=proof.leaf_index,
        tree_size=proof.tree_size,
        leaf_hash=b64encode(proof.leaf_hash),
        root_hash=b64encode(proof.root_hash),
        proof=[b64encode(item) for item in proof.path],
    )


@router.get(
    "/proofs/consistency",
    response_model=ConsistencyProofOut,
    dependencies=[Depends(allow(Rule.PUBLIC))],
)
def consistency_proof(
    request: Request,
    from_size: Annotated[
        int, Query(alias="from", ge=1, le=MAX_TREE_SIZE, description="The older tree size")
    ],
    to_size: Annotated[
        int, Query(alias="to", ge=1, le=MAX_TREE_SIZE, description="The newer tree size")
    ],
) -> ConsistencyProofOut:
    """The proof that the tree of `to` entries extends the one of `from` entries."""
    proof = context_of(request).ledger.consistency_proof(from_size, to_size)
    return ConsistencyProofOut(
        from_size=proof.size1,
        to_size=proof.size2,
        from_root=b64encode(proof.root1),
        to_root=b64encode(proof.root2),
        proof=[b64encode(item) for item in proof.path],
    )


@router.get("/audit", response_model=AuditOut, dependencies=[Depends(allow(Rule.REGULATOR))])
def audit(
    request: Request,
    batch: Annotated[int, Query(ge=100, le=100_000, description="Rows read per query")] = 5000,
) -> AuditOut:
    """Recompute the log from its rows and check the event rows against it (`ledger audit`).

    It reads every row, so on a large log it takes a while (about 15 s per million rows on
    SQLite); a report with findings is still a 200: the findings are the answer.
    """
    report = context_of(request).ledger.audit(batch=batch)
    return AuditOut(
        ok=report.ok,
        size=report.size,
        root_hash=b64encode(report.root),
        checkpoints_checked=report.checkpoints_checked,
        first_bad_index=report.first_bad_index,
        truncated=report.truncated,
        findings=[FindingOut(index=f.index, kind=f.kind, detail=f.detail) for f in report.findings],
    )
