"""Password and API-key hashing (argon2id) and encryption of custodial private keys at rest."""

from __future__ import annotations

import os
import secrets
import uuid

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from zerowaste.errors import MasterKeyMissing, SignatureInvalid

_passwords = PasswordHasher()
# API-key secrets are 192 random bits, so a light argon2 setting keeps requests fast
# without making a guessed secret any likelier.
_key_secrets = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


def hash_password(password: str) -> str:
    """Return an argon2id hash of a password."""
    return _passwords.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` matches `password_hash`."""
    try:
        return _passwords.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    return _passwords.check_needs_rehash(password_hash)


def new_api_key_secret() -> tuple[str, str, str]:
    """Return (token shown once, public prefix, argon2 hash of the secret part)."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(24)
    return f"zw_{prefix}_{secret}", prefix, _key_secrets.hash(secret)


def split_api_key(token: str) -> tuple[str, str] | None:
    """Return (prefix, secret) of a well-formed token, else None."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != "zw" or len(parts[1]) != 12:
        return None
    return parts[1], parts[2]


def verify_api_key_secret(secret_hash: str, secret: str) -> bool:
    """Whether `secret` matches the stored hash."""
    try:
        return _key_secrets.verify(secret_hash, secret)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


class PrivateKeyVault:
    """Encrypts custodial Ed25519 private keys (AES-256-GCM, key derived from the master key).

    The key id is bound as associated data, so a ciphertext moved to another key's row fails.
    """

    _VERSION = b"\x01"

    def __init__(self, master_key: str | None) -> None:
        self._aead: AESGCM | None = None
        if master_key:
            derived = HKDF(
                algorithm=hashes.SHA256(), length=32, salt=None, info=b"zerowaste custodial keys v1"
            ).derive(master_key.encode())
            self._aead = AESGCM(derived)

    def _require(self) -> AESGCM:
        if self._aead is None:
            raise MasterKeyMissing("set ZEROWASTE_MASTER_KEY to hold custodial signing keys")
        return self._aead

    def seal(self, key_id: uuid.UUID, private_key: bytes) -> bytes:
        """Encrypt a raw private key for storage."""
        nonce = os.urandom(12)
        return self._VERSION + nonce + self._require().encrypt(nonce, private_key, key_id.bytes)

    def open(self, key_id: uuid.UUID, sealed: bytes) -> bytes:
        """Decrypt a stored private key; raises `SignatureInvalid` if it was tampered with."""
        if sealed[:1] != self._VERSION:
            raise SignatureInvalid("unknown custodial key format")
        try:
            return self._require().decrypt(sealed[1:13], sealed[13:], key_id.bytes)
        except InvalidTag as exc:
            raise SignatureInvalid("custodial key does not decrypt under this master key") from exc
