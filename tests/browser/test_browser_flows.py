"""The public material-flow page in headless Chromium: the Sankey draws, hover shows values."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest

from tests.browser.live import migrated_context, served
from tests.browser.test_browser import CHROMIUM_ARGS, chromium_or_skip, screenshot, watch
from tests.carbon_world import build_carbon_world
from tests.conftest import MASTER_KEY, FixedClock
from tests.factories import Factory

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_flows(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    clock = FixedClock(datetime(2026, 6, 1, 8, 0, tzinfo=UTC))
    context = migrated_context(
        tmp_path_factory, "browser-flows", master_key=MASTER_KEY, clock=clock
    )
    build_carbon_world(Factory(context))
    with served(context) as base_url:
        yield base_url


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_sankey_draws_and_hover_shows_the_values(live_flows: str, language: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium_or_skip()), args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            traffic = watch(page)
            page.goto(f"{live_flows}/flows/320500?period=2026&lang={language}")
            chart = page.locator("#flow-sankey")
            expect(chart).to_have_attribute("data-drawn", "true", timeout=15000)
            links = chart.locator("path.sankey-link")
            assert links.count() >= 8
            links.first.hover(force=True)
            hover = page.locator(".hoverlayer")
            expect(hover).to_contain_text("±", timeout=5000)
            screenshot(page, f"flows-city-{language}")
            assert traffic.errors == [], "\n".join(traffic.errors)
            assert traffic.hosts <= {urlsplit(live_flows).netloc}
        finally:
            browser.close()
