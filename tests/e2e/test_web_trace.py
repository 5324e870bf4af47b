"""The batch trace page through the app, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict

from fastapi.testclient import TestClient

from tests.e2e.test_web_pages import assert_html, assert_self_contained, sign_in, tags_of
from tests.factories import Factory
from tests.integration.test_trace import Chain, capture_chain
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.organizations import Organization


def sankey_of(html: str) -> dict[str, object]:
    """The Sankey JSON embedded in a trace page."""
    start = html.index('<script type="application/json" id="trace-sankey-data">')
    body = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    data: dict[str, object] = json.loads(body)
    return data


def into(data: dict[str, object]) -> dict[str, float]:
    """Mass flowing into each node of the Sankey, by node key."""
    nodes = data["nodes"]
    links = data["links"]
    assert isinstance(nodes, list)
    assert isinstance(links, list)
    totals: dict[str, float] = defaultdict(float)
    for link in links:
        totals[nodes[link["target"]]["key"]] += link["value"]
    return dict(totals)


def signed_in_for(client: TestClient, factory: Factory, organization: Organization) -> None:
    user = factory.user(UserRole.FIRM, organization=organization)
    assert sign_in(client, user.username).status_code == 303


def test_the_trace_page_draws_where_every_kilogram_went(
    client: TestClient, factory: Factory
) -> None:
    chain: Chain = capture_chain(factory)
    signed_in_for(client, factory, chain.sender.organization)
    chinese = assert_html(client.get(f"/batches/{chain.raw}"))
    assert '<html lang="zh-CN">' in chinese
    assert "批次溯源" in chinese
    assert "质量去向" in chinese
    assert "存证回执" in chinese
    assert "焚烧" in chinese
    data = sankey_of(chinese)
    assert data["fates"] == {
        "disposed:incineration": "150",
        "held:product": "400",
        "held:waste": "400",
        "transformation_loss": "40",
        "weighing_gap": "10",
    }
    flows = into(data)
    assert flows == {
        str(chain.kept): 400,
        str(chain.shipped): 600,
        str(chain.product): 400,
        str(chain.residue): 150,
        "held:waste": 400,
        "held:product": 400,
        "transformation_loss": 40,
        "weighing_gap": 10,
        "disposed:incineration": 150,
    }
    groups = {node["key"]: node["group"] for node in data["nodes"]}  # type: ignore[attr-defined]
    assert groups[str(chain.raw)] == "root"
    assert groups[str(chain.product)] == "descendant"

    english = assert_html(client.get(f"/batches/{chain.raw}", params={"lang": "en"}))
    assert '<html lang="en">' in english
    for text in ("Batch trace", "Mass balance of every batch", "Receipt", "Tolerance: 1 kg"):
        assert text in english
    assert "Disposed: incineration" in english
    assert "Out of tolerance" not in english.split('id="balance"')[1].split("<tbody>")[0]
    assert_self_contained(chinese)
    assert_self_contained(english)
    scripts = [a["src"] for tag, a in tags_of(english) if tag == "script" and a.get("src")]
    assert any(s.endswith("/static/vendor/plotly/plotly.min.js") for s in scripts)
    assert any("/static/web/trace.js" in s for s in scripts)


def test_the_page_walks_upstream_from_a_product(client: TestClient, factory: Factory) -> None:
    chain = capture_chain(factory)
    signed_in_for(client, factory, chain.receiver.organization)
    data = sankey_of(assert_html(client.get(f"/batches/{chain.product}?lang=en")))
    groups = {node["key"]: node["group"] for node in data["nodes"]}  # type: ignore[attr-defined]
    assert groups[str(chain.raw)] == "ancestor"
    assert groups[str(chain.shipped)] == "ancestor"
    flows = into(data)
    assert flows[str(chain.product)] == 400
    assert flows["held:product"] == 400


def test_every_event_links_to_its_receipt(client: TestClient, factory: Factory) -> None:
    chain = capture_chain(factory)
    signed_in_for(client, factory, chain.sender.organization)
    html = assert_html(client.get(f"/batches/{chain.raw}"))
    receipts = [
        a["href"] for tag, a in tags_of(html) if tag == "a" and "receipt" in a.get("class", "")
    ]
    assert len(receipts) == 6
    for href in receipts:
        assert href.startswith("/api/v1/ledger/entries/")
        assert href.endswith("/receipt")
        response = client.get(href)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/json")
        receipt = response.json()
        assert receipt["format"] == "zerowaste.receipt/1"
        assert f"/entries/{receipt['event']['event_id']}/receipt" in href
        assert receipt["checkpoint"]
        assert isinstance(receipt["leaf_index"], int)


def test_plotly_is_served_by_the_app(client: TestClient) -> None:
    response = client.get("/static/vendor/plotly/plotly.min.js")
    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]
    assert "plotly.js" in response.text[:200]
    assert client.get("/static/web/trace.js").status_code == 200


def test_other_firms_anonymous_and_unknown_batches(client: TestClient, factory: Factory) -> None:
    chain = capture_chain(factory)
    anonymous = client.get(f"/batches/{chain.raw}", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == f"/login?next=%2Fbatches%2F{chain.raw}"

    stranger = factory.organization()
    signed_in_for(client, factory, stranger)
    refused = assert_html(client.get(f"/batches/{chain.raw}"), 403)
    assert "无权访问" in refused
    assert "trace-sankey-data" not in refused
    assert_html(client.get(f"/batches/{uuid.uuid4()}?lang=en"), 404)
    assert "Page not found" in assert_html(client.get("/batches/not-a-uuid?lang=en"), 404)
