"""Proposals and contracts over HTTP: propose, accept, sign (custodial and client), performance."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from tests.contract_world import ContractWorld, build_contract_world
from tests.factories import Factory
from zerowaste.domain.contract_documents import contract_document
from zerowaste.domain.contracts import ContractAction

API = "/api/v1/market"


@pytest.fixture
def cw(factory: Factory) -> ContractWorld:
    return build_contract_world(factory)


def _proposal(cw: ContractWorld, **changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "supply_listing_id": str(cw.supply.id),
        "demand_listing_id": str(cw.demand.id),
        "quantity_t_per_month": "10",
        "start_on": "2026-06-01",
        "end_on": "2026-08-31",
        "shortfall_penalty_cny_per_t": "50",
        "revenue_share": "0.05",
        "beneficiary_id": str(cw.world.alternate.id),
    }
    body.update(changes)
    return body


def test_propose_accept_sign_and_read_performance(client: TestClient, cw: ContractWorld) -> None:
    w = cw.world
    g, r = w.generator, w.receiver
    factory = w.factory
    gen, rec = factory.api_key(g.user), factory.api_key(r.user)
    created = client.post(
        f"{API}/proposals", json=_proposal(cw), headers=gen | {"Idempotency-Key": "p-1"}
    )
    assert created.status_code == 201, created.text
    proposal = created.json()
    assert proposal["state"] == "proposed"
    assert proposal["price_cny_per_t"] == "800"  # the demand listing's price
    assert proposal["buyer_id"] == str(r.id)
    replay = client.post(
        f"{API}/proposals", json=_proposal(cw), headers=gen | {"Idempotency-Key": "p-1"}
    )
    assert replay.json() == proposal
    incoming = client.get(f"{API}/proposals", params={"direction": "incoming"}, headers=rec)
    assert [p["proposal_id"] for p in incoming.json()["items"]] == [proposal["proposal_id"]]

    accepted = client.post(
        f"{API}/proposals/{proposal['proposal_id']}/accept", json={}, headers=rec
    )
    assert accepted.status_code == 201, accepted.text
    contract_id = accepted.json()["contract_id"]
    contract = client.get(f"{API}/contracts/{contract_id}", headers=gen).json()
    assert contract["state"] == "drafted"
    assert {c["key"] for c in contract["clauses"]} >= {"parties", "revenue_share", "take_back"}
    assert contract["digest_matches"] is True

    # The supplier signs client-side, the buyer custodially.
    document = contract_document(
        ContractAction.SIGN, uuid.UUID(contract_id), g.id, contract["terms_digest"], w.tick()
    )
    signed = client.post(
        f"{API}/contracts/{contract_id}/signatures",
        json={"document": document, "signature": g.signer.sign(document)},
        headers=gen,
    )
    assert signed.status_code == 201, signed.text
    assert signed.json()["state"] == "signed_by_supplier"
    second = client.post(f"{API}/contracts/{contract_id}/sign", json={}, headers=rec)
    assert second.status_code == 201, second.text
    body = second.json()
    assert body["state"] == "active"
    assert [s["leaf_index"] for s in body["signatures"]] == [
        signed.json()["step"]["leaf_index"],
        body["step"]["leaf_index"],
    ]

    cw.deliver(uuid.UUID(contract_id), "4000", "4000", water="0.05")
    w.factory.context.clock.now += timedelta(days=40)  # type: ignore[attr-defined]
    performance = client.get(f"{API}/contracts/{contract_id}/performance", headers=rec)
    assert performance.status_code == 200, performance.text
    figures = performance.json()
    assert figures["delivered_t"] == "4"
    assert figures["months"][0]["shortfall_t"] == "5"
    assert figures["revenue_cny"] == "3200.00"
    assert figures["revenue_share_due_cny"] == "160.00"
    assert figures["deliveries"][0]["spec_status"] == "compliant"
    listed = client.get(f"{API}/contracts", headers=factory.api_key(w.alternate.user)).json()
    assert [c["contract_id"] for c in listed["items"]] == [contract_id]  # the beneficiary's too


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"quantity_t_per_month": "ten"}, 422, "quantity_t_per_month"),
        ({"quantity_t_per_month": "25"}, 422, "quantity_t"),
        ({"end_on": "2026-05-01"}, 422, "end_on"),
        ({"supply_listing_id": str(uuid.UUID(int=7))}, 404, "supply_listing_id"),
        ({"revenue_share": "1.5"}, 422, "revenue_share"),
    ],
)
def test_bad_proposals_name_the_field_and_store_nothing(
    client: TestClient, cw: ContractWorld, change: dict[str, object], status: int, field: str
) -> None:
    headers = cw.world.factory.api_key(cw.world.generator.user)
    response = client.post(f"{API}/proposals", json=_proposal(cw, **change), headers=headers)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == field
    assert client.get(f"{API}/proposals", headers=headers).json()["items"] == []


def test_only_the_parties_act_and_see(client: TestClient, cw: ContractWorld) -> None:
    w = cw.world
    gen = w.factory.api_key(w.generator.user)
    outsider = w.factory.api_key(w.carrier.user)
    proposal = client.post(f"{API}/proposals", json=_proposal(cw), headers=gen).json()
    pid = proposal["proposal_id"]
    assert client.get(f"{API}/proposals/{pid}", headers=outsider).status_code == 403
    assert (
        client.post(f"{API}/proposals/{pid}/accept", json={}, headers=outsider).status_code == 403
    )
    own = client.post(f"{API}/proposals/{pid}/accept", json={}, headers=gen)
    assert own.status_code == 403  # the proposer does not accept its own proposal
    withdrawn = client.post(f"{API}/proposals/{pid}/withdraw", json={}, headers=gen)
    assert withdrawn.json()["state"] == "withdrawn"
    again = client.post(f"{API}/proposals/{pid}/withdraw", json={}, headers=gen)
    assert again.status_code == 409
