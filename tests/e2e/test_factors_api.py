"""The factor library end to end: REST, the CLI and the web pages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.e2e.test_capture_cli import cli_context
from tests.e2e.test_web_pages import assert_html, assert_self_contained, tags_of
from tests.factories import Factory
from tests.integration.test_factors import STEEL, edited_csv
from zerowaste.adapters.factor_files import load_default_book, parse_factors_csv
from zerowaste.bootstrap import Context
from zerowaste.cli.main import app
from zerowaste.domain.accounts import UserRole

__all__ = ["cli_context"]

runner = CliRunner()
API = "/api/v1/carbon"
CSV = {"content-type": "text/csv"}


def fields_of(response: Any) -> set[str]:
    return {e["field"] for e in response.json().get("errors") or []}


def test_anyone_reads_factors_page_by_page(client: TestClient) -> None:
    first = client.get(f"{API}/factors", params={"limit": 100})
    assert first.status_code == 200, first.text
    body = first.json()
    assert len(body["items"]) == 100
    refs = [i["ref"] for i in body["items"]]
    cursor = body["next_cursor"]
    while cursor:
        page = client.get(f"{API}/factors", params={"limit": 100, "cursor": cursor}).json()
        refs += [i["ref"] for i in page["items"]]
        cursor = page["next_cursor"]
    assert sorted(refs) == sorted(f.ref for f in load_default_book())
    avoided = client.get(f"{API}/factors", params={"set": "avoided", "subject": "aluminium"})
    items = avoided.json()["items"]
    assert {i["set"] for i in items} == {"avoided"}
    assert {i["route"] for i in items} == {
        "source_reduction",
        "recycling",
        "landfill",
        "incineration",
    }
    grid = client.get(f"{API}/factors", params={"category": "electricity", "region": "CN"})
    assert [i["value"] for i in grid.json()["items"]] == ["0.5568", "0.5366"]
    bad = client.get(f"{API}/factors", params={"set": "net", "limit": 5})
    assert bad.status_code == 422
    assert fields_of(bad) == {"set"}
    assert fields_of(client.get(f"{API}/factors", params={"cursor": "_w"})) == {"cursor"}


def test_a_factor_by_its_reference(client: TestClient) -> None:
    found = client.get(f"{API}/factors/{STEEL}")
    assert found.status_code == 200, found.text
    steel = found.json()
    assert steel["value"] == "-2017.2297"
    assert steel["unit"] == "kg CO2e/t"
    assert steel["distribution"] == {"kind": "lognormal", "spread": 1.5, "low": None, "high": None}
    low, high = steel["interval_95"]
    assert low < -2017.2297 < high
    assert steel["verification"] == "transcribed"
    assert steel["page"] == f"/carbon/factors/{STEEL}"
    missing = client.get(f"{API}/factors/avoided/waste_route/steel/recycling/GLO/1990")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert fields_of(client.get(f"{API}/factors/steel")) == {"ref"}


def test_admins_import_and_activate_datasets(client: TestClient, factory: Factory) -> None:
    admin = factory.api_key(factory.user(UserRole.ADMIN))
    firm = factory.api_key(factory.user(UserRole.FIRM, organization=factory.organization()))
    (default,) = client.get(f"{API}/factor-datasets").json()
    assert default["is_active"]
    assert default["name"] == "zerowaste-default"
    params = {"name": "city", "version": "2026.2"}
    text = edited_csv("-1900")
    assert (
        client.post(f"{API}/factor-datasets", params=params, content=text, headers=CSV).status_code
        == 401
    )
    denied = client.post(
        f"{API}/factor-datasets", params=params, content=text, headers={**CSV, **firm}
    )
    assert denied.status_code == 403
    broken = text.replace(",kg CO2e/kWh,", ",kWh,", 1)
    refused = client.post(
        f"{API}/factor-datasets", params=params, content=broken, headers={**CSV, **admin}
    )
    assert refused.status_code == 422
    (field,) = fields_of(refused)
    assert field.startswith("rows[")
    assert field.endswith("].unit")
    assert refused.json()["type"].endswith("factor-file-invalid")
    assert len(client.get(f"{API}/factor-datasets").json()) == 1
    wrong_type = client.post(f"{API}/factor-datasets", params=params, json={}, headers=admin)
    assert fields_of(wrong_type) == {"content-type"}
    keyed = {**CSV, **admin, "Idempotency-Key": "import-city-2026.2"}
    created = client.post(f"{API}/factor-datasets", params=params, content=text, headers=keyed)
    assert created.status_code == 201, created.text
    again = client.post(f"{API}/factor-datasets", params=params, content=text, headers=keyed)
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.json() == created.json()
    dataset = created.json()
    assert not dataset["is_active"]
    assert dataset["factor_count"] == len(load_default_book())
    duplicate = client.post(
        f"{API}/factor-datasets", params=params, content=text, headers={**CSV, **admin}
    )
    assert duplicate.status_code == 409
    upload = client.post(
        f"{API}/factor-datasets",
        data={"name": "city", "version": "2026.3", "activate": "true"},
        files={"file": ("factors.csv", edited_csv("-1800").encode(), "text/csv")},
        headers=admin,
    )
    assert upload.status_code == 201, upload.text
    assert upload.json()["is_active"]
    assert client.get(f"{API}/factors/{STEEL}").json()["value"] == "-1800"
    activate = f"{API}/factor-datasets/{dataset['dataset_id']}/activate"
    assert client.post(activate, headers=firm).status_code == 403
    activated = client.post(activate, headers=admin)
    assert activated.status_code == 200, activated.text
    assert client.get(f"{API}/factors/{STEEL}").json()["value"] == "-1900"
    exported = client.get(dataset["factors_csv"])
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert parse_factors_csv(exported.text) == parse_factors_csv(text)


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["carbon", "factors", *args])
    return result.exit_code, result.output


def test_cli_lists_shows_imports_exports_and_activates(
    cli_context: Context, tmp_path: Path
) -> None:
    code, out = invoke("list", "--set", "avoided", "--subject", "steel", "--json")
    assert code == 0, out
    assert {r["route"] for r in json.loads(out)} == {
        "source_reduction",
        "recycling",
        "landfill",
        "incineration",
    }
    code, out = invoke("list", "--category", "fuel")
    assert code == 0
    assert "inventory factors" in out
    assert "avoided factors" not in out
    code, out = invoke("show", STEEL, "--json")
    assert code == 0
    assert json.loads(out)["value"] == "-2017.2297"
    assert invoke("show", "avoided/waste_route/steel/recycling/GLO/1990")[0] == 66
    assert invoke("list", "--route", "dumping")[0] == 65
    path = tmp_path / "city.csv"
    path.write_text(edited_csv("-1700"), encoding="utf-8")
    code, out = invoke("import", str(path), "--name", "city", "--version", "1", "--json")
    assert code == 0, out
    (stored,) = json.loads(out)
    bad = tmp_path / "bad.csv"
    bad.write_text(edited_csv("-1700").replace(",2023,", ",20x3,", 1), encoding="utf-8")
    code, out = invoke("import", str(bad), "--name", "city", "--version", "2")
    assert code == 65
    assert "rows[1].year" in out
    code, out = invoke("datasets", "--json")
    assert code == 0
    assert len(json.loads(out)) == 2
    assert invoke("activate", stored["dataset_id"])[0] == 0
    code, out = invoke("show", STEEL, "--json")
    assert json.loads(out)["value"] == "-1700"
    exported = tmp_path / "out.csv"
    assert invoke("export", "--dataset", stored["dataset_id"], "-o", str(exported))[0] == 0
    assert parse_factors_csv(exported.read_text(encoding="utf-8")) == parse_factors_csv(
        path.read_text(encoding="utf-8")
    )
    assert invoke("export", "--dataset", "nope")[0] == 65


def test_the_factor_page_shows_every_factor_apart_by_set(client: TestClient) -> None:
    book = load_default_book()
    for language in ("zh", "en"):
        html = assert_html(client.get("/carbon/factors", params={"lang": language}))
        assert_self_contained(html)
        ids = {attrs.get("id") for _, attrs in tags_of(html)}
        assert {f.ref for f in book} <= ids
        assert {"set-inventory", "set-avoided"} <= ids
        assert html.index('id="set-inventory"') < html.index('id="set-avoided"')
        links = {attrs.get("href") for tag, attrs in tags_of(html) if tag == "a"}
        assert f"/carbon/factors/{quote(STEEL)}" in links
        assert any(link and link.endswith("/factors.csv") for link in links)
    only = assert_html(client.get("/carbon/factors", params={"set": "avoided", "lang": "en"}))
    assert 'id="set-inventory"' not in only
    assert 'id="set-avoided"' in only
    assert "transcribed" in only
    assert "illustrative" in only
    assert_html(client.get("/carbon/factors", params={"region": "Suzhou"}), 422)


def test_each_factor_has_its_own_page(client: TestClient) -> None:
    html = assert_html(client.get(f"/carbon/factors/{STEEL}", params={"lang": "en"}))
    assert_self_contained(html)
    assert "-2,017.2297" in html
    assert "kg CO2e/t" in html
    assert "WARM v16" in html
    assert "lognormal GSD=1.5" in html
    grid = "inventory/electricity/grid/-/320000/2022"
    assert "0.5617" in assert_html(client.get(f"/carbon/factors/{grid}"))
    assert_html(client.get("/carbon/factors/inventory/fuel/coal/-/GLO/1990"), 404)
