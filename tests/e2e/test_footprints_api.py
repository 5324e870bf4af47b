"""Footprints end to end: REST (with access rules and idempotency), the CLI and the web pages."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.e2e.test_capture_cli import cli_context
from tests.e2e.test_web_pages import assert_html
from tests.factories import Factory
from tests.integration.test_footprints import Chain, chain
from zerowaste.bootstrap import Context
from zerowaste.cli.main import app

__all__ = ["chain", "cli_context"]

runner = CliRunner()
PERIOD = {"period_start": "2026-01-01T00:00:00+00:00", "period_end": "2027-01-01T00:00:00+00:00"}


def coil_body(chain: Chain) -> dict[str, Any]:
    return {
        "organization_id": str(chain.steel.organization.id),
        "site_id": str(chain.steel.site.id),
        "name": "热轧卷",
        "reference_product": "hot-rolled coil",
        "reference_amount": "1",
        "unit": "t",
        "reference_mass_kg": "1000",
        "reference_price_cny": "4000",
        **PERIOD,
        "exchanges": [
            {"kind": "virgin_material", "amount": "0.8", "subject": "steel"},
            {"kind": "secondary_material", "amount": "0.2", "subject": "steel"},
            {
                "kind": "emission",
                "amount": "100",
                "subject": "co2_fossil",
                "distribution": {"kind": "uniform", "low": 80, "high": 120},
            },
        ],
    }


def fields_of(response: Any) -> set[str]:
    return {e["field"] for e in response.json().get("errors") or []}


def build(client: TestClient, factory: Factory, chain: Chain) -> dict[str, Any]:
    steel, maker = factory.api_key(chain.steel_user), factory.api_key(chain.maker_user)
    coil = client.post("/api/v1/carbon/processes", json=coil_body(chain), headers=steel)
    assert coil.status_code == 201, coil.text
    coil_id = coil.json()["id"]
    door_body = {
        **coil_body(chain),
        "organization_id": str(chain.maker.organization.id),
        "site_id": None,
        "name": "冲压车门",
        "reference_product": "door",
        "unit": "piece",
        "reference_mass_kg": "20",
        "exchanges": [
            {"kind": "technosphere", "amount": "0.02", "source_process_id": coil_id},
            {"kind": "electricity", "amount": "30"},
        ],
    }
    refused = client.post("/api/v1/carbon/processes", json=door_body, headers=maker)
    assert refused.status_code == 422
    assert fields_of(refused) == {"source_process_id"}
    shared = client.post(
        f"/api/v1/carbon/processes/{coil_id}/shares",
        json={"organization_id": str(chain.maker.organization.id)},
        headers=steel,
    )
    assert shared.status_code == 201, shared.text
    door = client.post("/api/v1/carbon/processes", json=door_body, headers=maker)
    assert door.status_code == 201, door.text
    system = client.post(
        "/api/v1/carbon/product-systems",
        json={
            "organization_id": str(chain.maker.organization.id),
            "product_id": "urn:door:1",
            "name": "车门",
            "top_process_id": door.json()["id"],
            "declared_unit": "piece",
            "product_mass_per_unit_kg": "20",
        },
        headers=maker,
    )
    assert system.status_code == 201, system.text
    return {"steel": steel, "maker": maker, "coil": coil_id, "system": system.json()["id"]}


def test_processes_systems_and_footprints_over_the_api(
    client: TestClient, factory: Factory, chain: Chain
) -> None:
    ids = build(client, factory, chain)
    url = f"/api/v1/carbon/product-systems/{ids['system']}/footprints"
    assert client.post(url, json={"iterations": 50}).status_code == 401
    assert client.post(url, json={"iterations": 50}, headers=ids["steel"]).status_code == 403
    bad = client.post(url, json={"iterations": 0}, headers=ids["maker"])
    assert bad.status_code == 422
    assert fields_of(bad) == {"iterations"}
    headers = {**ids["maker"], "Idempotency-Key": "pcf-1"}
    made = client.post(url, json={"iterations": 100, "seed": 2}, headers=headers)
    assert made.status_code == 201, made.text
    again = client.post(url, json={"iterations": 100, "seed": 2}, headers=headers)
    assert again.headers.get("Idempotent-Replayed") == "true"
    body = made.json()
    assert again.json()["id"] == body["id"]
    assert body["version"] == 1
    assert body["characterization"] == "AR6"
    assert float(body["recycled_content_share"]) == pytest.approx(0.2)
    low, high = (float(v) for v in body["interval_95_kg"])
    assert low < float(body["pcf_excluding_biogenic_uptake_kg"]) < high
    assert {s["organization_id"] for s in body["by_supplier"]} == {
        str(chain.steel.organization.id),
        str(chain.maker.organization.id),
    }
    public = client.get(f"/api/v1/carbon/footprints/{body['id']}")
    assert public.status_code == 200
    assert public.json()["id"] == body["id"]
    assert [f["id"] for f in client.get("/api/v1/carbon/footprints").json()] == [body["id"]]
    tree = client.get(f"/api/v1/carbon/product-systems/{ids['system']}").json()
    assert len(tree["processes"]) == 2
    assert (
        client.get(
            f"/api/v1/carbon/processes/{ids['coil']}/shares", headers=ids["maker"]
        ).status_code
        == 403
    )
    assert (
        client.get(f"/api/v1/carbon/processes/{ids['coil']}", headers=ids["maker"]).status_code
        == 200
    )
    coil_url = f"/api/v1/carbon/processes/{ids['coil']}"
    assert client.delete(coil_url, headers=ids["maker"]).status_code == 403
    in_use = client.delete(coil_url, headers=ids["steel"])
    assert in_use.status_code == 409, in_use.text
    spare = client.post("/api/v1/carbon/processes", json=coil_body(chain), headers=ids["steel"])
    spare_url = f"/api/v1/carbon/processes/{spare.json()['id']}"
    assert client.delete(spare_url, headers=ids["steel"]).status_code == 204
    assert client.get(spare_url, headers=ids["steel"]).status_code == 404
    missing = client.get("/api/v1/carbon/footprints/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404


def test_bad_process_input_names_the_field(
    client: TestClient, factory: Factory, chain: Chain
) -> None:
    steel = factory.api_key(chain.steel_user)
    for change, field in (
        ({"reference_amount": "0"}, "reference_amount"),
        ({"exchanges": [{"kind": "emission", "amount": "1", "subject": "sf6"}]}, "subject"),
        ({"period_end": "2025-01-01T00:00:00+00:00"}, "period_end"),
    ):
        response = client.post(
            "/api/v1/carbon/processes", json={**coil_body(chain), **change}, headers=steel
        )
        assert response.status_code == 422, response.text
        assert field in fields_of(response) or response.json().get("field") == field, response.text
    assert client.get("/api/v1/carbon/processes", headers=steel).json() == []


def test_the_cli_adds_computes_lists_and_shows(
    cli_context: Context, factory: Factory, chain: Chain, tmp_path: Path
) -> None:
    data = tmp_path / "coil.json"
    data.write_text(json.dumps(coil_body(chain)), encoding="utf-8")
    steel = str(chain.steel.organization.id)
    user = chain.steel_user.username
    added = runner.invoke(
        app, ["carbon", "process", "add", steel, str(data), "--as", user, "--json"]
    )
    assert added.exit_code == 0, added.output
    coil_id = json.loads(added.output)["id"]
    system = tmp_path / "system.json"
    system.write_text(
        json.dumps(
            {
                "product_id": "urn:coil",
                "name": "热轧卷",
                "top_process_id": coil_id,
                "declared_unit": "t",
            }
        )
    )
    made = runner.invoke(
        app, ["carbon", "product-system", "add", steel, str(system), "--as", user, "--json"]
    )
    assert made.exit_code == 0, made.output
    system_id = json.loads(made.output)[0]["id"]
    computed = runner.invoke(
        app,
        ["carbon", "footprint", "compute", system_id, "--iterations", "50", "--as", user, "--json"],
    )
    assert computed.exit_code == 0, computed.output
    footprint_id = json.loads(computed.output)[0]["id"]
    listed = runner.invoke(app, ["carbon", "footprint", "list", "--json"])
    assert [r["id"] for r in json.loads(listed.output)] == [footprint_id]
    shown = runner.invoke(app, ["carbon", "footprint", "show", footprint_id, "--json"])
    document = json.loads(shown.output)
    assert Decimal(document["recycled_content_share"]) == Decimal("0.2")
    assert [p["process"] for p in document["by_process"]] == ["热轧卷"]
    listed_processes = runner.invoke(app, ["carbon", "process", "list", "--as", user, "--json"])
    assert [p["id"] for p in json.loads(listed_processes.output)] == [coil_id]
    in_use = runner.invoke(app, ["carbon", "process", "remove", coil_id, "--as", user])
    assert in_use.exit_code == 73, in_use.output
    bad = runner.invoke(
        app, ["carbon", "footprint", "compute", system_id, "--iterations", "0", "--as", user]
    )
    assert bad.exit_code == 65
    assert "iterations" in bad.output


def test_the_pages_show_the_footprint_its_chart_data_and_its_factors(
    client: TestClient, factory: Factory, chain: Chain
) -> None:
    ids = build(client, factory, chain)
    url = f"/api/v1/carbon/product-systems/{ids['system']}/footprints"
    body = client.post(url, json={"iterations": 20}, headers=ids["maker"]).json()
    listing = assert_html(client.get("/carbon/footprints"))
    assert f"/carbon/footprints/{body['id']}" in listing
    page = assert_html(client.get(f"/carbon/footprints/{body['id']}?lang=en"))
    assert "Contribution by supplier" in page
    assert "pcf-chart-data" in page
    assert "/static/vendor/plotly/plotly.min.js" in page
    for ref in body["factor_sources"]:
        assert f"/carbon/factors/{ref}" in page
    tree = assert_html(client.get(f"/carbon/product-systems/{ids['system']}"))
    assert "冲压车门" in tree
    assert "热轧卷" in tree
    assert_html(client.get("/carbon/footprints/00000000-0000-0000-0000-000000000000"), 404)
