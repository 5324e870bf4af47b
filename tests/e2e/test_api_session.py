"""The API with a web session: cookie reads work, writes also need the page's CSRF token."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.e2e.test_web_pages import meta_token, sign_in
from tests.factories import Factory, credit_code
from zerowaste.domain.accounts import UserRole


def test_session_writes_need_the_csrf_token(client: TestClient, factory: Factory) -> None:
    admin = factory.user(UserRole.ADMIN)
    assert sign_in(client, admin.username).status_code in (302, 303)
    assert client.get("/api/v1/users/me").json()["username"] == admin.username
    token = meta_token(client.get("/").text)
    assert token
    body = {"credit_code": credit_code(), "name": "会话企业", "region_code": "320505"}
    assert client.post("/api/v1/organizations", json=body).status_code == 401
    forged = client.post("/api/v1/organizations", json=body, headers={"X-CSRF-Token": "forged"})
    assert forged.status_code == 401
    created = client.post("/api/v1/organizations", json=body, headers={"X-CSRF-Token": token})
    assert created.status_code == 201, created.text


def test_unknown_pages_are_html_and_unknown_api_paths_are_problems(client: TestClient) -> None:
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404
    assert api.headers["content-type"] == "application/problem+json"
