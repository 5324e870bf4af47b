"""The /api/v1 router: every capability's routes, each checked to declare an access rule."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.routing import APIRoute

from zerowaste.api.routes import accounts, catalog, organizations, registry, signing_keys, sites
from zerowaste.api.security import declared_rule

API_PREFIX = "/api/v1"


class UndeclaredAccessRule(RuntimeError):
    """A route was mounted without declaring who may call it."""


def build_api_router() -> APIRouter:
    """Assemble the API; refuses to build if any route lacks an access rule."""
    api = APIRouter(prefix=API_PREFIX)
    for module in (registry, catalog, organizations, sites, accounts, signing_keys):
        api.include_router(module.router)
    for route in api.routes:
        if isinstance(route, APIRoute) and declared_rule(route) is None:
            raise UndeclaredAccessRule(f"{route.methods} {route.path} declares no access rule")
    return api
