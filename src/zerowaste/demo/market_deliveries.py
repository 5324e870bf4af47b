"""Deliveries under the demo's market contracts: batches, manifests and lab results (pure).

Each lot is a batch the supplier generates a few hours before the truck leaves, shipped whole
on a manifest that names the contract, weighed by the buyer with honest noise and, where the
buyer's lab measures it, received with the lab's composition. Cross-province lots draw on an
approval, as the year's transfers do. The events come out as an `EventPlan` the demo captures
like the year's (ids from their own seeded source, so they never meet the year's ids).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from zerowaste.demo.events import plan_approvals
from zerowaste.demo.market import Lot
from zerowaste.demo.model import DemoCity, DemoFirm
from zerowaste.demo.plan import EventPlan
from zerowaste.demo.planner import Planner
from zerowaste.domain.composition import Composition
from zerowaste.domain.permits import PermitActivity

#: The buyers' incoming-goods laboratory (fictional) and its methods.
LAB = "演示来料检验室 demo incoming-goods lab"
LAB_METHOD = "XRF, ICP-OES, Karl Fischer water (demo)"
#: Hours before loading that a lot's batch is booked as generated.
GENERATED_HOURS_BEFORE = 3
#: Range of road transit hours.
TRANSIT_HOURS = (1.5, 4.5)


@dataclass(frozen=True, slots=True)
class ContractDelivery:
    """The lots one contract delivers in the allocation period.

    Attributes:
        contract_id: The stored contract the manifests and events name.
        supplier: The generator that ships (the manifests' generator).
        buyer: The facility that receives.
        waste_code: The contracted waste code or class.
        activity: What the buyer does with it (the manifests' activity).
        lots: The trucks, with the buyer's lab results where it measured them.
    """

    contract_id: uuid.UUID
    supplier: DemoFirm
    buyer: DemoFirm
    waste_code: str
    activity: PermitActivity
    lots: tuple[Lot, ...]


class _DeliveryPlanner(Planner):
    """The event planner's primitives on a random and id source of their own."""

    def __init__(self, city: DemoCity) -> None:
        super().__init__(city)
        self.rng = random.Random(f"zerowaste-demo-market-deliveries/{city.seed}/{city.scale}")
        self._ids = random.Random(f"zerowaste-demo-market-ids/{city.seed}/{city.scale}")

    def deliver(self, delivery: ContractDelivery, lot: Lot) -> None:
        """Generate, ship and receive one lot under its contract."""
        at = lot.shipped_at
        supplier, code = delivery.supplier, delivery.waste_code
        batch = self.generate(
            supplier, code, lot.mass_kg, at - timedelta(hours=GENERATED_HOURS_BEFORE)
        )
        transporter = self.transporter(code, at.date(), supplier.organization.region_code)
        transit = timedelta(minutes=round(self.rng.uniform(*TRANSIT_HOURS) * 60))
        shipment = self.ship(
            batch,
            delivery.buyer,
            transporter,
            at,
            received_kg=self.noisy(lot.mass_kg),
            transit=transit,
            activity=delivery.activity,
        )
        self.shipments[-1] = replace(shipment, contract_id=delivery.contract_id)
        shipped, received = self.events[-2], self.events[-1]
        lab = None
        if lot.fractions:
            assert shipment.received_at is not None
            lab = Composition(lot.fractions, LAB_METHOD, LAB, shipment.received_at.date())
        self.events[-2] = replace(
            shipped, event=replace(shipped.event, contract_id=delivery.contract_id)
        )
        self.events[-1] = replace(
            received,
            event=replace(received.event, contract_id=delivery.contract_id, composition=lab),
        )


def plan_deliveries(
    city: DemoCity, deliveries: tuple[ContractDelivery, ...], *, as_of: date | None = None
) -> EventPlan:
    """The events, manifests and approvals of every contract's lots, in capture order.

    Args:
        city: The demo city.
        deliveries: The contracts' lots.
        as_of: The day the plan is for (the city's as-of day by default); lots shipped
            on or after it are left out.
    """
    planner = _DeliveryPlanner(city)
    cutoff = datetime.combine(as_of or city.as_of, datetime.min.time(), planner.end.tzinfo)
    lots = sorted(
        ((lot.shipped_at, index, lot) for index, d in enumerate(deliveries) for lot in d.lots),
        key=lambda item: (item[0], item[1]),
    )
    for shipped_at, index, lot in lots:
        if shipped_at + timedelta(hours=TRANSIT_HOURS[1] + 1) < cutoff:
            planner.deliver(deliveries[index], lot)
    shipments, approvals = plan_approvals(planner)
    order = sorted(range(len(planner.events)), key=lambda i: (planner.events[i].recorded_at, i))
    events = tuple(planner.events[i] for i in order)
    start = min((p.event.event_time for p in events), default=cutoff)
    return EventPlan(
        seed=city.seed,
        as_of=as_of or city.as_of,
        window_start=start,
        events=events,
        shipments=shipments,
        violations=(),
        approvals=approvals,
    )


def delivered_kg(plan: EventPlan) -> Decimal:
    """The mass the buyers weighed in, over every delivery of the plan."""
    return sum((s.received_kg or Decimal(0) for s in plan.shipments), Decimal(0))
