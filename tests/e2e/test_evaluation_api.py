"""Evaluation over HTTP: import, list, models with tables, mediation, event study, errors."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.admission_world import build_admission_world
from tests.evaluation_world import grunfeld_csv, mediation_panel, staggered_panel
from tests.factories import OPERATOR, Factory
from zerowaste.domain.accounts import UserRole

BASE = "/api/v1/evaluation"


def fields_of(response: Any) -> set[str]:
    return {e["field"] for e in response.json().get("errors") or []}


def headers_of(factory: Factory) -> tuple[dict[str, str], dict[str, str]]:
    regulator = factory.user(UserRole.REGULATOR, jurisdiction_code="320500")
    firm_user = factory.user(UserRole.FIRM, organization=factory.organization())
    return factory.api_key(regulator), factory.api_key(firm_user)


def test_import_list_read_and_fit_grunfeld(client: TestClient, factory: Factory) -> None:
    regulator, firm = headers_of(factory)
    body = {"name": "grunfeld", "source": "statsmodels Grunfeld", "csv": grunfeld_csv()}
    assert client.post(f"{BASE}/datasets", json=body, headers=firm).status_code == 403
    created = client.post(f"{BASE}/datasets", json=body, headers=regulator)
    assert created.status_code == 201, created.text
    assert created.json()["variables"] == ["invest", "value", "capital"]
    again = client.post(f"{BASE}/datasets", json=body, headers=regulator)
    assert again.status_code == 409
    assert fields_of(again) == {"name"}
    listed = client.get(f"{BASE}/datasets", headers=firm).json()
    assert [d["name"] for d in listed] == ["grunfeld"]
    detail = client.get(f"{BASE}/datasets/grunfeld", headers=firm).json()
    assert detail["balance"]["balanced"] is True
    assert detail["preview"][0]["firm"] == "Atlantic Refining"
    assert client.get(f"{BASE}/datasets/nope", headers=firm).status_code == 404
    spec = {
        "dataset": "grunfeld",
        "outcome": "invest",
        "regressors": ["value", "capital"],
        "fixed_effects": ["firm", "year"],
        "cluster": "firm",
        "format": "latex",
    }
    fitted = client.post(f"{BASE}/models", json=spec, headers=firm)
    assert fitted.status_code == 200, fitted.text
    classical, clustered = fitted.json()["models"]
    assert classical["vcov"] == "iid"
    assert abs(classical["coefficients"][0]["estimate"] - 0.1177159) < 1e-6
    assert abs(classical["coefficients"][0]["se"] - 0.0137513) < 1e-6
    assert abs(classical["coefficients"][1]["se"] - 0.0227190) < 1e-6
    assert clustered["vcov"] == "CRV1"
    assert "G/(G-1)" in clustered["vcov_convention"]
    assert fitted.json()["table"].startswith(r"\begin{tabular}")


def test_bad_requests_name_the_field_and_store_nothing(
    client: TestClient, factory: Factory
) -> None:
    regulator, _ = headers_of(factory)
    bad = {"name": "bad", "source": "x", "csv": "firm,city,year,y\nA,S,2020,1\nB,S,2020,x\n"}
    response = client.post(f"{BASE}/datasets", json=bad, headers=regulator)
    assert response.status_code == 422
    assert fields_of(response) == {"row 3: y"}
    assert response.headers["content-type"] == "application/problem+json"
    assert client.get(f"{BASE}/datasets", headers=regulator).json() == []
    missing = client.post(f"{BASE}/datasets", json={"name": "x"}, headers=regulator)
    assert {"source", "csv"} <= fields_of(missing)
    good = {"name": "g", "source": "s", "csv": grunfeld_csv()}
    assert client.post(f"{BASE}/datasets", json=good, headers=regulator).status_code == 201
    cases = [
        ({"regressors": ["nope"]}, "regressors"),
        ({"outcome": "nope"}, "outcome"),
        ({"fixed_effects": ["sector"]}, "fixed_effects"),
        ({"cluster": "city"}, "cluster"),  # one city: too few clusters
        ({"dataset": "nope"}, "dataset"),
        ({"format": "pdf"}, "format"),
    ]
    for change, field in cases:
        spec = {"dataset": "g", "outcome": "invest", "regressors": ["value"]} | change
        answer = client.post(f"{BASE}/models", json=spec, headers=regulator)
        assert answer.status_code in (404, 422), (change, answer.text)
        assert fields_of(answer) == {field}, (change, answer.json())


def test_mediation_and_event_study(client: TestClient, factory: Factory) -> None:
    regulator, firm = headers_of(factory)
    for name, panel in (("med", mediation_panel()), ("pilot", staggered_panel())):
        body = {"name": name, "source": "simulated", "csv": panel.to_csv()}
        assert client.post(f"{BASE}/datasets", json=body, headers=regulator).status_code == 201
    spec = {
        "dataset": "med",
        "outcome": "y",
        "treatment": "d",
        "mediator": "m",
        "controls": ["x"],
        "cluster": "firm",
        "replicates": 30,
        "seed": 4,
        "format": "csv",
    }
    result = client.post(f"{BASE}/mediation", json=spec, headers=firm)
    assert result.status_code == 200, result.text
    out = result.json()
    assert abs(out["c"] - (out["c_prime"] + out["a"] * out["b"])) < 1e-10
    assert out["bootstrap"]["replicates"] == 30
    assert len(out["steps"]) == 3
    assert out["table"].startswith(",(1),(2),(3)")
    repeat = client.post(f"{BASE}/mediation", json=spec, headers=firm).json()
    assert repeat["bootstrap"] == out["bootstrap"]
    bad = client.post(f"{BASE}/mediation", json=spec | {"mediator": "zzz"}, headers=firm)
    assert fields_of(bad) == {"mediator"}
    study = client.post(
        f"{BASE}/event-study",
        json={"dataset": "pilot", "outcome": "y", "cohort": "pilot_year", "cluster": "city"},
        headers=firm,
    )
    assert study.status_code == 200, study.text
    estimates = {e["estimator"]: e for e in study.json()["estimates"]}
    assert set(estimates) == {"twfe", "did2s"}
    zero = next(c for c in estimates["did2s"]["coefficients"] if c["period"] == 0)
    assert abs(zero["estimate"] - 1.0) < 0.35
    window = client.post(
        f"{BASE}/event-study",
        json={"dataset": "pilot", "outcome": "y", "cohort": "pilot_year", "leads": 40},
        headers=firm,
    )
    assert fields_of(window) == {"leads"}


def test_platform_panel_is_saved_for_regulators(client: TestClient, factory: Factory) -> None:
    build_admission_world(factory)
    regulator, firm = headers_of(factory)
    body = {"name": "platform", "years": [2026, 2027]}
    assert client.post(f"{BASE}/platform-panel", json=body, headers=firm).status_code == 403
    saved = client.post(f"{BASE}/platform-panel", json=body, headers=regulator)
    assert saved.status_code == 201, saved.text
    assert "waste_intensity" in saved.json()["variables"]
    assert saved.json()["created_by"] is not None
    bad = client.post(f"{BASE}/platform-panel", json=body | {"years": [1800]}, headers=regulator)
    assert fields_of(bad) == {"years"}
    assert OPERATOR.role is UserRole.ADMIN
