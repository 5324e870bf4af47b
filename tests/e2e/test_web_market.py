"""The market pages: map and search, a listing's page, and the listing forms of firm users."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from tests.e2e.test_web_forms import field_error, post
from tests.e2e.test_web_pages import assert_html, assert_self_contained, meta_token, sign_in
from tests.factories import Factory
from tests.integration.listing_world import Firm, demand_document, supply_document
from zerowaste.bootstrap import Context
from zerowaste.domain.listing_documents import parse_listing
from zerowaste.domain.listings import Listing
from zerowaste.domain.organizations import OrganizationRole
from zerowaste.domain.pages import PageRequest


def signed_in(client: TestClient, firm: Firm) -> str:
    assert sign_in(client, firm.user.username).status_code == 303
    token = meta_token(client.get("/").text)
    assert token
    return token


def listings(context: Context) -> list[Listing]:
    with context.unit_of_work() as uow:
        return uow.listings.find(PageRequest(limit=500)).items


def supply_form(firm: Firm, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "side": "supply",
        "organization_id": str(firm.organization.id),
        "site_id": str(firm.site.id),
        "title": "钢渣 steel slag",
        "available_from": "2026-06-01",
        "available_to": "2026-12-31",
        "expires_on": "2026-12-31",
        "supply.waste_code": "SW01",
        "supply.quantity_t": "500",
        "supply.basis": "month",
        "supply.price_cny_per_t": "-20",
        "supply.packaging": "bulk",
        "supply.allows_cross_province": "on",
        "supply.composition": "CaO 0.38 0.45\nFeO 0.15 0.22",
    }
    values.update(changes)
    return values


def test_market_needs_sign_in_and_shows_the_map(client: TestClient, factory: Factory) -> None:
    assert client.get("/market", follow_redirects=False).status_code == 303
    seller = Firm(factory)
    buyer = Firm(factory, roles=(OrganizationRole.UTILIZER,))
    permit = factory.permit(buyer.organization, ("HW22",))
    context = factory.context
    supply = context.listings.create(
        seller.user, parse_listing(supply_document(seller.organization, seller.site))
    )
    wanted = demand_document(buyer.organization, buyer.site, permit_ids=[str(permit.id)])
    demand = context.listings.create(buyer.user, parse_listing(wanted))
    signed_in(client, seller)
    html = assert_html(client.get("/market"))
    assert_self_contained(html)
    assert f"/market/listings/{supply.id}" in html
    assert f"/market/listings/{demand.id}" in html
    assert "leaflet.js" in html
    data = re.search(r'id="market-map-data">(.*?)</script>', html, re.S)
    assert data
    kinds = {p["kind_code"] for p in json.loads(data.group(1))["points"]}
    assert kinds == {"listing-supply", "listing-demand"}
    only_demand = assert_html(client.get("/market", params={"side": "demand"}))
    assert f"/market/listings/{supply.id}" not in only_demand
    by_code = assert_html(client.get("/market", params={"code": "HW08"}))
    assert str(supply.id) not in by_code
    assert str(demand.id) not in by_code
    assert_html(client.get("/market", params={"side": "nonsense"}), 422)
    english = assert_html(client.get("/market", params={"lang": "en"}))
    assert "Resource market" in english


def test_listing_page_shows_terms_and_owner_actions(client: TestClient, factory: Factory) -> None:
    seller, other = Firm(factory), Firm(factory)
    listing = factory.context.listings.create(
        seller.user, parse_listing(supply_document(seller.organization, seller.site))
    )
    signed_in(client, other)
    html = assert_html(client.get(f"/market/listings/{listing.id}"))
    assert "398-004-22" in html
    assert 'id="listing-composition"' in html
    assert "0.12" in html
    assert 'id="listing-edit"' not in html
    assert_html(client.get(f"/market/listings/{listing.id}/edit"), 403)
    assert_html(client.get("/market/listings/not-an-id"), 404)
    client.cookies.clear()
    token = signed_in(client, seller)
    html = assert_html(client.get(f"/market/listings/{listing.id}"))
    assert 'id="listing-edit"' in html
    assert 'id="listing-withdraw"' in html
    refused = post(client, f"/market/listings/{listing.id}/withdraw", None, version="1")
    assert refused.status_code == 403
    done = post(client, f"/market/listings/{listing.id}/withdraw", token, version="1")
    assert done.status_code == 303
    html = assert_html(client.get(f"/market/listings/{listing.id}"))
    assert 'id="listing-edit"' not in html
    assert listings(factory.context)[0].state.value == "withdrawn"


def test_new_supply_form_publishes_and_refuses(client: TestClient, factory: Factory) -> None:
    seller = Firm(factory)
    token = signed_in(client, seller)
    html = assert_html(client.get("/market/listings/new?side=supply"))
    assert 'name="supply.waste_code"' in html
    assert str(seller.site.id) in html
    bad = post(
        client, "/market/listings/new", token, **supply_form(seller, **{"supply.quantity_t": "-3"})
    )
    field_error(assert_html(bad, 422), "supply.quantity_t")
    wrong = supply_form(seller, **{"supply.composition": "CaO 0.5 0.4"})
    refused = assert_html(post(client, "/market/listings/new", token, **wrong), 422)
    assert "CaO" in field_error(refused, "supply.composition")
    unknown = supply_form(seller, **{"supply.waste_code": "SW99"})
    field_error(
        assert_html(post(client, "/market/listings/new", token, **unknown), 422),
        "supply.waste_code",
    )
    assert listings(factory.context) == []
    made = post(client, "/market/listings/new", token, **supply_form(seller))
    assert made.status_code == 303, made.text[:400]
    stored = listings(factory.context)
    assert len(stored) == 1
    assert stored[0].terms.supply is not None
    assert [r.component for r in stored[0].terms.supply.composition] == ["CaO", "FeO"]
    assert made.headers["location"].endswith(f"/market/listings/{stored[0].id}")


def test_edit_form_round_trips_and_checks_version(client: TestClient, factory: Factory) -> None:
    buyer = Firm(factory, roles=(OrganizationRole.UTILIZER,))
    permit = factory.permit(buyer.organization, ("HW22",))
    wanted = demand_document(buyer.organization, buyer.site, permit_ids=[str(permit.id)])
    listing = factory.context.listings.create(buyer.user, parse_listing(wanted))
    token = signed_in(client, buyer)
    html = assert_html(client.get(f"/market/listings/{listing.id}/edit"))
    assert 'value="300"' in html
    assert "Cu 0.05 -" in html
    form = {
        "side": "demand",
        "version": "1",
        "site_id": str(buyer.site.id),
        "title": "收铜蚀刻液",
        "available_from": "2026-06-01",
        "available_to": "2027-05-31",
        "expires_on": "2027-05-31",
        "demand.accepted_codes": "HW22",
        "demand.capacity_t": "250",
        "demand.basis": "month",
        "demand.route": "recycling",
        "demand.limits": "Cu 0.05 -",
        "demand.max_distance_km": "200",
        "demand.permit_ids": str(permit.id),
        "demand.accepts_cross_province": "on",
    }
    no_permit = form | {"demand.permit_ids": ""}
    refused = assert_html(
        post(client, f"/market/listings/{listing.id}/edit", token, **no_permit), 422
    )
    field_error(refused, "demand.permit_ids")
    done = post(client, f"/market/listings/{listing.id}/edit", token, **form)
    assert done.status_code == 303, done.text[:400]
    stale = assert_html(post(client, f"/market/listings/{listing.id}/edit", token, **form), 409)
    assert "version" in stale
    stored = listings(factory.context)[0]
    assert stored.version == 2
    assert stored.terms.demand is not None
    assert str(stored.terms.demand.capacity_t) == "250"
