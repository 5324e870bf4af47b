"""The alert pages in headless Chromium: list and map → one alert → dismissed with a reason."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from tests.browser.test_browser import (
    CHROMIUM_ARGS,
    chromium_or_skip,
    screenshot,
    serving,
    watch,
)
from tests.conftest import MASTER_KEY, FixedClock
from tests.e2e.test_web_alerts import build_alert_world
from tests.factories import OPERATOR, PASSWORD, Factory
from zerowaste.app import create_app
from zerowaste.bootstrap import Context, build_context
from zerowaste.domain.alerts import AlertState
from zerowaste.domain.pages import PageRequest
from zerowaste.settings import Settings

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
    chromium_or_skip()
    database = tmp_path_factory.mktemp("browser-alerts") / "zerowaste.db"
    settings = Settings(database_url=f"sqlite:///{database}", master_key=MASTER_KEY)  # type: ignore[arg-type]
    context = build_context(settings, clock=FixedClock(datetime.now(UTC) - timedelta(days=1)))
    context.migrate()
    world = build_alert_world(Factory(context))
    with serving(create_app(context=context)) as base_url:
        yield LiveAlerts(
            base_url,
            context,
            world.jiangsu_alert.alert_id,
            world.zhejiang_alert.alert_id,
            world.users["jiangsu_regulator"].username,
        )
    context.close()


def test_a_regulator_dismisses_an_alert_with_a_reason(live_alerts: LiveAlerts) -> None:
    from playwright.sync_api import expect, sync_playwright

    reason = "Duplicate of an inspection finding already handled on site."
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium_or_skip()), args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            traffic = watch(page)
            page.goto(f"{live_alerts.base_url}/login?next=/alerts?lang=en")
            page.fill("input[name=username]", live_alerts.username)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/alerts*")
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
            expect(page.locator("#history tr.step[data-action='dismiss'] .reason")).to_have_text(
                reason
            )
            assert page.locator("#workflow").count() == 0
            screenshot(page, "alert-dismissed-en")
            assert traffic.errors == [], "\n".join(traffic.errors)
            assert traffic.hosts <= {urlsplit(live_alerts.base_url).netloc}
        finally:
            browser.close()
    dismissed = live_alerts.context.alerts.find(
        OPERATOR, PageRequest(None, 10), states=[AlertState.DISMISSED]
    ).items
    assert [a.alert_id for a in dismissed] == [live_alerts.alert_id]  # stored, not only shown
    assert dismissed[0].reason == reason
