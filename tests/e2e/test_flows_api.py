"""Material flows through the API and the public page, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.carbon_world import build_carbon_world
from tests.e2e.test_web_pages import assert_html, assert_self_contained
from tests.factories import Factory

#: Three processes in a triangle; the A→B flow planted 15 t high (70 is consistent).
PLANTED: dict[str, Any] = {
    "name": "triangle",
    "processes": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
    "flows": [
        {"id": "in1", "source": "environment", "target": "a", "value": 100, "sd": 1},
        {"id": "in2", "source": "environment", "target": "b", "value": 50, "sd": 0.5},
        {"id": "ab", "source": "a", "target": "b", "value": 85, "sd": 0.7},
        {"id": "ac", "source": "a", "target": "c", "value": 30, "sd": 0.3},
        {"id": "bc", "source": "b", "target": "c", "value": 120, "sd": 1.2},
        {"id": "out", "source": "c", "target": "environment", "value": 150, "sd": 1.5},
    ],
}


def test_reconcile_a_posted_system_flags_the_planted_error(client: TestClient) -> None:
    response = client.post("/api/v1/flows/reconcile", json=PLANTED)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["chi_square"]["passed"] is False
    assert body["chi_square"]["degrees_of_freedom"] == 3
    assert body["suspects"][0] == "ab"
    by_id = {v["id"]: v for v in body["variables"]}
    assert by_id["ab"]["suspect"] is True
    assert by_id["ab"]["adjustment"] < -5


def test_reconcile_by_hand_over_the_api(client: TestClient) -> None:
    """One process: 10 ± 1 and 5 ± 1 in, 13 ± √2 out → 9.5, 4.5, 14 (see the unit test)."""
    system = {
        "processes": [{"id": "p"}],
        "flows": [
            {"id": "x1", "source": "environment", "target": "p", "value": 10, "sd": 1},
            {"id": "x2", "source": "environment", "target": "p", "value": 5, "sd": 1},
            {"id": "x3", "source": "p", "target": "environment", "value": 13, "sd": 2**0.5},
            {"id": "u", "source": "p", "target": "environment"},
        ],
    }
    body = client.post("/api/v1/flows/reconcile", json=system).json()
    by_id = {v["id"]: v for v in body["variables"]}
    # With an unknown outflow the balance is not redundant: nothing moves, u = 2.
    assert by_id["x1"]["reconciled"] == pytest.approx(10.0)
    assert by_id["u"]["reconciled"] == pytest.approx(2.0)
    assert body["chi_square"]["degrees_of_freedom"] == 0
    system["flows"].pop()
    body = client.post("/api/v1/flows/reconcile", json=system).json()
    values = [v["reconciled"] for v in body["variables"]]
    assert values == pytest.approx([9.5, 4.5, 14.0], abs=1e-9)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda s: s["flows"][2].pop("sd"), "flows[2].sd"),
        (lambda s: s["flows"][0].update(target="nowhere"), "flows[0].target"),
        (lambda s: s["flows"][1].update(id="in1"), "flows[1].flow_id"),
        (lambda s: s["flows"][3].update(sd=-1), "flows[3].sd"),
        (lambda s: s["processes"].append({"id": "environment"}), "processes[3].process_id"),
        (lambda s: s.update(alpha=2.0), "alpha"),
        (lambda s: s.pop("processes"), "processes"),
    ],
)
def test_bad_systems_are_refused_naming_the_field(
    client: TestClient, change: Any, field: str
) -> None:
    system = json.loads(json.dumps(PLANTED))
    change(system)
    response = client.post("/api/v1/flows/reconcile", json=system)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in {e["field"] for e in response.json()["errors"]}


def test_undetermined_unknowns_are_flagged(client: TestClient) -> None:
    system = {
        "processes": [{"id": "a"}],
        "flows": [
            {"id": "u1", "source": "environment", "target": "a"},
            {"id": "u2", "source": "environment", "target": "a"},
            {"id": "o", "source": "a", "target": "environment", "value": 3, "sd": 0.1},
        ],
    }
    body = client.post("/api/v1/flows/reconcile", json=system).json()
    assert set(body["undetermined"]) == {"u1", "u2"}


def test_contradicting_exact_values_are_a_problem(client: TestClient) -> None:
    system = {
        "processes": [{"id": "a"}],
        "flows": [
            {"id": "i", "source": "environment", "target": "a", "value": 3, "sd": 0},
            {"id": "o", "source": "a", "target": "environment", "value": 4, "sd": 0},
        ],
    }
    response = client.post("/api/v1/flows/reconcile", json=system)
    assert response.status_code == 422
    assert response.json()["type"].endswith("reconciliation-not-possible")


def test_city_system_over_the_api(client: TestClient, factory: Factory) -> None:
    build_carbon_world(factory)
    response = client.get("/api/v1/flows/320500", params={"period": "2026"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["region"] == "320500"
    assert body["period"] == "2026"
    by_id = {v["id"]: v for v in body["reconciliation"]["variables"]}
    assert by_id["generation:36"]["measured"] == pytest.approx(1.5)
    assert by_id["handover:36"]["measured"] is None
    assert by_id["handover:36"]["reconciled"] == pytest.approx(1.5)
    assert body["counts"]["generated"] == 2
    assert body["codes"]["generation:36"] == {"900-214-08": 1000.0, "900-218-08": 500.0}
    nodes = [n["id"] for n in body["sankey"]["nodes"]]
    assert "environment:in" in nodes
    assert "sector:36" in nodes
    assert any(link["id"] == "shipped" for link in body["sankey"]["links"])
    # The default period is the clock's year.
    assert client.get("/api/v1/flows/320500").json()["period"] == "2026"


def test_city_substances_over_the_api(client: TestClient, factory: Factory) -> None:
    build_carbon_world(factory)
    response = client.get("/api/v1/flows/320500/substances", params={"substance": "Zn"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["substance"] == "Zn"
    assert {b["process"] for b in body["balances"]} >= {"storage", "transport"}


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/flows/999999", {"period": "2026"}, "region"),
        ("/api/v1/flows/320500", {"period": "2026-13"}, "period"),
        ("/api/v1/flows/320500", {"alpha": "0.9"}, "alpha"),
        ("/api/v1/flows/320500/substances", {"substance": "Hg"}, "substance"),
    ],
)
def test_bad_queries_name_the_field(
    client: TestClient, path: str, params: dict[str, str], field: str
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field


def test_public_page_draws_the_sankey_and_the_table(client: TestClient, factory: Factory) -> None:
    build_carbon_world(factory)
    html = assert_html(client.get("/flows/320500?period=2026"))
    assert_self_contained(html)
    assert 'id="flow-sankey"' in html
    assert "/static/vendor/plotly/plotly.min.js" in html
    start = html.index('<script type="application/json" id="flow-sankey-data">')
    chart = json.loads(html[start:].split(">", 1)[1].split("</script>", 1)[0])
    assert {link["label"] for link in chart["links"]} >= {"联单发运", "送综合利用"}
    assert 'id="var-shipped"' in html
    assert 'data-passed="false"' in html or 'data-passed="true"' in html
    assert "χ²" in html
    english = assert_html(client.get("/flows/320500?period=2026&lang=en"))
    assert "Shipped on manifests" in english
    assert "How this was computed, and from what" in english


def test_public_page_substance_layer(client: TestClient, factory: Factory) -> None:
    build_carbon_world(factory)
    html = assert_html(client.get("/flows/320500?period=2026&substance=Pb"))
    assert 'id="substance-balances"' in html
    assert 'id="substance-coverage"' in html


def test_public_page_bad_input_is_an_error_page(client: TestClient) -> None:
    response = client.get("/flows/320500?period=nonsense")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
