"""Seed the demo market through the real services: rules, listings, an allocation, contracts.

On a replayed clock that starts three weeks before the allocation period (the last full month
before the as-of day): the automotive chain master sets its supplier admission rules; every
listing of `zerowaste.demo.market` goes up through `ListingService`; the home city's
regulator runs the region-wide allocation; the best lines become proposals the supplier
makes and the buyer accepts, and both parties sign the drafted contracts with their custodial
keys; then each contract's lots travel on manifests naming it (`market_deliveries`), captured
and signed like the year's transfers, some with the buyer's lab result and one off spec.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from zerowaste.demo.geography import HOME_PREFECTURE
from zerowaste.demo.market import (
    ACCEPTED_DAYS_BEFORE,
    ALLOCATED_DAYS_BEFORE,
    LISTED_DAYS_BEFORE,
    MAX_LOTS,
    PROPOSED_DAYS_BEFORE,
    SIGNED_DAYS_BEFORE,
    TRUCK_T,
    ListingSpec,
    MarketPlan,
    delivery_lots,
    plan_market,
)
from zerowaste.demo.market_deliveries import ContractDelivery, delivered_kg, plan_deliveries
from zerowaste.demo.model import DemoCity, DemoFirm, ref_of
from zerowaste.demo.registry import PROVINCIAL_REGULATORS
from zerowaste.domain.access import Principal
from zerowaste.domain.listings import (
    BASIS_DAYS,
    ROUTE_ACTIVITY,
    ListingSide,
    NewListing,
    QuantityBasis,
)
from zerowaste.domain.market_allocations import AllocationLineRecord, AllocationRecord
from zerowaste.domain.pages import PageRequest
from zerowaste.domain.proposals import ProposalAction, ProposalTerms
from zerowaste.ledger.signatures import public_key_bytes
from zerowaste.services.admission_defaults import demo_admission_rules, demo_year_basis
from zerowaste.services.demo_events import Ids, ReplayClock, capture_plan, demo_private_key
from zerowaste.services.signed_steps import ClientSigner

#: Called as the build goes: (stage, done, total).
Progress = Callable[[str, int, int], None]
#: The region the demo's allocation runs over, and who runs it.
MARKET_REGION = HOME_PREFECTURE
MARKET_REGULATOR = "regulator.suzhou"
#: At most this many lines become contracts; a contract line commits at most this much a month
#: (what `MAX_LOTS` trucks deliver).
CONTRACTS = 5
CONTRACT_CAP_T = MAX_LOTS * TRUCK_T
#: Terms of the demo contracts (illustrative): the chain master's share of its suppliers'
#: contract value, shortfall and off-spec penalties, the shortfall tolerance.
REVENUE_SHARE = Decimal("0.02")
SHORTFALL_PENALTY_CNY_PER_T = Decimal(50)
OFF_SPEC_PENALTY_CNY_PER_T = Decimal(300)
TOLERANCE = Decimal("0.1")
#: Contracts beyond this many get no lab results on their lots.
WITH_LAB = 3


@dataclass(frozen=True)
class MarketSummary:
    """What the market step stored."""

    supply_listings: int = 0
    demand_listings: int = 0
    allocation_id: uuid.UUID | None = None
    matched_t: float = 0.0
    disposed_t: float = 0.0
    objective_cny: float = 0.0
    avoided_co2e_t: float = 0.0
    candidates: int = 0
    contract_ids: tuple[uuid.UUID, ...] = ()
    deliveries: int = 0
    cross_province_deliveries: int = 0
    delivered_t: float = 0.0
    off_spec_lots: int = 0
    seconds: float = 0.0

    def counts(self) -> dict[str, Any]:
        """The figures as JSON-ready values."""
        return {
            "supply_listings": self.supply_listings,
            "demand_listings": self.demand_listings,
            "allocation_id": str(self.allocation_id) if self.allocation_id else None,
            "matched_t": round(self.matched_t, 1),
            "disposed_t": round(self.disposed_t, 1),
            "objective_cny": round(self.objective_cny),
            "avoided_co2e_t": round(self.avoided_co2e_t, 1),
            "candidates": self.candidates,
            "contracts": len(self.contract_ids),
            "deliveries": self.deliveries,
            "cross_province_deliveries": self.cross_province_deliveries,
            "delivered_t": round(self.delivered_t, 1),
            "off_spec_lots": self.off_spec_lots,
            "seconds": round(self.seconds, 1),
        }


@dataclass(frozen=True)
class _Chosen:
    """An allocation line made into a contract, with the listings at its ends."""

    line: AllocationLineRecord
    supply: ListingSpec
    demand: ListingSpec
    quantity_t: Decimal


def _stored_listing(spec: ListingSpec, ids: Ids, permits: Mapping[str, uuid.UUID]) -> NewListing:
    listing = spec.listing
    stored = replace(
        listing,
        organization_id=ids.organizations[listing.organization_id],
        site_id=ids.sites[listing.site_id],
    )
    if listing.demand is not None:
        permit_ids = tuple(permits[n] for n in spec.permit_numbers)
        stored = replace(stored, demand=replace(listing.demand, permit_ids=permit_ids))
    return stored


def _permit_ids(context: Any, organization_id: uuid.UUID) -> dict[str, uuid.UUID]:
    page = context.sites.find_permits(PageRequest(limit=100), organization_id=organization_id)
    return {permit.number: permit.id for permit in page.items}


def _post_listings(
    context: Any, clock: ReplayClock, actor: Principal, market: MarketPlan, ids: Ids
) -> dict[uuid.UUID, ListingSpec]:
    """Create every listing a minute apart; return the specs by stored listing id."""
    permits: dict[uuid.UUID, dict[str, uuid.UUID]] = {}
    stored: dict[uuid.UUID, ListingSpec] = {}
    start = market.at(LISTED_DAYS_BEFORE, 9)
    for index, spec in enumerate(market.listings):
        organization = ids.organizations[spec.listing.organization_id]
        if spec.permit_numbers and organization not in permits:
            permits[organization] = _permit_ids(context, organization)
        clock.now = start + timedelta(minutes=index // 10)
        listing = context.listings.create(
            actor, _stored_listing(spec, ids, permits.get(organization, {}))
        )
        stored[listing.id] = spec
    return stored


def _monthly_t(quantity_t: Decimal, basis: QuantityBasis) -> Decimal:
    """A listing's tonnes a calendar month (a lot counts whole)."""
    if basis is QuantityBasis.LOT:
        return quantity_t
    return quantity_t * BASIS_DAYS[QuantityBasis.MONTH] / BASIS_DAYS[basis]


def _crosses(
    city: DemoCity, listings: Mapping[uuid.UUID, ListingSpec], line: AllocationLineRecord
) -> bool:
    """Whether a matched line's supplier and buyer are registered in different provinces."""
    assert line.demand_listing_id is not None
    supplier = city.firm(listings[line.supply_listing_id].firm_key)
    buyer = city.firm(listings[line.demand_listing_id].firm_key)
    return supplier.organization.region_code[:2] != buyer.organization.region_code[:2]


def _choose(
    city: DemoCity, run: AllocationRecord, listings: Mapping[uuid.UUID, ListingSpec]
) -> list[_Chosen]:
    """The best matched lines: one per kind of demand and per supplier.

    A chain supplier's best line comes first and the best cross-province line second, when
    the allocation has them.
    """
    master = city.chain_master.ref
    lines = sorted(
        (
            line
            for line in run.lines
            if line.demand_listing_id is not None and line.quantity_t >= 0.5
        ),
        key=lambda line: (-line.value_cny, line.line_no),
    )
    small = [line for line in lines if line.quantity_t <= CONTRACT_CAP_T] or lines
    chain = [
        line
        for line in small
        if city.firm(listings[line.supply_listing_id].firm_key).supplies == master
    ]
    cross = [line for line in small if _crosses(city, listings, line)]
    chosen: list[_Chosen] = []
    kinds: set[str] = set()
    suppliers: set[str] = set()
    for line in chain[:1] + cross[:1] + small:
        supply = listings[line.supply_listing_id]
        assert line.demand_listing_id is not None
        demand = listings[line.demand_listing_id]
        if demand.kind in kinds or supply.firm_key in suppliers or len(chosen) >= CONTRACTS:
            continue
        offer, bid = supply.listing.supply, demand.listing.demand
        assert offer is not None
        assert bid is not None
        monthly = min(
            _monthly_t(offer.quantity_t, offer.basis), _monthly_t(bid.capacity_t, bid.basis)
        )
        quantity = min(Decimal(str(line.quantity_t)), Decimal(CONTRACT_CAP_T), monthly)
        quantity = quantity.quantize(Decimal("0.1"), rounding=ROUND_DOWN)
        if quantity <= 0:
            continue
        kinds.add(demand.kind)
        suppliers.add(supply.firm_key)
        chosen.append(_Chosen(line, supply, demand, quantity))
    return chosen


def _terms(
    city: DemoCity, market: MarketPlan, ids: Ids, run: AllocationRecord, chosen: _Chosen
) -> ProposalTerms:
    supply, demand = chosen.supply.listing, chosen.demand.listing
    assert supply.supply is not None
    assert demand.demand is not None
    ask, bid = supply.supply.price_cny_per_t, demand.demand.price_cny_per_t
    price = Decimal(round((ask + bid) / 2 / 5) * 5)
    supplier = city.firm(chosen.supply.firm_key)
    in_chain = supplier.supplies == city.chain_master.ref
    return ProposalTerms(
        supply_listing_id=chosen.line.supply_listing_id,
        demand_listing_id=chosen.line.demand_listing_id or uuid.UUID(int=0),
        supplier_id=ids.organizations[supply.organization_id],
        supplier_site_id=ids.sites[supply.site_id],
        buyer_id=ids.organizations[demand.organization_id],
        buyer_site_id=ids.sites[demand.site_id],
        waste_code=supply.supply.waste_code,
        quantity_t=chosen.quantity_t,
        price_cny_per_t=price,
        start_on=market.period_start,
        end_on=market.contract_end,
        tolerance=TOLERANCE,
        shortfall_penalty_cny_per_t=SHORTFALL_PENALTY_CNY_PER_T,
        off_spec_penalty_cny_per_t=OFF_SPEC_PENALTY_CNY_PER_T,
        revenue_share=REVENUE_SHARE if in_chain else Decimal(0),
        beneficiary_id=ids.organizations[city.chain_master.ref] if in_chain else None,
        allocation_id=run.id,
        line_no=chosen.line.line_no,
        note=f"来自区域撮合第 {chosen.line.line_no} 行 from line {chosen.line.line_no} of the "
        f"{run.period_label} allocation",
    )


def _contract(
    context: Any,
    clock: ReplayClock,
    actor: Principal,
    market: MarketPlan,
    terms: ProposalTerms,
    signers: tuple[ClientSigner, ClientSigner],
) -> uuid.UUID:
    """Propose (supplier), accept (buyer) and sign (both); return the contract's id.

    Each party signs with its demo key, as it signs its events and manifest steps.
    """
    supplier, buyer = signers
    proposal_id = ref_of(f"proposal/{terms.supply_listing_id}/{terms.demand_listing_id}")
    clock.now = market.at(PROPOSED_DAYS_BEFORE)
    context.proposals.propose(
        actor, proposal_id, terms, organization_id=terms.supplier_id, signer=supplier
    )
    clock.now = market.at(ACCEPTED_DAYS_BEFORE)
    context.proposals.respond(
        actor, proposal_id, ProposalAction.ACCEPT, organization_id=terms.buyer_id, signer=buyer
    )
    contract_id: uuid.UUID | None = context.proposals.proposal(
        actor, proposal_id
    ).proposal.contract_id
    assert contract_id is not None
    clock.now = market.at(SIGNED_DAYS_BEFORE)
    context.contracts.sign(actor, contract_id, organization_id=terms.supplier_id, signer=supplier)
    clock.now = market.at(SIGNED_DAYS_BEFORE, 15)
    context.contracts.sign(actor, contract_id, organization_id=terms.buyer_id, signer=buyer)
    return contract_id


def _delivery(
    city: DemoCity,
    market: MarketPlan,
    index: int,
    chosen: _Chosen,
    contract_id: uuid.UUID,
    off_spec: bool,
) -> ContractDelivery:
    supply, demand = chosen.supply.listing.supply, chosen.demand.listing.demand
    assert supply is not None
    assert demand is not None
    lots = delivery_lots(
        city.seed,
        f"{chosen.supply.ref}/{chosen.demand.ref}",
        committed_t=float(chosen.quantity_t),
        period=(market.period_start, market.period_end),
        composition=supply.composition,
        limits=demand.limits,
        lab=index < WITH_LAB,
        off_spec=off_spec,
    )
    return ContractDelivery(
        contract_id=contract_id,
        supplier=city.firm(chosen.supply.firm_key),
        buyer=city.firm(chosen.demand.firm_key),
        waste_code=supply.waste_code,
        activity=ROUTE_ACTIVITY[demand.route],
        lots=lots,
    )


def _demo_keys(
    context: Any, city: DemoCity, ids: Ids, firms: set[DemoFirm]
) -> dict[uuid.UUID, tuple[str, Ed25519PrivateKey]]:
    """The demo signing keys (registered by the events step) of the firms that take part."""
    keys = {}
    for firm in firms:
        private = demo_private_key(city.seed, firm.organization.credit_code)
        public = public_key_bytes(private)
        stored = context.signing_keys.keys_of(ids.organizations[firm.ref])
        key = next(k for k in stored if not k.custodial and k.public_key == public)
        keys[firm.ref] = (str(key.id), private)
    return keys


def _signer(key: tuple[str, Ed25519PrivateKey]) -> ClientSigner:
    return ClientSigner(key[1], uuid.UUID(key[0]))


def seed_market(
    context: Any, actor: Principal, city: DemoCity, ids: Ids, progress: Progress
) -> MarketSummary:
    """Seed the market of the built city (after its year of events) through the services.

    Args:
        context: The application context (`bootstrap.Context`); the step runs on a replayed
            clock through `context.with_clock`.
        actor: The demo's administrator (lists for the firms, proposes and signs for them).
        city: The generated city.
        ids: Stored organization and site ids by reference id.
        progress: Called with stage `market`.
    """
    started = time.perf_counter()
    market = plan_market(city)
    clock = ReplayClock(market.at(LISTED_DAYS_BEFORE, 8))
    target = context.with_clock(clock)
    total = 5
    progress("market", 0, total)
    master_id = ids.organizations[city.chain_master.ref]
    target.admission.set_rules(
        actor, master_id, *demo_admission_rules(master_id), demo_year_basis(city.as_of)
    )
    listings = _post_listings(target, clock, actor, market, ids)
    progress("market", 1, total)
    clock.now = market.at(ALLOCATED_DAYS_BEFORE)
    regulator = target.accounts.principal_by_username(MARKET_REGULATOR)
    month = f"{market.period_start:%Y-%m}"
    run = target.market.allocate(regulator, MARKET_REGION, month)
    progress("market", 2, total)
    chosen = _choose(city, run, listings)
    parties = {city.firm(c.supply.firm_key) for c in chosen}
    parties |= {city.firm(c.demand.firm_key) for c in chosen}
    keys = _demo_keys(target, city, ids, parties)
    deliveries = []
    off_spec_done = False
    for index, pick in enumerate(chosen):
        terms = _terms(city, market, ids, run, pick)
        signers = (
            _signer(keys[city.firm(pick.supply.firm_key).ref]),
            _signer(keys[city.firm(pick.demand.firm_key).ref]),
        )
        contract_id = _contract(target, clock, actor, market, terms, signers)
        off_spec = not off_spec_done and index < WITH_LAB and pick.quantity_t > Decimal(TRUCK_T)
        off_spec_done = off_spec_done or off_spec
        deliveries.append(_delivery(city, market, index, pick, contract_id, off_spec))
    progress("market", 3, total)
    plan = plan_deliveries(city, tuple(deliveries))
    refs = {s.transporter for s in plan.shipments if s.transporter is not None}
    keys |= _demo_keys(target, city, ids, {f for f in city.firms if f.ref in refs})
    regulators = {
        province: target.accounts.principal_by_username(login)
        for province, login in PROVINCIAL_REGULATORS.items()
    }
    clock.now = plan.window_start
    capture_plan(target, clock, actor, plan, ids, keys, regulators, lambda *_: None)
    progress("market", 4, total)
    summary = MarketSummary(
        supply_listings=len(market.of_side(ListingSide.SUPPLY)),
        demand_listings=len(market.of_side(ListingSide.DEMAND)),
        allocation_id=run.id,
        matched_t=run.matched_t,
        disposed_t=run.disposed_t,
        objective_cny=run.objective_cny,
        avoided_co2e_t=run.avoided_co2e_kg / 1000,
        candidates=run.candidates,
        contract_ids=tuple(d.contract_id for d in deliveries),
        deliveries=len(plan.shipments),
        cross_province_deliveries=sum(s.cross_province for s in plan.shipments),
        delivered_t=float(delivered_kg(plan)) / 1000,
        off_spec_lots=sum(lot.off_spec for d in deliveries for lot in d.lots),
        seconds=time.perf_counter() - started,
    )
    progress("market", total, total)
    return summary
