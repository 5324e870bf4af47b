"""Licensed capacities sized to what the demo city sends each facility, with a margin.

A hazardous waste business licence's annual capacity is approved against the waste the
facility expects to take in. The demo draws each facility's capacity from its archetype's
range, then plans the city's year of events once, totals the hazardous waste each facility
receives in it, and raises any capacity that would not cover that intake with a margin. The
planner never reads a capacity, so the events planned afterwards are the same ones.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

from zerowaste.demo.events import plan_events
from zerowaste.demo.model import DemoCity, DemoFirm
from zerowaste.domain.permits import MAX_ANNUAL_CAPACITY_T, PermitKind

#: A licence covers the facility's yearly intake times a margin drawn in this range.
MARGIN = (1.3, 2.0)
#: Capacities are whole multiples of this many tonnes.
ROUNDING_T = 500


def yearly_intake_t(city: DemoCity) -> dict[object, float]:
    """Tonnes of hazardous waste each receiver takes in over the demo's twelve months."""
    intake: dict[object, float] = defaultdict(float)
    for shipment in plan_events(city).shipments:
        if shipment.hazardous and shipment.received_kg is not None:
            intake[shipment.receiver] += float(shipment.received_kg) / 1000
    return intake


def needed_capacity_t(seed: int, firm: DemoFirm, intake_t: float) -> Decimal:
    """The intake times the firm's margin (deterministic for seed and firm), rounded up.

    Never above the registry's largest capacity (reached only by cities scaled far up,
    whose few facilities then take in more than any real one).
    """
    margin = random.Random(f"capacity:{seed}:{firm.key}").uniform(*MARGIN)
    needed = Decimal(math.ceil(intake_t * margin / ROUNDING_T) * ROUNDING_T)
    return min(needed, MAX_ANNUAL_CAPACITY_T)


def licensed_for_intake(city: DemoCity) -> DemoCity:
    """The city with every business licence covering its holder's intake with a margin.

    A capacity drawn large enough stays as drawn; a smaller one becomes the intake times a
    margin in `MARGIN`, rounded up to `ROUNDING_T` tonnes. A licence and the one it renewed
    get the same capacity.
    """
    intake = yearly_intake_t(city)
    firms = []
    for firm in city.firms:
        taken = intake.get(firm.ref, 0.0)
        if taken > 0 and firm.permits:
            needed = needed_capacity_t(city.seed, firm, taken)
            permits = tuple(
                replace(p, annual_capacity_t=max(p.annual_capacity_t, needed))
                if p.kind is PermitKind.HAZARDOUS_WASTE_BUSINESS
                else p
                for p in firm.permits
            )
            firm = replace(firm, permits=permits)
        firms.append(firm)
    return replace(city, firms=tuple(firms))
