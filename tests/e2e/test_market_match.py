"""Market matching over HTTP, the CLI and the web pages: runs, lines, recommendations, errors."""

from __future__ import annotations

import json
import uuid

import pytest
from fastapi.testclient import TestClient

from tests.e2e.test_capture_cli import cli_context, invoke
from tests.e2e.test_web_pages import assert_html, assert_self_contained, form_token, sign_in
from tests.factories import Factory
from tests.integration.market_match_world import Market, small_market
from zerowaste.bootstrap import Context
from zerowaste.domain.accounts import UserRole

__all__ = ["cli_context"]
RUNS = "/api/v1/market/allocations"


@pytest.fixture
def market(factory: Factory) -> Market:
    return small_market(factory)


def test_run_read_and_list_over_http(client: TestClient, factory: Factory, market: Market) -> None:
    headers = factory.api_key(market.regulator)
    body = {"region_code": "3205", "period": "2026-11", "carbon_price_cny_per_t": 120}
    made = client.post(RUNS, json=body, headers={**headers, "Idempotency-Key": "run-1"})
    assert made.status_code == 201, made.text
    run = made.json()
    assert run["region_code"] == "320500"
    assert run["period"] == "2026-11"
    assert run["carbon_price_cny_per_t"] == 120
    assert run["objective_cny"] > 0
    assert {line["supply_listing_id"] for line in run["lines"]} == {
        str(market.oil.id),
        str(market.slag.id),
    }
    assert all(line["demand_listing_id"] != str(market.unpermitted.id) for line in run["lines"])
    assert any(line["disposed"] for line in run["lines"])
    matched = [line for line in run["lines"] if not line["disposed"]]
    assert matched[0]["value"]["avoided_disposal_cny_per_t"] == 2500
    assert matched[0]["alternative"]["reason"]
    assert run["filtered_counts"]["permit_missing"] >= 1
    again = client.post(RUNS, json=body, headers={**headers, "Idempotency-Key": "run-1"})
    assert again.status_code == 201
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.json()["id"] == run["id"]
    listed = client.get(RUNS, headers=headers).json()
    assert [item["id"] for item in listed["items"]] == [run["id"]]
    one = client.get(f"{RUNS}/{run['id']}", headers=headers).json()
    assert one["lines"] == run["lines"]
    assert one["filtered"]
    assert client.get(f"{RUNS}/{uuid.uuid4()}", headers=headers).status_code == 404
    outsider = factory.api_key(market.outsider)
    assert client.get(f"{RUNS}/{run['id']}", headers=outsider).status_code == 403
    post = client.post(RUNS, json=body, headers=outsider)
    assert post.status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"period": "2026-11"}, "region_code"),
        ({"region_code": "3205"}, "period"),
        ({"region_code": "32ab", "period": "2026-11"}, "region_code"),
        ({"region_code": "3205", "period": "2026-13"}, "period"),
        ({"region_code": "3205", "period": "2026-12-01/2026-11-01"}, "period"),
        ({"region_code": "3205", "period": "2025-01-01/2026-06-30"}, "period"),
        ({"region_code": "3205", "period": "2026-11", "carbon_price_cny_per_t": -5}, None),
        ({"region_code": "3205", "period": "2026-11", "carbon_price_cny_per_t": "lots"}, None),
    ],
)
def test_bad_runs_are_refused_naming_the_field(
    client: TestClient, factory: Factory, market: Market, body: dict[str, object], field: str
) -> None:
    headers = factory.api_key(market.regulator)
    response = client.post(RUNS, json=body, headers=headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    fields = {error["field"] for error in response.json()["errors"]}
    assert (field or "carbon_price_cny_per_t") in fields
    assert client.get(RUNS, headers=headers).json()["items"] == []


def test_recommendations_over_http(client: TestClient, factory: Factory, market: Market) -> None:
    seller = factory.user(UserRole.FIRM, organization=_organization(factory, market))
    headers = factory.api_key(seller)
    url = f"/api/v1/market/listings/{market.oil.id}/recommendations?k=3&period=2026-11"
    found = client.get(url, headers=headers)
    assert found.status_code == 200, found.text
    data = found.json()
    assert [item["partner_listing_id"] for item in data["items"]] == [str(market.permitted.id)]
    item = data["items"][0]
    assert item["propose_url"] == (
        f"/market/proposals/new?supply={market.oil.id}&demand={market.permitted.id}"
    )
    assert item["partner_title"] == market.permitted.terms.title
    assert data["filtered_counts"]["permit_missing"] >= 1
    stranger = factory.api_key(factory.user(UserRole.FIRM, organization=factory.organization()))
    assert client.get(url, headers=stranger).status_code == 403
    bad = client.get(url.replace("k=3", "k=0"), headers=headers)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "k"
    bad = client.get(url.replace("2026-11", "2026-99"), headers=headers)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "period"


def _organization(factory: Factory, market: Market):  # type: ignore[no-untyped-def]
    return factory.context.organizations.get(market.oil.terms.organization_id)


def test_cli_match_list_show_recommend(cli_context: Context, market: Market) -> None:
    code, out = invoke("market", "match", "--region", "3205", "--period", "2026-11", "--json")
    assert code == 0, out
    run = json.loads(out)
    assert run["region"] == "320500"
    assert run["objective_cny"] > 0
    assert len(run["lines"]) >= 3
    code, out = invoke("market", "match", "--region", "3205", "--period", "2026-11")
    assert code == 0, out
    assert "Top lines by value" in out
    code, out = invoke("market", "allocations", "--json")
    assert code == 0, out
    assert len(json.loads(out)) == 2
    code, out = invoke("market", "allocation", run["id"], "--json")
    assert code == 0, out
    assert json.loads(out)["lines"] == run["lines"]
    code, out = invoke("market", "recommend", str(market.oil.id), "-k", "2", "--json")
    assert code == 0, out
    assert json.loads(out)["items"][0]["partner"] == str(market.permitted.id)
    assert invoke("market", "match", "--region", "3205", "--period", "2026-13")[0] == 65
    assert invoke("market", "allocation", str(uuid.uuid4()))[0] == 66
    assert invoke("market", "allocation", "nope")[0] == 65


def test_web_pages(client: TestClient, factory: Factory, market: Market) -> None:
    run = factory.context.market.allocate(market.regulator, "3205", "2026-11")
    assert client.get("/market/allocations", follow_redirects=False).status_code == 303
    sign_in(client, market.regulator.username)
    html = assert_html(client.get("/market/allocations?lang=en"))
    assert_self_contained(html)
    assert f'href="/market/allocations/{run.id}"' in html
    html = assert_html(client.get(f"/market/allocations/{run.id}?lang=en"))
    assert_self_contained(html)
    assert 'id="allocation-sankey-data"' in html
    assert "Default disposal" in html
    assert 'data-rule="permit_missing"' in html
    assert f'href="/market/listings/{market.permitted.id}"' in html
    zh = assert_html(client.get(f"/market/allocations/{run.id}?lang=zh"))
    assert "分配明细" in zh
    assert client.get(f"/market/allocations/{uuid.uuid4()}").status_code == 404
    page = client.get(f"/market/listings/{market.oil.id}/recommendations?lang=en&period=2026-11")
    html = assert_html(page)
    assert_self_contained(html)
    assert f"/market/proposals/new?supply={market.oil.id}&amp;demand={market.permitted.id}" in html
    assert client.get(f"/market/listings/{market.oil.id}/recommendations?k=99").status_code == 422


def test_web_run_form(client: TestClient, market: Market) -> None:
    sign_in(client, market.regulator.username)
    html = assert_html(client.get("/market/allocations?lang=en"))
    assert 'id="run-form"' in html
    token = form_token(html)
    bad = client.post(
        "/market/allocations",
        data={"csrf": token, "region_code": "3205", "period": "2026-13"},
        follow_redirects=False,
    )
    html = assert_html(bad, 422)
    assert 'data-field="period"' in html
    assert factory_runs(client) == 0
    made = client.post(
        "/market/allocations",
        data={"csrf": token, "region_code": "3205", "period": "2026-11"},
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    assert made.headers["location"].startswith("/market/allocations/")
    assert "分配明细" in assert_html(client.get(made.headers["location"] + "?lang=zh"))
    forged = client.post(
        "/market/allocations",
        data={"csrf": "forged", "region_code": "3205", "period": "2026-11"},
        follow_redirects=False,
    )
    assert forged.status_code == 403


def factory_runs(client: TestClient) -> int:
    """How many runs are stored (read through the app's own context)."""
    context: Context = client.app.state.context  # type: ignore[attr-defined]
    with context.unit_of_work() as uow:
        return uow.allocations.count()
