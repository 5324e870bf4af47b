"""The registry forms of the web pages, through the app, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests.e2e.test_web_pages import (
    assert_html,
    assert_self_contained,
    meta_token,
    sign_in,
    tags_of,
)
from tests.factories import OPERATOR, PASSWORD, Factory, credit_code
from zerowaste.adapters.secrets import PrivateKeyVault
from zerowaste.app import create_app
from zerowaste.bootstrap import Context
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.organizations import Organization, OrganizationRole
from zerowaste.domain.pages import PageRequest
from zerowaste.domain.permits import Permit
from zerowaste.domain.sites import Site
from zerowaste.services.signing_keys import SigningKeyService
from zerowaste.web.pages.common import collect


@dataclasses.dataclass
class World:
    """Firm A (320505) with a site and a permit, firm B (330402), and a user of each kind."""

    context: Context
    own: Organization
    other: Organization
    users: dict[str, Principal]

    def organizations(self) -> list[Organization]:
        return collect(lambda p: self.context.organizations.find(p))

    def permits(self, organization: Organization) -> list[Permit]:
        return collect(
            lambda p: self.context.sites.find_permits(p, organization_id=organization.id)
        )

    def sites(self, organization: Organization) -> list[Site]:
        return collect(lambda p: self.context.sites.find_sites(p, organization_id=organization.id))


@pytest.fixture
def world(factory: Factory) -> World:
    own = factory.organization(roles=(OrganizationRole.UTILIZER,), name="苏州再生资源有限公司")
    other = factory.organization(region_code="330402", name="嘉兴另一家企业")
    factory.site(own)
    factory.permit(own)
    users = {
        "admin": factory.user(UserRole.ADMIN),
        "regulator_in": factory.user(UserRole.REGULATOR, jurisdiction_code="320500"),
        "regulator_out": factory.user(UserRole.REGULATOR, jurisdiction_code="330400"),
        "firm_own": factory.user(UserRole.FIRM, organization=own),
        "firm_other": factory.user(UserRole.FIRM, organization=other),
    }
    return World(factory.context, own, other, users)


def as_user(client: TestClient, world: World, role: str) -> str:
    """Sign in as the world's user of `role` and return the session's CSRF token."""
    assert sign_in(client, world.users[role].username).status_code == 303
    token = meta_token(client.get("/").text)
    assert token
    return token


def post(client: TestClient, path: str, token: str | None, **data: object) -> Response:
    if token is not None:
        data["csrf"] = token
    return client.post(path, data=data, follow_redirects=False)  # type: ignore[arg-type]


def field_error(html: str, field: str) -> str:
    """The error text shown next to `field` (fails if there is none)."""
    found = re.search(rf'id="error-{re.escape(field)}"[^>]*>([^<]+)<', html)
    assert found, f"no error next to {field}"
    return found.group(1)


def firm_form(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "credit_code": credit_code("320505"),
        "name": "新登记环保科技有限公司",
        "name_en": "Newly Registered Eco Tech",
        "region_code": "320505",
        "industry_code": "3670",
        "roles": ["generator", "transporter"],
        "jurisdiction_code": "",
    }
    values.update(changes)
    return values


def permit_form(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "kind": "hazardous_waste_business",
        "number": "JS3205-WEB-001",
        "activities": ["collect", "store"],
        "waste_codes": "HW08, 900-214-08\nHW49",
        "annual_capacity_t": "1,500.5",
        "valid_from": "2026-01-01",
        "valid_to": "2030-12-31",
        "site_id": "",
        "issued_by": "苏州市生态环境局",
    }
    values.update(changes)
    return values


SITE = {
    "name": "二号贮存库",
    "kind": "storage",
    "region_code": "320505",
    "latitude": "31.31",
    "longitude": "120.61",
    "address": "科技城2号",
}
ECONOMICS = {
    "year": "2025",
    "output_value_cny": "98,765,432",
    "industrial_added_value_cny": "12345678",
    "product_output": "4200",
    "product_unit": "t",
}


def test_regulator_registers_a_firm(client: TestClient, world: World) -> None:
    token = as_user(client, world, "regulator_in")
    listing = assert_html(client.get("/firms"))
    assert 'href="/firms/new"' in listing
    form = assert_html(client.get("/firms/new?lang=en"))
    assert "Register a firm" in form
    assert_self_contained(form)
    values = firm_form()
    response = post(client, "/firms/new", token, **values)
    assert response.status_code == 303
    page = assert_html(client.get(response.headers["location"]))
    assert "The firm is registered." in page
    assert "Newly Registered Eco Tech" in page
    found = world.context.organizations.find(PageRequest(), text=str(values["credit_code"]))
    assert [o.roles for o in found.items] == [
        frozenset({OrganizationRole.GENERATOR, OrganizationRole.TRANSPORTER})
    ]
    assert "The firm is registered." not in client.get(response.headers["location"]).text


@pytest.mark.parametrize(
    ("changes", "field", "status", "text"),
    [
        ({"credit_code": "91320505MA0000001X"}, "credit_code", 422, "统一社会信用代码无效"),
        ({"credit_code": "short"}, "credit_code", 422, "18"),
        ({"region_code": "329999"}, "region_code", 422, "未知的行政区划代码"),
        ({"region_code": "abc"}, "region_code", 422, "未知的行政区划代码"),
        ({"region_code": "330402"}, "region_code", 403, "无权操作"),
        ({"industry_code": "9999"}, "industry_code", 422, "未知的行业代码"),
        ({"name": "  "}, "name", 422, "此项必填"),
        ({"roles": ["wizard"]}, "roles", 422, "请从列表中选择"),
        ({"roles": ["regulator"]}, "jurisdiction_code", 422, "jurisdiction"),
    ],
)
def test_register_refusals_keep_values_and_store_nothing(
    client: TestClient,
    world: World,
    changes: dict[str, object],
    field: str,
    status: int,
    text: str,
) -> None:
    token = as_user(client, world, "regulator_in")
    before = len(world.organizations())
    response = post(client, "/firms/new", token, **firm_form(**changes))
    html = assert_html(response, status)
    assert text in field_error(html, field)
    kept = 'value="Newly Registered Eco Tech"'  # the submitted values are shown again
    assert kept in html
    assert 'value="transporter" checked' in html or "roles" in changes
    assert len(world.organizations()) == before


def test_register_duplicate_code_is_a_conflict(client: TestClient, world: World) -> None:
    token = as_user(client, world, "admin")
    client.get("/?lang=en")
    html = assert_html(
        post(client, "/firms/new", token, **firm_form(credit_code=world.own.credit_code)), 409
    )
    assert "Already registered" in field_error(html, "credit_code")


@pytest.mark.parametrize("role", ["firm_own", "firm_other"])
def test_firm_users_cannot_register(client: TestClient, world: World, role: str) -> None:
    token = as_user(client, world, role)
    assert 'href="/firms/new"' not in client.get("/firms").text
    assert_html(client.get("/firms/new"), 403)
    before = len(world.organizations())
    assert_html(post(client, "/firms/new", token, **firm_form()), 403)
    assert len(world.organizations()) == before


def test_anonymous_visitors_are_sent_to_sign_in(client: TestClient, world: World) -> None:
    firm = f"/firms/{world.own.id}"
    for path in (
        "/firms/new",
        f"{firm}/edit",
        f"{firm}/permits/new",
        f"{firm}/sites/new",
        f"{firm}/economics/new",
        f"{firm}/users/new",
        "/account",
        "/admin/users",
    ):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next=%2F"), path
        target = "/account/password" if path == "/account" else path
        posted = client.post(target, data={"name": "x"}, follow_redirects=False)
        assert posted.status_code == 303, path
        assert posted.headers["location"] == "/login"
    assert len(world.organizations()) == 2
    page = client.get(firm).text
    assert f"{firm}/edit" not in page
    assert f"{firm}/sites/new" not in page
    assert f"{firm}/keys" not in page


def test_edit_firm(client: TestClient, world: World) -> None:
    token = as_user(client, world, "regulator_in")
    path = f"/firms/{world.own.id}/edit"
    assert f'href="{path}"' in client.get(f"/firms/{world.own.id}").text
    form = assert_html(client.get(path))
    assert 'value="苏州再生资源有限公司"' in form
    assert 'value="utilizer" checked' in form
    data = {
        "name": "苏州再生资源集团",
        "name_en": "Suzhou Renewables Group",
        "industry_code": "4210",
        "roles": ["utilizer", "disposer"],
        "jurisdiction_code": "",
    }
    response = post(client, path, token, **data)
    assert response.status_code == 303
    assert "苏州再生资源集团" in client.get(response.headers["location"]).text
    changed = world.context.organizations.get(world.own.id)
    assert changed.name == "苏州再生资源集团"
    assert changed.roles == {OrganizationRole.UTILIZER, OrganizationRole.DISPOSER}
    bad = assert_html(post(client, path, token, **{**data, "industry_code": "0000"}), 422)
    assert field_error(bad, "industry_code")
    assert world.context.organizations.get(world.own.id).industry_code == "4210"


@pytest.mark.parametrize("role", ["regulator_out", "firm_own", "firm_other"])
def test_edit_firm_refused(client: TestClient, world: World, role: str) -> None:
    token = as_user(client, world, role)
    path = f"/firms/{world.own.id}/edit"
    assert f'href="{path}"' not in client.get(f"/firms/{world.own.id}").text
    assert_html(client.get(path), 403)
    assert_html(post(client, path, token, name="改名企业", roles=["generator"]), 403)
    assert world.context.organizations.get(world.own.id).name == "苏州再生资源有限公司"


def test_grant_and_revoke_a_permit(client: TestClient, world: World) -> None:
    token = as_user(client, world, "regulator_in")
    site = world.sites(world.own)[0]
    path = f"/firms/{world.own.id}/permits/new"
    form = assert_html(client.get(path + "?lang=en"))
    assert "Grant a permit" in form
    assert f'value="{site.id}"' in form
    response = post(client, path, token, **permit_form(site_id=str(site.id)))
    assert response.status_code == 303
    page = client.get(f"/firms/{world.own.id}").text
    assert "JS3205-WEB-001" in page
    assert "1,500.5" in page
    permit = next(p for p in world.permits(world.own) if p.number == "JS3205-WEB-001")
    assert permit.waste_codes == ("HW08", "900-214-08", "HW49")
    assert permit.annual_capacity_t == Decimal("1500.5")

    revoke = f"/firms/{world.own.id}/permits/{permit.id}/revoke"
    assert f'action="{revoke}"' in page
    refused = assert_html(post(client, revoke, token, last_day="2031-06-01"), 422)
    assert "Invalid period" in refused  # the page language is still English
    assert 'value="2031-06-01"' in refused
    assert world.context.sites.permit(permit.id).valid_to == date(2030, 12, 31)
    done = post(client, revoke, token, last_day="2026-06-01")
    assert done.status_code == 303
    assert world.context.sites.permit(permit.id).valid_to == date(2026, 6, 1)
    assert "The permit is revoked." in client.get(done.headers["location"]).text


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"valid_to": "2025-12-31"}, "valid_to", "有效期无效"),
        ({"annual_capacity_t": "-5"}, "annual_capacity_t", "数量无效"),
        ({"annual_capacity_t": "lots"}, "annual_capacity_t", "数量无效"),
        ({"annual_capacity_t": "20000000"}, "annual_capacity_t", "数量无效"),
        ({"waste_codes": "HW08, HW99"}, "waste_codes", "名录中没有该废物代码"),
        ({"waste_codes": ""}, "waste_codes", "输入有误"),
        ({"valid_from": "2026-13-01"}, "valid_from", "YYYY-MM-DD"),
        ({"activities": ["transport"]}, "activities", "输入有误"),
        ({"number": ""}, "number", "此项必填"),
        ({"site_id": "not-an-id"}, "site_id", "请从列表中选择"),
    ],
)
def test_permit_refusals(
    client: TestClient, world: World, changes: dict[str, object], field: str, text: str
) -> None:
    token = as_user(client, world, "admin")
    before = len(world.permits(world.own))
    response = post(client, f"/firms/{world.own.id}/permits/new", token, **permit_form(**changes))
    html = assert_html(response, 422)
    assert text in field_error(html, field)
    assert 'value="JS3205-WEB-001"' in html or "number" in changes
    assert len(world.permits(world.own)) == before


def test_permit_of_another_firms_site_is_refused(
    client: TestClient, world: World, factory: Factory
) -> None:
    token = as_user(client, world, "admin")
    foreign = factory.site(world.other)
    response = post(
        client, f"/firms/{world.own.id}/permits/new", token, **permit_form(site_id=str(foreign.id))
    )
    assert field_error(assert_html(response, 422), "site_id")


@pytest.mark.parametrize("role", ["regulator_out", "firm_own", "firm_other"])
def test_permit_forms_refused(client: TestClient, world: World, role: str) -> None:
    token = as_user(client, world, role)
    permit = world.permits(world.own)[0]
    page = client.get(f"/firms/{world.own.id}").text
    assert "/revoke" not in page
    assert "/permits/new" not in page
    assert_html(client.get(f"/firms/{world.own.id}/permits/new"), 403)
    assert_html(post(client, f"/firms/{world.own.id}/permits/new", token, **permit_form()), 403)
    revoke = f"/firms/{world.own.id}/permits/{permit.id}/revoke"
    assert_html(post(client, revoke, token, last_day="2026-06-01"), 403)
    assert len(world.permits(world.own)) == 1
    assert world.context.sites.permit(permit.id).valid_to == date(2029, 12, 31)


@pytest.mark.parametrize("role", ["firm_own", "regulator_in", "admin"])
def test_add_edit_and_remove_a_site(client: TestClient, world: World, role: str) -> None:
    token = as_user(client, world, role)
    firm = f"/firms/{world.own.id}"
    assert f'href="{firm}/sites/new"' in client.get(firm).text
    assert_html(client.get(f"{firm}/sites/new"))
    response = post(client, f"{firm}/sites/new", token, **SITE)
    assert response.status_code == 303
    assert "二号贮存库" in client.get(firm).text
    site = next(s for s in world.sites(world.own) if s.name == "二号贮存库")
    assert (site.latitude, site.longitude) == (31.31, 120.61)

    edit = f"{firm}/sites/{site.id}/edit"
    assert 'value="二号贮存库"' in assert_html(client.get(edit))
    assert post(client, edit, token, **{**SITE, "name": "二号危废贮存库"}).status_code == 303
    assert world.context.sites.site(site.id).name == "二号危废贮存库"
    removed = post(client, f"{firm}/sites/{site.id}/remove", token)
    assert removed.status_code == 303
    assert "二号危废贮存库" not in client.get(firm).text
    assert len(world.sites(world.own)) == 1


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"latitude": "91"}, "latitude", "坐标无效"),
        ({"longitude": "east"}, "longitude", "请填写数字"),
        ({"region_code": "329999"}, "region_code", "未知的行政区划代码"),
        ({"kind": "castle"}, "kind", "请从列表中选择"),
        ({"name": ""}, "name", "此项必填"),
    ],
)
def test_site_refusals(
    client: TestClient, world: World, changes: dict[str, str], field: str, text: str
) -> None:
    token = as_user(client, world, "firm_own")
    response = post(client, f"/firms/{world.own.id}/sites/new", token, **{**SITE, **changes})
    html = assert_html(response, 422)
    assert text in field_error(html, field)
    assert 'value="科技城2号"' in html
    assert len(world.sites(world.own)) == 1


def test_removing_a_site_a_permit_names_is_a_conflict(client: TestClient, world: World) -> None:
    token = as_user(client, world, "regulator_in")
    site = world.sites(world.own)[0]
    response = post(
        client, f"/firms/{world.own.id}/permits/new", token, **permit_form(site_id=str(site.id))
    )
    assert response.status_code == 303
    html = assert_html(post(client, f"/firms/{world.own.id}/sites/{site.id}/remove", token), 409)
    assert "与已有数据冲突" in field_error(html, f"site-{site.id}")
    assert len(world.sites(world.own)) == 1


@pytest.mark.parametrize("role", ["firm_other", "regulator_out"])
def test_a_firms_own_data_is_closed_to_others(client: TestClient, world: World, role: str) -> None:
    token = as_user(client, world, role)
    firm = f"/firms/{world.own.id}"
    site = world.sites(world.own)[0]
    page = client.get(firm).text
    for hidden in (
        'id="economics"',
        'id="users"',
        "/sites/new",
        "/economics/new",
        "/keys",
        "/edit",
    ):
        assert hidden not in page, hidden
    for path in ("sites/new", f"sites/{site.id}/edit", "economics/new", "users/new"):
        assert_html(client.get(f"{firm}/{path}"), 403)
    assert_html(post(client, f"{firm}/sites/new", token, **SITE), 403)
    assert_html(post(client, f"{firm}/sites/{site.id}/edit", token, **SITE), 403)
    assert_html(post(client, f"{firm}/sites/{site.id}/remove", token), 403)
    assert_html(post(client, f"{firm}/economics/new", token, **ECONOMICS), 403)
    assert_html(post(client, f"{firm}/keys", token), 403)
    assert [s.name for s in world.sites(world.own)] == ["一号厂区"]
    assert world.context.organizations.economics(OPERATOR, world.own.id) == []
    assert world.context.signing_keys.keys_of(world.own.id) == []


def test_a_site_of_another_firm_is_not_found(
    client: TestClient, world: World, factory: Factory
) -> None:
    token = as_user(client, world, "firm_own")
    foreign = factory.site(world.other)
    assert_html(client.get(f"/firms/{world.own.id}/sites/{foreign.id}/edit"), 404)
    assert_html(post(client, f"/firms/{world.own.id}/sites/{foreign.id}/remove", token), 404)
    assert len(world.sites(world.other)) == 1


def test_record_economic_figures(client: TestClient, world: World) -> None:
    token = as_user(client, world, "firm_own")
    path = f"/firms/{world.own.id}/economics/new"
    assert 'value="2025"' in assert_html(client.get(path))
    assert post(client, path, token, **ECONOMICS).status_code == 303
    page = client.get(f"/firms/{world.own.id}").text
    assert "98,765,432" in page
    assert "经济数据已保存" in page
    refused = assert_html(post(client, path, token, **{**ECONOMICS, "output_value_cny": "-1"}), 422)
    assert "数量无效" in field_error(refused, "output_value_cny")
    assert 'value="12345678"' in refused
    refused = assert_html(post(client, path, token, **{**ECONOMICS, "year": "1900"}), 422)
    assert field_error(refused, "year")
    refused = assert_html(post(client, path, token, **{**ECONOMICS, "year": "next"}), 422)
    assert "请填写整数" in field_error(refused, "year")
    [record] = world.context.organizations.economics(OPERATOR, world.own.id)
    assert record.output_value_cny == Decimal("98765432")


def test_signing_keys(client: TestClient, world: World) -> None:
    firm = f"/firms/{world.own.id}"
    assert 'id="keys"' in client.get(firm).text  # public
    token = as_user(client, world, "firm_own")
    assert post(client, f"{firm}/keys", token).status_code == 303
    [key] = world.context.signing_keys.keys_of(world.own.id)
    assert key.custodial
    page = client.get(firm).text
    assert "托管签名密钥已创建" in page
    retire = f"{firm}/keys/{key.id}/retire"
    assert f'action="{retire}"' in page
    anonymous = TestClient(client.app).get(f"{firm}?lang=en").text
    assert "Custodial" in anonymous
    assert retire not in anonymous
    assert post(client, retire, token).status_code == 303
    assert not world.context.signing_keys.keys_of(world.own.id)[0].valid_at(world.context.clock())
    again = assert_html(post(client, retire, token), 409)
    assert "already retired" in again


def test_custodial_key_without_master_key(context: Context, world: World) -> None:
    vault = PrivateKeyVault(None)
    keys = SigningKeyService(context.unit_of_work, context.organizations, vault, context.clock)
    without = dataclasses.replace(context, signing_keys=keys)
    with TestClient(create_app(context=without)) as client:
        token = as_user(client, world, "firm_own")
        html = assert_html(post(client, f"/firms/{world.own.id}/keys", token), 503)
        assert "ZEROWASTE_MASTER_KEY" in html
        assert 'id="keys-alert"' in html
        assert "服务器未配置主密钥" in html
    assert context.signing_keys.keys_of(world.own.id) == []


def test_account_page_and_password_change(client: TestClient, world: World) -> None:
    token = as_user(client, world, "firm_own")
    user = world.users["firm_own"]
    page = assert_html(client.get("/account"))
    assert user.username in page
    assert "苏州再生资源有限公司" in page
    assert 'href="/account"' in page
    assert 'href="/admin/users"' not in page

    new = "a-much-longer-password"
    cases = [
        ({"current_password": "wrong-password!", "new_password": new}, "current_password"),
        ({"current_password": PASSWORD, "new_password": "short"}, "new_password"),
        (
            {"current_password": PASSWORD, "new_password": new, "confirm_password": "other"},
            "confirm_password",
        ),
    ]
    for data, field in cases:
        data.setdefault("confirm_password", data["new_password"])
        html = assert_html(post(client, "/account/password", token, **data), 422)
        assert field_error(html, field)
        assert PASSWORD not in html
    done = post(
        client,
        "/account/password",
        token,
        current_password=PASSWORD,
        new_password=new,
        confirm_password=new,
    )
    assert done.status_code == 303
    assert "密码已修改" in client.get("/account").text
    assert sign_in(client, user.username).status_code == 401
    assert sign_in(client, user.username, new).status_code == 303


def test_api_key_is_shown_once_and_works(client: TestClient, world: World) -> None:
    token = as_user(client, world, "regulator_in")
    issued = assert_html(post(client, "/account/api-keys", token, name="上报脚本"))
    assert issued.startswith("<!doctype html>")
    [secret] = re.findall(r'value="(zw_[^"]+)"', issued)
    assert "只显示这一次" in issued
    me = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200
    assert me.json()["username"] == world.users["regulator_in"].username
    account = client.get("/account").text
    assert "上报脚本" in account
    assert secret not in account
    [key] = world.context.accounts.api_keys(world.users["regulator_in"])
    assert key.prefix in account
    assert_html(post(client, "/account/api-keys", token, name=" "), 422)
    assert post(client, f"/account/api-keys/{key.id}/revoke", token).status_code == 303
    assert (
        client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 401
    )
    other = world.context.accounts.issue_api_key(world.users["firm_own"], "theirs")[0]
    html = assert_html(post(client, f"/account/api-keys/{other.id}/revoke", token), 404)
    assert "key_id" in html
    assert world.context.accounts.api_keys(world.users["firm_own"])[0].revoked_at is None


def test_admin_users_page(client: TestClient, world: World) -> None:
    token = as_user(client, world, "admin")
    page = assert_html(client.get("/admin/users"))
    assert 'href="/admin/users"' in page
    for principal in world.users.values():
        assert principal.username in page
    data = {
        "username": "suzhou-inspector",
        "display_name": "苏州检查员",
        "password": "inspector-password",
        "role": "regulator",
        "organization": "",
        "jurisdiction_code": "320500",
        "language": "en",
    }
    assert post(client, "/admin/users", token, **data).status_code == 303
    assert "suzhou-inspector" in client.get("/admin/users").text
    created = world.context.accounts.principal_by_username("suzhou-inspector")
    assert created.jurisdiction_code == "320500"

    refusals = [
        ({"username": "No Spaces"}, "username", 422),
        ({"password": "short"}, "password", 422),
        (
            {"role": "firm", "jurisdiction_code": "", "organization": credit_code()},
            "organization",
            422,
        ),
        ({"jurisdiction_code": "329999"}, "jurisdiction_code", 422),
        ({}, "username", 409),
    ]
    for changes, field, status in refusals:
        html = assert_html(post(client, "/admin/users", token, **{**data, **changes}), status)
        assert field_error(html, field)
        assert "inspector-password" not in html
    firm_user = {**data, "username": "own-clerk", "role": "firm", "jurisdiction_code": ""}
    firm_user["organization"] = world.own.credit_code
    assert post(client, "/admin/users", token, **firm_user).status_code == 303
    assert world.context.accounts.principal_by_username("own-clerk").organization_id == world.own.id

    target = world.users["firm_other"]
    assert (
        post(client, f"/admin/users/{target.user_id}/active", token, active="false").status_code
        == 303
    )
    assert sign_in(client, target.username).status_code == 401
    token = as_user(client, world, "admin")
    assert (
        post(client, f"/admin/users/{target.user_id}/active", token, active="true").status_code
        == 303
    )
    me = world.users["admin"]
    html = assert_html(
        post(client, f"/admin/users/{me.user_id}/active", token, active="false"), 422
    )
    assert 'id="users-alert"' in html
    assert sign_in(client, target.username).status_code == 303


@pytest.mark.parametrize("role", ["regulator_in", "firm_own"])
def test_users_page_is_for_admins(client: TestClient, world: World, role: str) -> None:
    token = as_user(client, world, role)
    assert 'href="/admin/users"' not in client.get("/").text
    assert_html(client.get("/admin/users"), 403)
    data = {"username": "sneaky", "password": "sneaky-password", "role": "admin", "language": "zh"}
    assert_html(post(client, "/admin/users", token, **data), 403)
    target = world.users["firm_other"]
    assert_html(post(client, f"/admin/users/{target.user_id}/active", token, active="false"), 403)
    with pytest.raises(Exception, match="no active user"):
        world.context.accounts.principal_by_username("sneaky")
    assert world.context.accounts.principal(target.user_id) is not None


def test_regulator_creates_a_firm_user(client: TestClient, world: World) -> None:
    token = as_user(client, world, "regulator_in")
    firm = f"/firms/{world.own.id}"
    assert f'href="{firm}/users/new"' in client.get(firm).text
    assert_html(client.get(f"{firm}/users/new"))
    data = {
        "username": "own-operator",
        "display_name": "操作员",
        "password": "operator-password",
        "language": "zh",
    }
    assert post(client, f"{firm}/users/new", token, **data).status_code == 303
    assert "own-operator" in client.get(firm).text
    html = assert_html(post(client, f"{firm}/users/new", token, **data), 409)
    assert "用户名已被占用" in field_error(html, "username")

    users = world.context.accounts.users_of(OPERATOR, world.own.id, PageRequest()).items
    assert "own-operator" in {u.username for u in users}
    token = as_user(client, world, "firm_own")
    page = client.get(firm).text
    assert 'id="users"' in page
    assert "own-operator" in page
    assert f"{firm}/users/new" not in page
    assert_html(client.get(f"{firm}/users/new"), 403)
    assert_html(post(client, f"{firm}/users/new", token, **{**data, "username": "own-2"}), 403)
    token = as_user(client, world, "regulator_out")
    assert_html(post(client, f"{firm}/users/new", token, **{**data, "username": "own-3"}), 403)
    users = world.context.accounts.users_of(OPERATOR, world.own.id, PageRequest()).items
    assert {u.username for u in users} >= {"own-operator"}
    assert not {"own-2", "own-3"} & {u.username for u in users}


def test_forms_need_the_sessions_csrf_token(client: TestClient, world: World) -> None:
    as_user(client, world, "admin")
    firm = f"/firms/{world.own.id}"
    site = world.sites(world.own)[0]
    permit = world.permits(world.own)[0]
    posts = {
        "/firms/new": firm_form(),
        f"{firm}/edit": {"name": "伪造", "roles": ["generator"]},
        f"{firm}/permits/new": permit_form(),
        f"{firm}/permits/{permit.id}/revoke": {"last_day": "2026-06-01"},
        f"{firm}/sites/new": SITE,
        f"{firm}/sites/{site.id}/edit": SITE,
        f"{firm}/sites/{site.id}/remove": {},
        f"{firm}/economics/new": ECONOMICS,
        f"{firm}/keys": {},
        f"{firm}/users/new": {
            "username": "forged",
            "password": "forged-password",
            "language": "zh",
        },
        "/account/password": {"current_password": PASSWORD, "new_password": "x" * 12},
        "/account/api-keys": {"name": "forged"},
        "/admin/users": {"username": "forged2", "password": "forged-password", "role": "admin"},
        f"/admin/users/{world.users['firm_own'].user_id}/active": {"active": "false"},
    }
    for path, data in posts.items():
        for token in (None, "forged-token"):
            assert_html(post(client, path, token, **data), 403)
    assert len(world.organizations()) == 2
    assert world.context.organizations.get(world.own.id).name == "苏州再生资源有限公司"
    assert len(world.permits(world.own)) == 1
    assert world.context.sites.permit(permit.id).valid_to == date(2029, 12, 31)
    assert [s.name for s in world.sites(world.own)] == ["一号厂区"]
    assert world.context.signing_keys.keys_of(world.own.id) == []
    assert world.context.accounts.api_keys(world.users["admin"]) == []
    assert world.context.accounts.principal(world.users["firm_own"].user_id) is not None


def test_form_pages_in_both_languages_are_self_contained(client: TestClient, world: World) -> None:
    as_user(client, world, "admin")
    firm = f"/firms/{world.own.id}"
    site = world.sites(world.own)[0]
    pages = [
        "/firms/new",
        f"{firm}/edit",
        f"{firm}/permits/new",
        f"{firm}/sites/new",
        f"{firm}/sites/{site.id}/edit",
        f"{firm}/economics/new",
        f"{firm}/users/new",
        firm,
        "/account",
        "/admin/users",
    ]
    for language, word in (("zh", "保存"), ("en", "Save")):
        for page in pages:
            html = assert_html(client.get(page, params={"lang": language}))
            assert_self_contained(html)
            forms = [a for tag, a in tags_of(html) if tag == "form" and a.get("method") == "post"]
            assert forms, page
            assert all(a["action"].startswith("/") for a in forms)
            names = [a.get("name") for tag, a in tags_of(html) if tag == "input"]
            assert names.count("csrf") >= len(forms), page
        assert word in client.get(f"{firm}/edit", params={"lang": language}).text
