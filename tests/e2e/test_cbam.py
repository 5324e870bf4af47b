"""CBAM reports end to end: the REST API, the CLI and the web pages."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.e2e.test_capture_cli import cli_context
from tests.e2e.test_web_pages import assert_html, sign_in
from tests.factories import Factory
from tests.integration.test_cbam import Works, activity, stored, works
from zerowaste.bootstrap import Context
from zerowaste.cli.main import app

__all__ = ["cli_context", "works"]

runner = CliRunner()
REPORTS = "/api/v1/carbon/cbam/reports"


def test_api_submit_read_and_export(client: TestClient, factory: Factory, works: Works) -> None:
    own = factory.api_key(works.user)
    created = client.post(REPORTS, json=activity(works.site.id), headers=own)
    assert created.status_code == 201, created.text
    body = created.json()
    report_id = body["report_id"]
    assert body["version"] == 1
    assert [g["cn_code"] for g in body["goods"]] == ["7201", "720711"]
    assert body["document"]["processes"][0]["electricity"][0]["factor_source"]
    read = client.get(f"{REPORTS}/{report_id}", headers=own)
    assert read.status_code == 200
    assert read.json()["goods"] == body["goods"]
    listing = client.get(REPORTS, headers=own)
    assert [r["report_id"] for r in listing.json()] == [report_id]
    exported = client.get(f"{REPORTS}/{report_id}.csv", headers=own)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [row["cn_code"] for row in rows] == ["7201", "720711"]
    assert client.get(f"{REPORTS}/{report_id}?format=csv", headers=own).text == exported.text
    as_json = client.get(f"{REPORTS}/{report_id}.json", headers=own)
    assert as_json.status_code == 200
    assert as_json.json()["goods"] == body["document"]["goods"]
    stranger = factory.api_key(works.other_user)
    assert client.get(f"{REPORTS}/{report_id}", headers=stranger).status_code == 404
    assert client.get(f"{REPORTS}/{report_id}.csv", headers=stranger).status_code == 404
    assert client.get(REPORTS, headers=stranger).json() == []
    assert client.get(REPORTS).status_code == 401


def test_api_refusals_name_the_field_and_store_nothing(
    client: TestClient, context: Context, factory: Factory, works: Works
) -> None:
    own = factory.api_key(works.user)
    bad = activity(works.site.id)
    bad["processes"][1]["precursors"][1]["origin"] = "rumour"
    refused = client.post(REPORTS, json=bad, headers=own)
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["errors"][0]["field"] == "processes[1].precursors[1].origin"
    mismatch = activity(works.site.id)
    mismatch["processes"][0]["route"] = "grey_clinker"
    answer = client.post(REPORTS, json=mismatch, headers=own)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "processes[0].goods[0].cn_code"
    forbidden = client.post(
        REPORTS, json=activity(works.site.id), headers=factory.api_key(works.other_user)
    )
    assert forbidden.status_code == 403
    assert stored(context) == 0


def test_api_idempotency_key_replays_the_report(
    client: TestClient, context: Context, factory: Factory, works: Works
) -> None:
    headers = {**factory.api_key(works.user), "Idempotency-Key": "cbam-q1"}
    first = client.post(REPORTS, json=activity(works.site.id), headers=headers)
    second = client.post(REPORTS, json=activity(works.site.id), headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.headers.get("idempotent-replayed") == "true"
    assert first.json()["report_id"] == second.json()["report_id"]
    assert stored(context) == 1


def test_cli_submit_list_show_export(cli_context: Context, works: Works, tmp_path: Path) -> None:
    source = tmp_path / "q1.json"
    source.write_text(json.dumps(activity(works.site.id)), encoding="utf-8")
    result = runner.invoke(app, ["carbon", "cbam", "submit", str(source), "--json"])
    assert result.exit_code == 0, result.output
    report_id = json.loads(result.output)["report_id"]
    listed = runner.invoke(app, ["carbon", "cbam", "list", "--json"])
    assert [r["report_id"] for r in json.loads(listed.output)] == [report_id]
    shown = runner.invoke(app, ["carbon", "cbam", "show", report_id, "--json"])
    assert json.loads(shown.output)["goods"][1]["cn_code"] == "720711"
    exported = runner.invoke(app, ["carbon", "cbam", "export", report_id, "--format", "csv"])
    assert exported.exit_code == 0
    assert exported.output.splitlines()[0].startswith("report_id,version,reporting_period")
    out = tmp_path / "report.json"
    runner.invoke(app, ["carbon", "cbam", "export", report_id, "--format", "json", "-o", str(out)])
    assert json.loads(out.read_text(encoding="utf-8"))["report_id"] == report_id
    assert runner.invoke(app, ["carbon", "cbam", "export", report_id, "--format", "xml"]).exit_code
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**activity(works.site.id), "period": "Q1"}), encoding="utf-8")
    refused = runner.invoke(app, ["carbon", "cbam", "submit", str(bad)])
    assert refused.exit_code == 65
    assert "period" in refused.output
    assert stored(cli_context) == 1


def test_web_list_and_report_pages(
    client: TestClient, context: Context, factory: Factory, works: Works
) -> None:
    report = context.cbam.submit(works.user, activity(works.site.id))
    assert client.get("/carbon/cbam", follow_redirects=False).status_code == 303
    username = context.accounts.principal(works.user.user_id).username
    sign_in(client, username)
    listing = assert_html(client.get("/carbon/cbam"))
    assert f"/carbon/cbam/{report.id}" in listing
    page = assert_html(client.get(f"/carbon/cbam/{report.id}"))
    assert 'id="cbam-goods"' in page
    assert "720711" in page
    assert f"/api/v1/carbon/cbam/reports/{report.id}.csv" in page
    assert f"/api/v1/carbon/cbam/reports/{report.id}.json" in page
    assert 'href="/carbon/factors/inventory/electricity/grid/' in page
    assert "Ironworks A" in page
    downloaded = client.get(f"/api/v1/carbon/cbam/reports/{report.id}.csv")
    assert downloaded.status_code == 200
    assert "720711" in downloaded.text
    english = assert_html(client.get(f"/carbon/cbam/{report.id}?lang=en"))
    assert "Production processes" in english
    assert "生产工艺" in assert_html(client.get(f"/carbon/cbam/{report.id}?lang=zh"))
    assert assert_html(client.get("/carbon/cbam/not-an-id"), 404)
