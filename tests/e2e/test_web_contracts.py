"""The proposal and contract pages through the app: propose from the form, accept, sign, read."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from tests.contract_world import build_contract_world
from tests.e2e.test_web_pages import assert_html, assert_self_contained, form_token, sign_in
from tests.factories import Factory
from zerowaste.domain.contracts import ContractState
from zerowaste.domain.pages import PageRequest


def test_propose_accept_sign_and_read_a_contract_on_the_pages(
    client: TestClient, factory: Factory
) -> None:
    cw = build_contract_world(factory)
    w, context = cw.world, factory.context
    g, r = w.generator, w.receiver
    assert sign_in(client, g.user.username).status_code == 303
    form = assert_html(
        client.get(f"/market/proposals/new?supply={cw.supply.id}&demand={cw.demand.id}")
    )
    assert_self_contained(form)
    assert 'value="20"' in form  # the supply's 20 t a month is the smaller side
    assert 'value="800"' in form  # the buyer's price
    token = form_token(form)
    start = w.clock.date()
    data = {
        "csrf": token, "supply": str(cw.supply.id), "demand": str(cw.demand.id),
        "quantity": "12", "price": "800", "start": start.isoformat(),
        "end": (start + timedelta(days=60)).isoformat(), "shortfall_penalty": "30",
        "off_spec_penalty": "0", "revenue_share": "0", "beneficiary": "", "note": "",
    }  # fmt: skip
    bad = client.post("/market/proposals", data=data | {"quantity": "99"})
    assert bad.status_code == 422
    assert "quantity_t" in bad.text
    done = client.post("/market/proposals", data=data, follow_redirects=False)
    assert done.status_code == 303
    outgoing = assert_html(client.get("/market/proposals"))
    assert "提议已签名并记入账本" in outgoing
    (proposal,) = context.proposals.find(g.user, PageRequest()).items
    assert f"/market/proposals/{proposal.proposal_id}/withdraw" in outgoing
    client.cookies.clear()

    assert sign_in(client, r.user.username).status_code == 303
    page = assert_html(client.get("/market/proposals?lang=en"))
    assert f"/market/proposals/{proposal.proposal_id}/accept" in page
    accepted = client.post(
        f"/market/proposals/{proposal.proposal_id}/accept",
        data={"csrf": form_token(page)},
        follow_redirects=False,
    )
    assert accepted.status_code == 303
    contract_path = accepted.headers["location"]
    page = assert_html(client.get(contract_path + "?lang=zh"))
    assert_self_contained(page)
    assert 'id="sign-form"' in page
    assert "供方" in page  # the clauses in Chinese
    signed = client.post(
        contract_path + "/sign", data={"csrf": form_token(page)}, follow_redirects=False
    )
    assert signed.status_code == 303
    proposal_contract = context.proposals.proposal(r.user, proposal.proposal_id)
    contract_id = proposal_contract.proposal.contract_id
    assert contract_id is not None
    context.contracts.sign(g.user, contract_id, w.tick())
    cw.deliver(contract_id, "5000", "5000", water="0.05")
    page = assert_html(client.get(contract_path + "?lang=en"))
    assert 'id="contract-chart"' in page
    assert "plotly.min.js" in page
    assert "Active" in page
    assert 'data-status="compliant"' in page
    assert "The supplier takes back off-spec loads" in page
    assert page.count("/receipt") == 2  # both signatures link to their receipts
    listing = assert_html(client.get("/market/contracts"))
    assert contract_path in listing
    terminated = client.post(
        contract_path + "/terminate",
        data={"csrf": form_token(page), "reason": "plant shut"},
        follow_redirects=False,
    )
    assert terminated.status_code == 303
    assert (
        context.contracts.contract(r.user, contract_id).contract.state is ContractState.TERMINATED
    )
    client.cookies.clear()
    assert sign_in(client, w.carrier.user.username).status_code == 303
    assert client.get(contract_path).status_code == 403
