"""Demo licences: capacities cover what the city's year of events sends each facility."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zerowaste.demo import DemoCity, generate_city
from zerowaste.demo.archetypes import archetype
from zerowaste.demo.capacity import MARGIN, ROUNDING_T, licensed_for_intake, yearly_intake_t
from zerowaste.domain.permits import PermitKind

AS_OF = date(2026, 6, 1)


@pytest.fixture(scope="module", params=[(7, 1.0), (3, 0.1), (11, 2.0)])
def city(request: pytest.FixtureRequest) -> DemoCity:
    seed, scale = request.param
    return generate_city(seed, scale, as_of=AS_OF)


def test_every_business_licence_covers_its_holders_intake_with_a_margin(city: DemoCity) -> None:
    intake = yearly_intake_t(city)
    receivers = [f for f in city.firms if intake.get(f.ref, 0) > 0]
    assert any(f.archetype == "waste.landfill" for f in receivers)
    for firm in receivers:
        for permit in firm.permits:
            assert permit.kind is PermitKind.HAZARDOUS_WASTE_BUSINESS, firm.key
            assert float(permit.annual_capacity_t) >= intake[firm.ref] * MARGIN[0], firm.key
            assert permit.annual_capacity_t % ROUNDING_T == 0


def test_capacities_are_drawn_from_the_range_or_sized_to_the_intake(city: DemoCity) -> None:
    intake = yearly_intake_t(city)
    for firm in city.firms:
        for permit in firm.permits:
            spec = archetype(firm.archetype).permit
            assert spec is not None
            low, high = spec.capacity_t
            sized = Decimal(intake.get(firm.ref, 0) * MARGIN[1] + ROUNDING_T)
            assert low - ROUNDING_T <= permit.annual_capacity_t <= max(high + ROUNDING_T, sized)


def test_sizing_keeps_the_year_of_events_and_is_stable(city: DemoCity) -> None:
    # The planner never reads a capacity: the sized city plans the intake it was sized for,
    # and sizing it again changes nothing.
    assert licensed_for_intake(city) == city
