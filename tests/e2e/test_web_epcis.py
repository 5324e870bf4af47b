"""The EPCIS events page through the app, on SQLite and PostgreSQL."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.testclient import TestClient

from tests.e2e.test_web_pages import assert_html, assert_self_contained
from tests.e2e.test_web_trace import signed_in_for
from tests.factories import OPERATOR, Factory
from tests.integration.test_epcis import object_event
from tests.integration.test_trace import capture_chain
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.ids import urn


def test_the_page_lists_captured_and_platform_events_with_filters(
    client: TestClient, factory: Factory
) -> None:
    chain = capture_chain(factory)
    organization = chain.sender.organization
    factory.context.signing_keys.create_custodial(OPERATOR, organization.id)
    user = factory.user(UserRole.FIRM, organization=organization)
    for n, step in ((1, "shipping"), (2, "receiving")):
        factory.context.epcis_capture.capture_event(user, object_event(n, bizStep=step))
    assert client.get("/epcis-events", follow_redirects=False).status_code == 303  # sign in
    signed_in_for(client, factory, organization)
    html = assert_html(client.get("/epcis-events?lang=en"))
    assert_self_contained(html)
    assert "EPCIS 2.0 events" in html
    assert html.count("Platform event") == 3  # the sender's generated, split and shipped
    assert html.count("EPCIS capture") == 2
    assert "urn:epc:id:sgtin:0614141.107346.1" in html
    assert "/api/v1/ledger/entries/" in html
    shipping = assert_html(client.get("/epcis-events?biz_step=shipping&lang=en"))
    assert shipping.count("<tr>") == 1 + 2  # header, the platform shipment, the captured one
    batch = quote(urn("batch", chain.raw), safe="")
    raw = assert_html(client.get(f"/epcis-events?epc={batch}&lang=en"))
    assert raw.count("Platform event") == 2  # generated, split
    assert "EPCIS capture" not in raw
    typed = assert_html(client.get("/epcis-events?event_type=TransformationEvent&lang=en"))
    assert typed.count("<tr>") == 2
    chinese = assert_html(client.get("/epcis-events?lang=zh"))
    assert "EPCIS 2.0 事件" in chinese
    bad = client.get("/epcis-events?from=yesterday&lang=en")
    assert bad.status_code == 422
    assert "from" in bad.text
    missing = client.get("/epcis/nothing-here")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
