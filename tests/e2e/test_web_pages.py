"""The server-rendered web pages, through the app, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import re
import uuid
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests.factories import OPERATOR, PASSWORD, Factory
from zerowaste.app import create_app
from zerowaste.bootstrap import Context
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.organizations import EconomicRecord, Organization, OrganizationRole
from zerowaste.domain.permits import NewPermit, PermitActivity, PermitKind
from zerowaste.web.messages import EN, ZH

APP_HOST = "testserver"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "srcset"}
ECONOMICS_MARK = 'id="economics"'


class Tags(HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def tags_of(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def form_token(html: str) -> str:
    for tag, attrs in tags_of(html):
        if tag == "input" and attrs.get("name") == "csrf":
            return attrs["value"]
    raise AssertionError("no CSRF field in the page")


def meta_token(html: str) -> str | None:
    for tag, attrs in tags_of(html):
        if tag == "meta" and attrs.get("name") == "csrf-token":
            return attrs["content"]
    return None


def sign_in(client: TestClient, username: str, password: str = PASSWORD, **extra: str) -> Response:
    token = form_token(client.get("/login").text)
    data = {"username": username, "password": password, "csrf": token, **extra}
    return client.post("/login", data=data, follow_redirects=False)


def assert_html(response: Response, status: int = 200) -> str:
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def assert_self_contained(html: str) -> None:
    """No URL attribute and no absolute URL in the text points away from the app."""
    for tag, attrs in tags_of(html):
        for name, value in attrs.items():
            assert not name.startswith("on"), f"inline event handler {name} on <{tag}>"
            if name not in URL_ATTRIBUTES or not value:
                continue
            parts = urlsplit(value.strip())
            assert not value.strip().startswith("//"), f"<{tag} {name}={value!r}>"
            assert parts.scheme in ("", "http", "https"), f"<{tag} {name}={value!r}>"
            assert parts.netloc in ("", APP_HOST), f"<{tag} {name}={value!r}> leaves the app"
        if tag == "script":
            assert attrs.get("src") or attrs.get("type") == "application/json", "inline script"
    for url in re.findall(r"https?://[^\s\"'<>)]+", html):
        assert urlsplit(url).netloc == APP_HOST, f"external URL {url} in the page"


@pytest.fixture
def firm(factory: Factory) -> Organization:
    """A utilizer with a site, a current permit and an expired one, and economic figures."""
    organization = factory.organization(
        roles=(OrganizationRole.GENERATOR, OrganizationRole.UTILIZER), name="苏州再生资源有限公司"
    )
    factory.site(organization)
    factory.permit(organization, codes=("HW08", "900-214-08"))
    context = factory.context
    expired = NewPermit(
        kind=PermitKind.HAZARDOUS_WASTE_BUSINESS,
        number="JSSZ-OLD-001",
        activities=frozenset({PermitActivity.STORE}),
        waste_codes=("HW49",),
        annual_capacity_t=Decimal("120.5"),
        valid_from=date(2021, 1, 1),
        valid_to=date(2023, 12, 31),
    )
    context.sites.grant_permit(OPERATOR, organization.id, expired)
    record = EconomicRecord(
        organization.id, 2025, Decimal("123456789"), Decimal("23456789"), Decimal("8800"), "t"
    )
    context.organizations.record_economics(OPERATOR, record)
    return organization


def test_message_catalogs_cover_the_same_keys() -> None:
    assert set(ZH) == set(EN)
    assert all(ZH.values())
    assert all(EN.values())


def test_home_page_in_both_languages(client: TestClient, firm: Organization) -> None:
    chinese = assert_html(client.get("/"))
    assert '<html lang="zh-CN">' in chinese
    assert "城市概览" in chinese
    assert "产废单位" in chinese
    assert "危险废物经营许可证" in chinese
    assert f"/firms/{firm.id}" in chinese  # the map's marker links to the firm
    assert "leaflet.js" in chinese
    assert "map.js" in chinese

    english = assert_html(client.get("/?lang=en"))
    assert '<html lang="en">' in english
    assert "City overview" in english
    assert "Waste generator" in english
    assert client.cookies.get("zerowaste_lang") == "en"
    assert '<html lang="en">' in client.get("/").text  # the cookie remembers the choice
    assert '<html lang="zh-CN">' in client.get("/?lang=zh").text


def test_map_assets_are_served_by_the_app(client: TestClient) -> None:
    for path in ("/static/vendor/leaflet/leaflet.js", "/static/web/map.js"):
        response = client.get(path)
        assert response.status_code == 200
        assert "javascript" in response.headers["content-type"]
    assert client.get("/static/vendor/leaflet/leaflet.css").status_code == 200
    assert client.get("/static/web/app.css").status_code == 200


def test_home_page_without_sites_has_no_map(client: TestClient) -> None:
    html = assert_html(client.get("/?lang=en"))
    assert "No sites registered yet." in html
    assert "leaflet.js" not in html


def test_firm_list_search_filter_and_pages(client: TestClient, factory: Factory) -> None:
    factory.organization(name="绿色回收有限公司", roles=(OrganizationRole.UTILIZER,))
    for index in range(26):
        factory.organization(name=f"测试运输公司{index:02d}", roles=(OrganizationRole.TRANSPORTER,))

    chinese = assert_html(client.get("/firms"))
    assert "企业名录" in chinese
    assert "统一社会信用代码" in chinese
    english = assert_html(client.get("/firms?lang=en"))
    assert "Firms" in english
    assert "Unified social credit code" in english

    found = assert_html(client.get("/firms", params={"q": "绿色回收"}))
    assert "绿色回收有限公司" in found
    assert "测试运输公司" not in found
    utilizers = assert_html(client.get("/firms", params={"role": "utilizer"}))
    assert "绿色回收有限公司" in utilizers
    assert "测试运输公司" not in utilizers

    first = assert_html(client.get("/firms", params={"role": "transporter"}))
    next_links = [a["href"] for tag, a in tags_of(first) if tag == "a" and a.get("rel") == "next"]
    assert len(next_links) == 1
    assert "role=transporter" in next_links[0]
    second = assert_html(client.get(next_links[0]))
    names = set(re.findall(r"测试运输公司\d\d", first)) | set(
        re.findall(r"测试运输公司\d\d", second)
    )
    assert len(names) == 26
    assert 'rel="next"' not in second

    assert_html(client.get("/firms", params={"role": "wizard"}), 422)
    assert_html(client.get("/firms", params={"cursor": "%%%"}), 422)


def test_firm_page_shows_registry_sites_and_permits(client: TestClient, firm: Organization) -> None:
    chinese = assert_html(client.get(f"/firms/{firm.id}"))
    assert "苏州再生资源有限公司" in chinese
    assert firm.credit_code in chinese
    assert "虎丘区" in chinese
    assert "汽车零部件及配件制造" in chinese
    assert "一号厂区" in chinese
    assert "测试路1号" in chinese
    assert "firm-map" in chinese
    assert "900-214-08" in chinese
    assert "HW08" in chinese
    assert "5,000 吨/年" in chinese
    assert "JSSZ-OLD-001" in chinese
    assert "已过期" in chinese
    assert "status-in_force" in chinese
    assert "status-expired" in chinese
    assert "收集、利用" in chinese

    english = assert_html(client.get(f"/firms/{firm.id}?lang=en"))
    assert "Registry facts" in english
    assert "Sites" in english
    assert "Permits" in english
    assert "Expired" in english
    assert "In force" in english
    assert "120.5 t/yr" in english


def test_economics_only_for_those_acting_for_the_firm(
    client: TestClient, factory: Factory, firm: Organization
) -> None:
    page = f"/firms/{firm.id}?lang=en"
    assert ECONOMICS_MARK not in client.get(page).text  # anonymous

    other = factory.organization(name="另一家企业")
    outsider = factory.user(UserRole.FIRM, organization=other)
    assert sign_in(client, outsider.username).status_code == 303
    html = client.get(page).text
    assert f"Signed in as {outsider.username}" in html
    assert ECONOMICS_MARK not in html
    assert "123,456,789" not in html
    assert ECONOMICS_MARK in client.get(f"/firms/{other.id}").text  # their own firm's page

    far_regulator = factory.user(UserRole.REGULATOR, jurisdiction_code="110000")
    assert sign_in(client, far_regulator.username).status_code == 303
    assert ECONOMICS_MARK not in client.get(page).text

    for principal in (
        factory.user(UserRole.FIRM, organization=firm),
        factory.user(UserRole.REGULATOR, jurisdiction_code="320500"),
        factory.user(UserRole.ADMIN),
    ):
        assert sign_in(client, principal.username).status_code == 303
        html = client.get(page).text
        assert f"Signed in as {principal.username}" in html
        assert ECONOMICS_MARK in html
        assert "123,456,789" in html
        assert "8,800 t" in html


def test_login_sets_session_and_logout_needs_the_token(
    client: TestClient, factory: Factory
) -> None:
    user = factory.user(UserRole.ADMIN)
    anonymous = client.get("/?lang=en").text
    assert meta_token(anonymous) is None
    assert "Sign in" in anonymous

    response = sign_in(client, user.username, next="/catalog")
    assert response.status_code == 303
    assert response.headers["location"] == "/catalog"
    home = client.get("/").text
    token = meta_token(home)
    assert token
    assert form_token(home) == token
    assert f"Signed in as {user.username}" in home
    assert "administrator" in home

    assert_html(client.post("/logout", data={"csrf": "forged"}), 403)
    assert meta_token(client.get("/").text) == token  # still signed in
    out = client.post("/logout", data={"csrf": token}, follow_redirects=False)
    assert out.status_code == 303
    assert out.headers["location"] == "/"
    assert meta_token(client.get("/").text) is None


def test_login_failures(client: TestClient, factory: Factory) -> None:
    user = factory.user(UserRole.FIRM, organization=factory.organization())
    wrong = sign_in(client, user.username, "not-the-password")
    html = assert_html(wrong, 401)
    assert "用户名或密码错误" in html
    assert user.username in html
    client.get("/?lang=en")
    english = assert_html(sign_in(client, "nobody-here", "whatever-password"), 401)
    assert "Unknown username or wrong password." in english

    no_token = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert_html(no_token, 403)
    assert meta_token(client.get("/").text) is None


def test_login_never_redirects_off_site(client: TestClient, factory: Factory) -> None:
    user = factory.user(UserRole.ADMIN)
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = sign_in(client, user.username, next=target)
        assert response.status_code == 303
        assert response.headers["location"] == "/"


def test_unknown_firm_is_a_friendly_404(client: TestClient) -> None:
    html = assert_html(client.get(f"/firms/{uuid.uuid4()}"), 404)
    assert "页面不存在" in html
    assert '<html lang="zh-CN">' in html
    english = assert_html(client.get("/firms/not-a-uuid?lang=en"), 404)
    assert "Page not found" in english
    assert "Back to the city overview" in english


def test_catalog_search_in_both_languages(client: TestClient) -> None:
    chinese = assert_html(client.get("/catalog", params={"q": "废矿物油"}))
    assert "900-214-08" in chinese
    assert "危险废物名录查询" in chinese
    assert "废矿物油与含矿物油废物" in chinese
    assert "毒性" in chinese
    assert "暂用数据" in chinese  # the 2025 edition is in force, with 2021 entries standing in

    english = assert_html(client.get("/catalog", params={"q": "mineral oil", "lang": "en"}))
    assert "900-214-08" in english
    assert "Hazardous waste catalog" in english
    assert "Waste mineral oil" in english
    assert "toxicity" in english
    assert "Provisional data" in english
    assert "2025 edition in force" in english

    in_2022 = assert_html(
        client.get("/catalog", params={"q": "HW08", "on": "2022-06-01", "lang": "zh"})
    )
    assert "900-214-08" in in_2022
    assert "2021年版" in in_2022
    assert "暂用数据" not in in_2022

    categories = assert_html(client.get("/catalog?lang=en"))
    assert "HW08" in categories
    assert "Categories" in categories

    assert "Write dates as YYYY-MM-DD." in assert_html(client.get("/catalog?on=soon"), 422)
    assert_html(client.get("/catalog", params={"q": "oil", "on": "1990-01-01"}), 404)


def test_pages_are_self_contained(client: TestClient, factory: Factory, firm: Organization) -> None:
    pages = ["/", f"/firms/{firm.id}", "/firms", "/catalog?q=HW08", "/login", "/firms/x"]
    for language in ("zh", "en"):
        for page in pages:
            response = client.get(page, params={"lang": language})
            assert response.status_code in (200, 404)
            policy = response.headers["content-security-policy"]
            assert "default-src 'self'" in policy
            assert "script-src 'self'" in policy
            assert_self_contained(response.text)
    assert sign_in(client, factory.user(UserRole.ADMIN).username).status_code == 303
    for page in pages:
        html = client.get(page).text
        assert meta_token(html)
        assert_self_contained(html)


def test_map_tiles_only_when_configured(context: Context, firm: Organization) -> None:
    tiles = "https://{s}.tiles.example.internal/{z}/{x}/{y}.png"
    settings = context.settings.model_copy(
        update={"map_tile_url": tiles, "map_tile_attribution": "Example tiles"}
    )
    with_tiles = dataclasses.replace(context, settings=settings)
    with TestClient(create_app(context=with_tiles)) as tiled:
        response = tiled.get("/?lang=en")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "img-src 'self' data: https://*.tiles.example.internal" in policy
    assert "script-src 'self';" in policy
    assert '"tiles": "https://{s}.tiles.example.internal/{z}/{x}/{y}.png"' in response.text
    assert "No base map configured" not in response.text
