"""The alert, rulebook and regulator desk pages through the app, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from tests.e2e.test_web_pages import assert_html, assert_self_contained, form_token, sign_in
from tests.factories import Factory
from tests.manifest_world import Party, party
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.alerts import Alert, AlertState
from zerowaste.domain.event_documents import event_document
from zerowaste.domain.events import BatchOutput, EventType, WasteEvent
from zerowaste.domain.organizations import OrganizationRole
from zerowaste.domain.sites import SiteKind
from zerowaste.errors import SignatureInvalid
from zerowaste.ledger.receipts import verify_receipt
from zerowaste.oversight.findings import Finding
from zerowaste.oversight.rules import RULES

CODE = "900-214-08"


@dataclass
class AlertWorld:
    """A Jiangsu firm's over-storage alert, a Zhejiang firm's weight-gap alert, and the users."""

    factory: Factory
    jiangsu: Party
    zhejiang: Party
    jiangsu_alert: Alert
    zhejiang_alert: Alert
    jiangsu_batch: uuid.UUID
    jiangsu_event: uuid.UUID
    users: dict[str, Principal]


def generated(factory: Factory, holder: Party, kg: str = "800") -> tuple[uuid.UUID, uuid.UUID]:
    """Capture a generated batch at the holder's site; return (event id, batch id)."""
    event_id, batch_id = uuid.uuid4(), uuid.uuid4()
    event = WasteEvent(
        event_id=event_id,
        event_type=EventType.GENERATED,
        event_time=factory.context.clock(),
        organization_id=holder.id,
        site_id=holder.site.id,
        outputs=(BatchOutput(batch_id, Decimal(kg), waste_code=CODE),),
    )
    factory.context.capture.capture_custodial(holder.user, [event_document(event)])
    return event_id, batch_id


def build_alert_world(factory: Factory) -> AlertWorld:
    """Raise one alert for a firm in Suzhou (320505) and one for a firm in Huzhou (330502)."""
    jiangsu = party(factory, OrganizationRole.GENERATOR, "320505", SiteKind.STORAGE)
    zhejiang = party(factory, OrganizationRole.UTILIZER, "330502", SiteKind.RECYCLER)
    js_event, js_batch = generated(factory, jiangsu)
    zj_event, zj_batch = generated(factory, zhejiang)
    now = factory.context.clock()
    findings = [
        Finding(
            "over_storage",
            f"batch:{js_batch}",
            jiangsu.id,
            now,
            {
                "waste_code": CODE,
                "batch": str(js_batch)[:8],
                "stored_days": "400",
                "since": "2025-04-27",
            },
            event_ids=(js_event,),
            batch_ids=(js_batch,),
            site_id=jiangsu.site.id,
        ),
        Finding(
            "weight_gap",
            f"event:{zj_event}",
            zhejiang.id,
            now,
            {"shipped_kg": "1000", "received_kg": "900", "gap_pct": "10", "tolerance_pct": "2"},
            event_ids=(zj_event,),
            batch_ids=(zj_batch,),
        ),
    ]
    raised = {a.rule_id: a for a in factory.context.alerts.raise_findings(findings)}
    users = {
        "admin": factory.user(UserRole.ADMIN),
        "jiangsu_regulator": factory.user(UserRole.REGULATOR, jurisdiction_code="320000"),
        "zhejiang_regulator": factory.user(UserRole.REGULATOR, jurisdiction_code="330000"),
        "jiangsu_firm": jiangsu.user,
        "zhejiang_firm": zhejiang.user,
    }
    return AlertWorld(
        factory,
        jiangsu,
        zhejiang,
        raised["over_storage"],
        raised["weight_gap"],
        js_batch,
        js_event,
        users,
    )


def as_user(client: TestClient, world: AlertWorld, who: str) -> None:
    client.cookies.clear()
    assert sign_in(client, world.users[who].username).status_code == 303


def listed(html: str) -> set[str]:
    return set(re.findall(r'href="/alerts/([0-9a-f-]{36})"', html))


def test_each_role_sees_only_the_alerts_in_its_scope(client: TestClient, factory: Factory) -> None:
    world = build_alert_world(factory)
    js, zj = str(world.jiangsu_alert.alert_id), str(world.zhejiang_alert.alert_id)
    for path in ("/alerts", f"/alerts/{js}", f"/alerts/{js}/receipts.json", "/desk"):
        anonymous = client.get(path, follow_redirects=False)
        assert anonymous.status_code == 303, path
        assert anonymous.headers["location"].startswith("/login?next="), path
    expected = {
        "admin": {js, zj},
        "jiangsu_regulator": {js},
        "zhejiang_regulator": {zj},
        "jiangsu_firm": {js},
        "zhejiang_firm": {zj},
    }
    for who, visible in expected.items():
        as_user(client, world, who)
        page = assert_html(client.get("/alerts"))
        assert listed(page) == visible, who
        for alert_id in {js, zj}:
            detail = client.get(f"/alerts/{alert_id}")
            bundle = client.get(f"/alerts/{alert_id}/receipts.json")
            if alert_id in visible:
                assert detail.status_code == 200, who
                assert bundle.status_code == 200, who
            else:
                assert_html(detail, 403)
                assert bundle.status_code == 403, who
        desk = client.get("/desk")
        assert desk.status_code == (403 if who.endswith("_firm") else 200), who
        assert ('href="/desk"' in page) is (not who.endswith("_firm")), who
    as_user(client, world, "zhejiang_regulator")
    other = client.get(f"/alerts?organization={world.jiangsu.id}")
    assert_html(other, 403)
    desk = assert_html(client.get("/desk"))
    assert listed(desk) == {zj}
    assert "(330000)" in desk
    for path in ("/approvals", "/whitelist", "/inspections", "/risk", "/alerts", "/rules"):
        assert f'href="{path}"' in desk
    assert_html(client.get(f"/alerts/{uuid.uuid4()}"), 404)
    assert_html(client.get("/alerts/not-an-id"), 404)
    assert "state" in assert_html(client.get("/alerts?state=closed"), 422)
    assert "rule" in assert_html(client.get("/alerts?rule=nope"), 422)


def test_the_list_filters_counts_and_maps_the_alerts(client: TestClient, factory: Factory) -> None:
    world = build_alert_world(factory)
    js, zj = str(world.jiangsu_alert.alert_id), str(world.zhejiang_alert.alert_id)
    as_user(client, world, "admin")
    page = assert_html(client.get("/alerts"))
    assert_self_contained(page)
    assert world.jiangsu_alert.label in page
    assert "危险废物超期贮存" in page
    assert "转移重量差异" in page
    assert world.jiangsu_alert.explanation_zh in page
    assert f'<option value="{world.zhejiang.id}"' in page
    counts = re.search(r'data-state="open"><th scope="row"><a [^>]+>[^<]+</a></th><td>(\d+)', page)
    assert counts is not None
    assert counts.group(1) == "2"
    data = re.search(r'<script type="application/json" id="alert-map-data">(.*?)</script>', page)
    assert data is not None
    points = json.loads(data.group(1))["points"]
    assert {p["url"] for p in points} == {f"/alerts/{js}", f"/alerts/{zj}"}
    site = world.jiangsu.site
    assert any(p["lat"] == site.latitude and p["lng"] == site.longitude for p in points)
    assert listed(assert_html(client.get("/alerts?rule=weight_gap"))) == {zj}
    assert listed(assert_html(client.get("/alerts?severity=high&state=open"))) == {js, zj}
    assert listed(assert_html(client.get(f"/alerts?organization={world.jiangsu.id}"))) == {js}
    assert listed(assert_html(client.get("/alerts?state=resolved"))) == set()
    english = assert_html(client.get("/alerts?lang=en"))
    assert "Hazardous waste stored too long" in english
    assert world.jiangsu_alert.explanation_en in english


def test_the_alert_page_shows_explanation_rule_evidence_and_history(
    client: TestClient, factory: Factory
) -> None:
    world = build_alert_world(factory)
    alert = world.jiangsu_alert
    as_user(client, world, "jiangsu_firm")
    page = assert_html(client.get(f"/alerts/{alert.alert_id}"))
    assert_self_contained(page)
    assert page.index(alert.explanation_zh) < page.index(alert.explanation_en)
    assert "固废法 第八十一条" in page
    assert "max_days" in page
    assert "365" in page
    assert "stored_days" in page
    assert f'href="/batches/{world.jiangsu_batch}"' in page
    assert f'href="/api/v1/ledger/entries/{world.jiangsu_event}/receipt"' in page
    assert page.count('class="step"') == 1  # raised
    assert 'id="workflow"' not in page  # a firm user does not move alerts
    assert f'href="/alerts/{alert.alert_id}/receipts.json"' in page
    english = assert_html(client.get(f"/alerts/{alert.alert_id}?lang=en"))
    assert english.index(alert.explanation_en) < english.index(alert.explanation_zh)
    assert "Evidence events" in english
    as_user(client, world, "admin")
    assert 'id="workflow"' not in assert_html(client.get(f"/alerts/{alert.alert_id}"))


def test_a_regulator_moves_an_alert_and_a_blank_reason_stores_nothing(
    client: TestClient, factory: Factory
) -> None:
    world = build_alert_world(factory)
    alerts = factory.context.alerts
    admin = world.users["admin"]
    alert_id = world.jiangsu_alert.alert_id
    path = f"/alerts/{alert_id}"
    as_user(client, world, "zhejiang_regulator")
    token = form_token(assert_html(client.get("/alerts")))
    outside = client.post(f"{path}/acknowledge", data={"csrf": token})
    assert_html(outside, 403)
    as_user(client, world, "jiangsu_regulator")
    page = assert_html(client.get(path))
    for step in ("acknowledge", "resolve", "dismiss"):
        assert f'action="{path}/{step}"' in page
    token = form_token(page)
    assert client.post(f"{path}/dismiss", data={"csrf": "wrong", "reason": "x"}).status_code == 403
    blank = assert_html(client.post(f"{path}/dismiss", data={"csrf": token, "reason": "  "}), 422)
    assert 'id="error-reason-dismiss"' in blank
    assert 'id="error-reason-resolve"' not in blank
    view = alerts.alert(admin, alert_id)
    assert view.alert.state is AlertState.OPEN
    assert len(view.history) == 1
    assert_html(client.post(f"{path}/raise", data={"csrf": token}), 404)
    done = client.post(f"{path}/acknowledge", data={"csrf": token}, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == path
    page = assert_html(client.get(path))
    assert "已确认告警" in page
    assert f'action="{path}/acknowledge"' not in page
    reason = "现场核实：该批次已于上月委托处置，台账补录延迟。"
    done = client.post(f"{path}/resolve", data={"csrf": token, "reason": reason})
    assert done.status_code == 200  # followed to the page
    view = alerts.alert(admin, alert_id)
    assert view.alert.state is AlertState.RESOLVED
    assert view.alert.reason == reason
    assert [s.action.value for s in view.history] == ["raise", "acknowledge", "resolve"]
    page = assert_html(client.get(f"{path}?lang=en"))
    assert 'data-state="resolved"' in page
    assert reason in page
    assert page.count('class="step"') == 3
    assert world.users["jiangsu_regulator"].username in page
    assert "(320000)" in page
    assert 'id="workflow"' not in page
    again = assert_html(client.post(f"{path}/dismiss", data={"csrf": token, "reason": "x"}), 409)
    assert 'id="step-refused"' in again
    assert len(alerts.alert(admin, alert_id).history) == 3


def test_the_receipts_bundle_verifies_offline(client: TestClient, factory: Factory) -> None:
    world = build_alert_world(factory)
    alert = world.jiangsu_alert
    as_user(client, world, "jiangsu_firm")
    response = client.get(f"/alerts/{alert.alert_id}/receipts.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert f'filename="{alert.label}-receipts.json"' in response.headers["content-disposition"]
    bundle = response.json()
    assert bundle["format"] == "zerowaste.alert-receipts/1"
    assert bundle["number"] == alert.label
    assert bundle["rule_id"] == "over_storage"
    assert len(bundle["receipts"]) == bundle["evidence_events"] == 1
    key = client.get(bundle["verifier_key_url"]).text.strip()
    receipt = bundle["receipts"][0]
    verified = verify_receipt(receipt, key)
    assert receipt["event"]["event_id"] == str(world.jiangsu_event)
    assert verified.leaf_index == receipt["leaf_index"]
    receipt["event"]["event_type"] = "disposed"
    with pytest.raises(SignatureInvalid):
        verify_receipt(receipt, key)


def test_the_rulebook_is_public_and_complete(client: TestClient) -> None:
    page = assert_html(client.get("/rules"))
    assert_self_contained(page)
    for spec in RULES:
        assert f'id="rule-{spec.rule_id}"' in page
        for text in (spec.name_zh, spec.name_en, spec.legal_basis, spec.explanation_en):
            assert str(escape(text)) in page
        for name in spec.parameters:
            assert name in page
    assert "over_storage" in page
    assert "max_days = 365" in page
    english = assert_html(client.get("/rules?lang=en"))
    assert "Periodic sweep" in english
    assert "On capture" in english
