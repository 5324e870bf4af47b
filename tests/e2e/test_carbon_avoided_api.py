"""Avoided emissions end to end: the REST API and the CLI over a small ledger."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.carbon_world import (
    BOOK,
    CarbonWorld,
    build_carbon_world,
    expected_avoided_kg,
    expected_inventory_kg,
    make_chain_master,
)
from tests.e2e.test_capture_cli import cli_context
from tests.factories import Factory
from zerowaste.bootstrap import Context
from zerowaste.cli.main import app
from zerowaste.domain.accounts import UserRole
from zerowaste.services.carbon_report import Scope

__all__ = ["cli_context"]

runner = CliRunner()


@pytest.fixture
def carbon(factory: Factory, monkeypatch: pytest.MonkeyPatch) -> CarbonWorld:
    monkeypatch.setattr(factory.context.carbon, "_factor_book", lambda: BOOK)
    return build_carbon_world(factory)


def fields_of(response: Any) -> set[str]:
    return {e["field"] for e in response.json().get("errors") or []}


def test_city_report_is_public_and_matches_the_hand_computation(
    client: TestClient, carbon: CarbonWorld
) -> None:
    found = client.get("/api/v1/carbon/avoided?scope=city&id=320500&iterations=300")
    assert found.status_code == 200, found.text
    body = found.json()
    total = body["total"]
    assert total["flows"] == 3
    assert Decimal(total["avoided"]["co2e_kg"]) == expected_avoided_kg()
    assert Decimal(total["inventory"]["co2e_kg"]) == expected_inventory_kg()
    assert total["avoided"]["low_kg"] < float(expected_avoided_kg()) < total["avoided"]["high_kg"]
    assert total["avoided"]["unaccounted"] == {"disposal_other": 1}
    assert all(r.startswith("avoided/") for r in total["avoided"]["factor_refs"])
    assert all(r.startswith("inventory/") for r in total["inventory"]["factor_refs"])
    assert {f["ref"] for f in body["factors"]} >= set(total["avoided"]["factor_refs"])
    assert all(f["source"] for f in body["factors"])
    assert {r["key"] for r in body["by_route"]} == {"recycling", "incineration", "unaccounted"}
    year = client.get("/api/v1/carbon/avoided?granularity=year&iterations=0&from=2026-01-01")
    assert [r["key"] for r in year.json()["by_period"]] == ["2026"]
    assert year.json()["total"]["avoided"]["low_kg"] is None


def test_bad_report_parameters_name_their_field(client: TestClient, carbon: CarbonWorld) -> None:
    cases = {
        "scope=planet": "scope",
        "scope=city&id=32": "id",
        "scope=firm&id=nope": "id",
        "scope=firm": "id",
        "from=2026-13-01": "from",
        "from=2026-06-02&to=2026-06-01": "to",
        "iterations=-1": "iterations",
        "granularity=week": "granularity",
    }
    for query, field in cases.items():
        response = client.get(f"/api/v1/carbon/avoided?{query}")
        assert response.status_code == 422, query
        assert response.headers["content-type"] == "application/problem+json"
        assert field in fields_of(response), (query, response.json())


def test_firm_and_chain_figures_follow_their_access_rules(
    client: TestClient, factory: Factory, carbon: CarbonWorld
) -> None:
    g, r = carbon.world.generator, carbon.world.receiver
    own = factory.api_key(r.user)
    other = factory.api_key(g.user)
    regulator = factory.api_key(factory.user(UserRole.REGULATOR, jurisdiction_code="320500"))
    outsider = factory.api_key(factory.user(UserRole.REGULATOR, jurisdiction_code="330000"))
    firm = f"/api/v1/carbon/avoided?scope=firm&id={r.id}&iterations=0"
    assert client.get(firm, headers=own).json()["total"]["flows"] == 2
    assert client.get(firm, headers=regulator).status_code == 200
    assert client.get(firm, headers=other).status_code == 403
    assert client.get(firm, headers=outsider).status_code == 403
    assert client.get(firm).status_code == 401
    master = make_chain_master(factory, carbon)
    chain = f"/api/v1/carbon/avoided?scope=chain&id={master}&iterations=0"
    assert client.get(chain, headers=regulator).json()["total"]["flows"] == 2
    assert client.get(chain, headers=own).status_code == 403
    flows = client.get("/api/v1/carbon/flows?scope=city&id=320500&limit=2", headers=regulator)
    assert flows.status_code == 200, flows.text
    page = flows.json()
    assert len(page["items"]) == 2
    assert page["items"][0]["distance_km"] == "133.434"
    assert page["items"][0]["baseline_route"] == "incineration"
    rest = client.get(
        f"/api/v1/carbon/flows?scope=city&id=320500&cursor={page['next_cursor']}", headers=regulator
    ).json()
    assert [i["avoided"]["unaccounted"] for i in rest["items"]] == ["disposal_other"]
    assert rest["next_cursor"] is None
    city_flows = "/api/v1/carbon/flows?scope=city&id=320500"
    assert client.get(city_flows, headers=own).status_code == 403
    event = f"/api/v1/carbon/flows?scope=event&id={carbon.transform_event}"
    assert len(client.get(event, headers=own).json()["items"]) == 1


def test_chain_members_over_the_api(
    client: TestClient, factory: Factory, carbon: CarbonWorld
) -> None:
    master_id = make_chain_master(factory, carbon)
    master_user = factory.user(
        UserRole.FIRM, organization=factory.context.organizations.get(master_id)
    )
    h = factory.api_key(master_user)
    base = f"/api/v1/chains/{master_id}/members"
    listed = client.get(base, headers=h).json()
    assert [m["supplier_id"] for m in listed["members"]] == [str(carbon.world.generator.id)]
    receiver = str(carbon.world.receiver.id)
    added = client.post(
        base, json={"supplier_id": receiver}, headers={**h, "Idempotency-Key": "k1"}
    )
    assert added.status_code == 201, added.text
    again = client.post(
        base, json={"supplier_id": receiver}, headers={**h, "Idempotency-Key": "k1"}
    )
    assert again.status_code == 201
    assert again.headers.get("idempotent-replayed") == "true"
    duplicate = client.post(base, json={"supplier_id": receiver}, headers=h)
    assert duplicate.status_code == 409
    assert client.post(base, json={"supplier_id": "x"}, headers=h).status_code == 422
    stranger = factory.api_key(carbon.world.receiver.user)
    assert client.post(base, json={"supplier_id": receiver}, headers=stranger).status_code == 403
    assert client.delete(f"{base}/{receiver}", headers=h).status_code == 204
    assert client.delete(f"{base}/{receiver}", headers=h).status_code == 404
    not_master = f"/api/v1/chains/{carbon.world.receiver.id}/members"
    refused = client.post(not_master, json={"supplier_id": receiver}, headers=stranger)
    assert refused.status_code == 422
    assert fields_of(refused) == {"chain_master_id"}


def test_baselines_over_the_api(client: TestClient, factory: Factory, carbon: CarbonWorld) -> None:
    defaults = client.get("/api/v1/carbon/baselines").json()["defaults"]
    assert {d["key"] for d in defaults} >= {"SW01", "900-214-08", "HW08"}
    assert all(d["source"] for d in defaults)
    regulator = factory.api_key(factory.user(UserRole.REGULATOR, jurisdiction_code="320500"))
    body = {"region_code": "320500", "subject": "waste_oil", "route": "landfill"}
    put = client.put("/api/v1/carbon/baselines", json=body, headers=regulator)
    assert put.status_code == 200, put.text
    assert put.json()["region_prefix"] == "3205"
    regional = client.get("/api/v1/carbon/baselines").json()["regional"]
    assert [(r["subject"], r["baseline_route"]) for r in regional] == [("waste_oil", "landfill")]
    bad = client.put(
        "/api/v1/carbon/baselines", json={**body, "route": "teleport"}, headers=regulator
    )
    assert bad.status_code == 422
    assert "route" in fields_of(bad)
    firm = factory.api_key(carbon.world.receiver.user)
    assert client.put("/api/v1/carbon/baselines", json=body, headers=firm).status_code == 403


def test_cli_report_baselines_and_chain(cli_context: Context, factory: Factory) -> None:
    carbon = build_carbon_world(factory)
    result = runner.invoke(
        app,
        ["carbon", "avoided", "--scope", "city", "--id", "320500", "--iterations", "50", "--json"],
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["total"]["flows"] == 3
    assert body["dataset"] == "zerowaste-default 2026.1"
    avoided_refs = body["total"]["avoided"]["factor_refs"]
    assert all(r.startswith("avoided/") for r in avoided_refs if "/waste_route/" in r)
    assert all(r.startswith("inventory/") for r in body["total"]["inventory"]["factor_refs"])
    service = cli_context.carbon.avoided(None, Scope.CITY, "320500", iterations=50)
    assert Decimal(body["total"]["inventory"]["co2e_kg"]) == service.total.inventory.co2e_kg
    table = runner.invoke(app, ["carbon", "avoided", "--from", "2026-06-01", "--to", "2026-06-30"])
    assert table.exit_code == 0, table.output
    assert "By route" in table.output
    bad = runner.invoke(app, ["carbon", "avoided", "--scope", "planet"])
    assert bad.exit_code != 0
    assert "scope" in bad.output
    listed = runner.invoke(app, ["carbon", "baselines", "--json"])
    assert listed.exit_code == 0
    assert any(r["subject"] == "SW01" for r in json.loads(listed.output))
    set_ = runner.invoke(app, ["carbon", "baselines", "set", "320500", "slag", "co_processing"])
    assert set_.exit_code == 0, set_.output
    master = make_chain_master(factory, carbon)
    receiver = str(carbon.world.receiver.id)
    assert runner.invoke(app, ["carbon", "chain", "add", str(master), receiver]).exit_code == 0
    members = runner.invoke(app, ["carbon", "chain", "list", str(master), "--json"])
    assert {m["supplier_id"] for m in json.loads(members.output)} == {
        receiver,
        str(carbon.world.generator.id),
    }
    assert runner.invoke(app, ["carbon", "chain", "remove", str(master), receiver]).exit_code == 0
    assert runner.invoke(app, ["carbon", "chain", "remove", str(master), receiver]).exit_code != 0
