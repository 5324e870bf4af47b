"""Waste flows: each utilization or disposal of a batch, with its route and transport distance."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from zerowaste.domain.events import DisposalMethod, EventType
from zerowaste.domain.factors import WasteRoute

#: Mean Earth radius in km (IUGG mean radius R1 = 6,371.0088 km).
EARTH_RADIUS_KM = 6371.0088
#: Road distance over great-circle distance. Newell (1980) puts network distance between
#: random urban points at about 1.2 × the straight line (cited in Wikibooks, "Transportation
#: Geography and Network Science/Circuity"); transcribed, illustrative for the demo city.
ROAD_DETOUR_FACTOR = Decimal("1.2")
#: The transport mode of manifest carriage (waste moves by road truck in the demo city).
ROAD_TRUCK = "road_truck"

#: Routes of disposal methods; `other` (e.g. in-house neutralization) has none and is unaccounted.
DISPOSAL_ROUTES: dict[DisposalMethod, WasteRoute | None] = {
    DisposalMethod.LANDFILL: WasteRoute.LANDFILL,
    DisposalMethod.INCINERATION: WasteRoute.INCINERATION,
    DisposalMethod.CO_PROCESSING: WasteRoute.CO_PROCESSING,
    DisposalMethod.OTHER: None,
}


class Unaccounted(StrEnum):
    """Why a flow has no figure: it is counted and shown, never guessed."""

    DISPOSAL_OTHER = "disposal_other"
    UNKNOWN_MATERIAL = "unknown_material"
    MISSING_FACTOR = "missing_factor"


def route_of(event_type: EventType, disposal_method: DisposalMethod | None) -> WasteRoute | None:
    """The waste route of a utilization (recycling) or a disposal (its method); None: unknown.

    Raises:
        ValueError: The event is neither a transformation nor a disposal.
    """
    if event_type is EventType.TRANSFORMED:
        return WasteRoute.RECYCLING
    if event_type is EventType.DISPOSED:
        return DISPOSAL_ROUTES[disposal_method] if disposal_method else None
    raise ValueError(f"{event_type} is neither a utilization nor a disposal")


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The haversine distance between two points on a sphere of the Earth's mean radius, in km."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def road_km(origin: tuple[float, float], destination: tuple[float, float]) -> Decimal:
    """Estimated road distance between two (latitude, longitude) points, to the metre."""
    straight = Decimal(repr(great_circle_km(*origin, *destination)))
    return (straight * ROAD_DETOUR_FACTOR).quantize(Decimal("0.001"))


@dataclass(frozen=True, slots=True)
class WasteFlow:
    """One batch utilized or disposed of by one event.

    `organization_id` recorded the event (the utilizer or disposer); `generator_id` generated
    the waste (the manifest's generator, else the recorder). `route` None means unaccounted
    (a disposal by `other`). `distance_km` is the manifest carriage, 0 when none.
    """

    event_id: uuid.UUID
    event_type: EventType
    batch_id: uuid.UUID
    organization_id: uuid.UUID
    generator_id: uuid.UUID
    region_code: str
    site_id: uuid.UUID | None
    event_time: datetime
    waste_code: str | None
    material: str | None
    route: WasteRoute | None
    mass_kg: Decimal
    distance_km: Decimal = Decimal(0)
    manifest_id: uuid.UUID | None = None
    disposal_method: DisposalMethod | None = None

    @property
    def mass_t(self) -> Decimal:
        """The mass in tonnes."""
        return self.mass_kg / 1000

    @property
    def tonne_km(self) -> Decimal:
        """The transport work of the carriage in t.km."""
        return self.mass_t * self.distance_km


@dataclass(frozen=True, slots=True)
class BaselineRule:
    """A region's baseline route for a material or a waste code (set by its regulator)."""

    region_prefix: str
    subject: str
    route: WasteRoute
    set_by: uuid.UUID | None = None
    set_at: datetime | None = None


def baseline_for(
    flow: WasteFlow, rules: list[BaselineRule], default: WasteRoute | None
) -> WasteRoute | None:
    """The baseline route of a flow: the longest matching region rule, a code before a material.

    Falls back to `default` (the material table's common disposal route).
    """
    best: tuple[int, int, WasteRoute] | None = None
    for rule in rules:
        if not flow.region_code.startswith(rule.region_prefix):
            continue
        if rule.subject == flow.waste_code:
            rank = 1
        elif rule.subject == flow.material:
            rank = 0
        else:
            continue
        key = (len(rule.region_prefix), rank, rule.route)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else default
