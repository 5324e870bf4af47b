"""Ed25519 signatures over canonical bytes, with raw and base64 key encodings."""

from __future__ import annotations

import base64
import binascii
import functools
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from zerowaste.errors import InvalidInput, InvalidPublicKey, SignatureInvalid
from zerowaste.ledger.canonical import canonical_json

#: The only signature algorithm of the ledger (RFC 8032, pure Ed25519).
ALGORITHM = "Ed25519"
PUBLIC_KEY_SIZE = 32
SIGNATURE_SIZE = 64


def b64encode(data: bytes) -> str:
    """Encode bytes as standard padded base64 (RFC 4648 section 4)."""
    return base64.b64encode(data).decode("ascii")


def b64decode(text: str, *, field: str) -> bytes:
    """Decode standard padded base64 strictly: one spelling per byte string.

    Args:
        text: The base64 text.
        field: The name reported if it does not decode.

    Returns:
        The decoded bytes.

    Raises:
        InvalidInput: Not base64, or not the canonical spelling of its bytes.
    """
    if not isinstance(text, str):
        raise InvalidInput("expected a base64 string", field=field)
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise InvalidInput("not valid base64", field=field) from None
    if b64encode(data) != text:
        raise InvalidInput("not canonical base64", field=field)
    return data


def generate_private_key() -> Ed25519PrivateKey:
    """Return a fresh random Ed25519 private key."""
    return Ed25519PrivateKey.generate()


def public_key_bytes(private_key: Ed25519PrivateKey) -> bytes:
    """Return the raw 32-byte public key of a private key."""
    return private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def load_public_key(raw: bytes, *, field: str = "public_key") -> Ed25519PublicKey:
    """Load a raw 32-byte Ed25519 public key.

    Raises:
        InvalidPublicKey: Not 32 bytes, or not a point encoding.
    """
    if len(raw) != PUBLIC_KEY_SIZE:
        raise InvalidPublicKey(f"an Ed25519 public key is 32 bytes, got {len(raw)}", field=field)
    try:
        return _loaded_key(bytes(raw))
    except ValueError:
        raise InvalidPublicKey("not an Ed25519 public key", field=field) from None


@functools.lru_cache(maxsize=4096)
def _loaded_key(raw: bytes) -> Ed25519PublicKey:
    """Loaded keys, kept: capture verifies many events by the same few signers."""
    return Ed25519PublicKey.from_public_bytes(raw)


def encode_public_key(raw: bytes) -> str:
    """Encode a raw public key as base64, checking its size."""
    load_public_key(raw)
    return b64encode(raw)


def decode_public_key(text: str, *, field: str = "public_key") -> bytes:
    """Decode a base64 raw Ed25519 public key (32 bytes).

    Raises:
        InvalidPublicKey: Not base64 or not a 32-byte key.
    """
    try:
        raw = b64decode(text, field=field)
    except InvalidInput as exc:
        raise InvalidPublicKey(exc.detail, field=field) from None
    load_public_key(raw, field=field)
    return raw


@dataclass(frozen=True)
class Signature:
    """An Ed25519 signature and the registered key that made it.

    Attributes:
        key_id: The signer key's identifier in the key registry (opaque to the ledger).
        algorithm: Always `Ed25519`.
        value: The 64-byte signature, base64.
    """

    key_id: str
    algorithm: str
    value: str

    @property
    def raw(self) -> bytes:
        """The signature bytes."""
        return b64decode(self.value, field="signature.value")

    def to_json(self) -> dict[str, str]:
        """Return the JSON object form `{"algorithm", "key_id", "value"}`."""
        return {"algorithm": self.algorithm, "key_id": self.key_id, "value": self.value}

    @classmethod
    def from_json(cls, data: Any, *, field: str = "signature") -> Signature:
        """Parse the JSON object form, checking every member.

        Raises:
            InvalidInput: A member is missing, of the wrong type, or malformed.
        """
        if not isinstance(data, dict) or set(data) != {"algorithm", "key_id", "value"}:
            raise InvalidInput("expected {algorithm, key_id, value}", field=field)
        if data["algorithm"] != ALGORITHM:
            raise InvalidInput(f"algorithm must be {ALGORITHM}", field=f"{field}.algorithm")
        if not isinstance(data["key_id"], str) or not data["key_id"]:
            raise InvalidInput("key_id must be a non-empty string", field=f"{field}.key_id")
        raw = b64decode(data["value"], field=f"{field}.value")
        if len(raw) != SIGNATURE_SIZE:
            raise InvalidInput("an Ed25519 signature is 64 bytes", field=f"{field}.value")
        return cls(key_id=data["key_id"], algorithm=ALGORITHM, value=data["value"])


def sign(private_key: Ed25519PrivateKey, key_id: str, message: bytes) -> Signature:
    """Sign bytes with Ed25519 and label the signature with `key_id`."""
    return Signature(key_id=key_id, algorithm=ALGORITHM, value=b64encode(private_key.sign(message)))


def sign_document(private_key: Ed25519PrivateKey, key_id: str, document: Any) -> Signature:
    """Sign the RFC 8785 canonical bytes of a JSON document."""
    return sign(private_key, key_id, canonical_json(document))


def verify(signature: Signature, public_key: bytes, message: bytes) -> None:
    """Check an Ed25519 signature over `message` by the raw `public_key`.

    Raises:
        SignatureInvalid: Wrong algorithm, malformed signature, or it does not verify.
        InvalidPublicKey: The public key is not a 32-byte Ed25519 key.
    """
    if signature.algorithm != ALGORITHM:
        raise SignatureInvalid(
            f"unsupported algorithm {signature.algorithm!r}", field="signature.algorithm"
        )
    key = load_public_key(public_key)
    try:
        raw = signature.raw
    except InvalidInput as exc:
        raise SignatureInvalid(exc.detail, field="signature.value") from None
    if len(raw) != SIGNATURE_SIZE:
        raise SignatureInvalid(
            f"an Ed25519 signature is 64 bytes, got {len(raw)}", field="signature.value"
        )
    try:
        key.verify(raw, message)
    except InvalidSignature:
        raise SignatureInvalid(
            f"the signature by key {signature.key_id} does not match these bytes",
            field="signature",
        ) from None


def verify_document(signature: Signature, public_key: bytes, document: Any) -> None:
    """Check a signature over the canonical bytes of `document` (see `verify`)."""
    verify(signature, public_key, canonical_json(document))
