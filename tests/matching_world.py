"""Builders of small matching problems for the engine's unit tests (no database)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from zerowaste.optimize.matching.model import (
    DemandBid,
    Economics,
    MatchingProblem,
    PermitCover,
    Range,
    SupplyOffer,
    Window,
)

PERIOD = Window(date(2027, 1, 1), date(2027, 12, 31))
YEAR = PERIOD
#: Nanjing-ish origin; 0.1° of latitude is about 11.1 km.
LAT, LON = 32.0, 118.8

ECONOMICS = Economics(
    carbon_price_cny_per_t=100.0,
    transport_cny_per_tkm={"none": 0.5, "3": 1.0},
    transport_co2e_kg_per_tkm=0.1,
    net_co2e_kg_per_t={("oil", "incineration"): 900.0, ("oil", "regeneration"): -600.0},
    road_factor=1.3,
    cross_province_cny_per_t=50.0,
)


def supply(id: str = "S1", **changes: Any) -> SupplyOffer:
    """A non-hazardous supply of SW01 at the origin, 100 t, every field overridable."""
    base = SupplyOffer(
        id=id,
        organization_id=f"org-{id}",
        waste_code="SW01",
        category="SW01",
        hazardous=False,
        hazard_class="none",
        quantity_t=100.0,
        lot_t=10.0,
        composition={},
        lat=LAT,
        lon=LON,
        region_code="320100",
        window=YEAR,
        price_cny_per_t=0.0,
        disposal_cost_cny_per_t=200.0,
        disposal_route="landfill",
        material="slag",
    )
    return replace(base, **changes)


def oil(id: str = "S1", **changes: Any) -> SupplyOffer:
    """A hazardous waste mineral oil supply (900-214-08, HW08)."""
    fields: dict[str, Any] = {
        "waste_code": "900-214-08",
        "category": "HW08",
        "hazardous": True,
        "hazard_class": "3",
        "disposal_cost_cny_per_t": 3000.0,
        "disposal_route": "incineration",
        "material": "oil",
    }
    return supply(id, **(fields | changes))


def permit(
    codes: frozenset[str] = frozenset({"HW08"}),
    activity: str = "utilize",
    valid: Window = YEAR,
    permit_id: str = "P1",
) -> PermitCover:
    """A permit covering `codes` for `activity` over `valid`."""
    return PermitCover(permit_id, codes, frozenset({activity}), valid)


def demand(id: str = "D1", **changes: Any) -> DemandBid:
    """A demand for SW01 about 22 km north of the origin, 500 t, every field overridable."""
    base = DemandBid(
        id=id,
        organization_id=f"org-{id}",
        accepted=frozenset({"SW01"}),
        limits={},
        blend=False,
        capacity_t=500.0,
        min_lot_t=0.0,
        lat=LAT + 0.2,
        lon=LON,
        region_code="320100",
        max_distance_km=100.0,
        window=YEAR,
        price_cny_per_t=10.0,
        activity="utilize",
        route="aggregate",
    )
    return replace(base, **changes)


def limits(**ranges: tuple[float | None, float | None]) -> Mapping[str, Range]:
    """`limits(Pb=(None, 0.005))` → {"Pb": Range(None, 0.005)}."""
    return {name: Range(*bounds) for name, bounds in ranges.items()}


def problem(
    supplies: tuple[SupplyOffer, ...] | list[SupplyOffer],
    demands: tuple[DemandBid, ...] | list[DemandBid],
    *,
    economics: Economics = ECONOMICS,
    period: Window = PERIOD,
) -> MatchingProblem:
    """A problem of these listings."""
    return MatchingProblem(tuple(supplies), tuple(demands), economics, period)
