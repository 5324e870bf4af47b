"""Users, API keys and signing keys."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, insert, select, update

from zerowaste.adapters.db.id_lists import in_list, rows_in
from zerowaste.adapters.db.paging import fetch_page
from zerowaste.adapters.db.tables import api_keys, signing_keys, users
from zerowaste.domain.accounts import ApiKey, Language, SigningKey, User, UserRole
from zerowaste.domain.pages import Page, PageRequest


def _user(row: Row[Any]) -> User:
    return User(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=UserRole(row.role),
        organization_id=row.organization_id,
        jurisdiction_code=row.jurisdiction_code,
        language=Language(row.language),
        active=row.active,
        created_at=row.created_at,
    )


def _api_key(row: Row[Any]) -> ApiKey:
    return ApiKey(row.id, row.user_id, row.name, row.prefix, row.created_at, row.revoked_at)


def _signing_key(row: Row[Any]) -> SigningKey:
    return SigningKey(
        id=row.id,
        organization_id=row.organization_id,
        public_key=bytes(row.public_key),
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        custodial=row.encrypted_private_key is not None,
        created_at=row.created_at,
    )


class UserRepository:
    """Stores users with their password hashes."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, user: User, password_hash: str) -> None:
        """Insert a user."""
        self._connection.execute(
            insert(users).values(
                id=user.id,
                username=user.username,
                password_hash=password_hash,
                display_name=user.display_name,
                role=user.role,
                organization_id=user.organization_id,
                jurisdiction_code=user.jurisdiction_code,
                language=user.language,
                active=user.active,
                created_at=user.created_at,
            )
        )

    def get(self, user_id: uuid.UUID) -> User | None:
        """The user with this id, if any."""
        row = self._connection.execute(select(users).where(users.c.id == user_id)).first()
        return _user(row) if row else None

    def get_with_hash(self, username: str) -> tuple[User, str] | None:
        """The user with this name and their password hash, if any."""
        row = self._connection.execute(select(users).where(users.c.username == username)).first()
        return (_user(row), row.password_hash) if row else None

    def set_password_hash(self, user_id: uuid.UUID, password_hash: str) -> None:
        """Replace a user's password hash (after a rehash or a change)."""
        self._connection.execute(
            update(users).where(users.c.id == user_id).values(password_hash=password_hash)
        )

    def set_active(self, user_id: uuid.UUID, active: bool) -> None:
        """Enable or disable a user's sign-in and keys."""
        self._connection.execute(update(users).where(users.c.id == user_id).values(active=active))

    def find(self, page: PageRequest, *, organization_id: uuid.UUID | None = None) -> Page[User]:
        """A page of users, optionally of one organization."""
        query = select(users)
        if organization_id:
            query = query.where(users.c.organization_id == organization_id)
        return fetch_page(self._connection, query, users.c.id, page, _user)


class ApiKeyRepository:
    """Stores API keys by prefix with the hash of their secret."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, key: ApiKey, secret_hash: str) -> None:
        """Insert an API key."""
        self._connection.execute(
            insert(api_keys).values(
                id=key.id,
                user_id=key.user_id,
                name=key.name,
                prefix=key.prefix,
                secret_hash=secret_hash,
                created_at=key.created_at,
                revoked_at=None,
            )
        )

    def find_by_prefix(self, prefix: str) -> tuple[ApiKey, str] | None:
        """The key with this public prefix and its secret hash, if any."""
        row = self._connection.execute(select(api_keys).where(api_keys.c.prefix == prefix)).first()
        return (_api_key(row), row.secret_hash) if row else None

    def for_user(self, user_id: uuid.UUID) -> list[ApiKey]:
        """All keys of a user, newest last."""
        query = (
            select(api_keys).where(api_keys.c.user_id == user_id).order_by(api_keys.c.created_at)
        )
        return [_api_key(r) for r in self._connection.execute(query)]

    def revoke(self, key_id: uuid.UUID, at: datetime) -> None:
        """Mark a key revoked from `at` on."""
        self._connection.execute(
            update(api_keys).where(api_keys.c.id == key_id).values(revoked_at=at)
        )


# Built once: the hot look-up skips building and caching a statement per call.
_SIGNING_KEY = select(signing_keys).where(signing_keys.c.id == bindparam("id"))


class SigningKeyRepository:
    """Stores organizations' public keys and, for custodial keys, the encrypted private key."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, key: SigningKey, encrypted_private_key: bytes | None) -> None:
        """Insert a signing key."""
        self._connection.execute(
            insert(signing_keys).values(
                id=key.id,
                organization_id=key.organization_id,
                public_key=key.public_key,
                valid_from=key.valid_from,
                valid_to=key.valid_to,
                encrypted_private_key=encrypted_private_key,
                created_at=key.created_at,
            )
        )

    def get(self, key_id: uuid.UUID) -> SigningKey | None:
        """The key with this id, if any."""
        row = self._connection.execute(_SIGNING_KEY, {"id": key_id}).first()
        return _signing_key(row) if row else None

    def many(self, key_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, SigningKey]:
        """The keys among `key_ids`."""
        return {row.id: _signing_key(row) for row in rows_in(self._connection, _KEYS, key_ids)}

    def find_by_public_key(self, public_key: bytes) -> SigningKey | None:
        """The key with these public bytes, of any organization."""
        query = select(signing_keys).where(signing_keys.c.public_key == public_key)
        row = self._connection.execute(query).first()
        return _signing_key(row) if row else None

    def encrypted_private_key(self, key_id: uuid.UUID) -> bytes | None:
        """The encrypted private half of a custodial key."""
        value = self._connection.execute(
            select(signing_keys.c.encrypted_private_key).where(signing_keys.c.id == key_id)
        ).scalar_one_or_none()
        return bytes(value) if value is not None else None

    def for_organization(self, organization_id: uuid.UUID) -> list[SigningKey]:
        """All keys of an organization, oldest first."""
        query = (
            select(signing_keys)
            .where(signing_keys.c.organization_id == organization_id)
            .order_by(signing_keys.c.valid_from)
        )
        return [_signing_key(r) for r in self._connection.execute(query)]

    def end_validity(self, key_id: uuid.UUID, at: datetime) -> None:
        """Stop a key being valid from `at` on (rotation or compromise)."""
        self._connection.execute(
            update(signing_keys).where(signing_keys.c.id == key_id).values(valid_to=at)
        )


_KEYS = in_list(signing_keys.c.id, signing_keys)
