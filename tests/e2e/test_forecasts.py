"""Forecasts and scenarios end to end: the API, the CLI and the web pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.e2e.test_capture_cli import cli_context
from tests.e2e.test_web_pages import assert_html, assert_self_contained, sign_in
from tests.factories import Factory
from tests.forecast_world import HW, World, build_world, expected_a_tonnes
from zerowaste.bootstrap import Context
from zerowaste.cli.main import app
from zerowaste.domain.accounts import UserRole

__all__ = ["cli_context"]

runner = CliRunner()
WINDOW = {"start": "2024-07-01", "end": "2026-01-01"}
SCENARIO = {
    "region": "320500",
    "year": 2025,
    "horizon": 6,
    "name": "landfill ban",
    "changes": [{"kind": "landfill_ban", "stream": HW, "share": 1, "to": "incineration"}],
}


def fields(problem: dict[str, object]) -> set[str]:
    return {e["field"] for e in problem.get("errors") or []}  # type: ignore[attr-defined]


@pytest.fixture
def world(factory: Factory) -> World:
    return build_world(factory)


def test_api_series_forecast_and_backtest(
    client: TestClient, factory: Factory, world: World
) -> None:
    own = factory.api_key(factory.user(UserRole.FIRM, organization=world.a.organization))
    other = factory.api_key(factory.user(UserRole.FIRM, organization=world.d.organization))
    firm = {"level": "firm", "subject": str(world.a.organization.id), **WINDOW}
    series = client.get("/api/v1/forecasts/series", params=firm, headers=own)
    assert series.status_code == 200, series.text
    assert series.json()["tonnes"] == pytest.approx(expected_a_tonnes())
    refused = client.get("/api/v1/forecasts/series", params=firm, headers=other)
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert client.get("/api/v1/forecasts/series", params=firm).status_code == 401
    params = {"level": "city", "subject": "320500", "horizon": 4, "level_pct": [80, 95], **WINDOW}
    forecast = client.get("/api/v1/forecasts", params=params, headers=other)
    assert forecast.status_code == 200, forecast.text
    body = forecast.json()
    assert body["months"][0] == "2026-01-01"
    assert body["levels"] == [80, 95]
    chosen = next(m for m in body["models"] if m["model"] == body["chosen"])
    assert len(chosen["mean_t"]) == 4
    assert all(
        lo <= hi for lo, hi in zip(chosen["lower_t"]["95"], chosen["upper_t"]["95"], strict=True)
    )
    assert {e["model"] for e in body["backtest"]["errors"]} >= {"AutoETS", "Naive"}
    backtest = client.get(
        "/api/v1/forecasts/backtest",
        params={"level": "city", "subject": "320500", "horizon": 2, "windows": 2, **WINDOW},
        headers=other,
    )
    assert backtest.status_code == 200, backtest.text
    assert len(backtest.json()["cutoffs"]) == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": "city", "subject": "3205"}, "subject"),
        ({"level": "sector", "subject": "C36"}, "subject"),
        ({"level": "firm", "subject": "not-a-uuid"}, "subject"),
        ({"level": "city", "subject": "320500", "end": "3000-01-01"}, "end"),
        ({"level": "city", "subject": "320500", "level_pct": 120}, "level_pct"),
        (
            {"level": "city", "subject": "320500", "start": "2025-06-01", "end": "2025-12-01"},
            "subject",
        ),
    ],
)
def test_api_bad_forecast_requests_name_the_field(
    client: TestClient, factory: Factory, world: World, params: dict[str, object], field: str
) -> None:
    headers = factory.api_key(factory.user(UserRole.ADMIN))
    response = client.get("/api/v1/forecasts", params=params, headers=headers)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in fields(response.json())


def test_api_scenario_baseline_and_projection(
    client: TestClient, factory: Factory, world: World
) -> None:
    regulator = factory.api_key(factory.user(UserRole.REGULATOR, jurisdiction_code="320500"))
    outside = factory.api_key(factory.user(UserRole.REGULATOR, jurisdiction_code="330400"))
    firm = factory.api_key(factory.user(UserRole.FIRM, organization=world.a.organization))
    baseline = client.get(
        "/api/v1/scenarios/baseline", params={"region": "320500", "year": 2025}, headers=regulator
    )
    assert baseline.status_code == 200, baseline.text
    assert {s["stream"] for s in baseline.json()["streams"]} == {HW, "SW01"}
    run = client.post(
        "/api/v1/scenarios", params={"forecast": "false"}, json=SCENARIO, headers=regulator
    )
    assert run.status_code == 200, run.text
    body = run.json()
    assert len(body["months"]) == 6
    assert body["scenario_total"]["landfill_t"] < body["baseline_total"]["landfill_t"]
    assert all(f["source"] for f in body["factors"])
    assert client.post("/api/v1/scenarios", json=SCENARIO, headers=firm).status_code == 403
    assert client.post("/api/v1/scenarios", json=SCENARIO, headers=outside).status_code == 403
    bad = {**SCENARIO, "changes": [{"kind": "utilization", "points": 140}]}
    refused = client.post("/api/v1/scenarios", json=bad, headers=regulator)
    assert refused.status_code == 422
    assert fields(refused.json()) == {"changes[0].points"}


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["evaluate", *args])
    return result.exit_code, result.output


def test_cli_forecast_backtest_and_scenario(cli_context: Context, tmp_path: Path) -> None:
    build_world(Factory(cli_context))
    window = ["--start", "2024-07", "--end", "2026-01"]
    code, out = invoke(
        "forecast", "--level", "city", "--subject", "320500", "--horizon", "3", *window
    )
    assert code == 0, out
    assert "2026-01" in out
    assert "MAE t" in out
    code, out = invoke(
        "backtest", "--level", "city", "--subject", "320500", "--windows", "2", *window
    )
    assert code == 0, out
    assert "sMAPE %" in out
    assert "Naive" in out
    code, out = invoke("backtest", "--level", "city", "--subject", "320500", "--json", *window)
    assert code == 0, out
    assert len(json.loads(out)["cutoffs"]) == 3
    spec = tmp_path / "scenario.json"
    spec.write_text(json.dumps(SCENARIO), encoding="utf-8")
    code, out = invoke("scenario", str(spec), "--no-forecast")
    assert code == 0, out
    assert "landfilled t" in out
    assert "unpriced t" in out
    code, out = invoke("scenario", str(spec), "--no-forecast", "--json")
    assert code == 0, out
    body = json.loads(out)
    assert body["scenario_total"]["landfill_t"] < body["baseline_total"]["landfill_t"]
    spec.write_text(json.dumps({**SCENARIO, "horizon": 0}), encoding="utf-8")
    code, out = invoke("scenario", str(spec))
    assert code != 0
    assert "horizon" in out
    code, out = invoke(
        "forecast",
        "--level",
        "city",
        "--subject",
        "320500",
        "--start",
        "2025-06",
        "--end",
        "2025-12",
    )
    assert code != 0
    assert "at least 12" in out


def test_web_forecast_page(client: TestClient, factory: Factory, world: World) -> None:
    assert client.get("/forecasts", follow_redirects=False).status_code == 303
    user = factory.user(UserRole.FIRM, organization=world.a.organization)
    sign_in(client, user.username)
    html = assert_html(client.get("/forecasts?lang=en&start=2024-07&end=2026-01"))
    assert_self_contained(html)
    assert 'id="forecast-chart-data"' in html
    assert "/static/vendor/plotly/plotly.min.js" in html
    assert 'id="backtest-table"' in html
    assert "Rolling-origin cross-validation" in html
    city = assert_html(
        client.get(
            "/forecasts?level=city&subject=320500&horizon=3&start=2024-07&end=2026-01&lang=zh"
        )
    )
    assert "回测误差" in city
    short = assert_html(
        client.get("/forecasts?level=city&subject=320500&start=2025-06&end=2025-12&lang=en")
    )
    assert 'id="forecast-short"' in short
    assert_html(client.get(f"/forecasts?level=firm&subject={world.d.organization.id}"), 403)


def test_web_scenario_page(client: TestClient, factory: Factory, world: World) -> None:
    regulator = factory.user(UserRole.REGULATOR, jurisdiction_code="320500")
    sign_in(client, regulator.username)
    form = assert_html(client.get("/scenarios?lang=en"))
    assert 'id="scenario-form"' in form
    assert 'value="320500"' in form
    html = assert_html(
        client.get(
            f"/scenarios?lang=en&run=1&region=320500&year=2025&horizon=4&stream={HW}&ban_share=1&ban_to=incineration"
        )
    )
    assert_self_contained(html)
    assert 'id="scenario-chart-data"' in html
    assert 'id="factor-table"' in html
    assert "economics.csv" in html
    assert_html(client.get("/scenarios?run=1&region=320500&points=150"), 422)
