"""The PACT page: a firm's footprints with PACT JSON, its clients (secret shown once), URLs."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from tests.e2e.test_web_pages import meta_token, sign_in
from tests.factories import Factory
from tests.pact_support import PRODUCT_FOOTPRINT, errors, footprint
from zerowaste.bootstrap import Context
from zerowaste.domain.accounts import UserRole


def test_the_firm_publishes_and_manages_clients(
    client: TestClient, context: Context, factory: Factory
) -> None:
    firm = factory.organization(name="苏州再生金属有限公司")
    other = factory.organization(region_code="330402")
    user = factory.user(UserRole.FIRM, organization=firm)
    made = footprint(firm.id)
    theirs = footprint(other.id, product_id="OTHER")
    with context.unit_of_work() as uow:
        uow.footprints.add(made)
        uow.footprints.add(theirs)
        uow.commit()
    assert client.get("/carbon/pact", follow_redirects=False).status_code == 303  # sign in first
    assert sign_in(client, user.username).status_code == 303
    page = client.get("/carbon/pact")
    assert page.status_code == 200
    assert "http://testserver/pact/auth/token" in page.text
    assert f"/carbon/pact/{made.id}.json" in page.text
    assert str(theirs.id) not in page.text
    download = client.get(f"/carbon/pact/{made.id}.json")
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    assert errors(PRODUCT_FOOTPRINT, json.loads(download.text)) == []
    assert client.get(f"/carbon/pact/{theirs.id}.json").status_code == 403
    token = meta_token(page.text)
    issued = client.post(
        "/carbon/pact/clients",
        data={"csrf": token, "organization": str(firm.id), "name": "采购方"},
    )
    assert issued.status_code == 200
    secret = re.search(r'id="pact-secret"[^>]*value="([^"]+)"', issued.text)
    client_id = re.search(r'id="pact-client-id">([^<]+)<', issued.text)
    assert secret
    assert client_id
    assert context.pact.issue_token(client_id.group(1), secret.group(1)).access_token
    again = client.get("/carbon/pact")
    assert client_id.group(1) in again.text
    assert secret.group(1) not in again.text
    refused = client.post(
        "/carbon/pact/clients", data={"csrf": token, "organization": str(firm.id), "name": ""}
    )
    assert refused.status_code == 422
    revoked = client.post(
        f"/carbon/pact/clients/{client_id.group(1)}/revoke",
        data={"csrf": token},
        follow_redirects=False,
    )
    assert revoked.status_code == 303
    assert context.pact.clients(user, firm.id)[0].revoked_at is not None
    pact_client, _ = context.pact.register_client(user, firm.id, "asks")
    request = {
        "type": "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3",
        "specversion": "1.0",
        "id": "req-web",
        "source": "//buyer.example/3/events",
        "time": "2026-05-31T17:31:00Z",
        "data": {"productId": ["urn:zerowaste:product:AL-INGOT-R1"]},
    }
    stored, _ = context.pact.receive_event(pact_client, request)
    with_event = client.get("/carbon/pact")
    assert f"/carbon/pact/events/{stored.id}/answer.json" in with_event.text
    answer = client.get(f"/carbon/pact/events/{stored.id}/answer.json")
    assert answer.status_code == 200
    assert json.loads(answer.text)["data"]["pfs"][0]["id"] == str(made.id)
    english = client.get("/carbon/pact", headers={"Accept-Language": "en"})
    assert english.status_code == 200


def test_an_outsider_sees_no_other_firms_page(client: TestClient, factory: Factory) -> None:
    firm = factory.organization()
    outsider = factory.user(UserRole.FIRM, organization=factory.organization(region_code="330402"))
    assert sign_in(client, outsider.username).status_code == 303
    assert client.get(f"/carbon/pact?organization={firm.id}").status_code == 403
    admin = factory.user(UserRole.ADMIN)
    client.cookies.clear()
    assert sign_in(client, admin.username).status_code == 303
    assert client.get("/carbon/pact").status_code == 200  # asks which firm
    assert client.get(f"/carbon/pact?organization={firm.id}").status_code == 200
