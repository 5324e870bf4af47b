"""The indicator pages: registry, the public city dashboard, access-checked scorecards."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.admission_world import build_admission_world
from tests.e2e.test_web_pages import assert_html, sign_in
from tests.factories import OPERATOR, Factory
from tests.integration.test_indicators import STATS
from zerowaste.bootstrap import Context


def _row(html: str, indicator: str) -> str:
    match = re.search(
        rf'<tr data-indicator="{indicator}">(.*?)</tr>\s*(?=<tr data-|</tbody>)', html, re.S
    )
    assert match, html[:2000]
    return match.group(1)


def test_registry_pages_are_public(client: TestClient) -> None:
    html = assert_html(client.get("/indicators?lang=en"))
    assert "Indicator registry" in html
    row = _row(html, "general_iswu_rate")
    assert "General industrial solid waste comprehensive utilization rate" in row
    assert "Zero-waste city system" in row
    detail = assert_html(client.get("/indicators/msw_per_capita_daily?lang=zh"))
    assert "人均生活垃圾日产生量" in detail
    assert "resident_population" in detail
    assert client.get("/indicators/nope").status_code == 422


def test_the_city_dashboard_renders_without_login(
    client: TestClient, context: Context, factory: Factory
) -> None:
    build_admission_world(factory)
    context.indicators.import_statistics(OPERATOR, STATS)
    cities = assert_html(client.get("/cities?lang=en"))
    assert 'href="/cities/320500"' in cities
    html = assert_html(client.get("/cities/320500?period=2026&lang=en"))
    assert 'href="/flows/320500?period=2026"' in html
    row = _row(html, "general_iswu_rate")
    assert re.search(r"<span title=\"50\.0+\">50</span>", row)  # the value, exact in the title
    assert "92" in row  # the illustrative target
    assert "Not met" in row
    assert "general waste utilized" in row  # how computed: the inputs
    assert "utilized ÷ (generated + prior-year stock utilized)" in row
    assert "statistics: test figure" in row  # the uploaded prior stock and its source
    assert "Uploaded statistics" in _row(html, "policy_strength")
    assert 'data-indicator-chart="chart-general_iswu_rate"' in html
    assert "/static/vendor/plotly/plotly.min.js" in html
    assert "indicators.js" in html
    zh = assert_html(client.get("/cities/320500?period=2026&lang=zh"))
    assert "无废城市指标看板" in zh
    bad = client.get("/cities/320500?period=soon")
    assert bad.status_code == 422
    assert client.get("/cities/999999").status_code == 422


def test_scorecards_are_signed_in_and_access_checked(
    client: TestClient, context: Context, factory: Factory
) -> None:
    world = build_admission_world(factory)
    firm = f"/firms/{world.supplier_id}/scorecard?period=2026&lang=en"
    chain = f"/chains/{world.master_id}/scorecard?period=2026&lang=en"
    assert client.get(firm, follow_redirects=False).status_code == 303
    sign_in(client, world.outsider_user.username)
    assert client.get(firm).status_code == 403
    client.post("/logout", follow_redirects=False)
    client.cookies.clear()
    sign_in(client, world.master_user.username)
    html = assert_html(client.get(chain))
    assert f'href="/firms/{world.supplier_id}/scorecard?period=2026"' in html
    assert "66.666667" in _row(html, "general_iswu_rate")
    assert "green_procurement_intensity" in html
    assert client.get(firm).status_code == 403  # the master is not the supplier's user
    client.cookies.clear()
    sign_in(client, world.supplier_user.username)
    own = assert_html(client.get(firm))
    assert "66.666667" in _row(own, "general_iswu_rate")
