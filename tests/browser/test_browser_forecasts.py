"""The forecast and scenario pages in headless Chromium: charts draw, nothing leaves the site."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

import pytest

from tests.browser.live import migrated_context, served, signed_in
from tests.browser.test_browser import screenshot
from tests.conftest import MASTER_KEY, FixedClock
from tests.factories import Factory
from tests.forecast_world import HW, build_world
from zerowaste.domain.accounts import UserRole

pytestmark = pytest.mark.browser


@dataclass
class LiveForecasts:
    """A running server over the forecast ledger and a regulator of its city."""

    base_url: str
    username: str


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveForecasts]:
    clock = FixedClock(datetime(2026, 1, 15, 8, 0, tzinfo=UTC))
    context = migrated_context(
        tmp_path_factory, "browser-forecasts", master_key=MASTER_KEY, clock=clock
    )
    factory = Factory(context)
    build_world(factory)
    username = factory.user(UserRole.REGULATOR, jurisdiction_code="320500").username
    with served(context) as base_url:
        yield LiveForecasts(base_url, username)


@pytest.mark.parametrize(
    ("path", "chart"),
    [
        ("/forecasts?horizon=6&lang=en", "#forecast-chart"),
        (
            f"/scenarios?run=1&region=320500&year=2025&horizon=6&stream={HW}&ban_share=1&lang=zh",
            "#scenario-chart",
        ),
    ],
)
def test_the_charts_draw_without_errors(live: LiveForecasts, path: str, chart: str) -> None:
    from playwright.sync_api import expect

    target = quote(path, safe="/")  # the sign-in form's `next` keeps the whole query
    with signed_in(live.base_url, live.username, target, f"**{path.split('?')[0]}*") as (
        page,
        traffic,
    ):
        element = page.locator(chart)
        expect(element).to_have_attribute("data-drawn", "true", timeout=20000)
        assert element.locator("svg path").count() >= 2
        if "ban_share" in path:
            landfill = page.locator("#scenario-table td.landfill").all_inner_texts()
            assert float(landfill[1].replace(",", "")) < float(landfill[0].replace(",", ""))
        screenshot(page, chart.strip("#"))
        assert traffic.errors == [], "\n".join(traffic.errors)
        assert traffic.hosts <= {urlsplit(live.base_url).netloc}
