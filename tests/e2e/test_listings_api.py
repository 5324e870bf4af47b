"""Market listings over HTTP: create, search, read, edit, withdraw; every 4xx names its field."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import Factory
from tests.integration.listing_world import Firm, demand_document, supply_document
from zerowaste.bootstrap import Context
from zerowaste.domain.organizations import OrganizationRole
from zerowaste.domain.pages import PageRequest

BASE = "/api/v1/market/listings"


def fields_of(response: Any) -> set[str]:
    return {e["field"] for e in response.json().get("errors") or []}


def stored(context: Context) -> int:
    with context.unit_of_work() as uow:
        return len(uow.listings.find(PageRequest(limit=500)).items)


@pytest.fixture
def seller(factory: Factory) -> Firm:
    return Firm(factory)


def test_create_read_edit_withdraw(client: TestClient, factory: Factory, seller: Firm) -> None:
    headers = factory.api_key(seller.user)
    body = supply_document(seller.organization, seller.site)
    created = client.post(BASE, json=body, headers=headers)
    assert created.status_code == 201, created.text
    listing = created.json()
    assert listing["version"] == 1
    assert listing["state"] == "open"
    assert listing["supply"]["price_cny_per_t"] == "-300"
    assert listing["supply"]["composition"] == {"Cu": {"low": "0.08", "high": "0.12"}}
    assert listing["region_code"] == "320505"
    other = factory.api_key(Firm(factory).user)
    read = client.get(f"{BASE}/{listing['id']}", headers=other)
    assert read.status_code == 200
    assert read.json()["title"] == body["title"]

    body["supply"]["quantity_t"] = "90"
    edited = client.put(f"{BASE}/{listing['id']}", json=body | {"version": 1}, headers=headers)
    assert edited.status_code == 200, edited.text
    assert edited.json()["version"] == 2
    assert edited.json()["supply"]["quantity_t"] == "90"
    stale = client.put(f"{BASE}/{listing['id']}", json=body | {"version": 1}, headers=headers)
    assert stale.status_code == 409
    assert fields_of(stale) == {"version"}
    foreign = client.put(f"{BASE}/{listing['id']}", json=body | {"version": 2}, headers=other)
    assert foreign.status_code == 403
    withdrawn = client.post(f"{BASE}/{listing['id']}/withdraw", json={}, headers=headers)
    assert withdrawn.status_code == 200
    assert withdrawn.json()["state"] == "withdrawn"
    again = client.post(f"{BASE}/{listing['id']}/withdraw", json={}, headers=headers)
    assert again.status_code == 409
    assert fields_of(again) == {"listing_id"}
    assert client.get(f"{BASE}/{listing['id']}", headers=other).status_code == 404
    assert client.get(f"{BASE}/{listing['id']}").status_code == 401


def test_search_filters_and_cursor(client: TestClient, factory: Factory, seller: Firm) -> None:
    headers = factory.api_key(seller.user)
    buyer = Firm(factory, roles=(OrganizationRole.UTILIZER,))
    permit = factory.permit(buyer.organization, ("HW22",))
    for _ in range(3):
        body = supply_document(seller.organization, seller.site)
        assert client.post(BASE, json=body, headers=headers).status_code == 201
    wanted = demand_document(buyer.organization, buyer.site, permit_ids=[str(permit.id)])
    made = client.post(BASE, json=wanted, headers=factory.api_key(buyer.user))
    assert made.status_code == 201, made.text
    page = client.get(BASE, params={"limit": 2}, headers=headers).json()
    assert len(page["items"]) == 2
    rest = client.get(BASE, params={"limit": 2, "cursor": page["next_cursor"]}, headers=headers)
    assert len(rest.json()["items"]) == 2
    assert rest.json()["next_cursor"] is None
    demands = client.get(BASE, params={"side": "demand"}, headers=headers).json()["items"]
    assert [d["id"] for d in demands] == [made.json()["id"]]
    by_code = client.get(BASE, params={"code": "HW22", "region": "320500"}, headers=headers)
    assert len(by_code.json()["items"]) == 4
    assert client.get(BASE, params={"code": "HW08"}, headers=headers).json()["items"] == []
    bad = client.get(BASE, params={"cursor": "%%%"}, headers=headers)
    assert bad.status_code == 422
    assert fields_of(bad) == {"cursor"}
    assert fields_of(client.get(BASE, params={"side": "both"}, headers=headers)) == {"side"}


def test_idempotent_create(
    client: TestClient, context: Context, factory: Factory, seller: Firm
) -> None:
    headers = factory.api_key(seller.user) | {"Idempotency-Key": "listing-1"}
    body = supply_document(seller.organization, seller.site)
    first = client.post(BASE, json=body, headers=headers)
    retry = client.post(BASE, json=body, headers=headers)
    assert first.status_code == retry.status_code == 201
    assert retry.headers.get("Idempotent-Replayed") == "true"
    assert retry.json()["id"] == first.json()["id"]
    other = client.post(BASE, json=body | {"title": "another"}, headers=headers)
    assert other.status_code == 422
    assert stored(context) == 1


BAD_SUPPLY: list[tuple[str, Any, str]] = [
    ("title", "", "title"),
    ("side", "barter", "side"),
    ("site_id", "not-a-uuid", "site_id"),
    ("available_to", "2026-05-01", "available_to"),
    ("expires_on", "2027-06-01", "expires_on"),
    ("supply.waste_code", "999-999-99", "supply.waste_code"),
    ("supply.waste_code", "", "supply.waste_code"),
    ("supply.quantity_t", "0", "supply.quantity_t"),
    ("supply.quantity_t", "-5", "supply.quantity_t"),
    ("supply.quantity_t", "lots", "supply.quantity_t"),
    ("supply.basis", "week", "supply.basis"),
    ("supply.lot_t", "500", "supply.lot_t"),
    ("supply.price_cny_per_t", "1e12", "supply.price_cny_per_t"),
    ("supply.composition", {"Pb": {"low": "0.2", "high": "1.5"}}, "supply.composition.Pb.high"),
    ("supply.composition", {"Pb": {"low": "0.3", "high": "0.2"}}, "supply.composition.Pb"),
    ("supply.composition", {"Pb": {"low": "0.1"}}, "supply.composition.Pb"),
    ("supply.composition", {"Pb": {"low": "x", "high": "0.2"}}, "supply.composition.Pb.low"),
    ("supply.composition_source", "guess", "supply.composition_source"),
    ("supply.packaging", "x" * 101, "supply.packaging"),
    ("supply.batch_ids", ["nope"], "supply.batch_ids.0"),
    ("supply.colour", "red", "supply.colour"),
]


def _set(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(body)
    target = changed
    *parents, last = path.split(".")
    for part in parents:
        target = target[part]
    target[last] = value
    return changed


@pytest.mark.parametrize(("path", "value", "field"), BAD_SUPPLY)
def test_bad_supply_names_the_field(
    client: TestClient, factory: Factory, seller: Firm, path: str, value: Any, field: str
) -> None:
    headers = factory.api_key(seller.user)
    body = _set(supply_document(seller.organization, seller.site), path, value)
    response = client.post(BASE, json=body, headers=headers)
    assert response.status_code == 422, response.text
    assert field in fields_of(response), response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert client.get(BASE, headers=headers).json()["items"] == []


BAD_DEMAND: list[tuple[str, Any, str]] = [
    ("demand.accepted_codes", [], "demand.accepted_codes"),
    ("demand.accepted_codes", ["HW22", "slag"], "demand.accepted_codes[1]"),
    ("demand.accepted_codes", ["HW22", "HW22"], "demand.accepted_codes"),
    ("demand.capacity_t", "0", "demand.capacity_t"),
    ("demand.route", "source_reduction", "demand.route"),
    ("demand.route", "teleport", "demand.route"),
    ("demand.limits", {"Cu": {"low": None, "high": None}}, "demand.limits.Cu"),
    ("demand.limits", {"Cu": {"high": "2"}}, "demand.limits.Cu.high"),
    ("demand.min_lot_t", "400", "demand.min_lot_t"),
    ("demand.max_distance_km", "9000", "demand.max_distance_km"),
    ("demand.blend", "maybe", "demand.blend"),
    ("demand.permit_ids", [], "demand.permit_ids"),
]


@pytest.mark.parametrize(("path", "value", "field"), BAD_DEMAND)
def test_bad_demand_names_the_field(
    client: TestClient, factory: Factory, path: str, value: Any, field: str
) -> None:
    buyer = Firm(factory, roles=(OrganizationRole.UTILIZER,))
    permit = factory.permit(buyer.organization, ("HW22",))
    headers = factory.api_key(buyer.user)
    valid = demand_document(buyer.organization, buyer.site, permit_ids=[str(permit.id)])
    body = _set(valid, path, value)
    response = client.post(BASE, json=body, headers=headers)
    assert response.status_code == 422, response.text
    assert field in fields_of(response), response.json()
    assert client.get(BASE, headers=headers).json()["items"] == []
    assert client.post(BASE, json=valid, headers=headers).status_code == 201


def test_sides_and_owners_are_checked(client: TestClient, factory: Factory, seller: Firm) -> None:
    headers = factory.api_key(seller.user)
    body = supply_document(seller.organization, seller.site)
    both = body | {"demand": demand_document(seller.organization, seller.site)["demand"]}
    assert fields_of(client.post(BASE, json=both, headers=headers)) == {"supply"}
    demand_only = body | {"side": "demand"}
    assert fields_of(client.post(BASE, json=demand_only, headers=headers)) == {"demand"}
    stranger = factory.api_key(Firm(factory).user)
    refused = client.post(BASE, json=body, headers=stranger)
    assert refused.status_code == 403
    assert fields_of(refused) == {"organization_id"}
    other_site = Firm(factory).site
    wrong = body | {"site_id": str(other_site.id)}
    assert fields_of(client.post(BASE, json=wrong, headers=headers)) == {"site_id"}
    assert client.get(BASE, headers=headers).json()["items"] == []
