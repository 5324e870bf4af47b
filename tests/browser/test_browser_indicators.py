"""The city indicator dashboard in headless Chromium: trend charts draw, nothing leaves the site."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest

from tests.admission_world import build_admission_world
from tests.browser.live import migrated_context, served, signed_in
from tests.browser.test_browser import screenshot
from tests.conftest import MASTER_KEY, FixedClock
from tests.factories import OPERATOR, Factory
from tests.integration.test_indicators import STATS
from zerowaste.domain.accounts import UserRole

pytestmark = pytest.mark.browser


@dataclass
class LiveCity:
    """A running server over a small ledger with statistics, and a regulator of its city."""

    base_url: str
    username: str


@pytest.fixture(scope="module")
def live_city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveCity]:
    clock = FixedClock(datetime(2026, 6, 1, 8, 0, tzinfo=UTC))
    context = migrated_context(
        tmp_path_factory, "browser-indicators", master_key=MASTER_KEY, clock=clock
    )
    factory = Factory(context)
    build_admission_world(factory)
    context.indicators.import_statistics(OPERATOR, STATS)
    username = factory.user(UserRole.REGULATOR, jurisdiction_code="320500").username
    with served(context) as base_url:
        yield LiveCity(base_url, username)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_trend_charts_draw_without_errors(live_city: LiveCity, language: str) -> None:
    from playwright.sync_api import expect

    target = f"/cities/320500?period=2026&lang={language}"
    with signed_in(live_city.base_url, live_city.username, target, "**/cities/320500*") as (
        page,
        traffic,
    ):
        chart = page.locator('[data-indicator-chart="chart-general_iswu_rate"]')
        expect(chart).to_have_attribute("data-drawn", "true", timeout=15000)
        assert chart.locator("svg path").count() >= 2
        page.locator('tr[data-indicator="general_iswu_rate"] summary').click()
        expect(page.locator('tr[data-indicator="general_iswu_rate"] table.inputs')).to_be_visible()
        screenshot(page, f"city-indicators-{language}")
        assert traffic.errors == [], "\n".join(traffic.errors)
        assert traffic.hosts <= {urlsplit(live_city.base_url).netloc}
