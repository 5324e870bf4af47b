"""The batch trace page in headless Chromium: the Sankey draws, nothing leaves the site."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from tests.browser.test_browser import (
    CHROMIUM_ARGS,
    chromium_or_skip,
    screenshot,
    serving,
    watch,
)
from tests.factories import PASSWORD, Factory
from tests.integration.test_trace import Chain, capture_chain
from zerowaste.app import create_app
from zerowaste.bootstrap import build_context
from zerowaste.domain.accounts import UserRole
from zerowaste.settings import Settings

pytestmark = pytest.mark.browser


@dataclass
class LiveChain:
    """A running server over one captured chain and a user of its sending firm."""

    base_url: str
    chain: Chain
    username: str


@pytest.fixture(scope="module")
def live_chain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveChain]:
    chromium_or_skip()
    database = tmp_path_factory.mktemp("browser-trace") / "zerowaste.db"
    context = build_context(Settings(database_url=f"sqlite:///{database}"))
    context.migrate()
    factory = Factory(context)
    chain = capture_chain(factory)
    username = factory.user(UserRole.FIRM, organization=chain.sender.organization).username
    with serving(create_app(context=context)) as base_url:
        yield LiveChain(base_url, chain, username)
    context.close()


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_sankey_draws_without_errors(live_chain: LiveChain, language: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium_or_skip()), args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            traffic = watch(page)
            target = f"/batches/{live_chain.chain.raw}?lang={language}"
            page.goto(f"{live_chain.base_url}/login?next={target}")
            page.fill("input[name=username]", live_chain.username)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"**/batches/{live_chain.chain.raw}*")
            sankey = page.locator("#trace-sankey")
            expect(sankey).to_have_attribute("data-drawn", "true", timeout=15000)
            assert sankey.locator("svg .sankey-link").count() == 9
            assert sankey.locator("svg path").count() >= 9
            assert page.locator("a.receipt").count() == 6
            screenshot(page, f"trace-{language}")
            assert traffic.errors == [], "\n".join(traffic.errors)
            app_host = urlsplit(live_chain.base_url).netloc
            assert traffic.hosts <= {app_host}
        finally:
            browser.close()
