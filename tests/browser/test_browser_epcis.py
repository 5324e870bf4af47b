"""The EPCIS events page in headless Chromium: filters work, nothing leaves the site."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from tests.browser.live import migrated_context, served, signed_in
from tests.browser.test_browser import (
    screenshot,
)
from tests.factories import OPERATOR, Factory
from tests.integration.test_epcis import object_event
from tests.integration.test_trace import capture_chain
from zerowaste.domain.accounts import UserRole

pytestmark = pytest.mark.browser
MASTER_KEY = "browser-master-key-0123456789"


@dataclass
class LiveSite:
    """A running server with captured EPCIS and waste events, and a user who may see them."""

    base_url: str
    username: str


@pytest.fixture(scope="module")
def live_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    context = migrated_context(tmp_path_factory, "browser-epcis", master_key=MASTER_KEY)
    factory = Factory(context)
    chain = capture_chain(factory)
    organization = chain.sender.organization
    context.signing_keys.create_custodial(OPERATOR, organization.id)
    user = factory.user(UserRole.FIRM, organization=organization)
    for n, step in ((1, "shipping"), (2, "receiving"), (3, "shipping")):
        context.epcis_capture.capture_event(user, object_event(n, bizStep=step))
    with served(context) as base_url:
        yield LiveSite(base_url, user.username)


def test_the_events_page_filters_without_errors(live_site: LiveSite) -> None:
    with signed_in(
        live_site.base_url, live_site.username, "/epcis-events?lang=en", "**/epcis-events*"
    ) as (page, traffic):
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
