"""Market pages over a small demo city in headless Chromium: map, listing, allocation, contract."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest

from tests.browser.live import migrated_context, served, signed_in
from tests.browser.test_browser import screenshot
from tests.conftest import FixedClock
from tests.factories import Factory
from zerowaste.demo import DEMO_MASTER_KEY
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.pages import PageRequest
from zerowaste.services.demo import build_demo_city

pytestmark = pytest.mark.browser

SEED, SCALE, MONTHS = 3, 0.05, 2


@dataclass
class LiveMarket:
    """A running server over a small demo city with its market, and what to open."""

    base_url: str
    username: str
    listing_id: uuid.UUID
    allocation_id: uuid.UUID
    contract_id: uuid.UUID


@pytest.fixture(scope="module")
def live_market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveMarket]:
    clock = FixedClock(datetime(2026, 6, 1, 8, 0, tzinfo=UTC))
    context = migrated_context(
        tmp_path_factory, "browser-market", master_key=DEMO_MASTER_KEY, clock=clock
    )
    summary = build_demo_city(context, seed=SEED, scale=SCALE, months=MONTHS)
    admin = Factory(context).user(UserRole.ADMIN)
    contracts = context.contracts.find(admin, PageRequest(limit=50)).items
    delivered = next(
        c.contract_id
        for c in contracts
        if context.contracts.performance(admin, c.contract_id).delivered_t > 0
    )
    listing = context.listings.find(admin, PageRequest(limit=1)).items[0]
    with served(context) as base_url:
        yield LiveMarket(
            base_url,
            admin.username,
            listing.id,
            uuid.UUID(summary.market["allocation_id"]),
            delivered,
        )


def _local(live: LiveMarket, hosts: set[str]) -> bool:
    return hosts <= {urlsplit(live.base_url).netloc}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_market_map_shows_the_listings(live_market: LiveMarket, language: str) -> None:
    from playwright.sync_api import expect

    target = f"/market?lang={language}"
    with signed_in(live_market.base_url, live_market.username, target, "**/market*") as (
        page,
        traffic,
    ):
        expect(page.locator("html")).to_have_attribute(
            "lang", "zh-CN" if language == "zh" else "en"
        )
        markers = page.locator("#market-map .leaflet-marker-icon")
        expect(markers.first).to_be_visible(timeout=15000)
        assert markers.count() >= 5
        markers.first.dispatch_event("click")  # stacked markers overlap: no pointer hit test
        expect(page.locator(".leaflet-popup-content a").first).to_be_visible()
        screenshot(page, f"market-map-{language}")
        assert traffic.errors == [], "\n".join(traffic.errors)
        assert _local(live_market, traffic.hosts)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_listing_allocation_and_contract_pages(live_market: LiveMarket, language: str) -> None:
    from playwright.sync_api import expect

    live = live_market
    target = f"/market/listings/{live.listing_id}?lang={language}"
    with signed_in(live.base_url, live.username, target, "**/market/listings/**") as (
        page,
        traffic,
    ):
        expect(page.locator("h1")).to_be_visible()
        expect(page.locator("#listing-terms")).to_be_visible()
        screenshot(page, f"market-listing-{language}")

        page.goto(f"{live.base_url}/market/allocations/{live.allocation_id}?lang={language}")
        expect(page.locator("#matched")).not_to_have_text("0.000")
        assert page.locator("#allocation-lines tr.match").count() >= 2
        sankey = page.locator("#allocation-sankey")
        expect(sankey).to_have_attribute("data-drawn", "true", timeout=15000)
        screenshot(page, f"market-allocation-{language}")

        page.goto(f"{live.base_url}/market/contracts/{live.contract_id}?lang={language}")
        chart = page.locator("#contract-chart")
        expect(chart).to_have_attribute("data-drawn", "true", timeout=15000)
        assert chart.locator("svg path").count() >= 1
        screenshot(page, f"market-contract-{language}")
        assert traffic.errors == [], "\n".join(traffic.errors)
        assert _local(live, traffic.hosts)
