"""Users and their API keys."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from zerowaste.api.pagination import PageOut, page_out, page_request
from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.domain.accounts import ApiKey, Language, NewUser, User, UserRole

router = APIRouter(tags=["accounts"])


class UserIn(BaseModel):
    """A user to create."""

    username: str
    password: str = Field(description="At least 10 characters; stored only as an argon2 hash")
    role: UserRole
    display_name: str = Field(default="", max_length=200)
    organization_id: uuid.UUID | None = None
    jurisdiction_code: str | None = None
    language: Language = Language.ZH


class UserOut(BaseModel):
    """A user (never with a password hash)."""

    id: uuid.UUID
    username: str
    display_name: str
    role: UserRole
    organization_id: uuid.UUID | None
    jurisdiction_code: str | None
    language: Language
    active: bool
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> UserOut:
        """Serialize a domain user."""
        return cls.model_validate(user, from_attributes=True)


class ApiKeyIn(BaseModel):
    """A name for a new API key."""

    name: str = Field(min_length=1, max_length=100)


class ApiKeyOut(BaseModel):
    """An API key's public facts."""

    id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None

    @classmethod
    def of(cls, key: ApiKey) -> ApiKeyOut:
        """Serialize a domain API key."""
        return cls.model_validate(key, from_attributes=True)


class IssuedApiKeyOut(ApiKeyOut):
    """A new API key with its token, shown this once."""

    token: str


@router.post("/users", status_code=201, response_model=UserOut)
def create_user(
    request: Request,
    body: UserIn,
    actor: Annotated[Principal, Depends(allow(Rule.REGULATOR))],
) -> UserOut:
    """Create a user (admins: anyone; regulators: firm users in their jurisdiction)."""
    new = NewUser(**body.model_dump())
    return UserOut.of(context_of(request).accounts.create_user(actor, new))


class UserPatch(BaseModel):
    """Enable or disable a user."""

    active: bool


class PasswordChangeIn(BaseModel):
    """The current password and the new one."""

    current_password: str
    new_password: str


@router.patch("/users/{user_id}", response_model=UserOut)
def update_user(
    request: Request,
    user_id: uuid.UUID,
    body: UserPatch,
    actor: Annotated[Principal, Depends(allow(Rule.ADMIN))],
) -> UserOut:
    """Disable or re-enable a user (admins)."""
    return UserOut.of(context_of(request).accounts.set_active(actor, user_id, body.active))


@router.post("/users/me/password", status_code=204)
def change_password(
    request: Request,
    body: PasswordChangeIn,
    actor: Annotated[Principal, Depends(allow(Rule.AUTHENTICATED))],
) -> Response:
    """Change your own password."""
    context_of(request).accounts.change_password(actor, body.current_password, body.new_password)
    return Response(status_code=204)


@router.get("/users/me", response_model=UserOut)
def who_am_i(
    request: Request, actor: Annotated[Principal, Depends(allow(Rule.AUTHENTICATED))]
) -> UserOut:
    """The calling user."""
    return UserOut.of(context_of(request).accounts.user(actor.user_id))


@router.get("/organizations/{organization_id}/users", response_model=PageOut[UserOut])
def list_organization_users(
    request: Request,
    organization_id: uuid.UUID,
    actor: Annotated[Principal, Depends(allow(Rule.ORGANIZATION))],
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, object]:
    """An organization's users (the firm itself and its regulators)."""
    page = context_of(request).accounts.users_of(
        actor, organization_id, page_request(cursor, limit)
    )
    return page_out(page, UserOut.of)


@router.post("/users/me/api-keys", status_code=201, response_model=IssuedApiKeyOut)
def issue_api_key(
    request: Request,
    body: ApiKeyIn,
    actor: Annotated[Principal, Depends(allow(Rule.AUTHENTICATED))],
) -> IssuedApiKeyOut:
    """Create an API key for yourself; its token is in this response only."""
    key, token = context_of(request).accounts.issue_api_key(actor, body.name)
    return IssuedApiKeyOut(**ApiKeyOut.of(key).model_dump(), token=token)


@router.get("/users/me/api-keys", response_model=list[ApiKeyOut])
def list_api_keys(
    request: Request, actor: Annotated[Principal, Depends(allow(Rule.AUTHENTICATED))]
) -> list[ApiKeyOut]:
    """Your API keys (without their tokens)."""
    return [ApiKeyOut.of(k) for k in context_of(request).accounts.api_keys(actor)]


@router.delete("/users/me/api-keys/{key_id}", status_code=204)
def revoke_api_key(
    request: Request,
    key_id: uuid.UUID,
    actor: Annotated[Principal, Depends(allow(Rule.AUTHENTICATED))],
) -> Response:
    """Revoke one of your API keys."""
    context_of(request).accounts.revoke_api_key(actor, key_id)
    return Response(status_code=204)
