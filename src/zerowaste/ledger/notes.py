"""C2SP signed notes with Ed25519 keys, and their verifier and signer key strings."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from zerowaste.errors import InvalidInput, SignatureInvalid
from zerowaste.ledger.signatures import b64decode, b64encode, load_public_key, public_key_bytes

ED25519_TYPE = 0x01
SIGNATURE_PREFIX = "\u2014 "
MAX_SIGNATURES = 100
MAX_NOTE_BYTES = 1_000_000
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f]")


def key_id(name: str, public_key: bytes) -> int:
    """Return the 32-bit key ID of an Ed25519 key under `name`.

    It is the first 4 bytes, big-endian, of `SHA-256(name || 0x0A || 0x01 || public key)`.
    """
    digest = hashlib.sha256(name.encode() + b"\n" + bytes([ED25519_TYPE]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")


def _check_name(name: str, field: str) -> None:
    if not name or "+" in name or any(char.isspace() for char in name) or _CONTROL.search(name):
        raise InvalidInput("a key name is non-empty, without spaces or '+'", field=field)


@dataclass(frozen=True)
class NoteVerifier:
    """A trusted Ed25519 note key: its name, 32-bit key ID and raw public key.

    Written `<name>+<key ID as 8 lowercase hex digits>+<base64(0x01 || public key)>`.
    """

    name: str
    key_id: int
    public_key: bytes

    @classmethod
    def create(cls, name: str, public_key: bytes) -> NoteVerifier:
        """Build the verifier of a raw public key under `name`."""
        _check_name(name, "name")
        load_public_key(public_key)
        return cls(name, key_id(name, public_key), public_key)

    @classmethod
    def parse(cls, text: str) -> NoteVerifier:
        """Parse a `<name>+<hex key ID>+<base64(0x01 || key)>` verifier key string.

        Raises:
            InvalidInput: Malformed, not Ed25519, or the key ID does not match the key.
        """
        parts = text.strip().split("+", 2)  # base64 may hold '+', names and IDs never
        if len(parts) != 3 or not re.fullmatch("[0-9a-f]{8}", parts[1]):
            raise InvalidInput("expected <name>+<8 hex digits>+<base64 key>", field="vkey")
        name, hex_id, key_data = parts
        _check_name(name, "vkey")
        raw = b64decode(key_data, field="vkey")
        if len(raw) != 33 or raw[0] != ED25519_TYPE:
            raise InvalidInput("the key data is not 0x01 and an Ed25519 key", field="vkey")
        verifier = cls.create(name, raw[1:])
        if verifier.key_id != int(hex_id, 16):
            raise InvalidInput("the key ID does not match the name and key", field="vkey")
        return verifier

    def encode(self) -> str:
        """Return the verifier key string."""
        data = b64encode(bytes([ED25519_TYPE]) + self.public_key)
        return f"{self.name}+{self.key_id:08x}+{data}"


@dataclass(frozen=True)
class NoteSigner:
    """A note signing key: its name and Ed25519 private key.

    Written `PRIVATE+KEY+<name>+<key ID>+<base64(0x01 || 32-byte seed)>` (a secret).
    """

    name: str
    private_key: Ed25519PrivateKey

    @classmethod
    def create(cls, name: str, private_key: Ed25519PrivateKey) -> NoteSigner:
        """Name a private key for note signing."""
        _check_name(name, "name")
        return cls(name, private_key)

    @classmethod
    def parse(cls, text: str) -> NoteSigner:
        """Parse a `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || seed)>` string.

        Raises:
            InvalidInput: Malformed, or the key ID does not match the derived public key.
        """
        parts = text.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise InvalidInput("expected PRIVATE+KEY+<name>+<id>+<key>", field="skey")
        raw = b64decode(parts[4], field="skey")
        if len(raw) != 33 or raw[0] != ED25519_TYPE:
            raise InvalidInput("the key data is not 0x01 and an Ed25519 seed", field="skey")
        signer = cls.create(parts[2], Ed25519PrivateKey.from_private_bytes(raw[1:]))
        if f"{signer.verifier().key_id:08x}" != parts[3]:
            raise InvalidInput("the key ID does not match the name and key", field="skey")
        return signer

    def verifier(self) -> NoteVerifier:
        """Return the matching verifier."""
        return NoteVerifier.create(self.name, public_key_bytes(self.private_key))

    def encode(self) -> str:
        """Return the signer key string (a secret)."""
        seed = self.private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        data = b64encode(bytes([ED25519_TYPE]) + seed)
        return f"PRIVATE+KEY+{self.name}+{self.verifier().key_id:08x}+{data}"


def sign_note(text: str, signers: Sequence[NoteSigner]) -> str:
    """Sign a note text (which must end in a newline) with each signer.

    The note is the text, a blank line, then one line per signer: U+2014 EM DASH, a space, the
    key name, a space and `base64(4-byte key ID || 64-byte Ed25519 signature of the text)`.

    Raises:
        InvalidInput: The text is empty, lacks its final newline or holds control characters.
    """
    _check_text(text)
    if not signers:
        raise InvalidInput("a note needs at least one signature", field="signers")
    lines = []
    for signer in signers:
        verifier = signer.verifier()
        signature = signer.private_key.sign(text.encode())
        blob = b64encode(verifier.key_id.to_bytes(4, "big") + signature)
        lines.append(f"{SIGNATURE_PREFIX}{signer.name} {blob}\n")
    return text + "\n" + "".join(lines)


def _check_text(text: str) -> None:
    if not text.endswith("\n") or _CONTROL.search(text):
        raise InvalidInput("a note text ends in a newline and has no control characters")


def open_note(note: str | bytes, verifiers: Sequence[NoteVerifier]) -> tuple[str, list[str]]:
    """Check a signed note and return its text and the names of the keys that signed it.

    Signatures by unknown keys (name and key ID not both known) are ignored; every signature
    by a known key must verify, and at least one must be present.

    Raises:
        InvalidInput: The note is malformed.
        SignatureInvalid: No known key signed it, or a known key's signature fails.
    """
    text, lines = _split(note)
    known = {(v.name, v.key_id): v for v in verifiers}
    signed: list[str] = []
    for line in lines:
        name, _, blob = line[len(SIGNATURE_PREFIX) :].partition(" ")
        raw = b64decode(blob, field="note")
        if len(raw) < 5:
            raise InvalidInput("a note signature is too short", field="note")
        verifier = known.get((name, int.from_bytes(raw[:4], "big")))
        if verifier is None:
            continue
        try:
            load_public_key(verifier.public_key).verify(raw[4:], text.encode())
        except InvalidSignature:
            raise SignatureInvalid(f"the note signature by {name} does not verify") from None
        signed.append(name)
    if not signed:
        raise SignatureInvalid("the note carries no signature by a known key", field="note")
    return text, signed


def _split(note: str | bytes) -> tuple[str, list[str]]:
    """Split a note into its text and signature lines, checking the syntax."""
    if isinstance(note, bytes):
        if len(note) > MAX_NOTE_BYTES:
            raise InvalidInput("the note is too large", field="note")
        try:
            note = note.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput("a note is UTF-8", field="note") from None
    if len(note) > MAX_NOTE_BYTES or _CONTROL.search(note) or not note.endswith("\n"):
        raise InvalidInput("a note ends in a newline and has no control characters", field="note")
    cut = note.rfind("\n\n")
    if cut < 0:
        raise InvalidInput("a note has a blank line before its signatures", field="note")
    text, block = note[: cut + 1], note[cut + 2 :]
    lines = block[:-1].split("\n") if block else []
    if not lines or len(lines) > MAX_SIGNATURES:
        raise InvalidInput(f"a note has 1 to {MAX_SIGNATURES} signature lines", field="note")
    for line in lines:
        name, _, blob = line[len(SIGNATURE_PREFIX) :].partition(" ")
        if not line.startswith(SIGNATURE_PREFIX) or not name or not blob or " " in blob:
            raise InvalidInput("a signature line is '— <key name> <base64>'", field="note")
    return text, lines
