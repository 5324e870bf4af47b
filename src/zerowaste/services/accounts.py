"""Users, logins and API keys."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from zerowaste.adapters import secrets
from zerowaste.adapters.db.unit_of_work import UnitOfWorkFactory
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import MIN_PASSWORD_LENGTH, ApiKey, NewUser, User, UserRole
from zerowaste.domain.ids import new_id
from zerowaste.domain.pages import Page, PageRequest
from zerowaste.errors import DuplicateUsername, Forbidden, InvalidInput, NotAuthenticated, NotFound
from zerowaste.services.authorization import require_acts_for, require_admin, require_oversight
from zerowaste.services.organizations import OrganizationService
from zerowaste.services.registry import RegistryService


def principal_of(user: User) -> Principal:
    """The principal a user acts as."""
    return Principal(
        user_id=user.id,
        username=user.username,
        role=user.role,
        organization_id=user.organization_id,
        jurisdiction_code=user.jurisdiction_code,
    )


class AccountService:
    """Create users, check passwords and API keys, issue and revoke keys."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        registry: RegistryService,
        organizations: OrganizationService,
        clock: Callable[[], datetime],
    ) -> None:
        self._uow = unit_of_work
        self._registry = registry
        self._organizations = organizations
        self._clock = clock

    def create_user(self, actor: Principal, new: NewUser) -> User:
        """Create a user. Admins create anyone; regulators create firm users in their region."""
        if new.role is UserRole.FIRM:
            assert new.organization_id is not None
            organization = self._organizations.get(new.organization_id)
            require_oversight(actor, organization.region_code, field="organization_id")
        elif actor.role is not UserRole.ADMIN:
            raise Forbidden("only administrators create admin and regulator accounts", field="role")
        if new.jurisdiction_code:
            self._registry.require_region(new.jurisdiction_code, field="jurisdiction_code")
        user = User(
            id=new_id(),
            username=new.username,
            display_name=new.display_name or new.username,
            role=new.role,
            organization_id=new.organization_id,
            jurisdiction_code=new.jurisdiction_code,
            language=new.language,
            active=True,
            created_at=self._clock(),
        )
        password_hash = secrets.hash_password(new.password)
        with self._uow() as uow:
            if uow.users.get_with_hash(new.username):
                raise DuplicateUsername(f"{new.username} is taken", field="username")
            try:
                uow.users.add(user, password_hash)
                uow.commit()
            except IntegrityError as exc:
                raise DuplicateUsername(f"{new.username} is taken", field="username") from exc
        return user

    def user(self, user_id: uuid.UUID) -> User:
        """The user, or `NotFound`."""
        with self._uow() as uow:
            user = uow.users.get(user_id)
        if user is None:
            raise NotFound(f"no user {user_id}", field="user_id")
        return user

    def set_active(self, actor: Principal, user_id: uuid.UUID, active: bool) -> User:
        """Disable or re-enable a user; a disabled one cannot sign in or use keys. Admins only."""
        require_admin(actor)
        if user_id == actor.user_id and not active:
            raise InvalidInput("you cannot disable yourself", field="active")
        user = self.user(user_id)
        with self._uow() as uow:
            uow.users.set_active(user_id, active)
            uow.commit()
        return replace(user, active=active)

    def change_password(self, actor: Principal, current: str, new: str) -> None:
        """Change the actor's own password after checking the current one."""
        user = self.user(actor.user_id)
        try:
            self.login(user.username, current)
        except NotAuthenticated:
            raise InvalidInput("is not your current password", field="current_password") from None
        if len(new) < MIN_PASSWORD_LENGTH:
            raise InvalidInput(
                f"must be at least {MIN_PASSWORD_LENGTH} characters", field="new_password"
            )
        with self._uow() as uow:
            uow.users.set_password_hash(user.id, secrets.hash_password(new))
            uow.commit()

    def find_users(self, actor: Principal, page: PageRequest) -> Page[User]:
        """A page of every user (administrators only)."""
        require_admin(actor)
        with self._uow() as uow:
            return uow.users.find(page)

    def users_of(
        self, actor: Principal, organization_id: uuid.UUID, page: PageRequest
    ) -> Page[User]:
        """A page of an organization's users, for that firm and its regulators."""
        require_acts_for(actor, self._organizations.get(organization_id))
        with self._uow() as uow:
            return uow.users.find(page, organization_id=organization_id)

    def login(self, username: str, password: str) -> Principal:
        """Check a password; raise `NotAuthenticated` (without saying which part was wrong)."""
        with self._uow() as uow:
            found = uow.users.get_with_hash(username)
            if found is None or not found[0].active:
                secrets.hash_password(password)  # spend the same time as a real check
                raise NotAuthenticated("unknown username or wrong password")
            user, password_hash = found
            if not secrets.verify_password(password_hash, password):
                raise NotAuthenticated("unknown username or wrong password")
            if secrets.password_needs_rehash(password_hash):
                uow.users.set_password_hash(user.id, secrets.hash_password(password))
                uow.commit()
        return principal_of(user)

    def authenticate_token(self, token: str) -> Principal:
        """The principal behind an API key, or `NotAuthenticated`."""
        parts = secrets.split_api_key(token)
        if parts is None:
            raise NotAuthenticated("malformed API key")
        prefix, secret = parts
        with self._uow() as uow:
            found = uow.api_keys.find_by_prefix(prefix)
            if found is None or found[0].revoked_at is not None:
                raise NotAuthenticated("unknown or revoked API key")
            key, secret_hash = found
            if not secrets.verify_api_key_secret(secret_hash, secret):
                raise NotAuthenticated("unknown or revoked API key")
            user = uow.users.get(key.user_id)
        if user is None or not user.active:
            raise NotAuthenticated("the key's user is inactive")
        return principal_of(user)

    def principal(self, user_id: uuid.UUID) -> Principal | None:
        """The principal of an active user (for web sessions), or None."""
        with self._uow() as uow:
            user = uow.users.get(user_id)
        return principal_of(user) if user and user.active else None

    def principal_by_username(self, username: str) -> Principal:
        """The principal of an active user found by name (for the operator's CLI)."""
        with self._uow() as uow:
            found = uow.users.get_with_hash(username)
        if found is None or not found[0].active:
            raise NotFound(f"no active user {username}", field="username")
        return principal_of(found[0])

    def user_id_by_username(self, username: str) -> uuid.UUID:
        """The id of the user with this name, active or not."""
        with self._uow() as uow:
            found = uow.users.get_with_hash(username)
        if found is None:
            raise NotFound(f"no user {username}", field="username")
        return found[0].id

    def issue_api_key(self, actor: Principal, name: str) -> tuple[ApiKey, str]:
        """Create an API key for the actor; the token is returned once and never stored."""
        if not name.strip():
            raise InvalidInput("must not be empty", field="name")
        token, prefix, secret_hash = secrets.new_api_key_secret()
        key = ApiKey(new_id(), actor.user_id, name.strip(), prefix, self._clock(), None)
        with self._uow() as uow:
            uow.api_keys.add(key, secret_hash)
            uow.commit()
        return key, token

    def api_keys(self, actor: Principal) -> list[ApiKey]:
        """The actor's own API keys."""
        with self._uow() as uow:
            return uow.api_keys.for_user(actor.user_id)

    def revoke_api_key(self, actor: Principal, key_id: uuid.UUID) -> None:
        """Revoke one of the actor's own keys."""
        with self._uow() as uow:
            keys = {k.id: k for k in uow.api_keys.for_user(actor.user_id)}
            if key_id not in keys:
                raise NotFound(f"no API key {key_id} of yours", field="key_id")
            uow.api_keys.revoke(key_id, self._clock())
            uow.commit()
