"""The /api/v1 router: every capability's routes, each checked to declare an access rule."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.routing import APIRoute

from zerowaste.api.problems import PROBLEM_RESPONSES
from zerowaste.api.routes import (
    accounts,
    admission,
    alerts,
    approvals,
    carbon,
    carbon_pact,
    catalog,
    cbam,
    chains,
    epcis,
    evaluation,
    events,
    factors,
    findings,
    footprints,
    forecasts,
    indicators,
    inspection_plans,
    ledger,
    manifest_print,
    manifests,
    organizations,
    pact,
    registry,
    risk,
    signing_keys,
    sites,
    whitelist,
)
from zerowaste.api.routes import contracts as market_contracts
from zerowaste.api.routes import flows as material_flows
from zerowaste.api.routes import listings as market_listings
from zerowaste.api.routes import market as market_match
from zerowaste.api.routes import scoring as supplier_scoring
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
    manifest_print.router,
    approvals.router,
    findings.router,
    alerts.router,
    risk.router,
    whitelist.router,
    inspection_plans.router,
    factors.router,
    cbam.router,
    footprints.router,
    chains.router,
    carbon.router,
    carbon_pact.router,
    admission.router,
    market_listings.router,
    market_contracts.router,
    market_match.router,
    material_flows.router,
    supplier_scoring.router,
    evaluation.router,
    forecasts.router,
    indicators.router,
)


#: The EPCIS 2.0 REST binding, mounted at its own prefix (not under /api/v1).
EPCIS_ROUTERS = (epcis.router,)

#: The PACT v3 exchange API, mounted at /pact (its errors in PACT's shape, not Problem Details).
PACT_ROUTERS = (pact.router,)


class UndeclaredAccessRule(RuntimeError):
    """A route was mounted without declaring who may call it."""


def api_routes() -> list[tuple[str, APIRoute]]:
    """Every API route with its full path (prefix included), the EPCIS binding's too."""
    routes = [
        (API_PREFIX + route.path_format, route)
        for router in ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute)
    ]
    routes += [
        (route.path_format, route)
        for router in EPCIS_ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute)
    ]
    routes += [
        (route.path_format, route)
        for router in PACT_ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute)
    ]
    return routes


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


def build_epcis_router() -> APIRouter:
    """The EPCIS 2.0 capture and query interface (its routes checked by `build_api_router`)."""
    binding = APIRouter()
    for router in EPCIS_ROUTERS:
        binding.include_router(router, responses=PROBLEM_RESPONSES)
    return binding


def build_pact_router() -> APIRouter:
    """The PACT v3 exchange API (its routes checked by `build_api_router`)."""
    binding = APIRouter()
    for router in PACT_ROUTERS:
        binding.include_router(router)
    return binding
