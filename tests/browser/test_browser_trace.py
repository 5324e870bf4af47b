"""The batch trace page in headless Chromium: the Sankey draws, nothing leaves the site."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from tests.browser.live import migrated_context, served, signed_in
from tests.browser.test_browser import (
    screenshot,
)
from tests.factories import Factory
from tests.integration.test_trace import Chain, capture_chain
from zerowaste.domain.accounts import UserRole

pytestmark = pytest.mark.browser


@dataclass
class LiveChain:
    """A running server over one captured chain and a user of its sending firm."""

    base_url: str
    chain: Chain
    username: str


@pytest.fixture(scope="module")
def live_chain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveChain]:
    context = migrated_context(tmp_path_factory, "browser-trace")
    factory = Factory(context)
    chain = capture_chain(factory)
    username = factory.user(UserRole.FIRM, organization=chain.sender.organization).username
    with served(context) as base_url:
        yield LiveChain(base_url, chain, username)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_sankey_draws_without_errors(live_chain: LiveChain, language: str) -> None:
    from playwright.sync_api import expect

    target = f"/batches/{live_chain.chain.raw}?lang={language}"
    with signed_in(
        live_chain.base_url, live_chain.username, target, f"**/batches/{live_chain.chain.raw}*"
    ) as (page, traffic):
        sankey = page.locator("#trace-sankey")
        expect(sankey).to_have_attribute("data-drawn", "true", timeout=15000)
        assert sankey.locator("svg .sankey-link").count() == 9
        assert sankey.locator("svg path").count() >= 9
        assert page.locator("a.receipt").count() == 6
        screenshot(page, f"trace-{language}")
        assert traffic.errors == [], "\n".join(traffic.errors)
        app_host = urlsplit(live_chain.base_url).netloc
        assert traffic.hosts <= {app_host}
