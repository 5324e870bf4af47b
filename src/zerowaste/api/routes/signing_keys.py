"""Organizations' Ed25519 signing keys."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.domain.accounts import NewSigningKey, SigningKey
from zerowaste.errors import InvalidInput, InvalidPublicKey

router = APIRouter(prefix="/organizations/{organization_id}/signing-keys", tags=["signing keys"])


class SigningKeyIn(BaseModel):
    """Either a public key to register (client-side signing) or `custodial: true`."""

    public_key: str | None = Field(default=None, description="Raw Ed25519 public key, base64")
    custodial: bool = Field(default=False, description="Let the platform generate and hold it")
    valid_from: datetime | None = None
    valid_to: datetime | None = None


class SigningKeyOut(BaseModel):
    """A signing key's public facts."""

    id: uuid.UUID
    organization_id: uuid.UUID
    public_key: str
    valid_from: datetime
    valid_to: datetime | None
    custodial: bool
    created_at: datetime

    @classmethod
    def of(cls, key: SigningKey) -> SigningKeyOut:
        """Serialize a domain key, the public key in base64."""
        return cls(
            id=key.id,
            organization_id=key.organization_id,
            public_key=base64.b64encode(key.public_key).decode(),
            valid_from=key.valid_from,
            valid_to=key.valid_to,
            custodial=key.custodial,
            created_at=key.created_at,
        )


def _decode_public_key(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidPublicKey("not base64", field="public_key") from None


@router.post("", status_code=201, response_model=SigningKeyOut)
def add_signing_key(
    request: Request,
    organization_id: uuid.UUID,
    body: SigningKeyIn,
    actor: Annotated[Principal, Depends(allow(Rule.ORGANIZATION))],
) -> SigningKeyOut:
    """Register a public key, or create a custodial key pair held encrypted by the platform."""
    context = context_of(request)
    if body.custodial == (body.public_key is not None):
        raise InvalidInput("send either public_key or custodial: true", field="public_key")
    if body.custodial:
        key = context.signing_keys.create_custodial(actor, organization_id, body.valid_to)
    else:
        assert body.public_key is not None
        new = NewSigningKey(
            _decode_public_key(body.public_key), body.valid_from or context.clock(), body.valid_to
        )
        key = context.signing_keys.register(actor, organization_id, new)
    return SigningKeyOut.of(key)


@router.get("", response_model=list[SigningKeyOut], dependencies=[Depends(allow(Rule.PUBLIC))])
def list_signing_keys(request: Request, organization_id: uuid.UUID) -> list[SigningKeyOut]:
    """An organization's public keys, so anyone can verify its signatures."""
    return [SigningKeyOut.of(k) for k in context_of(request).signing_keys.keys_of(organization_id)]


@router.post("/{key_id}/retire", response_model=SigningKeyOut)
def retire_signing_key(
    request: Request,
    organization_id: uuid.UUID,
    key_id: uuid.UUID,
    actor: Annotated[Principal, Depends(allow(Rule.ORGANIZATION))],
) -> SigningKeyOut:
    """End a key's validity now (rotation or compromise)."""
    key = context_of(request).signing_keys.retire(actor, organization_id, key_id)
    return SigningKeyOut.of(key)
