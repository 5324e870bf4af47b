"""The /api/v1 router: every capability's routes, each checked to declare an access rule."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.routing import APIRoute

from zerowaste.api.problems import PROBLEM_RESPONSES
from zerowaste.api.routes import (
    accounts,
    approvals,
    catalog,
    events,
    ledger,
    manifests,
    organizations,
    registry,
    signing_keys,
    sites,
)
from zerowaste.api.security import declared_rule

API_PREFIX = "/api/v1"
ROUTERS = (
    registry.router,
    catalog.router,
    organizations.router,
    sites.router,
    accounts.router,
    signing_keys.router,
    ledger.router,
    events.router,
    manifests.router,
    approvals.router,
)


class UndeclaredAccessRule(RuntimeError):
    """A route was mounted without declaring who may call it."""


def api_routes() -> list[tuple[str, APIRoute]]:
    """Every API route with its full path (prefix included)."""
    return [
        (API_PREFIX + route.path, route)
        for router in ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute)
    ]


def build_api_router() -> APIRouter:
    """Assemble the API; refuses to build if any route lacks an access rule."""
    for path, route in api_routes():
        if declared_rule(route) is None:
            raise UndeclaredAccessRule(
                f"{sorted(route.methods or ())} {path} declares no access rule"
            )
    api = APIRouter(prefix=API_PREFIX)
    for router in ROUTERS:
        api.include_router(router, responses=PROBLEM_RESPONSES)
    return api
