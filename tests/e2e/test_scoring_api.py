"""Supplier ranking and chain evaluation over HTTP: the hand ranking, access, named errors."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import Factory
from tests.scoring_world import CLOSENESS_A, CRITERIA, ScoringWorld, build_scoring_world
from zerowaste.domain.accounts import UserRole


@pytest.fixture
def world(factory: Factory) -> ScoringWorld:
    return build_scoring_world(factory)


def fields_of(response: Any) -> set[str]:
    return {e["field"] for e in response.json().get("errors") or []} | {
        response.json().get("field")
    }


def url(world: ScoringWorld, tail: str = "supplier-ranking") -> str:
    return f"/api/v1/chains/{world.master_id}/{tail}"


def test_the_chain_master_ranks_its_suppliers(
    client: TestClient, factory: Factory, world: ScoringWorld
) -> None:
    master = factory.api_key(world.master_user)
    params = {"year": 2026, "criteria": ",".join(CRITERIA)}
    response = client.get(url(world), params=params, headers=master)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["weight_source"] == "entropy"
    assert body["normalisation"] == "vector"
    assert [c["criterion"] for c in body["criteria"]] == list(CRITERIA)
    assert sum(c["weight"] for c in body["criteria"]) == pytest.approx(1.0)
    s = world.suppliers
    order = [r["supplier_id"] for r in body["suppliers"]]
    assert order == [str(s["丙"]), str(s["甲"]), str(s["乙"])]
    middle = body["suppliers"][1]
    assert middle["closeness"] == pytest.approx(CLOSENESS_A, abs=1e-5)
    assert middle["main_gap"] in CRITERIA
    assert sum(c["share"] for c in middle["contributions"]) == pytest.approx(1.0)
    assert body["excluded"][0]["supplier_id"] == str(s["丁"])
    assert body["excluded"][0]["missing"] == ["waste_intensity_t_per_10k_cny"]
    weighted = client.get(
        url(world),
        params=params | {"weights": "waste_intensity_t_per_10k_cny:2,utilization_rate:1,"
                         "disposal_share:1", "alpha": 0.5},
        headers=master,
    )  # fmt: skip
    assert weighted.status_code == 200, weighted.text
    assert weighted.json()["weight_source"] == "blend"
    assert weighted.json()["criteria"][0]["expert_weight"] == pytest.approx(0.5)


def test_the_evaluation_carries_aggregates_ranks_and_verdicts(
    client: TestClient, factory: Factory, world: ScoringWorld
) -> None:
    master = factory.api_key(world.master_user)
    rules = {"criteria": [{"indicator": "utilization_rate", "comparator": ">=", "threshold": 0.75}]}
    assert client.put(url(world, "admission-rules"), json=rules, headers=master).status_code == 200
    response = client.get(url(world, "evaluation"), params={"year": 2026}, headers=master)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["aggregates"]["utilization_rate"] == "0.641026"
    assert body["aggregates"]["generated_t"] == "39"
    assert body["rules_version"] == 1
    members = {m["supplier_id"]: m for m in body["members"]}
    first = members[str(world.suppliers["甲"])]
    assert first["values"]["utilization_rate"] == "0.8"
    assert first["verdict"]["admitted"] is True
    assert members[str(world.suppliers["乙"])]["verdict"]["admitted"] is False
    assert members[str(world.suppliers["丁"])]["rank"] is None
    assert body["ranking"]["suppliers"]


def test_access(client: TestClient, factory: Factory, world: ScoringWorld) -> None:
    for tail in ("supplier-ranking", "evaluation"):
        assert client.get(url(world, tail)).status_code == 401
        supplier = factory.api_key(world.supplier_user)
        assert client.get(url(world, tail), headers=supplier).status_code == 403
        outsider = factory.api_key(world.outsider_user)
        assert client.get(url(world, tail), headers=outsider).status_code == 403
        regulator = factory.api_key(factory.user(UserRole.REGULATOR, jurisdiction_code="320500"))
        ok = client.get(url(world, tail), params={"year": 2026}, headers=regulator)
        assert ok.status_code == 200, ok.text


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"criteria": "utilization_rate,nonsense"}, "criteria"),
        ({"criteria": "utilization_rate,utilization_rate"}, "criteria"),
        ({"weights": "utilization_rate"}, "weights"),
        ({"weights": "utilization_rate:abc"}, "weights"),
        ({"weights": "utilization_rate:-1"}, "weights"),
        ({"criteria": "utilization_rate", "weights": "risk_score:1"}, "weights"),
        ({"alpha": 0.5}, "alpha"),
        ({"alpha": 2}, "alpha"),
        ({"year": 1800}, "year"),
        ({"year": "soon"}, "year"),
    ],
)
def test_bad_input_names_the_field(
    client: TestClient,
    factory: Factory,
    world: ScoringWorld,
    params: dict[str, Any],
    field: str,
) -> None:
    master = factory.api_key(world.master_user)
    response = client.get(url(world), params={"year": 2026} | params, headers=master)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in str(fields_of(response)), response.text


def test_no_ranking_when_too_few_suppliers_have_values(
    client: TestClient, factory: Factory, world: ScoringWorld
) -> None:
    master = factory.api_key(world.master_user)
    response = client.get(url(world), params={"year": 2020}, headers=master)
    assert response.status_code == 422
    assert response.json()["title"] == "Scoring not possible"
    evaluation = client.get(url(world, "evaluation"), params={"year": 2020}, headers=master)
    assert evaluation.status_code == 200
    assert evaluation.json()["ranking"] is None
    assert "at least 2" in evaluation.json()["ranking_problem"]
