"""The EPCIS events page in headless Chromium: filters work, nothing leaves the site."""

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
from tests.factories import OPERATOR, PASSWORD, Factory
from tests.integration.test_epcis import object_event
from tests.integration.test_trace import capture_chain
from zerowaste.app import create_app
from zerowaste.bootstrap import build_context
from zerowaste.domain.accounts import UserRole
from zerowaste.settings import Settings

pytestmark = pytest.mark.browser
MASTER_KEY = "browser-master-key-0123456789"


@dataclass
class LiveSite:
    """A running server with captured EPCIS and waste events, and a user who may see them."""

    base_url: str
    username: str


@pytest.fixture(scope="module")
def live_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    chromium_or_skip()
    database = tmp_path_factory.mktemp("browser-epcis") / "zerowaste.db"
    settings = Settings(database_url=f"sqlite:///{database}", master_key=MASTER_KEY)  # type: ignore[arg-type]
    context = build_context(settings)
    context.migrate()
    factory = Factory(context)
    chain = capture_chain(factory)
    organization = chain.sender.organization
    context.signing_keys.create_custodial(OPERATOR, organization.id)
    user = factory.user(UserRole.FIRM, organization=organization)
    for n, step in ((1, "shipping"), (2, "receiving"), (3, "shipping")):
        context.epcis_capture.capture_event(user, object_event(n, bizStep=step))
    with serving(create_app(context=context)) as base_url:
        yield LiveSite(base_url, user.username)
    context.close()


def test_the_events_page_filters_without_errors(live_site: LiveSite) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium_or_skip()), args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            traffic = watch(page)
            page.goto(f"{live_site.base_url}/login?next=/epcis-events?lang=en")
            page.fill("input[name=username]", live_site.username)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/epcis-events*")
            rows = page.locator("#epcis-events tbody tr")
            assert rows.count() == 6  # three waste events of the sender, three captured
            page.fill("input[name=biz_step]", "shipping")
            page.click("form.search button[type=submit]")
            page.wait_for_url("**biz_step=shipping*")
            assert page.locator("#epcis-events tbody tr").count() == 3
            screenshot(page, "epcis-en")
            page.locator("#epcis-events a[href*='epc=']").first.click()
            page.wait_for_url("**epc=*")
            assert page.locator("#epcis-events tbody tr").count() >= 1
            assert traffic.errors == [], "\n".join(traffic.errors)
            assert traffic.hosts <= {urlsplit(live_site.base_url).netloc}
        finally:
            browser.close()
