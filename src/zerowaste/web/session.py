"""The web session: signing in and out, and the CSRF token that guards every form post."""

from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request

from zerowaste.domain.access import Principal

USER_KEY = "user_id"
CSRF_KEY = "csrf"
CSRF_FIELD = "csrf"
FLASH_KEY = "flash"
_TOKEN_BYTES = 32


def has_session(request: Request) -> bool:
    """Return whether the session middleware is installed for this request."""
    return "session" in request.scope


def csrf_token(request: Request, *, create: bool = False) -> str | None:
    """Return the session's CSRF token, making one first if `create` and there is none.

    Args:
        request: The incoming request.
        create: Whether to store a fresh token when the session has none.
    """
    if not has_session(request):
        return None
    token = request.session.get(CSRF_KEY)
    if isinstance(token, str) and token:
        return token
    if not create:
        return None
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    request.session[CSRF_KEY] = token
    return token


def csrf_matches(request: Request, submitted: str | None) -> bool:
    """Return whether a form's token equals the session's (in constant time)."""
    expected = csrf_token(request)
    if not expected or not submitted:
        return False
    return hmac.compare_digest(expected.encode(), submitted.encode())


def set_flash(request: Request, message_key: str) -> None:
    """Keep a notice (a message id) to show once on the next page rendered for this session."""
    if has_session(request):
        request.session[FLASH_KEY] = message_key


def take_flash(request: Request) -> str | None:
    """Return and forget the session's pending notice, if any."""
    if not has_session(request) or FLASH_KEY not in request.session:
        return None
    value = request.session.pop(FLASH_KEY)
    return value if isinstance(value, str) else None


def sign_in(request: Request, principal: Principal) -> None:
    """Start a fresh session for `principal`, with a new CSRF token."""
    request.session.clear()
    request.session[USER_KEY] = str(principal.user_id)
    request.session[CSRF_KEY] = secrets.token_urlsafe(_TOKEN_BYTES)


def sign_out(request: Request) -> None:
    """Forget the signed-in user and every other session value."""
    request.session.clear()


def safe_next(target: str | None) -> str:
    """Return `target` if it is a path on this site, else `/` (no open redirects).

    Args:
        target: The page to go to after signing in, as submitted.
    """
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(c) < 32 for c in target)
    ):
        return "/"
    return target
