"""Organizations' Ed25519 signing keys: registered public keys and custodial key pairs."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from sqlalchemy.exc import IntegrityError

from zerowaste.adapters.db.unit_of_work import UnitOfWorkFactory
from zerowaste.adapters.secrets import PrivateKeyVault
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import NewSigningKey, SigningKey
from zerowaste.domain.ids import new_id
from zerowaste.errors import Conflict, InvalidInput, NotFound
from zerowaste.services.authorization import require_acts_for
from zerowaste.services.organizations import OrganizationService


class SigningKeyService:
    """Register, create, list, retire and use organizations' signing keys."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        organizations: OrganizationService,
        vault: PrivateKeyVault,
        clock: Callable[[], datetime],
    ) -> None:
        self._uow = unit_of_work
        self._organizations = organizations
        self._vault = vault
        self._clock = clock

    def register(
        self, actor: Principal, organization_id: uuid.UUID, new: NewSigningKey
    ) -> SigningKey:
        """Register a public key whose private half the organization keeps (client-side signing)."""
        require_acts_for(actor, self._organizations.get(organization_id))
        return self._store(organization_id, new, None)

    def create_custodial(
        self, actor: Principal, organization_id: uuid.UUID, valid_to: datetime | None = None
    ) -> SigningKey:
        """Generate a key pair held by the platform, its private half encrypted at rest."""
        require_acts_for(actor, self._organizations.get(organization_id))
        private = Ed25519PrivateKey.generate()
        public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return self._store(organization_id, NewSigningKey(public, self._clock(), valid_to), raw)

    def _store(
        self, organization_id: uuid.UUID, new: NewSigningKey, private_raw: bytes | None
    ) -> SigningKey:
        key = SigningKey(
            id=new_id(),
            organization_id=organization_id,
            public_key=new.public_key,
            valid_from=new.valid_from,
            valid_to=new.valid_to,
            custodial=private_raw is not None,
            created_at=self._clock(),
        )
        sealed = self._vault.seal(key.id, private_raw) if private_raw is not None else None
        with self._uow() as uow:
            if uow.signing_keys.find_by_public_key(new.public_key) is not None:
                raise Conflict("this public key is already registered", field="public_key")
            try:
                uow.signing_keys.add(key, sealed)
                uow.commit()
            except IntegrityError as exc:  # registered concurrently
                raise Conflict("this public key is already registered", field="public_key") from exc
        return key

    def keys_of(self, organization_id: uuid.UUID) -> list[SigningKey]:
        """An organization's public keys (public: anyone may verify signatures)."""
        self._organizations.get(organization_id)
        with self._uow() as uow:
            return uow.signing_keys.for_organization(organization_id)

    def retire(self, actor: Principal, organization_id: uuid.UUID, key_id: uuid.UUID) -> SigningKey:
        """End a key's validity now (rotation or compromise)."""
        require_acts_for(actor, self._organizations.get(organization_id))
        now = self._clock()
        with self._uow() as uow:
            key = uow.signing_keys.get(key_id)
            if key is None or key.organization_id != organization_id:
                raise NotFound(f"no key {key_id} of this organization", field="key_id")
            if key.valid_to is not None and key.valid_to <= now:
                raise Conflict("the key is already retired", field="key_id")
            uow.signing_keys.end_validity(key_id, now)
            uow.commit()
        return SigningKey(
            key.id,
            key.organization_id,
            key.public_key,
            key.valid_from,
            now,
            key.custodial,
            key.created_at,
        )

    def sign_custodial(
        self, organization_id: uuid.UUID, message: bytes
    ) -> tuple[SigningKey, bytes]:
        """Sign `message` with the organization's newest valid custodial key."""
        key, sign = self.custodial_signer(organization_id)
        return key, sign(message)

    def custodial_signer(
        self, organization_id: uuid.UUID
    ) -> tuple[SigningKey, Callable[[bytes], bytes]]:
        """The organization's newest valid custodial key, opened once to sign many messages."""
        now = self._clock()
        with self._uow() as uow:
            keys = [
                k
                for k in uow.signing_keys.for_organization(organization_id)
                if k.custodial and k.valid_at(now)
            ]
            if not keys:
                raise InvalidInput(
                    "the organization has no valid custodial key", field="organization_id"
                )
            key = keys[-1]
            sealed = uow.signing_keys.encrypted_private_key(key.id)
        assert sealed is not None
        private = Ed25519PrivateKey.from_private_bytes(self._vault.open(key.id, sealed))
        return key, private.sign
