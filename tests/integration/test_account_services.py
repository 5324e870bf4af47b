"""Users, passwords, API keys and signing keys against real databases."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from tests.factories import OPERATOR, PASSWORD, Factory
from zerowaste.adapters.secrets import PrivateKeyVault
from zerowaste.domain.accounts import NewSigningKey, NewUser, UserRole
from zerowaste.errors import (
    Conflict,
    DuplicateUsername,
    Forbidden,
    InvalidInput,
    MasterKeyMissing,
    NotAuthenticated,
    SignatureInvalid,
)


def test_login_checks_the_password(factory: Factory) -> None:
    principal = factory.user(UserRole.ADMIN)
    assert factory.context.accounts.login(principal.username, PASSWORD) == principal
    with pytest.raises(NotAuthenticated):
        factory.context.accounts.login(principal.username, PASSWORD + "x")
    with pytest.raises(NotAuthenticated):
        factory.context.accounts.login("nobody", PASSWORD)


def test_usernames_are_unique(factory: Factory) -> None:
    principal = factory.user(UserRole.ADMIN)
    with pytest.raises(DuplicateUsername):
        factory.context.accounts.create_user(
            OPERATOR, NewUser(principal.username, PASSWORD, UserRole.ADMIN)
        )


def test_regulator_creates_only_firm_users_in_its_region(factory: Factory) -> None:
    regulator = factory.user(UserRole.REGULATOR, jurisdiction_code="320500")
    near, far = factory.organization(), factory.organization(region_code="330402")
    accounts = factory.context.accounts
    assert accounts.create_user(
        regulator, NewUser("near-firm", PASSWORD, UserRole.FIRM, organization_id=near.id)
    )
    with pytest.raises(Forbidden):
        accounts.create_user(
            regulator, NewUser("far-firm", PASSWORD, UserRole.FIRM, organization_id=far.id)
        )
    with pytest.raises(Forbidden):
        accounts.create_user(regulator, NewUser("new-admin", PASSWORD, UserRole.ADMIN))


def test_api_key_lifecycle(factory: Factory) -> None:
    principal = factory.user(UserRole.ADMIN)
    accounts = factory.context.accounts
    key, token = accounts.issue_api_key(principal, "ci")
    assert accounts.authenticate_token(token) == principal
    assert token not in repr(accounts.api_keys(principal))
    with pytest.raises(NotAuthenticated):
        accounts.authenticate_token(token[:-1] + ("A" if token[-1] != "A" else "B"))
    with pytest.raises(NotAuthenticated):
        accounts.authenticate_token("not-a-key")
    accounts.revoke_api_key(principal, key.id)
    with pytest.raises(NotAuthenticated):
        accounts.authenticate_token(token)
    with pytest.raises(InvalidInput):
        accounts.issue_api_key(principal, " ")


def test_custodial_key_signs_and_verifies(factory: Factory) -> None:
    org = factory.organization()
    keys = factory.context.signing_keys
    key = keys.create_custodial(OPERATOR, org.id)
    used, signature = keys.sign_custodial(org.id, b"event bytes")
    assert used.id == key.id
    assert key.custodial
    Ed25519PublicKey.from_public_bytes(key.public_key).verify(signature, b"event bytes")
    assert keys.keys_of(org.id) == [key]


def test_retired_key_no_longer_signs(factory: Factory) -> None:
    org = factory.organization()
    keys = factory.context.signing_keys
    key = keys.create_custodial(OPERATOR, org.id)
    retired = keys.retire(OPERATOR, org.id, key.id)
    assert retired.valid_to == factory.context.clock()
    factory.context.clock.now += timedelta(seconds=1)  # type: ignore[attr-defined]
    with pytest.raises(InvalidInput):
        keys.sign_custodial(org.id, b"x")
    with pytest.raises(Conflict):
        keys.retire(OPERATOR, org.id, key.id)


def test_a_public_key_is_registered_once(factory: Factory) -> None:
    org, other = factory.organization(), factory.organization()
    raw = base64.b64decode("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
    new = NewSigningKey(raw, factory.context.clock())
    factory.context.signing_keys.register(OPERATOR, org.id, new)
    for holder in (org, other):
        with pytest.raises(Conflict) as info:
            factory.context.signing_keys.register(OPERATOR, holder.id, new)
        assert info.value.field == "public_key"


def test_vault_needs_master_key_and_detects_tampering() -> None:
    import uuid

    key_id = uuid.uuid4()
    with pytest.raises(MasterKeyMissing):
        PrivateKeyVault(None).seal(key_id, b"k" * 32)
    vault = PrivateKeyVault("a-long-master-key")
    sealed = vault.seal(key_id, b"k" * 32)
    assert vault.open(key_id, sealed) == b"k" * 32
    assert b"k" * 32 not in sealed
    with pytest.raises(SignatureInvalid):
        vault.open(uuid.uuid4(), sealed)
    with pytest.raises(SignatureInvalid):
        PrivateKeyVault("another-master-key").open(key_id, sealed)


def test_disabled_user_cannot_sign_in_or_use_keys(factory: Factory) -> None:
    admin = factory.user(UserRole.ADMIN)
    user = factory.user(UserRole.ADMIN)
    accounts = factory.context.accounts
    _, token = accounts.issue_api_key(user, "k")
    accounts.set_active(admin, user.user_id, False)
    with pytest.raises(NotAuthenticated):
        accounts.login(user.username, PASSWORD)
    with pytest.raises(NotAuthenticated):
        accounts.authenticate_token(token)
    assert accounts.principal(user.user_id) is None
    with pytest.raises(InvalidInput):
        accounts.set_active(admin, admin.user_id, False)
    accounts.set_active(admin, user.user_id, True)
    assert accounts.authenticate_token(token) == user


def test_change_password(factory: Factory) -> None:
    user = factory.user(UserRole.ADMIN)
    accounts = factory.context.accounts
    with pytest.raises(InvalidInput) as info:
        accounts.change_password(user, "wrong-password", "new-password-123")
    assert info.value.field == "current_password"
    with pytest.raises(InvalidInput) as info:
        accounts.change_password(user, PASSWORD, "short")
    assert info.value.field == "new_password"
    accounts.change_password(user, PASSWORD, "new-password-123")
    assert accounts.login(user.username, "new-password-123") == user
    with pytest.raises(NotAuthenticated):
        accounts.login(user.username, PASSWORD)
