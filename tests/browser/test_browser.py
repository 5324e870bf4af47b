"""The web pages in Debian's headless Chromium, driven by Playwright, on a live local server.

Never downloads a browser: without /usr/bin/chromium the tests skip, or fail when CI is set.
Screenshots go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import uvicorn
from fastapi import FastAPI

from tests.factories import OPERATOR, PASSWORD, Factory, credit_code
from zerowaste.app import create_app
from zerowaste.bootstrap import Context, build_context
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.organizations import (
    EconomicRecord,
    NewOrganization,
    Organization,
    OrganizationRole,
)
from zerowaste.domain.sites import NewSite, SiteKind
from zerowaste.settings import Settings

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SITES = [
    ("一号厂区", SiteKind.PLANT, 31.298, 120.585),
    ("危废贮存库", SiteKind.STORAGE, 31.332, 120.641),
    ("再生利用车间", SiteKind.RECYCLER, 31.276, 120.702),
]


@dataclass
class LiveCity:
    """A running server over a small registry."""

    base_url: str
    firm: Organization
    neighbour: Organization
    firm_user: str
    site_count: int


@dataclass
class Traffic:
    """What one page did on the network and in its console."""

    hosts: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)


def chromium_or_skip() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {CHROMIUM} is missing: install Debian's chromium package")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); no browser is downloaded")
    raise AssertionError("unreachable")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(app: FastAPI, start_timeout_s: float = 15) -> Iterator[str]:
    """Serve `app` with uvicorn in a thread on 127.0.0.1; yield its base URL, then stop it."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout_s
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def populate(context: Context) -> tuple[Organization, Organization, str]:
    factory = Factory(context)
    firm = context.organizations.register(
        OPERATOR,
        NewOrganization(
            credit_code(),
            "苏州绿环再生资源有限公司",
            "320505",
            "3670",
            "Suzhou Green Loop Recycling Co., Ltd.",
            frozenset({OrganizationRole.GENERATOR, OrganizationRole.UTILIZER}),
        ),
    )
    for name, kind, latitude, longitude in SITES[:2]:
        context.sites.add_site(
            OPERATOR, firm.id, NewSite(name, kind, "320505", latitude, longitude, "苏州市虎丘区")
        )
    factory.permit(firm, codes=("HW08", "900-214-08"))
    record = EconomicRecord(
        firm.id, 2025, Decimal("186000000"), Decimal("41000000"), Decimal("12000"), "t"
    )
    context.organizations.record_economics(OPERATOR, record)
    neighbour = factory.organization(name="吴中危废处置中心", roles=(OrganizationRole.DISPOSER,))
    name, kind, latitude, longitude = SITES[2]
    context.sites.add_site(
        OPERATOR, neighbour.id, NewSite(name, kind, "320505", latitude, longitude)
    )
    user = factory.user(UserRole.FIRM, organization=firm)
    return firm, neighbour, user.username


@pytest.fixture(scope="module")
def live_city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveCity]:
    chromium_or_skip()
    database = tmp_path_factory.mktemp("browser") / "zerowaste.db"
    context = build_context(Settings(database_url=f"sqlite:///{database}"))
    context.migrate()
    firm, neighbour, username = populate(context)
    with serving(create_app(context=context)) as base_url:
        yield LiveCity(base_url, firm, neighbour, username, len(SITES))
    context.close()


@pytest.fixture(scope="module")
def browser(live_city: LiveCity) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(chromium_or_skip()), args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    opened = context.new_page()
    yield opened
    context.close()


def watch(page: object) -> Traffic:
    """Record every request's host, console errors, page errors and failed requests."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    traffic = Traffic()
    page.on("request", lambda request: traffic.hosts.add(urlsplit(request.url).netloc))
    page.on(
        "console",
        lambda message: (
            traffic.errors.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: traffic.errors.append(f"page error: {error}"))
    page.on(
        "requestfailed",
        lambda request: traffic.errors.append(f"failed: {request.url} {request.failure}"),
    )
    page.on(
        "response",
        lambda response: (
            traffic.errors.append(f"HTTP {response.status}: {response.url}")
            if response.status >= 400
            else None
        ),
    )
    return traffic


def screenshot(page: object, name: str) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True, animations="disabled")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_home_page_map(live_city: LiveCity, page: object, language: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    traffic = watch(page)
    page.goto(f"{live_city.base_url}/?lang={language}")
    page.wait_for_load_state("networkidle")
    markers = page.locator("#city-map .leaflet-marker-icon")
    expect(markers).to_have_count(live_city.site_count)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN" if language == "zh" else "en")
    expect(page.locator("h1")).to_have_text("城市概览" if language == "zh" else "City overview")

    markers.first.click()
    popup_link = page.locator(".leaflet-popup-content a")
    expect(popup_link).to_be_visible()
    assert (popup_link.get_attribute("href") or "").startswith("/firms/")
    screenshot(page, f"home-{language}")

    assert traffic.errors == []
    assert traffic.hosts == {urlsplit(live_city.base_url).netloc}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_firm_page(live_city: LiveCity, page: object, language: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    traffic = watch(page)
    page.goto(f"{live_city.base_url}/firms/{live_city.firm.id}?lang={language}")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#firm-map .leaflet-marker-icon")).to_have_count(2)
    expect(page.locator("#sites tbody tr")).to_have_count(2)
    expect(page.locator("#permits")).to_contain_text("900-214-08")
    expect(page.locator("#economics")).to_have_count(0)
    name = "苏州绿环再生资源有限公司" if language == "zh" else "Suzhou Green Loop Recycling"
    expect(page.locator("h1")).to_contain_text(name)
    screenshot(page, f"firm-{language}")

    assert traffic.errors == []
    assert traffic.hosts == {urlsplit(live_city.base_url).netloc}


@pytest.mark.parametrize(("language", "query"), [("zh", "废矿物油"), ("en", "mineral oil")])
def test_catalog_search(live_city: LiveCity, page: object, language: str, query: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    traffic = watch(page)
    page.goto(f"{live_city.base_url}/catalog?lang={language}")
    page.fill("input[name=q]", query)
    page.click("form.search button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("table.catalog")).to_contain_text("900-214-08")
    expect(page.locator(".alert-warning")).to_be_visible()
    screenshot(page, f"catalog-{language}")
    assert traffic.errors == []
    assert traffic.hosts == {urlsplit(live_city.base_url).netloc}


def test_sign_in_shows_economics(live_city: LiveCity, page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    traffic = watch(page)
    page.goto(f"{live_city.base_url}/login?lang=en&next=/firms/{live_city.firm.id}")
    page.fill("input[name=username]", live_city.firm_user)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"**/firms/{live_city.firm.id}")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#economics")).to_contain_text("186,000,000")
    expect(page.locator("meta[name=csrf-token]")).to_have_count(1)
    expect(page.locator(".account")).to_contain_text(live_city.firm_user)
    screenshot(page, "firm-signed-in-en")

    page.click(".account button[type=submit]")
    page.wait_for_url(f"{live_city.base_url}/")
    expect(page.locator("meta[name=csrf-token]")).to_have_count(0)
    assert traffic.errors == []
    assert traffic.hosts == {urlsplit(live_city.base_url).netloc}
