"""Walk every API route with every role and check the declared access rule is what is enforced."""

from __future__ import annotations

import re
import uuid

import pytest
from fastapi.testclient import TestClient

from tests.factories import OPERATOR, Factory
from zerowaste.api.router import API_PREFIX, api_routes
from zerowaste.api.security import declared_rule
from zerowaste.domain.access import Rule
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.organizations import OrganizationRole

ROLES = ("anonymous", "admin", "regulator_in", "regulator_out", "firm_own", "firm_other")


def allowed_roles(rule: Rule, targets_organization: bool) -> set[str]:
    """Who may pass `rule` when the path names organization A (in 320505, firm_own's)."""
    signed_in = set(ROLES) - {"anonymous"}
    if rule is Rule.PUBLIC:
        return set(ROLES)
    if rule is Rule.AUTHENTICATED:
        return signed_in
    if rule is Rule.ADMIN:
        return {"admin"}
    if rule is Rule.REGULATOR:
        return {"admin", "regulator_in"} | (set() if targets_organization else {"regulator_out"})
    return {"admin", "regulator_in", "firm_own"} if targets_organization else signed_in


@pytest.fixture
def world(factory: Factory) -> dict[str, object]:
    own = factory.organization(region_code="320505", roles=(OrganizationRole.UTILIZER,))
    other = factory.organization(region_code="330402")
    site = factory.site(own)
    permit = factory.permit(own)
    key = factory.context.signing_keys.create_custodial(OPERATOR, own.id)
    principals = {
        "admin": factory.user(UserRole.ADMIN),
        "regulator_in": factory.user(UserRole.REGULATOR, jurisdiction_code="320500"),
        "regulator_out": factory.user(UserRole.REGULATOR, jurisdiction_code="330400"),
        "firm_own": factory.user(UserRole.FIRM, organization=own),
        "firm_other": factory.user(UserRole.FIRM, organization=other),
    }
    headers = {role: factory.api_key(p) for role, p in principals.items()}
    headers["anonymous"] = {}
    params = {
        "organization_id": str(own.id),
        "site_id": str(site.id),
        "permit_id": str(permit.id),
        "key_id": str(key.id),
        "year": "2025",
    }
    return {"headers": headers, "params": params}


def concrete_path(full_path: str, params: dict[str, str]) -> str:
    code_by_prefix = {
        f"{API_PREFIX}/regions": "320505",
        f"{API_PREFIX}/industries": "3670",
        f"{API_PREFIX}/catalog": "900-214-08",
    }

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "code":
            return next(v for k, v in code_by_prefix.items() if full_path.startswith(k))
        return params.get(name, str(uuid.uuid4()))

    return re.sub(r"{(\w+)}", fill, full_path)


def test_every_route_declares_a_rule(client: TestClient) -> None:
    routes = api_routes()
    assert len(routes) >= 25
    assert {"/epcis/capture", "/epcis/events", "/epcis/epcs/{epc}/events"} <= {p for p, _ in routes}
    assert all(declared_rule(r) is not None for _, r in routes)
    served = set(client.app.openapi()["paths"])  # type: ignore[attr-defined]
    assert served == {path for path, _ in routes}


def test_every_route_enforces_its_rule_for_every_role(
    client: TestClient, world: dict[str, object]
) -> None:
    headers: dict[str, dict[str, str]] = world["headers"]  # type: ignore[assignment]
    params: dict[str, str] = world["params"]  # type: ignore[assignment]
    checked = 0
    for full_path, route in api_routes():
        rule = declared_rule(route)
        assert rule is not None
        allowed = allowed_roles(rule, "{organization_id}" in full_path)
        path = concrete_path(full_path, params)
        for method in route.methods:
            for role in ROLES:
                response = client.request(
                    method, path, headers=headers[role], json={} if method != "GET" else None
                )
                status = response.status_code
                where = f"{method} {route.path} as {role} ({rule}) -> {status}"
                if rule is Rule.PACT_CLIENT:  # only a PACT token passes; PACT's error shape
                    assert status == 401, where
                    assert response.json()["code"] == "AccessDenied", where
                elif role in allowed:
                    assert status not in (401, 403), where
                else:
                    assert status == (401 if role == "anonymous" else 403), where
                    assert response.headers["content-type"] == "application/problem+json", where
                checked += 1
    assert checked >= 25 * len(ROLES)


def test_firm_user_never_reads_another_firms_private_data(
    client: TestClient, world: dict[str, object]
) -> None:
    headers: dict[str, dict[str, str]] = world["headers"]  # type: ignore[assignment]
    org = world["params"]["organization_id"]  # type: ignore[index]
    for path in (f"/api/v1/organizations/{org}/economics", f"/api/v1/organizations/{org}/users"):
        assert client.get(path, headers=headers["firm_other"]).status_code == 403
        assert client.get(path, headers=headers["firm_own"]).status_code == 200
