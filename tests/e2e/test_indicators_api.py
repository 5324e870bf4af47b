"""Indicators through the API: registry, city values against targets, firm access, statistics."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient

from tests.admission_world import build_admission_world
from tests.factories import Factory
from tests.integration.test_indicators import STATS, pct
from zerowaste.domain.accounts import UserRole


def field_of(response: object) -> str:
    errors = response.json()["errors"]  # type: ignore[attr-defined]
    assert len(errors) == 1
    return str(errors[0]["field"])


def test_registry_is_public(client: TestClient) -> None:
    listed = client.get("/api/v1/indicators")
    assert listed.status_code == 200
    ids = {d["indicator_id"] for d in listed.json()}
    assert {"general_iswu_rate", "policy_strength", "green_premium"} <= ids
    cities = client.get("/api/v1/indicators", params={"level": "city"}).json()
    assert "green_procurement_intensity" not in {d["indicator_id"] for d in cities}
    one = client.get("/api/v1/indicators/general_iswu_rate").json()
    assert one["zero_waste_city"] is True
    assert "往年贮存量" in one["source"]
    missing = client.get("/api/v1/indicators/nope")
    assert missing.status_code == 422
    assert field_of(missing) == "indicator_id"


def test_city_values_with_targets_and_trend(client: TestClient, factory: Factory) -> None:
    build_admission_world(factory)
    admin = factory.api_key(factory.user(UserRole.ADMIN))
    stored = client.post(
        "/api/v1/statistics", content=STATS, headers=admin | {"content-type": "text/csv"}
    )
    assert stored.status_code == 201, stored.text
    assert stored.json() == {"imported": 5}
    values = client.get("/api/v1/cities/320500/indicators", params={"period": "2026"})
    assert values.status_code == 200, values.text
    by_id = {v["indicator_id"]: v for v in values.json()}
    rate = by_id["general_iswu_rate"]
    assert Decimal(rate["value"]) == Decimal(50)
    assert rate["target"]["value"] == "92"
    assert rate["target"]["met"] is False
    assert "illustrative" in rate["target"]["source"]
    assert {i["name"] for i in rate["inputs"]} >= {"general waste utilized"}
    assert Decimal(by_id["lifecycle_recycling_rate"]["value"]) == pct("2996.5", "3576.22")
    trend = client.get(
        "/api/v1/cities/320500/trend",
        params={"indicator": "general_iswu_rate", "periods": "2025,2026,2027"},
    ).json()
    assert [t["period"] for t in trend] == ["2025", "2026", "2027"]
    assert trend[0]["value"] is None
    assert trend[0]["missing"]
    stats = client.get("/api/v1/statistics", params={"region": "320500", "year": 2026}).json()
    assert {s["statistic"] for s in stats} >= {"policy_strength", "resident_population"}


def test_firm_values_need_access(client: TestClient, factory: Factory) -> None:
    world = build_admission_world(factory)
    params = {"level": "firm", "subject": str(world.supplier_id), "period": "2026"}
    assert client.get("/api/v1/indicators/values", params=params).status_code == 401
    outsider = factory.api_key(world.outsider_user)
    refused = client.get("/api/v1/indicators/values", params=params, headers=outsider)
    assert refused.status_code == 403
    own = factory.api_key(world.supplier_user)
    values = client.get("/api/v1/indicators/values", params=params, headers=own)
    assert values.status_code == 200
    by_id = {v["indicator_id"]: v for v in values.json()}
    assert Decimal(by_id["general_iswu_rate"]["value"]) == pct("2000", "3000")
    bad = client.get(
        "/api/v1/indicators/values", params=params | {"period": "2026-13"}, headers=own
    )
    assert bad.status_code == 422
    assert field_of(bad) == "period"


def test_a_bad_csv_is_refused_naming_row_and_column_and_nothing_is_stored(
    client: TestClient, factory: Factory
) -> None:
    admin = factory.api_key(factory.user(UserRole.ADMIN))
    bad = STATS + "320500,2026,gdp_cny,lots,test\n"
    refused = client.post("/api/v1/statistics", json={"csv": bad}, headers=admin)
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert field_of(refused) == "row 7: value"
    unknown = STATS.replace("policy_strength", "happiness")
    refused = client.post(
        "/api/v1/statistics", content=unknown, headers=admin | {"content-type": "text/csv"}
    )
    assert field_of(refused) == "row 5: statistic"
    assert client.get("/api/v1/statistics", params={"region": "320500"}).json() == []
    firm = factory.api_key(factory.user(UserRole.FIRM, organization=factory.organization()))
    assert client.post("/api/v1/statistics", json={"csv": STATS}, headers=firm).status_code == 403
    outside = factory.api_key(factory.user(UserRole.REGULATOR, jurisdiction_code="330400"))
    refused = client.post("/api/v1/statistics", json={"csv": STATS}, headers=outside)
    assert refused.status_code == 403
    assert field_of(refused) == "row 2: region_code"
    assert client.get("/api/v1/statistics", params={"region": "320500"}).json() == []
