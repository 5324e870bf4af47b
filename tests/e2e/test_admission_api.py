"""Admission rules over HTTP: who may set them, errors naming the field, the suppliers' verdicts."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.admission_world import EXPECTED_2026, AdmissionWorld, build_admission_world
from tests.factories import Factory
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.admission import SupplierIndicator
from zerowaste.domain.organizations import OrganizationRole

RULES: dict[str, Any] = {
    "criteria": [
        {"indicator": "waste_intensity_t_per_10k_cny", "comparator": "<=", "threshold": "0.001"},
        {"indicator": "utilization_rate", "comparator": ">=", "threshold": 0.6},
        {"indicator": "whitelisted", "comparator": "==", "threshold": True, "required": False},
    ],
    "clauses": [
        {
            "key": "take_back",
            "text_zh": "不合格批次{days}日内收回。",
            "text_en": "Off-spec lots taken back within {days} days.",
            "params": {"days": 15},
        }
    ],
    "year_basis": "previous_year",
}


@pytest.fixture
def world(factory: Factory) -> AdmissionWorld:
    return build_admission_world(factory)


def fields_of(response: Any) -> set[str]:
    return {e["field"] for e in response.json().get("errors") or []}


def url(world: AdmissionWorld, tail: str = "admission-rules") -> str:
    return f"/api/v1/chains/{world.master_id}/{tail}"


def test_the_chain_master_sets_rules_and_sees_every_verdict(
    client: TestClient, factory: Factory, world: AdmissionWorld
) -> None:
    master = factory.api_key(world.master_user)
    stored = client.put(url(world), json=RULES, headers=master)
    assert stored.status_code == 200, stored.text
    body = stored.json()
    assert body["version"] == 1
    assert body["criteria"][1] == {
        "indicator": "utilization_rate",
        "comparator": ">=",
        "threshold": "0.6",
        "required": True,
        "unit": "1",
        "direction": "higher_is_better",
    }
    assert body["clauses"][0]["rendered_en"] == "Off-spec lots taken back within 15 days."
    supplier = factory.api_key(world.supplier_user)
    assert client.get(url(world), headers=supplier).json()["version"] == 1
    check = client.get(url(world, "admission") + "?year=2026", headers=master)
    assert check.status_code == 200, check.text
    result = check.json()
    assert result["year"] == 2026
    assert result["admitted"] == 1
    rows = {s["supplier_id"]: s for s in result["suppliers"]}
    good = rows[str(world.supplier_id)]
    assert good["admitted"] is True
    assert [r["outcome"] for r in good["results"]] == ["met", "met", "failed"]
    assert good["results"][1]["value"] == str(EXPECTED_2026[SupplierIndicator.UTILIZATION_RATE])
    assert good["results"][2]["value"] is False
    empty = rows[str(world.empty_supplier_id)]
    assert [r["outcome"] for r in empty["results"]] == ["unknown", "unknown", "failed"]
    own = client.get(url(world, "admission") + "?year=2026", headers=supplier).json()
    assert [s["supplier_id"] for s in own["suppliers"]] == [str(world.supplier_id)]
    with_candidate = client.get(
        url(world, "admission") + f"?year=2026&candidate={world.outsider_id}", headers=master
    ).json()
    assert with_candidate["suppliers"][-1]["member"] is False


def test_a_non_chain_master_user_is_forbidden(
    client: TestClient, factory: Factory, world: AdmissionWorld
) -> None:
    for principal in (world.supplier_user, world.outsider_user):
        refused = client.put(url(world), json=RULES, headers=factory.api_key(principal))
        assert refused.status_code == 403, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
    outsider = factory.api_key(world.outsider_user)
    assert client.get(url(world, "admission"), headers=outsider).status_code == 403
    master = factory.api_key(world.master_user)
    assert client.put(url(world), json=RULES, headers=master).status_code == 200
    assert client.get(url(world, "admission"), headers=outsider).status_code == 403
    assert client.get(url(world), headers=outsider).status_code == 200
    assert client.put(url(world), json=RULES).status_code == 401


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda r: r["criteria"][1].update(threshold=1.5), "criteria[1].threshold"),
        (lambda r: r["criteria"][0].update(indicator="colour"), "criteria[0].indicator"),
        (lambda r: r["criteria"][0].update(comparator="=="), "criteria[0].comparator"),
        (lambda r: r["criteria"][2].update(threshold="yes"), "criteria[2].threshold"),
        (lambda r: r["criteria"].append(dict(r["criteria"][0])), "criteria[3].comparator"),
        (lambda r: r["clauses"][0].update(key="Take Back"), "clauses[0].key"),
        (lambda r: r["clauses"][0].update(params={}), "clauses[0].text_zh"),
        (lambda r: r["clauses"][0].update(text_en=""), "clauses[0].text_en"),
        (lambda r: r.update(year_basis="next_year"), "year_basis"),
        (lambda r: r.update(criteria="all"), "criteria"),
    ],
)
def test_bad_rules_are_refused_naming_the_field_and_nothing_is_stored(
    client: TestClient, factory: Factory, change: Any, field: str
) -> None:
    master = factory.organization(roles=(OrganizationRole.CHAIN_MASTER,))
    headers = factory.api_key(factory.user(UserRole.FIRM, organization=master))
    rules: dict[str, Any] = {
        "criteria": [dict(c) for c in RULES["criteria"]],
        "clauses": [dict(c) for c in RULES["clauses"]],
        "year_basis": "previous_year",
    }
    change(rules)
    base = f"/api/v1/chains/{master.id}/admission-rules"
    refused = client.put(base, json=rules, headers=headers)
    assert refused.status_code == 422, refused.text
    assert field in fields_of(refused)
    assert client.get(base, headers=headers).status_code == 404
    assert client.get(base + "/versions", headers=headers).json() == []


def test_unknown_chains_and_non_chain_masters(
    client: TestClient, factory: Factory, world: AdmissionWorld
) -> None:
    admin = factory.api_key(factory.user(UserRole.ADMIN))
    missing = client.get(f"/api/v1/chains/{uuid.uuid4()}/admission-rules", headers=admin)
    assert missing.status_code == 404
    not_master = client.put(
        f"/api/v1/chains/{world.supplier_id}/admission-rules", json=RULES, headers=admin
    )
    assert not_master.status_code == 422
    assert fields_of(not_master) == {"chain_master_id"}
    no_rules = client.get(url(world, "admission"), headers=admin)
    assert no_rules.status_code == 404
    assert no_rules.json()["title"] == "No admission rules"
    client.put(url(world), json=RULES, headers=admin)
    bad_year = client.get(url(world, "admission") + "?year=1800", headers=admin)
    assert bad_year.status_code == 422
    assert fields_of(bad_year) == {"year"}
    bad_candidate = client.get(
        url(world, "admission") + f"?candidate={uuid.uuid4()}", headers=admin
    )
    assert bad_candidate.status_code == 404
    assert fields_of(bad_candidate) == {"candidates[0]"}
