"""A capture form in headless Chromium: a firm user records a batch, then sees its page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from tests.browser.live import migrated_context, served, signed_in
from tests.browser.test_browser import (
    screenshot,
)
from tests.conftest import MASTER_KEY
from tests.factories import OPERATOR, Factory
from zerowaste.domain.accounts import UserRole

pytestmark = pytest.mark.browser


@dataclass
class LiveDesk:
    """A running server, a firm with a site and a custodial key, and one of its users."""

    base_url: str
    firm_id: str
    username: str


@pytest.fixture(scope="module")
def live_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveDesk]:
    context = migrated_context(tmp_path_factory, "browser-capture", master_key=MASTER_KEY)
    factory = Factory(context)
    firm = factory.organization(name="苏州精密铸造有限公司")
    factory.site(firm)
    context.signing_keys.create_custodial(OPERATOR, firm.id)
    username = factory.user(UserRole.FIRM, organization=firm).username
    with served(context) as base_url:
        yield LiveDesk(base_url, str(firm.id), username)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_generate_form_leads_to_the_batch_page(live_desk: LiveDesk, language: str) -> None:
    from playwright.sync_api import expect

    target = f"/firms/{live_desk.firm_id}?lang={language}"
    with signed_in(
        live_desk.base_url, live_desk.username, target, f"**/firms/{live_desk.firm_id}*"
    ) as (page, traffic):
        page.click("#capture-generate")
        page.wait_for_selector("#capture-form")
        page.fill("#field-waste_code", "900-214-08")
        page.fill("#field-quantity", "-5")
        page.fill("#field-composition", "Fe = 0.62\nZn = 0.05")
        page.fill("#field-comp_method", "XRF")
        page.fill("#field-comp_sampled_on", "2026-05-30")
        page.click("#capture-form button[type=submit]")
        expect(page.locator("#error-quantity")).to_be_visible()  # 422: the field is named
        assert page.input_value("#field-composition") == "Fe = 0.62\nZn = 0.05"
        page.fill("#field-quantity", "1.5")
        page.select_option("#field-unit", "TNE")
        page.click("#capture-form button[type=submit]")
        page.wait_for_url("**/batches/*")
        expect(page.locator("#batch-facts")).to_contain_text("1,500")
        expect(page.locator("#composition")).to_contain_text("0.62")
        screenshot(page, f"capture-{language}")
        page.goto(f"{live_desk.base_url}/firms/{live_desk.firm_id}")
        expect(page.locator("#batches-held")).to_contain_text("900-214-08")
        unexpected = [e for e in traffic.errors if "422" not in e]  # the refused try
        assert unexpected == [], "\n".join(unexpected)
        assert len(traffic.errors) == 2
        assert traffic.hosts <= {urlsplit(live_desk.base_url).netloc}
