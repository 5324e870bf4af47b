"""The demo's market seeded through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from zerowaste.bootstrap import Context
from zerowaste.demo import generate_city
from zerowaste.demo.market import last_full_month, plan_market
from zerowaste.domain.contracts import ContractState
from zerowaste.domain.listings import ListingSide
from zerowaste.domain.manifests import ManifestState
from zerowaste.domain.pages import PageRequest
from zerowaste.services.demo import DemoSummary, build_demo_city

SEED, SCALE, MONTHS = 3, 0.05, 2


@pytest.fixture
def built(context: Context) -> DemoSummary:
    stages: set[str] = set()
    summary = build_demo_city(
        context, seed=SEED, scale=SCALE, months=MONTHS, progress=lambda s, d, t: stages.add(s)
    )
    assert "market" in stages
    return summary


def _all_listings(context: Context) -> list[object]:
    admin = context.accounts.principal_by_username("admin")
    found: list[object] = []
    after = None
    while True:
        page = context.listings.find(admin, PageRequest(limit=200, after=after))
        found.extend(page.items)
        if page.next_after is None:
            return found
        after = page.next_after


def test_the_market_holds_listings_an_allocation_and_delivered_contracts(
    context: Context, built: DemoSummary
) -> None:
    market = built.market
    city = generate_city(SEED, SCALE, as_of=context.clock().date())
    planned = plan_market(city)
    assert market["supply_listings"] == len(planned.of_side(ListingSide.SUPPLY))
    assert market["demand_listings"] == len(planned.of_side(ListingSide.DEMAND))
    assert len(_all_listings(context)) == market["supply_listings"] + market["demand_listings"]

    admin = context.accounts.principal_by_username("admin")
    run = context.market.allocation(admin, uuid.UUID(market["allocation_id"]))
    start, end = last_full_month(context.clock().date())
    assert (run.period_start, run.period_end) == (start, end)
    assert run.matched_t > 0
    assert market["matched_t"] == round(run.matched_t, 1)
    assert any(not line.disposed for line in run.lines)

    contracts = context.contracts.find(admin, PageRequest(limit=50)).items
    assert len(contracts) == market["contracts"] >= 2
    active = [c for c in contracts if c.state_on(context.clock().date()) is ContractState.ACTIVE]
    assert len(active) >= 2
    delivered = Decimal(0)
    off_spec = Decimal(0)
    approved = 0
    for contract in contracts:
        view = context.contracts.contract(admin, contract.contract_id)
        assert len(view.contract.signatures) == 2
        proposal = context.proposals.proposal(admin, view.contract.terms.proposal_id).proposal
        assert proposal.terms.allocation_id == run.id
        performance = context.contracts.performance(admin, contract.contract_id)
        assert performance.delivered_t > 0
        delivered += performance.delivered_t
        off_spec += performance.off_spec_t
        crosses = contract.supplier_region_code[:2] != contract.buyer_region_code[:2]
        for result in performance.lines:
            shown = context.manifests.manifest(admin, result.line.manifest_id)
            assert shown.manifest.state is ManifestState.CLOSED
            assert shown.manifest.terms.contract_id == contract.contract_id
            if crosses:
                assert shown.approval is not None
                approved += 1
    assert abs(delivered - Decimal(str(market["delivered_t"]))) <= Decimal("0.1") * len(contracts)
    assert approved == market["cross_province_deliveries"]
    assert market["off_spec_lots"] == 1
    assert off_spec > 0

    assert context.ledger.audit().findings == ()


def test_the_chain_master_has_admission_rules(context: Context, built: DemoSummary) -> None:
    del built
    city = generate_city(SEED, SCALE, as_of=context.clock().date())
    oem = context.accounts.login("firm.oem", city.password)
    assert oem.organization_id is not None
    rules = context.admission.rules(oem.organization_id)
    assert rules.criteria
    assert rules.clauses
