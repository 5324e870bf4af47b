"""Leaf data of logged events, and self-contained receipts checked offline."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from zerowaste.errors import InvalidInput
from zerowaste.ledger.canonical import canonical_json
from zerowaste.ledger.checkpoints import Checkpoint, open_checkpoint
from zerowaste.ledger.merkle import leaf_hash, verify_inclusion
from zerowaste.ledger.notes import NoteVerifier
from zerowaste.ledger.signatures import (
    Signature,
    b64decode,
    b64encode,
    decode_public_key,
    verify_document,
)
from zerowaste.ledger.tree import HashStore, inclusion_proof

LEAF_FORMAT = "zerowaste.leaf/1"
RECEIPT_FORMAT = "zerowaste.receipt/1"
_MEMBERS = {"format", "event", "signature", "public_key", "leaf_index", "inclusion_proof"}


def leaf_data(event: Mapping[str, Any], signature: Signature, public_key: bytes) -> bytes:
    """Return the leaf data of a signed event: the bytes the log stores and hashes.

    It is the RFC 8785 canonical JSON of `{"event", "format": "zerowaste.leaf/1",
    "public_key", "signature"}`: the event document as signed, the signer's raw Ed25519 public
    key in base64 and the signature object `{"algorithm", "key_id", "value"}`. The log's leaf
    hash is `SHA-256(0x00 || leaf data)`.
    """
    return canonical_json(
        {
            "event": event,
            "format": LEAF_FORMAT,
            "public_key": b64encode(public_key),
            "signature": signature.to_json(),
        }
    )


def leaf_data_of_canonical(
    canonical_event: bytes, signature: Signature, public_key: bytes
) -> bytes:
    """Return `leaf_data` from the event's canonical bytes, without canonicalizing it again.

    JCS is compositional: an object's canonical form is its members, sorted by name, each
    value in its own canonical form (RFC 8785 section 3.2), so the canonical event bytes
    slot in unchanged under `event`, the first of the four sorted names.
    """
    rest = canonical_json(
        {
            "format": LEAF_FORMAT,
            "public_key": b64encode(public_key),
            "signature": signature.to_json(),
        }
    )
    return b'{"event":' + canonical_event + b"," + rest[1:]


@dataclass(frozen=True)
class Receipt:
    """Everything needed to check offline that a signed event is in the log.

    Attributes:
        event: The event document, as signed.
        signature: The signer's Ed25519 signature over the event's canonical bytes.
        public_key: The signer's raw 32-byte public key.
        leaf_index: The event's position in the log.
        inclusion_proof: The RFC 9162 audit path from the leaf to the checkpoint's root.
        checkpoint: The signed checkpoint note (C2SP tlog-checkpoint).
    """

    event: Mapping[str, Any]
    signature: Signature
    public_key: bytes
    leaf_index: int
    inclusion_proof: tuple[bytes, ...]
    checkpoint: str

    def leaf_data(self) -> bytes:
        """Return the leaf data the log hashed for this event."""
        return leaf_data(self.event, self.signature, self.public_key)

    def to_json(self) -> dict[str, Any]:
        """Return the receipt as a JSON object (format `zerowaste.receipt/1`)."""
        return {
            "format": RECEIPT_FORMAT,
            "event": dict(self.event),
            "signature": self.signature.to_json(),
            "public_key": b64encode(self.public_key),
            "leaf_index": self.leaf_index,
            "inclusion_proof": [b64encode(item) for item in self.inclusion_proof],
            "checkpoint": self.checkpoint,
        }

    @classmethod
    def from_json(cls, data: Any) -> Receipt:
        """Parse a receipt JSON object, checking every member's type and encoding.

        Raises:
            InvalidInput: A member is missing, unknown, of the wrong type or malformed.
        """
        if not isinstance(data, Mapping) or set(data) != _MEMBERS | {"checkpoint"}:
            raise InvalidInput(f"a receipt has exactly {sorted(_MEMBERS | {'checkpoint'})}")
        if data["format"] != RECEIPT_FORMAT:
            raise InvalidInput(f"format must be {RECEIPT_FORMAT}", field="format")
        if not isinstance(data["event"], Mapping):
            raise InvalidInput("the event is a JSON object", field="event")
        index = data["leaf_index"]
        if not isinstance(index, int) or isinstance(index, bool) or index < 0:
            raise InvalidInput("leaf_index is a non-negative integer", field="leaf_index")
        proof = data["inclusion_proof"]
        if not isinstance(proof, list):
            raise InvalidInput("inclusion_proof is a list of base64", field="inclusion_proof")
        if not isinstance(data["checkpoint"], str):
            raise InvalidInput("checkpoint is the signed note text", field="checkpoint")
        return cls(
            event=data["event"],
            signature=Signature.from_json(data["signature"]),
            public_key=decode_public_key(data["public_key"]),
            leaf_index=index,
            inclusion_proof=tuple(
                b64decode(item, field=f"inclusion_proof[{n}]") for n, item in enumerate(proof)
            ),
            checkpoint=data["checkpoint"],
        )


@dataclass(frozen=True)
class VerifiedReceipt:
    """What a verified receipt proves: this leaf is in the log under this signed tree head."""

    checkpoint: Checkpoint
    leaf_index: int
    leaf_hash: bytes
    key_id: str


def build_receipt(
    store: HashStore,
    event: Mapping[str, Any],
    signature: Signature,
    public_key: bytes,
    leaf_index: int,
    checkpoint_note: str,
    verifier: NoteVerifier,
) -> Receipt:
    """Assemble the receipt of a logged event against a signed checkpoint that covers it.

    Raises:
        InvalidInput: The checkpoint does not cover the leaf, or the store's leaf at
            `leaf_index` is not this event's.
    """
    checkpoint = open_checkpoint(checkpoint_note, verifier)
    if not 0 <= leaf_index < checkpoint.size:
        raise InvalidInput(
            f"checkpoint of size {checkpoint.size} does not cover leaf {leaf_index}",
            field="leaf_index",
        )
    if store.get_node(0, leaf_index) != leaf_hash(leaf_data(event, signature, public_key)):
        raise InvalidInput(f"leaf {leaf_index} is another event", field="leaf_index")
    proof = inclusion_proof(store, leaf_index, checkpoint.size)
    return Receipt(event, signature, public_key, leaf_index, tuple(proof), checkpoint_note)


def verify_receipt(
    bundle: Receipt | Mapping[str, Any], platform_key: str | NoteVerifier
) -> VerifiedReceipt:
    """Check a receipt offline, with nothing but it and the platform's verifier key.

    Checks, in order: the checkpoint's signature by the platform key; the event's Ed25519
    signature over its canonical bytes by the receipt's public key; the leaf hash of the leaf
    data; the inclusion proof of that leaf against the checkpoint's root.

    Args:
        bundle: A `Receipt` or its JSON object.
        platform_key: The platform log's verifier key string (`<name>+<id>+<key>`).

    Returns:
        The verified tree head, leaf index and leaf hash.

    Raises:
        InvalidInput: The receipt or key is malformed.
        SignatureInvalid: The checkpoint or event signature does not verify.
        ProofInvalid: The inclusion proof does not reach the checkpoint's root.
    """
    receipt = bundle if isinstance(bundle, Receipt) else Receipt.from_json(bundle)
    if isinstance(platform_key, NoteVerifier):
        verifier = platform_key
    else:
        verifier = NoteVerifier.parse(platform_key)
    checkpoint = open_checkpoint(receipt.checkpoint, verifier)
    verify_document(receipt.signature, receipt.public_key, receipt.event)
    leaf = leaf_hash(receipt.leaf_data())
    verify_inclusion(
        receipt.leaf_index, checkpoint.size, leaf, receipt.inclusion_proof, checkpoint.root_hash
    )
    return VerifiedReceipt(checkpoint, receipt.leaf_index, leaf, receipt.signature.key_id)
