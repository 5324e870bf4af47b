"""The carbon city page in headless Chromium: the interval chart draws, nothing leaves the site."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest

from tests.browser.live import migrated_context, served, signed_in
from tests.browser.test_browser import screenshot
from tests.carbon_world import BOOK, build_carbon_world
from tests.conftest import MASTER_KEY, FixedClock
from tests.factories import Factory
from zerowaste.domain.accounts import UserRole

pytestmark = pytest.mark.browser


@dataclass
class LiveCarbon:
    """A running server over a small carbon ledger and a regulator of its city."""

    base_url: str
    username: str


@pytest.fixture(scope="module")
def live_carbon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveCarbon]:
    clock = FixedClock(datetime(2026, 6, 1, 8, 0, tzinfo=UTC))
    context = migrated_context(
        tmp_path_factory, "browser-carbon", master_key=MASTER_KEY, clock=clock
    )
    object.__setattr__(context.carbon, "_factor_book", lambda: BOOK)
    factory = Factory(context)
    build_carbon_world(factory)
    username = factory.user(UserRole.REGULATOR, jurisdiction_code="320500").username
    with served(context) as base_url:
        yield LiveCarbon(base_url, username)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_interval_chart_draws_without_errors(live_carbon: LiveCarbon, language: str) -> None:
    from playwright.sync_api import expect

    target = f"/carbon?region=320500&lang={language}"
    with signed_in(live_carbon.base_url, live_carbon.username, target, "**/carbon*") as (
        page,
        traffic,
    ):
        chart = page.locator("#carbon-chart")
        expect(chart).to_have_attribute("data-drawn", "true", timeout=15000)
        assert chart.locator("svg path").count() >= 2
        assert page.locator("a.factor-ref").count() >= 4
        screenshot(page, f"carbon-city-{language}")
        assert traffic.errors == [], "\n".join(traffic.errors)
        assert traffic.hosts <= {urlsplit(live_carbon.base_url).netloc}
