"""The registry over HTTP: Problem Details naming the field, nothing stored, idempotency, paging."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.factories import Factory, credit_code
from zerowaste.domain.accounts import UserRole

ORGS = "/api/v1/organizations"


@pytest.fixture
def admin(factory: Factory) -> dict[str, str]:
    return factory.api_key(factory.user(UserRole.ADMIN))


def org_body(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "credit_code": credit_code(),
        "name": "苏州示例环保科技有限公司",
        "region_code": "320505",
        "industry_code": "7724",
        "roles": ["utilizer"],
    }
    return body | changes


def permit_body(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "kind": "hazardous_waste_business",
        "number": "JSSZ0505OOD001",
        "activities": ["collect", "store", "utilize"],
        "waste_codes": ["HW08", "900-041-49"],
        "annual_capacity_t": "20000",
        "valid_from": "2025-01-01",
        "valid_to": "2029-12-31",
    }
    return body | changes


def total(client: TestClient, path: str) -> int:
    return len(client.get(path, params={"limit": 500}).json()["items"])


def assert_problem(response: object, status: int, field: str) -> None:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]
    problem = response.json()  # type: ignore[attr-defined]
    assert problem["status"] == status
    assert field in [e["field"] for e in problem["errors"]], problem


def test_register_organization_site_and_permit(client: TestClient, admin: dict[str, str]) -> None:
    created = client.post(ORGS, json=org_body(), headers=admin)
    assert created.status_code == 201, created.text
    org = created.json()
    assert client.get(f"{ORGS}/{org['id']}").json() == org
    site = client.post(
        f"{ORGS}/{org['id']}/sites",
        json={
            "name": "再生利用车间",
            "kind": "recycler",
            "region_code": "320505",
            "latitude": 31.27,
            "longitude": 120.74,
        },
        headers=admin,
    )
    assert site.status_code == 201, site.text
    permit = client.post(
        f"{ORGS}/{org['id']}/permits", json=permit_body(site_id=site.json()["id"]), headers=admin
    )
    assert permit.status_code == 201, permit.text
    assert permit.json()["annual_capacity_t"] == "20000"
    summary = client.get("/api/v1/registry/summary").json()
    assert summary["organizations_by_role"] == {"utilizer": 1}
    assert summary["sites_by_kind"] == {"recycler": 1}
    assert summary["permits_by_kind"] == {"hazardous_waste_business": 1}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"credit_code": "91350100M000100Y44"}, "credit_code"),
        ({"credit_code": "1234"}, "credit_code"),
        ({"region_code": "329999"}, "region_code"),
        ({"industry_code": "0000"}, "industry_code"),
        ({"name": ""}, "name"),
        ({"roles": ["dumper"]}, "roles.0"),
    ],
)
def test_bad_organization_is_refused_and_not_stored(
    client: TestClient, admin: dict[str, str], changes: dict[str, object], field: str
) -> None:
    assert_problem(client.post(ORGS, json=org_body(**changes), headers=admin), 422, field)
    assert total(client, ORGS) == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"valid_from": "2026-01-01", "valid_to": "2025-12-31"}, "valid_to"),
        ({"annual_capacity_t": "-5"}, "annual_capacity_t"),
        ({"annual_capacity_t": "lots"}, "annual_capacity_t"),
        ({"waste_codes": ["HW08", "HW99"]}, "waste_codes[1]"),
        ({"activities": ["transport"]}, "activities"),
    ],
)
def test_bad_permit_is_refused_and_not_stored(
    client: TestClient, admin: dict[str, str], changes: dict[str, object], field: str
) -> None:
    org = client.post(ORGS, json=org_body(), headers=admin).json()
    response = client.post(
        f"{ORGS}/{org['id']}/permits", json=permit_body(**changes), headers=admin
    )
    assert_problem(response, 422, field)
    assert total(client, "/api/v1/permits") == 0


def test_bad_site_coordinates(client: TestClient, admin: dict[str, str]) -> None:
    org = client.post(ORGS, json=org_body(), headers=admin).json()
    body = {"name": "x", "kind": "plant", "region_code": "320505", "latitude": 95, "longitude": 1}
    assert_problem(
        client.post(f"{ORGS}/{org['id']}/sites", json=body, headers=admin), 422, "latitude"
    )
    assert total(client, "/api/v1/sites") == 0


def test_malformed_json_and_oversize_body(client: TestClient, admin: dict[str, str]) -> None:
    response = client.post(
        ORGS, content=b"{not json", headers=admin | {"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    huge = b'{"name": "' + b"x" * 1_100_000 + b'"}'
    response = client.post(ORGS, content=huge, headers=admin | {"content-type": "application/json"})
    assert_problem(response, 413, "body")
    assert total(client, ORGS) == 0


def test_duplicate_credit_code_is_a_conflict(client: TestClient, admin: dict[str, str]) -> None:
    body = org_body()
    assert client.post(ORGS, json=body, headers=admin).status_code == 201
    assert_problem(client.post(ORGS, json=body, headers=admin), 409, "credit_code")


def test_idempotent_post_is_stored_once(client: TestClient, admin: dict[str, str]) -> None:
    body = org_body()
    headers = admin | {"Idempotency-Key": "register-1"}
    first = client.post(ORGS, json=body, headers=headers)
    again = client.post(ORGS, json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert total(client, ORGS) == 1
    other = client.post(ORGS, json=org_body(), headers=headers)
    assert_problem(other, 422, "Idempotency-Key")
    assert total(client, ORGS) == 1


def test_refused_request_leaves_its_key_free(client: TestClient, admin: dict[str, str]) -> None:
    headers = admin | {"Idempotency-Key": "retry-after-fix"}
    bad = client.post(ORGS, json=org_body(region_code="329999"), headers=headers)
    assert bad.status_code == 422
    assert client.post(ORGS, json=org_body(), headers=headers).status_code == 201


def test_cursor_pagination(client: TestClient, admin: dict[str, str]) -> None:
    for _ in range(5):
        client.post(ORGS, json=org_body(), headers=admin)
    seen: list[str] = []
    page = client.get(ORGS, params={"limit": 2}).json()
    seen += [o["id"] for o in page["items"]]
    while page["next_cursor"]:
        page = client.get(ORGS, params={"limit": 2, "cursor": page["next_cursor"]}).json()
        seen += [o["id"] for o in page["items"]]
    assert len(seen) == len(set(seen)) == 5
    assert_problem(client.get(ORGS, params={"cursor": "bm90LWEtdXVpZA"}), 422, "cursor")
    assert_problem(client.get(ORGS, params={"limit": 0}), 422, "limit")


def test_unknown_things_are_problem_404s(client: TestClient) -> None:
    response = client.get(f"{ORGS}/00000000-0000-0000-0000-000000000001")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert client.get("/api/v1/no-such-route").status_code == 404
    assert client.get("/api/v1/regions/999999").status_code == 404


def test_bad_bearer_is_401_with_challenge(client: TestClient) -> None:
    response = client.post(ORGS, json=org_body(), headers={"Authorization": "Bearer zw_nope"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert (
        client.post(ORGS, json=org_body(), headers={"Authorization": "Basic x"}).status_code == 401
    )


def test_reference_lookups_and_catalog(client: TestClient) -> None:
    assert [r["code"] for r in client.get("/api/v1/regions", params={"parent": "320500"}).json()][
        :1
    ] == ["320505"]
    assert client.get("/api/v1/industries/3670").json()["name_zh"] == "汽车零部件及配件制造"
    hits = client.get(
        "/api/v1/catalog/hazardous-waste", params={"q": "废矿物油", "on": "2023-05-01"}
    )
    body = hits.json()
    assert body["edition"]["name"] == "2021"
    assert not body["edition"]["provisional"]
    assert "900-214-08" in [i["code"] for i in body["items"]]
    today = client.get("/api/v1/catalog/hazardous-waste/900-214-08").json()
    assert today["category"] == "HW08"
    assert set(today["characteristics"]) == {"T", "I"}
    assert client.get("/api/v1/catalog/hazardous-waste/900-999-08").status_code == 404
    assert len(client.get("/api/v1/catalog/categories").json()) == 46


def test_openapi_lists_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/v1/organizations" in spec["paths"]


def test_update_organization_site_and_revoke_permit(
    client: TestClient, admin: dict[str, str]
) -> None:
    org = client.post(ORGS, json=org_body(), headers=admin).json()
    patched = client.patch(
        f"{ORGS}/{org['id']}", json={"name": "新名称", "roles": ["disposer"]}, headers=admin
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["roles"] == ["disposer"]
    assert patched.json()["credit_code"] == org["credit_code"]
    assert_problem(
        client.patch(f"{ORGS}/{org['id']}", json={"industry_code": "0000"}, headers=admin),
        422,
        "industry_code",
    )
    site_body = {
        "name": "a",
        "kind": "plant",
        "region_code": "320505",
        "latitude": 31,
        "longitude": 120,
    }
    site = client.post(f"{ORGS}/{org['id']}/sites", json=site_body, headers=admin).json()
    moved = client.put(
        f"{ORGS}/{org['id']}/sites/{site['id']}", json=site_body | {"name": "b"}, headers=admin
    )
    assert moved.json()["name"] == "b"
    permit = client.post(f"{ORGS}/{org['id']}/permits", json=permit_body(), headers=admin).json()
    revoke = f"{ORGS}/{org['id']}/permits/{permit['id']}/revoke"
    assert_problem(
        client.post(revoke, json={"last_day": "2040-01-01"}, headers=admin), 422, "last_day"
    )
    revoked = client.post(revoke, json={"last_day": "2026-06-30"}, headers=admin)
    assert revoked.json()["valid_to"] == "2026-06-30"
    gone = client.delete(f"{ORGS}/{org['id']}/sites/{site['id']}", headers=admin)
    assert gone.status_code == 204
    assert client.get(f"/api/v1/sites/{site['id']}").status_code == 404


def test_api_keys_and_password_over_http(client: TestClient, factory: Factory) -> None:
    user = factory.user(UserRole.ADMIN)
    headers = factory.api_key(user)
    issued = client.post("/api/v1/users/me/api-keys", json={"name": "robot"}, headers=headers)
    assert issued.status_code == 201
    robot = {"Authorization": f"Bearer {issued.json()['token']}"}
    assert client.get("/api/v1/users/me", headers=robot).json()["username"] == user.username
    assert "token" not in client.get("/api/v1/users/me/api-keys", headers=robot).json()[0]
    assert (
        client.delete(
            f"/api/v1/users/me/api-keys/{issued.json()['id']}", headers=headers
        ).status_code
        == 204
    )
    assert client.get("/api/v1/users/me", headers=robot).status_code == 401
    wrong = client.post(
        "/api/v1/users/me/password",
        json={"current_password": "nope-nope-nope", "new_password": "fresh-password-1"},
        headers=headers,
    )
    assert_problem(wrong, 422, "current_password")


def test_nul_characters_are_refused_before_they_reach_the_database(
    client: TestClient, admin: dict[str, str]
) -> None:
    assert_problem(client.get(ORGS, params={"q": "a\x00b"}), 422, "q")
    assert_problem(client.get("/api/v1/regions/32%0005"), 422, "path")
    response = client.post(
        "/api/v1/users/me/api-keys",
        content=b'{"name": "bad\\u0000name"}',
        headers=admin | {"content-type": "application/json"},
    )
    assert_problem(response, 422, "body")
    assert client.post(ORGS, json=org_body(name="含\x00空字符"), headers=admin).status_code == 422
    assert total(client, ORGS) == 0
