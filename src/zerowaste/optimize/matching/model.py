"""What the matching engine reads and returns: plain, unit-named values, no database types.

Quantities are tonnes (float), prices CNY per tonne, distances km, emissions kg CO2e. The
service layer converts listings, sites, permits and factors into a `MatchingProblem`; the
engine never looks anything up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

#: The receiving activities a demand may take waste for (as `PermitActivity` values).
UTILIZE = "utilize"
DISPOSE = "dispose"


@dataclass(frozen=True, slots=True)
class Window:
    """A closed date interval, both ends included."""

    start: date
    end: date

    def overlap(self, other: Window) -> Window | None:
        """The common part of two windows, None if they do not meet."""
        start, end = max(self.start, other.start), min(self.end, other.end)
        return Window(start, end) if start <= end else None


@dataclass(frozen=True, slots=True)
class Range:
    """A component's mass fraction: [low, high] for a supply, [min, max] limit for a demand.

    None on a demand side means no limit; a supply always states both ends (equal when a
    single lab value is known).
    """

    low: float | None
    high: float | None


@dataclass(frozen=True, slots=True)
class PermitCover:
    """One permit of a buyer: the codes or categories it covers, for what, from when to when."""

    permit_id: str
    codes: frozenset[str]
    activities: frozenset[str]
    valid: Window


@dataclass(frozen=True, slots=True)
class SupplyOffer:
    """A supply listing as the engine sees it.

    Attributes:
        waste_code: The exact HW code (`900-214-08`) or general class (`SW01`) or by-product.
        category: The HW category (`HW08`) or the class itself for non-hazardous wastes.
        hazardous: Whether permits are required to receive it.
        hazard_class: Transport hazard class keying `Economics.transport_cny_per_tkm`.
        quantity_t: Tonnes available in the allocation period.
        lot_t: The smallest lot the supplier ships (a buyer's minimum lot is compared to it).
        composition: Component → mass fraction range.
        price_cny_per_t: Asking price; negative is a fee the generator pays to be rid of it.
        disposal_cost_cny_per_t: Cost of its default disposal route (the fallback arc).
        disposal_route: The default disposal route (a `WasteRoute` value).
        material: The carbon material key of the waste (for `Economics.net_co2e_kg_per_t`).
    """

    id: str
    organization_id: str
    waste_code: str
    category: str
    hazardous: bool
    hazard_class: str
    quantity_t: float
    lot_t: float
    composition: Mapping[str, Range]
    lat: float
    lon: float
    region_code: str
    window: Window
    price_cny_per_t: float
    disposal_cost_cny_per_t: float
    disposal_route: str
    material: str
    allows_cross_province: bool = True


@dataclass(frozen=True, slots=True)
class DemandBid:
    """A demand listing as the engine sees it.

    Attributes:
        accepted: Codes, categories or classes it takes (a category accepts all its codes).
        limits: Component → allowed [min, max] fraction (per supply, or of the blend).
        blend: Limits apply to the tonnage-weighted average of all supplies it takes.
        capacity_t: Tonnes it can take in the allocation period.
        min_lot_t: The smallest lot it accepts from one supplier.
        max_distance_km: Farthest supply site it takes waste from (road km).
        price_cny_per_t: What it pays per tonne; negative is a gate fee it charges.
        activity: `utilize` or `dispose` (disposal demands prefer the nearest facility).
        route: The management route it applies (a `WasteRoute` value) for carbon factors.
        permits: The permits it holds (hazardous wastes need one covering code and window).
    """

    id: str
    organization_id: str
    accepted: frozenset[str]
    limits: Mapping[str, Range]
    blend: bool
    capacity_t: float
    min_lot_t: float
    lat: float
    lon: float
    region_code: str
    max_distance_km: float
    window: Window
    price_cny_per_t: float
    activity: str
    route: str
    permits: tuple[PermitCover, ...] = ()
    accepts_cross_province: bool = True


@dataclass(frozen=True, slots=True)
class Economics:
    """Prices and factors the objective is built from.

    Attributes:
        carbon_price_cny_per_t: CNY per tonne CO2e that avoided emissions are worth.
        transport_cny_per_tkm: Hazard class → road freight rate per tonne-km.
        transport_co2e_kg_per_tkm: Emission of road freight per tonne-km.
        net_co2e_kg_per_t: (material, route) → net emission of managing a tonne that way
            (negative where the route saves more than it emits, e.g. recycling's credit).
        road_factor: Road km per great-circle km.
        cross_province_cny_per_t: Cost per tonne of the approval path a cross-province pair
            needs (filing, waiting, escort).
    """

    carbon_price_cny_per_t: float
    transport_cny_per_tkm: Mapping[str, float]
    transport_co2e_kg_per_tkm: float
    net_co2e_kg_per_t: Mapping[tuple[str, str], float]
    road_factor: float = 1.3
    cross_province_cny_per_t: float = 0.0


@dataclass(frozen=True, slots=True)
class MatchingProblem:
    """One allocation: the supplies, the demands, the economics and the period it is for."""

    supplies: tuple[SupplyOffer, ...]
    demands: tuple[DemandBid, ...]
    economics: Economics
    period: Window


class FilterRule(StrEnum):
    """The hard filter that removed a supply–demand pair from the candidate graph."""

    CODE_NOT_ACCEPTED = "code_not_accepted"
    PERMIT_MISSING = "permit_missing"
    COMPOSITION_OUT_OF_LIMITS = "composition_out_of_limits"
    BELOW_MIN_LOT = "below_min_lot"
    TOO_FAR = "too_far"
    CROSS_PROVINCE_NOT_ALLOWED = "cross_province_not_allowed"
    DISPOSAL_NOT_NEAREST = "disposal_not_nearest"
    WINDOWS_DO_NOT_OVERLAP = "windows_do_not_overlap"
    PRICE_BELOW_ASK = "price_below_ask"
    SAME_ORGANIZATION = "same_organization"


@dataclass(frozen=True, slots=True)
class Filtered:
    """A pair the hard filters removed, the rule and a human-readable reason."""

    supply_id: str
    demand_id: str
    rule: FilterRule
    detail: str


@dataclass(frozen=True, slots=True)
class ArcValue:
    """Per-tonne value of sending a supply to a demand (or to disposal), term by term.

    `value_cny_per_t` = price + avoided disposal − transport − approval + carbon value.
    For the disposal arc every term but the carbon of the default route is zero.
    """

    price_cny_per_t: float
    avoided_disposal_cny_per_t: float
    transport_cny_per_t: float
    approval_cny_per_t: float
    avoided_co2e_kg_per_t: float
    carbon_value_cny_per_t: float
    value_cny_per_t: float


@dataclass(frozen=True, slots=True)
class Candidate:
    """An arc of the candidate graph: a pair that passed every hard filter."""

    supply_id: str
    demand_id: str
    distance_km: float
    cross_province: bool
    window: Window
    value: ArcValue
    permit_id: str | None = None


@dataclass(frozen=True, slots=True)
class Alternative:
    """The next best use of a supply's tonnes and why it lost."""

    demand_id: str | None  # None: the disposal route
    value_cny_per_t: float
    reason: str


@dataclass(frozen=True, slots=True)
class AllocationLine:
    """Tonnes of one supply sent to one demand (or to its disposal route), explained."""

    supply_id: str
    demand_id: str | None  # None: the supply's default disposal route
    quantity_t: float
    value: ArcValue
    distance_km: float
    binding: tuple[str, ...]
    alternative: Alternative | None

    @property
    def value_cny(self) -> float:
        """The line's contribution to the objective."""
        return self.value.value_cny_per_t * self.quantity_t

    @property
    def avoided_co2e_kg(self) -> float:
        """The line's avoided emissions."""
        return self.value.avoided_co2e_kg_per_t * self.quantity_t


@dataclass(frozen=True, slots=True)
class Allocation:
    """The optimizer's answer for a whole problem.

    Attributes:
        lines: Every supply's tonnes, to demands and to disposal.
        objective_cny: Sum of line values (what the optimizer maximized).
        solver: `min_cost_flow`, `lp` (blending), or `min_cost_flow+lp` when split.
        candidates: Number of arcs in the candidate graph.
        filtered_counts: Rule → pairs it removed.
        filtered: Examples of removed pairs (capped; every rule's first few).
        timings_s: Stage → seconds (candidates, solve, explain).
    """

    lines: tuple[AllocationLine, ...]
    objective_cny: float
    solver: str
    candidates: int
    filtered_counts: Mapping[FilterRule, int]
    filtered: tuple[Filtered, ...]
    timings_s: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One ranked partner for a listing, with the arc's value and what limits it."""

    partner_id: str
    rank: int
    candidate: Candidate
    quantity_t: float
    note: str
