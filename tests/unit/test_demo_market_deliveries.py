"""Deliveries under the demo's contracts: generated, shipped and received lots, approvals."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from zerowaste.demo import DemoCity, generate_city
from zerowaste.demo.events import plan_events
from zerowaste.demo.geography import HOME_PROVINCE
from zerowaste.demo.market import delivery_lots, plan_market
from zerowaste.demo.market_deliveries import ContractDelivery, delivered_kg, plan_deliveries
from zerowaste.domain.events import EventType
from zerowaste.domain.listings import ListingSide
from zerowaste.domain.permits import PermitActivity

AS_OF = date(2026, 6, 1)
PERIOD = (date(2026, 5, 1), date(2026, 5, 31))


@pytest.fixture(scope="module")
def city() -> DemoCity:
    return generate_city(3, 0.1, as_of=AS_OF)


def _delivery(
    city: DemoCity, supplier_key: str, buyer_key: str, code: str, lab: bool
) -> ContractDelivery:
    market = plan_market(city)
    spec = next(
        s
        for s in market.of_side(ListingSide.SUPPLY)
        if s.firm_key == supplier_key and s.kind == code
    )
    assert spec.listing.supply is not None
    lots = delivery_lots(
        city.seed, supplier_key, committed_t=50, period=PERIOD,
        composition=spec.listing.supply.composition, lab=lab,
    )  # fmt: skip
    return ContractDelivery(
        contract_id=uuid.uuid5(uuid.NAMESPACE_URL, supplier_key),
        supplier=city.firm(supplier_key),
        buyer=city.firm(buyer_key),
        waste_code=code,
        activity=PermitActivity.UTILIZE,
        lots=lots,
    )


def test_each_lot_is_generated_shipped_and_received_under_its_contract(city: DemoCity) -> None:
    home = next(
        f
        for f in city.firms_of("pharma.api")
        if f.organization.region_code[:2] == HOME_PROVINCE[:2]
    )
    neighbour = next(
        f
        for f in city.firms_of("waste.solvent")
        if f.organization.region_code[:2] != HOME_PROVINCE[:2]
    )
    local = _delivery(city, "electronics.pcb.001", "waste.precious.001", "900-045-49", lab=True)
    across = _delivery(city, home.key, neighbour.key, "900-402-06", lab=False)
    plan = plan_deliveries(city, (local, across))
    assert plan == plan_deliveries(city, (local, across))
    lots = len(local.lots) + len(across.lots)
    assert len(plan.shipments) == lots
    types = [p.event.event_type for p in plan.events]
    assert types.count(EventType.GENERATED) == lots
    assert types.count(EventType.SHIPPED) == types.count(EventType.RECEIVED) == lots
    times = [p.recorded_at for p in plan.events]
    assert times == sorted(times)
    for shipment in plan.shipments:
        assert shipment.contract_id in (local.contract_id, across.contract_id)
        assert shipment.received_kg is not None
        assert abs(shipment.received_kg - shipment.shipped_kg) <= shipment.shipped_kg / 50
        assert shipment.transporter is not None
    received = [p.event for p in plan.events if p.event.event_type is EventType.RECEIVED]
    with_lab = [e for e in received if e.composition is not None]
    assert len(with_lab) == len(local.lots)
    assert all(e.contract_id == local.contract_id for e in with_lab)
    # The cross-province stream draws on one approval, as the year's transfers do.
    assert len(plan.approvals) == 1
    crossing = [s for s in plan.shipments if s.cross_province]
    assert len(crossing) == len(across.lots)
    assert {s.approval_id for s in crossing} == {plan.approvals[0].approval_id}
    assert delivered_kg(plan) == sum(s.received_kg or 0 for s in plan.shipments)


def test_delivery_ids_never_meet_the_years_ids(city: DemoCity) -> None:
    year = plan_events(city, 2)
    local = _delivery(city, "electronics.pcb.001", "waste.precious.001", "900-045-49", lab=True)
    plan = plan_deliveries(city, (local,))
    ours = {p.event.event_id for p in plan.events} | {s.batch_id for s in plan.shipments}
    theirs = {p.event.event_id for p in year.events} | {s.batch_id for s in year.shipments}
    assert ours
    assert ours.isdisjoint(theirs)


def test_lots_shipped_too_late_are_left_out(city: DemoCity) -> None:
    local = _delivery(city, "electronics.pcb.001", "waste.precious.001", "900-045-49", lab=True)
    early = plan_deliveries(city, (local,), as_of=local.lots[0].shipped_at.date())
    assert early.shipments == ()
