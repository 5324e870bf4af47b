"""In Chromium, a regulator registers a firm, its site and a permit through the forms."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from tests.browser.live import migrated_context, served
from tests.browser.test_browser import (
    CHROMIUM_ARGS,
    chromium_or_skip,
    screenshot,
    watch,
)
from tests.conftest import MASTER_KEY
from tests.factories import PASSWORD, Factory, credit_code
from zerowaste.bootstrap import Context
from zerowaste.domain.accounts import UserRole

pytestmark = pytest.mark.browser

TEXTS = {
    "zh": {"registered": "企业已登记。", "site_added": "场所已添加。", "granted": "许可证已颁发。"},
    "en": {
        "registered": "The firm is registered.",
        "site_added": "The site is added.",
        "granted": "The permit is recorded.",
    },
}


@dataclass
class Desk:
    """A running server with a regulator over Suzhou (320500)."""

    base_url: str
    context: Context
    regulator: str


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    context = migrated_context(tmp_path_factory, "browser-forms", master_key=MASTER_KEY)
    regulator = Factory(context).user(UserRole.REGULATOR, jurisdiction_code="320500")
    with served(context) as base_url:
        yield Desk(base_url, context, regulator.username)


@pytest.fixture(scope="module")
def chromium(desk: Desk) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(chromium_or_skip()), args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def tab(chromium: object) -> Iterator[object]:
    from playwright.sync_api import Browser

    assert isinstance(chromium, Browser)
    opened = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    yield opened.new_page()
    opened.close()


@pytest.mark.parametrize("language", ["zh", "en"])
def test_regulator_registers_firm_site_and_permit(desk: Desk, tab: object, language: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(tab, Page)
    page = tab
    traffic = watch(page)
    texts = TEXTS[language]
    page.goto(f"{desk.base_url}/login?lang={language}&next=/firms")
    page.fill("input[name=username]", desk.regulator)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url("**/firms")

    page.click("a[href='/firms/new']")
    page.wait_for_url("**/firms/new")
    code = credit_code("320505")
    name = f"苏州表单测试企业{language.upper()}"
    page.fill("#field-credit_code", code)
    page.fill("#field-name", name)
    page.fill("#field-name_en", f"Suzhou Form Test {language.upper()} Ltd.")
    page.fill("#field-region_code", "320505")
    page.fill("#field-industry_code", "3670")
    page.check("input[name=roles][value=generator]")
    page.check("input[name=roles][value=utilizer]")
    screenshot(page, f"form-register-{language}")
    page.click("#firm-form button[type=submit]")
    page.wait_for_url("**/firms/*-*")
    expect(page.locator("#flash")).to_have_text(texts["registered"])
    firm_url = page.url

    page.click("nav.actions a[href$='/sites/new']")
    page.fill("#field-name", "表单一号厂区")
    page.select_option("#field-kind", "storage")
    page.fill("#field-latitude", "31.305")
    page.fill("#field-longitude", "120.598")
    page.fill("#field-address", "苏州市虎丘区表单路1号")
    page.click("#site-form button[type=submit]")
    page.wait_for_url(f"{firm_url}#sites")
    expect(page.locator("#flash")).to_have_text(texts["site_added"])
    expect(page.locator("#sites tbody tr")).to_have_count(1)
    expect(page.locator("#firm-map .leaflet-marker-icon")).to_have_count(1)

    page.click("nav.actions a[href$='/permits/new']")
    number = f"JS3205-FORM-{language.upper()}"
    page.fill("#field-number", number)
    page.check("input[name=activities][value=collect]")
    page.check("input[name=activities][value=store]")
    page.fill("#field-waste_codes", "HW08\n900-214-08")
    page.fill("#field-annual_capacity_t", "-5")
    page.fill("#field-valid_to", "2030-12-31")
    page.select_option("#field-site_id", label="表单一号厂区")
    page.click("#permit-form button[type=submit]")
    expect(page.locator("#error-annual_capacity_t")).to_be_visible()
    expect(page.locator("#field-number")).to_have_value(number)
    screenshot(page, f"form-permit-error-{language}")
    page.fill("#field-annual_capacity_t", "2,500")
    page.click("#permit-form button[type=submit]")
    page.wait_for_url(f"{firm_url}#permits")
    expect(page.locator("#flash")).to_have_text(texts["granted"])
    expect(page.locator("#permits")).to_contain_text(number)
    expect(page.locator("#permits")).to_contain_text("900-214-08")
    expect(page.locator("#permits")).to_contain_text("表单一号厂区")
    page.wait_for_load_state("networkidle")
    screenshot(page, f"form-firm-{language}")

    unexpected = [e for e in traffic.errors if "422" not in e]
    assert unexpected == []
    assert len(traffic.errors) <= 2  # the refused permit (and Chromium's note of it)
    assert traffic.hosts == {urlsplit(desk.base_url).netloc}
