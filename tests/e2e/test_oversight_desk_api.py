"""The regulator's desk end to end: REST, the web pages, the public pages and the CLI."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.e2e.test_capture_cli import cli_context
from tests.e2e.test_web_pages import assert_html, form_token, sign_in
from tests.factories import OPERATOR, Factory
from tests.integration.test_capture import CODE, document, line, make_firm, signed
from tests.integration.test_oversight_desk import Desk, add_alert, desk
from zerowaste.bootstrap import Context
from zerowaste.cli.oversight_desk import app
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.sites import SiteKind

__all__ = ["cli_context", "desk"]

runner = CliRunner()


def keys(factory: Factory, desk: Desk) -> dict[str, dict[str, str]]:
    return {
        "suzhou": factory.api_key(desk.suzhou_regulator),
        "zhejiang": factory.api_key(desk.zhejiang_regulator),
        "clean": factory.api_key(desk.clean_user),
        "risky": factory.api_key(desk.risky_user),
        "anonymous": {},
    }


def fields_of(response: Any) -> set[str]:
    return {e["field"] for e in response.json().get("errors") or []}


def test_risk_scores_by_role(client: TestClient, factory: Factory, desk: Desk) -> None:
    h = keys(factory, desk)
    risky = f"/api/v1/organizations/{desk.risky.organization.id}/risk"
    found = client.get(risky, headers=h["suzhou"])
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["band"] == "high"
    assert {f["factor"] for f in body["factors"]} >= {"recent_alerts", "permits"}
    assert all({"value", "weight", "contribution"} <= set(f) for f in body["factors"])
    assert sum(f["weight"] for f in body["factors"]) == pytest.approx(1)
    assert client.get(risky, headers=h["risky"]).status_code == 200
    assert client.get(risky, headers=h["clean"]).status_code == 403
    assert client.get(risky, headers=h["zhejiang"]).status_code == 403
    assert client.get(risky, headers=h["anonymous"]).status_code == 401
    listing = client.get("/api/v1/risk", headers=h["zhejiang"])
    assert [r["region_code"][:2] for r in listing.json()] == ["33"]
    assert (
        client.get("/api/v1/risk?jurisdiction_code=320000", headers=h["zhejiang"]).status_code
        == 403
    )
    bad = client.get("/api/v1/risk?jurisdiction_code=32x", headers=h["suzhou"])
    assert bad.status_code == 422
    assert fields_of(bad) == {"jurisdiction_code"}


def test_whitelist_over_the_api_and_the_public_list(
    client: TestClient, factory: Factory, desk: Desk
) -> None:
    h = keys(factory, desk)
    found = client.get("/api/v1/whitelist/candidates", headers=h["suzhou"]).json()
    by_id = {c["organization_id"]: c for c in found}
    assert by_id[str(desk.clean.organization.id)]["eligible"] is True
    risky = by_id[str(desk.risky.organization.id)]
    assert {c["criterion"] for c in risky["criteria"] if not c["met"]} >= {"no_high_alert"}
    assert str(desk.zhejiang.organization.id) not in by_id
    assert client.get("/api/v1/whitelist/candidates", headers=h["clean"]).status_code == 403
    admit = f"/api/v1/organizations/{desk.clean.organization.id}/whitelist/admit"
    for body in ({}, {"reason": "   "}):
        refused = client.post(admit, json=body, headers=h["suzhou"])
        assert refused.status_code == 422
        assert fields_of(refused) == {"reason"}
    assert client.post(admit, json={"reason": "x"}, headers=h["zhejiang"]).status_code == 403
    assert client.get("/api/v1/public/whitelist").json() == []
    bad = client.get("/api/v1/public/whitelist?jurisdiction_code=Jiangsu")
    assert bad.status_code == 422
    assert fields_of(bad) == {"jurisdiction_code"}
    done = client.post(admit, json={"reason": "一年无违规"}, headers=h["suzhou"])
    assert done.status_code == 201, done.text
    assert client.post(admit, json={"reason": "again"}, headers=h["suzhou"]).status_code == 409
    [public] = client.get("/api/v1/public/whitelist").json()
    assert public["credit_code"] == desk.clean.organization.credit_code
    assert public["since"] == desk.context.clock().date().isoformat()
    risky_admit = f"/api/v1/organizations/{desk.risky.organization.id}/whitelist/admit"
    assert client.post(risky_admit, json={"reason": "x"}, headers=h["suzhou"]).status_code == 409
    remove = f"/api/v1/organizations/{desk.clean.organization.id}/whitelist/remove"
    assert client.post(remove, json={"reason": "复查"}, headers=h["suzhou"]).status_code == 201
    assert client.get("/api/v1/public/whitelist").json() == []


def test_inspection_plans_over_the_api(client: TestClient, factory: Factory, desk: Desk) -> None:
    h = keys(factory, desk)
    start = desk.context.clock().date()
    good: dict[str, Any] = {
        "jurisdiction_code": "320500",
        "period_start": start.isoformat(),
        "period_end": (start + timedelta(days=30)).isoformat(),
        "seed": 11,
        "rates": {"whitelisted": "0.05", "base": "0.5"},
    }
    bad_cases: list[tuple[dict[str, Any], str]] = [
        (
            {"period_end": start.isoformat(), "period_start": (start + timedelta(1)).isoformat()},
            "period_end",
        ),
        ({"rates": {"whitelisted": "0.05", "base": "2"}}, "rates.base"),
        ({"seed": -1}, "seed"),
        ({"jurisdiction_code": "3205"}, "jurisdiction_code"),
        ({"period_start": "not a date"}, "period_start"),
    ]
    for change, field in bad_cases:
        refused = client.post("/api/v1/inspection-plans", json=good | change, headers=h["suzhou"])
        assert refused.status_code == 422, (change, refused.text)
        assert field in fields_of(refused), (field, refused.json())
    assert client.get("/api/v1/inspection-plans", headers=h["suzhou"]).json() == []
    zj = client.post("/api/v1/inspection-plans", json=good, headers=h["zhejiang"])
    assert zj.status_code == 403
    made = client.post("/api/v1/inspection-plans", json=good, headers=h["suzhou"])
    assert made.status_code == 201, made.text
    plan = made.json()
    assert plan["seed"] == 11
    assert plan["reproducible"] is True
    assert plan["rates"] == {"whitelisted": "0.05", "base": "0.5"}
    reasons = {a["organization_id"]: a["reason"] for a in plan["assignments"]}
    assert reasons[str(desk.risky.organization.id)] == "high_risk"
    again = client.post("/api/v1/inspection-plans", json=good, headers=h["suzhou"]).json()
    assert [a["organization_id"] for a in again["assignments"]] == list(reasons)
    path = f"/api/v1/inspection-plans/{plan['plan_id']}"
    shown = client.get(path, headers=h["suzhou"]).json()
    assert {a["status"] for a in shown["assignments"]} == {"drawn"}
    assert client.get(path, headers=h["zhejiang"]).status_code == 403
    assert client.get(path, headers=h["clean"]).status_code == 403
    assert [
        p["plan_id"] for p in client.get("/api/v1/inspection-plans", headers=h["zhejiang"]).json()
    ] == []
    public = f"/api/v1/public/inspection-plans/{plan['plan_id']}"
    assert client.get(public).status_code == 404
    published = client.post(f"{path}/publish", headers=h["suzhou"])
    assert published.status_code == 201, published.text
    assert client.post(f"{path}/publish", headers=h["suzhou"]).status_code == 409
    opened = client.get(public)
    assert opened.status_code == 200
    assert all(
        a["inspector_user_id"] is None and a["inspector_name"] for a in opened.json()["assignments"]
    )
    assert [p["plan_id"] for p in client.get("/api/v1/public/inspection-plans").json()] == [
        plan["plan_id"]
    ]


def test_desk_pages_and_public_pages(client: TestClient, factory: Factory, desk: Desk) -> None:
    anonymous = TestClient(client.app)
    for page in ("/whitelist", "/inspection-plans", "/whitelist?lang=en"):
        assert_html(anonymous.get(page))
    login = anonymous.get("/risk", follow_redirects=False)
    assert login.status_code == 303
    assert "/login" in login.headers["location"]

    assert sign_in(client, desk.suzhou_regulator.username).status_code == 303
    risky = desk.risky.organization.id
    listing = assert_html(client.get("/risk"))
    assert f'id="risk-{risky}" data-band="high"' in listing
    assert str(desk.zhejiang.organization.id) not in listing
    firm = assert_html(client.get(f"/risk/{risky}"))
    assert firm.count('id="factor-') == 7
    candidates = assert_html(client.get("/whitelist/candidates?lang=en"))
    assert f'id="candidate-{desk.clean.organization.id}" data-eligible="true"' in candidates
    token = form_token(candidates)
    refused = client.post(
        f"/whitelist/candidates/{desk.clean.organization.id}/admit",
        data={"csrf": token, "reason": ""},
    )
    assert refused.status_code == 422
    assert "reason" in refused.text
    admitted = client.post(
        f"/whitelist/candidates/{desk.clean.organization.id}/admit",
        data={"csrf": token, "reason": "无违规"},
        follow_redirects=False,
    )
    assert admitted.status_code == 303
    assert desk.clean.organization.credit_code in assert_html(anonymous.get("/whitelist"))

    start = desk.context.clock().date()
    form = {
        "csrf": token,
        "jurisdiction_code": "320500",
        "period_start": start.isoformat(),
        "period_end": (start - timedelta(days=1)).isoformat(),
        "seed": "5",
    }
    bad = client.post("/inspections", data=form)
    assert bad.status_code == 422
    assert "period_end" in bad.text
    form["period_end"] = (start + timedelta(days=14)).isoformat()
    drawn = client.post("/inspections", data=form, follow_redirects=False)
    assert drawn.status_code == 303
    plan_path = drawn.headers["location"]
    plan_id = plan_path.rsplit("/", 1)[1]
    page = assert_html(client.get(plan_path))
    assert 'data-reproducible="true"' in page
    assert f'id="assignment-{risky}" data-status="drawn" data-reason="high_risk"' in page
    assert anonymous.get(f"/inspection-plans/{plan_id}").status_code == 404
    published = client.post(f"{plan_path}/publish", data={"csrf": token}, follow_redirects=False)
    assert published.status_code == 303
    public = assert_html(anonymous.get(f"/inspection-plans/{plan_id}"))
    assert f'id="assignment-{risky}"' in public
    assert plan_id in assert_html(anonymous.get("/inspection-plans"))

    outsider = TestClient(client.app)
    assert sign_in(outsider, desk.zhejiang_regulator.username).status_code == 303
    assert outsider.get(f"/risk/{risky}").status_code == 403
    assert outsider.get(plan_path).status_code == 403
    own = TestClient(client.app)
    assert sign_in(own, desk.risky_user.username).status_code == 303
    assert_html(own.get(f"/risk/{risky}"))
    assert own.get(f"/risk/{desk.clean.organization.id}").status_code == 403
    assert own.get("/whitelist/candidates").status_code == 403


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_the_desk_commands(cli_context: Context) -> None:
    factory = Factory(cli_context)
    now = datetime.now(UTC)
    cli_context.clock.now = now  # type: ignore[attr-defined]
    firms = [make_firm(factory), make_firm(factory)]
    for firm in firms:
        factory.site(firm.organization, SiteKind.STORAGE)
        batch = uuid.uuid4()
        made = document(
            firm,
            "generated",
            now - timedelta(minutes=5),
            outputs=[line(batch, "5", waste_code=CODE)],
        )
        cli_context.capture.capture(OPERATOR, [signed(firm, made)])
    clean, risky = firms
    for rule in ("over_storage", "weight_gap"):
        add_alert(cli_context, risky, rule, raised=now - timedelta(minutes=1))
    regulator = factory.user(UserRole.REGULATOR, jurisdiction_code="320500")
    outsider = factory.user(UserRole.REGULATOR, jurisdiction_code="330000")

    code, out = invoke("risk", str(risky.organization.id), "--json")
    assert code == 0, out
    scored = json.loads(out)
    assert scored["band"] == "high"
    assert {f["factor"] for f in scored["factors"]} >= {"recent_alerts", "no_store"}
    assert invoke("risk", str(risky.organization.id), "--as", outsider.username)[0] == 77
    code, out = invoke("risk", "--as", regulator.username, "--json")
    assert code == 0, out
    assert json.loads(out)[0]["organization_id"] == str(risky.organization.id)

    code, out = invoke(
        "whitelist", "candidates", "--as", regulator.username, "--eligible", "--json"
    )
    assert code == 0, out
    assert [r["organization_id"] for r in json.loads(out)] == [str(clean.organization.id)]
    assert (
        invoke(
            "whitelist",
            "admit",
            str(clean.organization.id),
            "--reason",
            " ",
            "--as",
            regulator.username,
        )[0]
        == 65
    )
    code, out = invoke(
        "whitelist",
        "admit",
        clean.organization.credit_code,
        "--reason",
        "无违规",
        "--as",
        regulator.username,
    )
    assert code == 0, out
    assert invoke("whitelist", "admit", str(risky.organization.id), "--reason", "x")[0] == 73
    code, out = invoke("whitelist", "list", "--json")
    assert [r["organization_id"] for r in json.loads(out)] == [str(clean.organization.id)]
    assert invoke("whitelist", "remove", str(clean.organization.id), "--reason", "复查")[0] == 0
    assert json.loads(invoke("whitelist", "list", "--json")[1]) == []

    today = now.date().isoformat()
    end = (now.date() + timedelta(days=30)).isoformat()
    draw = ("inspections", "draw", "--jurisdiction", "320500", "--start", today, "--end", end)
    assert invoke(*draw, "--base-rate", "1.5")[0] == 65
    assert invoke(*draw[:-1], "tomorrow")[0] == 65
    assert invoke(*draw, "--as", outsider.username)[0] == 77
    code, out = invoke(*draw, "--seed", "3", "--as", regulator.username, "--json")
    assert code == 0, out
    [plan] = json.loads(out)
    assert plan["seed"] == 3
    code, out = invoke("inspections", "list", "--as", regulator.username, "--json")
    assert [p["plan_id"] for p in json.loads(out)] == [plan["plan_id"]]
    assert json.loads(invoke("inspections", "list", "--as", outsider.username, "--json")[1]) == []
    code, out = invoke("inspections", "show", plan["plan_id"], "--json")
    assert code == 0, out
    shown = json.loads(out)
    assert {r["reason"] for r in shown["results"]} >= {"high_risk"}
    assert invoke("inspections", "show", plan["plan_id"], "--as", outsider.username)[0] == 77
    assert invoke("inspections", "show", str(uuid.uuid4()))[0] == 66
    assert invoke("inspections", "publish", plan["plan_id"], "--as", regulator.username)[0] == 0
    assert invoke("inspections", "publish", plan["plan_id"])[0] == 73
