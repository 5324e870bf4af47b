"""The alert pages in headless Chromium: list and map → one alert → dismissed with a reason."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from tests.browser.live import migrated_context, served, signed_in
from tests.browser.test_browser import (
    screenshot,
)
from tests.conftest import MASTER_KEY, FixedClock
from tests.e2e.test_web_alerts import build_alert_world
from tests.factories import OPERATOR, Factory
from zerowaste.bootstrap import Context
from zerowaste.domain.alerts import AlertState
from zerowaste.domain.pages import PageRequest

pytestmark = pytest.mark.browser


@dataclass
class LiveAlerts:
    """A running server over two alerts (Jiangsu, Zhejiang) and a Jiangsu regulator."""

    base_url: str
    context: Context
    alert_id: uuid.UUID
    other_id: uuid.UUID
    username: str


@pytest.fixture(scope="module")
def live_alerts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveAlerts]:
    context = migrated_context(
        tmp_path_factory,
        "browser-alerts",
        master_key=MASTER_KEY,
        clock=FixedClock(datetime.now(UTC) - timedelta(days=1)),
    )
    world = build_alert_world(Factory(context))
    with served(context) as base_url:
        yield LiveAlerts(
            base_url,
            context,
            world.jiangsu_alert.alert_id,
            world.zhejiang_alert.alert_id,
            world.users["jiangsu_regulator"].username,
        )


def test_a_regulator_dismisses_an_alert_with_a_reason(live_alerts: LiveAlerts) -> None:
    from playwright.sync_api import expect

    reason = "Duplicate of an inspection finding already handled on site."
    with signed_in(live_alerts.base_url, live_alerts.username, "/alerts?lang=en", "**/alerts*") as (
        page,
        traffic,
    ):
        expect(page.locator("#alerts tr.alert-row")).to_have_count(1)
        assert page.locator(f"a[href$='/alerts/{live_alerts.other_id}']").count() == 0
        expect(page.locator("#alert-map .leaflet-marker-icon")).to_have_count(1)
        screenshot(page, "alerts-en")
        page.click(f"#alerts a[href$='/alerts/{live_alerts.alert_id}']")
        page.wait_for_url(f"**/alerts/{live_alerts.alert_id}")
        state = page.locator("#alert-state")
        expect(state).to_have_attribute("data-state", "open")
        expect(page.locator("#history tr.step")).to_have_count(1)
        assert page.locator("#evidence a.receipt").count() == 1
        page.fill("#reason-dismiss", reason)
        page.click("#form-dismiss button[type=submit]")
        page.wait_for_url(f"**/alerts/{live_alerts.alert_id}")
        expect(state).to_have_attribute("data-state", "dismissed")
        expect(state).to_have_text("Dismissed")
        expect(page.locator("#flash")).to_be_visible()
        expect(page.locator("#history tr.step")).to_have_count(2)
        expect(page.locator("#history tr.step[data-action='dismiss'] .reason")).to_have_text(reason)
        assert page.locator("#workflow").count() == 0
        screenshot(page, "alert-dismissed-en")
        assert traffic.errors == [], "\n".join(traffic.errors)
        assert traffic.hosts <= {urlsplit(live_alerts.base_url).netloc}
    dismissed = live_alerts.context.alerts.find(
        OPERATOR, PageRequest(None, 10), states=[AlertState.DISMISSED]
    ).items
    assert [a.alert_id for a in dismissed] == [live_alerts.alert_id]  # stored, not only shown
    assert dismissed[0].reason == reason
