"""Who is calling (API key or web session) and the access rule every route declares."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from fastapi import Request

from zerowaste.bootstrap import Context
from zerowaste.domain.access import Principal, Rule
from zerowaste.domain.accounts import UserRole
from zerowaste.errors import Forbidden, NotAuthenticated

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "x-csrf-token"


def context_of(request: Request) -> Context:
    """The application context built by `create_app`."""
    context: Context = request.app.state.context
    return context


def _session_principal(request: Request, context: Context) -> Principal | None:
    if "session" not in request.scope:
        return None
    raw_id = request.session.get("user_id")
    if not raw_id:
        return None
    # A session cookie alone does not authorize a write: that needs the page's CSRF token.
    if request.method not in SAFE_METHODS and request.headers.get(
        CSRF_HEADER
    ) != request.session.get("csrf"):
        return None
    return context.accounts.principal(uuid.UUID(raw_id))


def resolve_principal(request: Request) -> Principal | None:
    """The caller: a bearer API key, else the web session, else anonymous (None)."""
    cached: Principal | None = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    context = context_of(request)
    authorization = request.headers.get("authorization")
    principal: Principal | None
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise NotAuthenticated("use 'Authorization: Bearer <API key>'")
        principal = context.accounts.authenticate_token(token.strip())
    else:
        principal = _session_principal(request, context)
    request.state.principal = principal
    return principal


def _check_organization(request: Request, principal: Principal, rule: Rule) -> None:
    """Apply the rule's scope to the organization named in the path, if any."""
    raw = request.path_params.get("organization_id")
    if raw is None:
        return
    try:
        organization_id = uuid.UUID(str(raw))
    except ValueError:
        return  # the route's own parameter validation reports the bad id
    organization = context_of(request).organizations.get(organization_id)
    if rule is Rule.REGULATOR and not principal.oversees(organization.region_code):
        raise Forbidden("this organization is outside your jurisdiction")
    if not principal.acts_for(organization.id, organization.region_code):
        raise Forbidden("this organization's data is not yours to see or change")


def allow(rule: Rule) -> Callable[[Request], Any]:
    """A dependency enforcing `rule`; returns the principal (None only for public routes)."""

    def dependency(request: Request) -> Principal | None:
        principal = resolve_principal(request)
        if rule is Rule.PUBLIC:
            return principal
        if principal is None:
            raise NotAuthenticated("sign in or send an API key")
        if rule is Rule.ADMIN and principal.role is not UserRole.ADMIN:
            raise Forbidden("administrators only")
        if rule is Rule.REGULATOR and principal.role not in (UserRole.ADMIN, UserRole.REGULATOR):
            raise Forbidden("regulators and administrators only")
        if rule in (Rule.ORGANIZATION, Rule.REGULATOR):
            _check_organization(request, principal, rule)
        return principal

    dependency.rule = rule  # type: ignore[attr-defined]
    return dependency


def declared_rule(route: Any) -> Rule | None:
    """The rule an API route declared through `allow`, if any."""
    for dependant in route.dependant.dependencies:
        rule = getattr(dependant.call, "rule", None)
        if isinstance(rule, Rule):
            return rule
    return None


def require_principal(principal: Principal | None) -> Principal:
    """Narrow an optional principal for routes whose rule already demands one."""
    if principal is None:
        raise NotAuthenticated("sign in or send an API key")
    return principal
