"""The market's economic defaults: disposal routes and costs, freight rates, carbon price.

Read from `data/market/economics.csv` (its rows name their sources). A waste's default
disposal is looked up by its HW category (`HW08`) or general solid waste class (`SW01`),
falling back to the `hazardous` or `general` default row.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from zerowaste.domain.factors import WasteRoute

#: Key of the fallback disposal row for a hazardous waste the file does not list.
HAZARDOUS_DEFAULT = "hazardous"
#: Key of the fallback disposal row for any other waste (a class or a by-product).
GENERAL_DEFAULT = "general"


class EconomicsKind(StrEnum):
    """What a row of the economics file gives."""

    DISPOSAL = "disposal"
    FREIGHT = "freight"
    CARBON_PRICE = "carbon_price"
    CROSS_PROVINCE = "cross_province"
    ROAD_FACTOR = "road_factor"


class HazardClass(StrEnum):
    """Road freight classes a waste travels in, keying the freight rate.

    The dangerous-goods classes follow the hazard characteristics of the hazardous waste list
    (GB 6944 / UN classes: flammable ~3, toxic ~6.1, infectious ~6.2, corrosive ~8); `hazardous`
    is a hazardous waste whose exact code (so its characteristics) is not known.
    """

    GENERAL = "general"
    HAZARDOUS = "hazardous"
    TOXIC = "toxic"
    CORROSIVE = "corrosive"
    FLAMMABLE = "flammable"
    REACTIVE = "reactive"
    INFECTIOUS = "infectious"


#: The unit each kind's value is in.
KIND_UNITS = {
    EconomicsKind.DISPOSAL: "CNY/t",
    EconomicsKind.FREIGHT: "CNY/t.km",
    EconomicsKind.CARBON_PRICE: "CNY/t CO2e",
    EconomicsKind.CROSS_PROVINCE: "CNY/t",
    EconomicsKind.ROAD_FACTOR: "km/km",
}


@dataclass(frozen=True, slots=True)
class DisposalCost:
    """A waste's default disposal: the route (for carbon), the method, the cost per tonne."""

    key: str
    route: WasteRoute
    method: str
    cost_cny_per_t: float
    source: str


@dataclass(frozen=True, slots=True)
class MarketEconomics:
    """The parsed economics file.

    Attributes:
        disposal: Category, class or default key → default disposal.
        freight_cny_per_tkm: Hazard class → road freight rate.
        carbon_price_cny_per_t: Default carbon price per tonne CO2e.
        cross_province_cny_per_t: Cost per tonne of a cross-province approval path.
        road_factor: Road km per great-circle km.
    """

    disposal: dict[str, DisposalCost]
    freight_cny_per_tkm: dict[str, float]
    carbon_price_cny_per_t: float
    cross_province_cny_per_t: float
    road_factor: float

    def disposal_of(self, category: str, hazardous: bool) -> DisposalCost:
        """The default disposal of a category or class, else the hazardous or general default."""
        found = self.disposal.get(category)
        if found is not None:
            return found
        return self.disposal[HAZARDOUS_DEFAULT if hazardous else GENERAL_DEFAULT]
