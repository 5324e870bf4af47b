"""The carbon views: the public city page and hub, a firm's page and a chain's page."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.carbon_world import BOOK, CarbonWorld, build_carbon_world, make_chain_master
from tests.e2e.test_web_pages import assert_html, assert_self_contained, sign_in
from tests.factories import Factory
from zerowaste.domain.accounts import UserRole


@pytest.fixture
def carbon(factory: Factory, monkeypatch: pytest.MonkeyPatch) -> CarbonWorld:
    monkeypatch.setattr(factory.context.carbon, "_factor_book", lambda: BOOK)
    return build_carbon_world(factory)


def test_city_page_is_public_with_hub_chart_tables_and_factor_links(
    client: TestClient, carbon: CarbonWorld
) -> None:
    html = assert_html(client.get("/carbon?region=320500&granularity=quarter&lang=en"))
    assert_self_contained(html)
    for page in ("factors", "footprints", "pact", "cbam"):
        assert f'href="/carbon/{page}"' in html
    assert 'id="carbon-chart-data"' in html
    assert "/static/vendor/plotly/plotly.min.js" in html
    assert 'data-key="2026-Q2"' in html
    assert 'data-key="recycling"' in html
    assert 'data-key="waste_oil"' in html
    links = set(re.findall(r'href="/carbon/factors/([^"]+)"', html))
    assert "avoided/waste_route/waste_oil/recycling/CN/2025" in links
    assert "inventory/transport/road_truck/-/CN/2025" in links
    assert "Avoided (t CO2e)" in html
    assert "Inventory (t CO2e)" in html
    zh = assert_html(client.get("/carbon?lang=zh"))
    assert "避免排放" in zh
    bad = client.get("/carbon?from=2026-99-01")
    assert bad.status_code == 422


def test_firm_and_chain_pages_need_access(
    client: TestClient, factory: Factory, carbon: CarbonWorld
) -> None:
    r = carbon.world.receiver
    anonymous = client.get(f"/carbon/firms/{r.id}", follow_redirects=False)
    assert anonymous.status_code == 303
    sign_in(client, r.user.username)
    html = assert_html(client.get(f"/carbon/firms/{r.id}?lang=en"))
    assert "Carbon accounts of" in html
    assert 'data-key="incineration"' in html
    refused = client.get(f"/carbon/firms/{carbon.world.generator.id}")
    assert refused.status_code == 403
    master = make_chain_master(factory, carbon)
    assert client.get(f"/carbon/chains/{master}").status_code == 403
    regulator = factory.user(UserRole.REGULATOR, jurisdiction_code="320500")
    client.cookies.clear()
    sign_in(client, regulator.username)
    chain = assert_html(client.get(f"/carbon/chains/{master}?lang=en"))
    assert f'href="/carbon/firms/{carbon.world.generator.id}"' in chain
    assert client.get("/carbon/chains/not-a-uuid").status_code == 404
