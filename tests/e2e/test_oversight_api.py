"""Oversight over HTTP and the CLI: rulebook, alerts scoped by role, workflow, receipts, sweeps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.e2e.test_capture_cli import cli_context, invoke
from tests.factories import Factory
from tests.integration.test_alerts import vanished
from tests.manifest_world import World, build_world
from zerowaste.bootstrap import Context
from zerowaste.domain.accounts import UserRole
from zerowaste.ledger.receipts import Receipt, verify_receipt

__all__ = ["cli_context"]


@pytest.fixture
def world(factory: Factory) -> World:
    return build_world(factory)


def headers_of(factory: Factory, role: UserRole, **scope: object) -> dict[str, str]:
    return factory.api_key(factory.user(role, **scope))  # type: ignore[arg-type]


def test_the_rulebook_is_public(client: TestClient) -> None:
    rules = client.get("/api/v1/oversight/rules").json()
    assert {r["rule_id"] for r in rules} >= {"over_storage", "weight_gap", "under_reporting"}
    storage = client.get("/api/v1/oversight/rules/over_storage").json()
    assert storage["parameters"] == {"max_days": "365"}
    assert storage["level"] == "sweep"
    assert "第八十一条" in storage["legal_basis"]
    missing = client.get("/api/v1/oversight/rules/nope")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["field"] == "rule_id"


def test_alerts_are_scoped_and_moved_by_their_regulator(
    client: TestClient, context: Context, factory: Factory, world: World
) -> None:
    (alert,) = context.alerts.raise_findings([vanished(context, world)])
    jiangsu = headers_of(factory, UserRole.REGULATOR, jurisdiction_code="320000")
    zhejiang = headers_of(factory, UserRole.REGULATOR, jurisdiction_code="330000")
    own = headers_of(factory, UserRole.FIRM, organization=world.generator.organization)
    other = headers_of(factory, UserRole.FIRM, organization=world.receiver.organization)
    path = f"/api/v1/alerts/{alert.alert_id}"
    listed = client.get("/api/v1/alerts", headers=jiangsu).json()
    assert [a["number"] for a in listed["items"]] == ["AL-000001"]
    assert client.get("/api/v1/alerts", headers=zhejiang).json()["items"] == []
    assert client.get("/api/v1/alerts", headers=own).json()["items"][0]["rule_id"] == (
        "vanished_batch"
    )
    assert client.get("/api/v1/alerts", headers=other).json()["items"] == []
    assert client.get(path, headers=zhejiang).status_code == 403
    assert client.get(path, headers=other).status_code == 403
    bad = client.get("/api/v1/alerts", params={"state": "lost"}, headers=jiangsu)
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "state")
    refused = client.post(f"{path}/dismiss", json={"reason": ""}, headers=jiangsu)
    assert (refused.status_code, refused.json()["errors"][0]["field"]) == (422, "reason")
    assert client.post(f"{path}/acknowledge", json={}, headers=zhejiang).status_code == 403
    assert client.post(f"{path}/acknowledge", json={}, headers=own).status_code == 403
    assert client.post(f"{path}/acknowledge", json={}, headers=jiangsu).json()["state"] == (
        "acknowledged"
    )
    done = client.post(f"{path}/dismiss", json={"reason": "scale fault"}, headers=jiangsu)
    assert done.json()["state"] == "dismissed"
    again = client.post(f"{path}/resolve", json={"reason": "x"}, headers=jiangsu)
    assert again.status_code == 409
    detail = client.get(path, headers=own).json()
    assert [s["action"] for s in detail["history"]] == ["raise", "acknowledge", "dismiss"]
    assert detail["history"][-1]["reason"] == "scale fault"
    assert detail["evidence"][0]["event_type"] == "generated"
    receipts = client.get(f"{path}/receipts", headers=own).json()["receipts"]
    (receipt,) = [Receipt.from_json(r) for r in receipts]
    assert verify_receipt(receipt, context.ledger.verifier_key()).leaf_index >= 0


def test_only_an_admin_sweeps_and_the_sweep_is_recorded(
    client: TestClient, factory: Factory, world: World
) -> None:
    admin = headers_of(factory, UserRole.ADMIN)
    regulator = headers_of(factory, UserRole.REGULATOR, jurisdiction_code="320000")
    assert client.post("/api/v1/oversight/sweeps", json={}, headers=regulator).status_code == 403
    bad = client.post("/api/v1/oversight/sweeps", json={"rule_ids": ["nope"]}, headers=admin)
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (404, "rule_id")
    report = client.post("/api/v1/oversight/sweeps", json={}, headers=admin)
    assert report.status_code == 201, report.text
    assert report.json()["raised"] == 0
    (run,) = client.get("/api/v1/oversight/sweeps", headers=regulator).json()
    assert run["sweep_id"] == report.json()["sweep_id"]


def test_the_oversight_commands(cli_context: Context, tmp_path: Path) -> None:
    factory = Factory(cli_context)
    world = build_world(factory)
    (alert,) = cli_context.alerts.raise_findings([vanished(cli_context, world)])
    regulator = factory.user(UserRole.REGULATOR, jurisdiction_code="320000")
    code, out = invoke("oversight", "rules", "--json")
    assert code == 0, out
    assert "weight_gap" in {r["rule"] for r in json.loads(out)}
    code, out = invoke("oversight", "sweep", "--json")
    assert code == 0, out
    assert json.loads(out)["raised"] == 0
    assert invoke("oversight", "sweep", "--as-of", "yesterday")[0] == 65
    code, out = invoke("oversight", "alert", "list", "--json", "--as", regulator.username)
    assert code == 0, out
    assert [a["id"] for a in json.loads(out)] == [str(alert.alert_id)]
    code, out = invoke(
        "oversight", "alert", "resolve", str(alert.alert_id), "--as", regulator.username
    )
    assert code == 65, out
    assert "reason" in out
    code, out = invoke(
        "oversight", "alert", "resolve", str(alert.alert_id), "--reason", "removed",
        "--as", regulator.username,
    )  # fmt: skip
    assert code == 0, out
    assert "resolved" in out
    code, out = invoke("oversight", "alert", "show", str(alert.alert_id), "--json")
    assert [s["action"] for s in json.loads(out)["history"]] == ["raise", "resolve"]
    bundle = tmp_path / "receipts.json"
    assert (
        invoke("oversight", "alert", "receipts", str(alert.alert_id), "--out", str(bundle))[0] == 0
    )
    (receipt,) = json.loads(bundle.read_text("utf-8"))["receipts"]
    single = tmp_path / "receipt.json"
    single.write_text(json.dumps(receipt), "utf-8")
    code, out = invoke("ledger", "verify", str(single), "--key", cli_context.ledger.verifier_key())
    assert code == 0, out
