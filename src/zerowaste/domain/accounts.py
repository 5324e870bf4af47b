"""Users, API keys and organizations' signing keys."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from zerowaste.domain.regions import is_region_code
from zerowaste.errors import InvalidInput, InvalidPeriod, InvalidPublicKey

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD_LENGTH = 10


class UserRole(StrEnum):
    """What kind of account a user has; decides the access rules that apply."""

    ADMIN = "admin"
    REGULATOR = "regulator"
    FIRM = "firm"


class Language(StrEnum):
    """Interface languages."""

    ZH = "zh"
    EN = "en"


@dataclass(frozen=True, slots=True)
class NewUser:
    """A user as submitted. A regulator has a jurisdiction; a firm user an organization."""

    username: str
    password: str
    role: UserRole
    display_name: str = ""
    organization_id: uuid.UUID | None = None
    jurisdiction_code: str | None = None
    language: Language = Language.ZH

    def __post_init__(self) -> None:
        if not _USERNAME.match(self.username):
            raise InvalidInput(
                "3-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit",
                field="username",
            )
        if len(self.password) < MIN_PASSWORD_LENGTH:
            raise InvalidInput(
                f"must be at least {MIN_PASSWORD_LENGTH} characters", field="password"
            )
        if self.role is UserRole.FIRM and self.organization_id is None:
            raise InvalidInput("a firm user belongs to an organization", field="organization_id")
        if self.role is UserRole.REGULATOR:
            if not self.jurisdiction_code or not is_region_code(self.jurisdiction_code):
                raise InvalidInput(
                    "a regulator needs a six-digit region code", field="jurisdiction_code"
                )
        elif self.jurisdiction_code:
            raise InvalidInput("only regulators have a jurisdiction", field="jurisdiction_code")


@dataclass(frozen=True, slots=True)
class User:
    """A stored user (the password hash stays in the adapter)."""

    id: uuid.UUID
    username: str
    display_name: str
    role: UserRole
    organization_id: uuid.UUID | None
    jurisdiction_code: str | None
    language: Language
    active: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A machine credential of a user; only its hash is stored, the secret shown once."""

    id: uuid.UUID
    user_id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


ED25519_PUBLIC_KEY_BYTES = 32


@dataclass(frozen=True, slots=True)
class NewSigningKey:
    """A signing key as submitted: a raw Ed25519 public key and its validity period."""

    public_key: bytes
    valid_from: datetime
    valid_to: datetime | None = None

    def __post_init__(self) -> None:
        if len(self.public_key) != ED25519_PUBLIC_KEY_BYTES:
            raise InvalidPublicKey(
                f"an Ed25519 public key has 32 bytes, got {len(self.public_key)}",
                field="public_key",
            )
        if self.valid_to is not None and self.valid_to <= self.valid_from:
            raise InvalidPeriod("ends before it starts", field="valid_to")


@dataclass(frozen=True, slots=True)
class SigningKey:
    """An organization's Ed25519 key; custodial keys have their private half held encrypted."""

    id: uuid.UUID
    organization_id: uuid.UUID
    public_key: bytes
    valid_from: datetime
    valid_to: datetime | None
    custodial: bool
    created_at: datetime

    def valid_at(self, at: datetime) -> bool:
        """Whether the key may sign at instant `at`."""
        return self.valid_from <= at and (self.valid_to is None or at < self.valid_to)
