"""Signing and verifying manifest and approval steps, and logging them beside the waste events."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from zerowaste.adapters.db.manifests_repository import ActionRow
from zerowaste.adapters.db.unit_of_work import UnitOfWork
from zerowaste.domain.access import Principal
from zerowaste.errors import (
    ActionIdReused,
    EventInFuture,
    LedgerTampered,
    SignatureInvalid,
    SigningKeyNotValid,
    ZeroWasteError,
)
from zerowaste.ledger.canonical import canonical_json
from zerowaste.ledger.signatures import ALGORITHM, Signature, b64encode, sign, verify
from zerowaste.services.capture_checks import signer_key_id
from zerowaste.services.ledger import LedgerService, NewEntry
from zerowaste.services.signing_keys import SigningKeyService
from zerowaste.services.step_batch import StepBatch


@dataclass(frozen=True)
class ClientSigner:
    """A firm's own key (client-side signing): the private key and its registered id."""

    private_key: Ed25519PrivateKey
    key_id: uuid.UUID

    def sign(self, document: Any) -> dict[str, str]:
        """The signature object over the document's canonical bytes."""
        return sign(self.private_key, str(self.key_id), canonical_json(document)).to_json()


@dataclass(frozen=True)
class SignedStep:
    """A step document, its canonical bytes, the signature and the signer's public key."""

    document: dict[str, Any]
    canonical: bytes
    signature: Signature
    public_key: bytes


@dataclass(frozen=True)
class StepResult:
    """What became of a step: newly logged, or logged already by an earlier request."""

    action_id: uuid.UUID
    leaf_index: int
    status: Literal["stored", "already_stored"]


def check_time(at: datetime, now: datetime, skew: timedelta) -> None:
    """Refuse a step dated after now (beyond the clock skew allowed)."""
    if at > now + skew:
        raise EventInFuture(
            f"{at.isoformat()} is after now ({now.isoformat()})", field="action_time"
        )


def client_signed(
    batch: StepBatch,
    document: dict[str, Any],
    signature_json: Any,
    organization_id: uuid.UUID,
    at: datetime,
    now: datetime,
) -> SignedStep:
    """Verify a client's signature by a valid key of `organization_id` (fields `signature...`)."""
    signature = Signature.from_json(signature_json, field="signature")
    key_id = signer_key_id(signature)
    key = batch.signing_key(key_id)
    field = "signature.key_id"
    if key is None or key.organization_id != organization_id:
        raise SigningKeyNotValid(f"no key {key_id} of the signing organization", field=field)
    if not key.valid_at(at):
        raise SigningKeyNotValid(f"key {key_id} was not valid at the action time", field=field)
    if not key.valid_at(now):
        raise SigningKeyNotValid(f"key {key_id} is retired or expired", field=field)
    canonical = canonical_json(document)
    try:
        verify(signature, key.public_key, canonical)
    except SignatureInvalid as exc:
        raise SignatureInvalid(exc.detail, field="signature.value") from None
    return SignedStep(document, canonical, signature, key.public_key)


def custodial_signed(
    signing_keys: SigningKeyService, document: dict[str, Any], organization_id: uuid.UUID
) -> SignedStep:
    """Sign with the organization's custodial key held by the platform."""
    canonical = canonical_json(document)
    key, raw = signing_keys.sign_custodial(organization_id, canonical)
    return SignedStep(
        document, canonical, Signature(str(key.id), ALGORITHM, b64encode(raw)), key.public_key
    )


def platform_signed(ledger: LedgerService, document: dict[str, Any]) -> SignedStep:
    """Sign with the log's own key (a regulator's step: regulators hold no organization key)."""
    canonical = canonical_json(document)
    signature, public_key = ledger.sign_as_platform(canonical)
    return SignedStep(document, canonical, signature, public_key)


def already_logged(batch: StepBatch, action_id: uuid.UUID, step: SignedStep) -> StepResult | None:
    """The earlier result of the same step, None if new; `ActionIdReused` if it differs."""
    row = batch.action(action_id)
    if row is None:
        return None
    if row.document != step.canonical or row.signature_value != step.signature.value:
        raise ActionIdReused(
            f"action {action_id} was logged with other bytes or another signature",
            field="action_id",
        )
    return StepResult(action_id, row.leaf_index, "already_stored")


def signature_key_ids(signatures: Iterable[Any]) -> list[uuid.UUID]:
    """The key ids well-formed signatures name (to look up at once; the others fail later)."""
    found = []
    for signature_json in signatures:
        try:
            found.append(signer_key_id(Signature.from_json(signature_json, field="signature")))
        except ZeroWasteError:
            continue
    return found


def append_held(uow: UnitOfWork, ledger: LedgerService, held: list[NewEntry], start: int) -> None:
    """Append a locked batch's held entries, which were recorded at leaves from `start` on.

    Raises:
        LedgerTampered: The log did not give them those leaves.
    """
    if ledger.append(uow, held) != list(range(start, start + len(held))):
        raise LedgerTampered("the log grew during a locked batch")


def step_entry(
    actor: Principal, step: SignedStep, action_id: uuid.UUID, organization_id: uuid.UUID | None
) -> NewEntry:
    """The log entry of a step."""
    return NewEntry(
        id=action_id,
        event=step.document,
        signature=step.signature,
        public_key=step.public_key,
        organization_id=organization_id,
        user_id=actor.user_id,
        canonical=step.canonical,
    )


def record_step(
    batch: StepBatch,
    ledger: LedgerService,
    actor: Principal,
    step: SignedStep,
    *,
    subject: str,
    subject_id: uuid.UUID,
    action_id: uuid.UUID,
    action: str,
    at: datetime,
    organization_id: uuid.UUID | None,
    now: datetime,
    index: int,
) -> None:
    """Record a step about to be logged in this transaction at leaf `index` (held in `batch`)."""
    batch.add_action(
        ActionRow(
            action_id=action_id,
            subject=subject,
            subject_id=subject_id,
            action=action,
            action_time=at,
            organization_id=organization_id,
            log_id=ledger.log_id,
            leaf_index=index,
            document=step.canonical,
            signature_key_id=step.signature.key_id,
            signature_value=step.signature.value,
            user_id=actor.user_id,
            recorded_at=now,
        )
    )
