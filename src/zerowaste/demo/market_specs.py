"""What the demo's firms list on the market: wastes on offer and materials wanted, with specs.

Composition ranges are mass fractions. They are plausible orders of magnitude for the
material, kept inside ranges the literature or a product standard gives where one is named
(each spec's `source`), and otherwise marked illustrative. Prices are CNY per tonne and
illustrative orders of magnitude for the Yangtze delta (a negative price is a fee the
generator pays, or the gate fee a facility charges). Every spec states chlorine, since every
thermal route limits it, so a demand's limits always name components its supplies report.
"""

from __future__ import annotations

from dataclasses import dataclass

from zerowaste.domain.factors import WasteRoute

#: (component, low, high) as decimal strings.
Component = tuple[str, str, str]
#: (component, min or None, max or None) as decimal strings.
Limit = tuple[str, str | None, str | None]


@dataclass(frozen=True, slots=True)
class SupplySpec:
    """How a generator lists one waste.

    Attributes:
        code: Waste code or general solid waste class.
        title: Chinese and English name of the material.
        components: The ranges each firm's declared range is drawn inside.
        price_cny_per_t: Range the asking price is drawn from.
        packaging: How it ships.
        lot_t: The usual lot (a truckload, a pallet of drums); capped by the quantity.
        listed_share: Share of the streams of this code that are listed (the first always is).
        cross_province: Whether the seller would send it to the other province.
        source: Where the component ranges come from.
    """

    code: str
    title: tuple[str, str]
    components: tuple[Component, ...]
    price_cny_per_t: tuple[float, float]
    packaging: str
    lot_t: float
    listed_share: float
    cross_province: bool
    source: str


@dataclass(frozen=True, slots=True)
class DemandSpec:
    """How a facility lists one material it takes.

    Attributes:
        key: Stable handle of the listing kind.
        archetype: The facilities that list it.
        title: Chinese and English name of what is wanted.
        accepted: Codes or classes it takes; None takes the codes of its licence.
        route: The management route it applies.
        limits: Per-supply (or blend, when `blend`) component limits.
        blend: Whether the limits apply to the weighted average of what it takes.
        price_cny_per_t: Range the price it pays is drawn from (negative: a gate fee).
        max_distance_km: Farthest supply it takes (road km).
        capacity_t_per_year: Yearly intake range for unlicensed (general waste) facilities;
            None uses the licence's annual capacity.
        capacity_share: Share of the yearly capacity this listing offers.
        min_lot_t: Smallest lot it accepts.
        source: Where the limits come from.
    """

    key: str
    archetype: str
    title: tuple[str, str]
    accepted: tuple[str, ...] | None
    route: WasteRoute
    limits: tuple[Limit, ...]
    blend: bool
    price_cny_per_t: tuple[float, float]
    max_distance_km: int
    capacity_t_per_year: tuple[float, float] | None
    capacity_share: float = 1.0
    min_lot_t: float = 0.0
    source: str = "illustrative"


_BULK = "散装自卸车 bulk, tipper truck"
_BAGS = "吨袋 one-tonne bulk bags"
_DRUMS = "200 L 铁桶 steel drums on pallets"
_IBC = "IBC 吨桶 intermediate bulk containers"
_TANK = "槽罐车 tank truck"
_SLAG_SOURCE = (
    "inside the ranges reported for BOF steel slag (Yildirim & Prezzi, Advances in Civil "
    "Engineering 2011, 463638: CaO 30-55 %, SiO2 8-20 %, FeO 10-35 %, MgO 5-15 %, free CaO up "
    "to about 10 %); SO3 and Cl illustrative"
)

#: Supply specs by (archetype, code); archetype `*` applies to every generator of the code.
SUPPLY_SPECS: dict[tuple[str, str], SupplySpec] = {
    ("*", "SW01"): SupplySpec(
        "SW01", ("钢渣", "steel slag"),
        (("CaO", "0.38", "0.46"), ("SiO2", "0.10", "0.15"), ("FeO", "0.15", "0.22"),
         ("MgO", "0.05", "0.09"), ("f-CaO", "0.02", "0.06"), ("SO3", "0.001", "0.004"),
         ("Cl", "0.0001", "0.0003")),
        (5, 25), _BULK, 30, 0.8, False, _SLAG_SOURCE),
    ("*", "SW02"): SupplySpec(
        "SW02", ("粉煤灰", "fly ash"),
        (("SiO2", "0.45", "0.55"), ("Al2O3", "0.22", "0.30"), ("LOI", "0.02", "0.07"),
         ("SO3", "0.006", "0.020"), ("f-CaO", "0.003", "0.009"), ("Cl", "0.0002", "0.0006")),
        (40, 80), "罐车 pneumatic tanker", 30, 1.0, False,
        "bounded by GB/T 1596-2017 class F grade II (loss on ignition ≤ 8 %, SO3 ≤ 3 %, free "
        "CaO ≤ 1 %); SiO2 and Al2O3 typical of class F ash; Cl illustrative"),
    ("*", "SW03"): SupplySpec(
        "SW03", ("炉渣", "boiler slag"),
        (("SiO2", "0.45", "0.55"), ("Al2O3", "0.18", "0.26"), ("LOI", "0.01", "0.04"),
         ("SO3", "0.002", "0.008"), ("Cl", "0.0001", "0.0004")),
        (0, 15), _BULK, 30, 1.0, False, "illustrative coal boiler slag"),
    ("municipal.incineration", "SW03"): SupplySpec(
        "SW03", ("生活垃圾焚烧炉渣", "MSW incineration bottom ash"),
        (("SiO2", "0.35", "0.45"), ("H2O", "0.12", "0.20"), ("LOI", "0.02", "0.05"),
         ("SO3", "0.005", "0.015"), ("Cl", "0.003", "0.008")),
        (-40, -20), _BULK, 30, 1.0, False,
        "illustrative aged bottom ash; its chloride of a few tenths of a percent keeps it "
        "out of chloride-limited uses"),
    ("*", "SW06"): SupplySpec(
        "SW06", ("脱硫石膏", "FGD gypsum"),
        (("SO3", "0.40", "0.44"), ("CaO", "0.29", "0.32"), ("H2O", "0.08", "0.12"),
         ("Cl", "0.0001", "0.0005")),
        (10, 30), _BULK, 30, 1.0, False,
        "SO3 and CaO of 86-95 % pure CaSO4·2H2O (stoichiometric 46.5 % SO3, 32.6 % CaO); "
        "free water and Cl illustrative"),
    ("*", "SW17"): SupplySpec(
        "SW17", ("废钢", "scrap steel"),
        (("Fe", "0.95", "0.985"), ("Cu", "0.0008", "0.0025"), ("S", "0.0002", "0.0005"),
         ("Cl", "0.00001", "0.00005")),
        (2100, 2500), "散装 loose, grab truck", 30, 0.3, False,
        "illustrative; copper is the tramp element scrap buyers limit"),
    ("*", "900-214-08"): SupplySpec(
        "900-214-08", ("废润滑油", "spent lubricating oil"),
        (("H2O", "0.02", "0.08"), ("S", "0.003", "0.008"), ("Cl", "0.0001", "0.0008")),
        (1200, 1600), _DRUMS, 5, 0.4, True, "illustrative"),
    ("*", "900-218-08"): SupplySpec(
        "900-218-08", ("废液压油与淬火油", "spent hydraulic and quench oil"),
        (("H2O", "0.03", "0.10"), ("S", "0.002", "0.006"), ("Cl", "0.0001", "0.0008")),
        (1000, 1500), _DRUMS, 5, 0.4, True, "illustrative"),
    ("*", "900-402-06"): SupplySpec(
        "900-402-06", ("废有机溶剂", "spent organic solvent"),
        (("H2O", "0.04", "0.14"), ("solids", "0.005", "0.03"), ("Cl", "0.0005", "0.004")),
        (-400, -100), _IBC, 10, 0.5, True, "illustrative"),
    ("*", "900-404-06"): SupplySpec(
        "900-404-06", ("废清洗溶剂", "spent cleaning solvent"),
        (("H2O", "0.03", "0.12"), ("solids", "0.01", "0.05"), ("Cl", "0.0005", "0.003")),
        (-800, -400), _DRUMS, 5, 0.4, True, "illustrative"),
    ("*", "900-045-49"): SupplySpec(
        "900-045-49", ("废电路板", "scrap circuit boards"),
        (("Cu", "0.12", "0.22"), ("Au", "0.00003", "0.00015"), ("Ag", "0.0002", "0.0008"),
         ("Pd", "0.00001", "0.00005"), ("Br", "0.02", "0.05"), ("Cl", "0.001", "0.003")),
        (8000, 20000), "托盘纸箱 boxed on pallets", 2, 0.5, True,
        "inside the wide ranges assayed in PCB scrap (Cu 10-27 %, Au 80-1,000 g/t, Ag "
        "100-3,000 g/t); illustrative"),
    ("*", "398-004-22"): SupplySpec(
        "398-004-22", ("废酸性蚀刻液", "spent acidic etchant"),
        (("Cu", "0.08", "0.13"), ("Cl", "0.12", "0.18"), ("H2O", "0.60", "0.68")),
        (1500, 3000), _TANK, 10, 0.4, True, "illustrative cupric chloride etchant"),
    ("*", "398-005-22"): SupplySpec(
        "398-005-22", ("废碱性蚀刻液", "spent alkaline etchant"),
        (("Cu", "0.10", "0.15"), ("NH3", "0.06", "0.10"), ("H2O", "0.60", "0.66"),
         ("Cl", "0.05", "0.08")),
        (1500, 3000), _TANK, 10, 0.4, True, "illustrative ammoniacal etchant"),
    ("*", "900-252-12"): SupplySpec(
        "900-252-12", ("漆渣", "paint sludge"),
        (("H2O", "0.30", "0.50"), ("S", "0.001", "0.004"), ("Cl", "0.002", "0.008")),
        (-4200, -3000), _DRUMS, 5, 0.7, True, "illustrative"),
    ("*", "336-064-17"): SupplySpec(
        "336-064-17", ("磷化污泥", "phosphating sludge"),
        (("H2O", "0.45", "0.58"), ("Zn", "0.03", "0.08"), ("P", "0.04", "0.08"),
         ("Ni", "0.001", "0.004"), ("Cl", "0.001", "0.005")),
        (-3200, -2400), _BAGS, 5, 0.7, True, "illustrative"),
    ("*", "336-063-17"): SupplySpec(
        "336-063-17", ("电镀污泥", "plating sludge"),
        (("H2O", "0.50", "0.58"), ("Cu", "0.02", "0.06"), ("Ni", "0.01", "0.03"),
         ("Cr", "0.005", "0.02"), ("Cl", "0.002", "0.01")),
        (-3200, -2400), _BAGS, 5, 0.4, True, "illustrative"),
    ("*", "772-002-18"): SupplySpec(
        "772-002-18", ("焚烧飞灰", "incineration fly ash"),
        (("Cl", "0.10", "0.20"), ("H2O", "0.12", "0.22"), ("Pb", "0.001", "0.003"),
         ("Zn", "0.003", "0.008")),
        (-2000, -1500), _BAGS, 30, 1.0, True,
        "illustrative chelated fly ash; MSWI fly ash carries chlorides of 10-20 %"),
    ("*", "900-039-49"): SupplySpec(
        "900-039-49", ("废活性炭", "spent activated carbon"),
        (("H2O", "0.30", "0.45"), ("ash", "0.05", "0.12"), ("Cl", "0.0005", "0.002")),
        (-2000, -1200), _BAGS, 5, 0.3, True, "illustrative"),
}  # fmt: skip

_KILN_SOURCE = (
    "HJ 662-2013 caps chlorine in a kiln's raw meal at 0.04 %; the caps on the blend of "
    "wastes the kiln takes (a few percent of its feed) are illustrative"
)

#: What the facilities want; several listings per facility where it takes different things.
DEMAND_SPECS: tuple[DemandSpec, ...] = (
    DemandSpec("slag.aggregate", "building.slag", ("钢渣与炉渣原料", "slag for aggregate"),
               ("SW01", "SW03"), WasteRoute.RECYCLING, (("Cl", None, "0.002"),), False,
               (10, 30), 120, (900_000, 1_500_000), min_lot_t=25,
               source="illustrative: chlorides in aggregate corrode reinforcement"),
    DemandSpec("cement.admixture", "building.cement", ("水泥混合材与缓凝剂", "cement admixture"),
               ("SW01", "SW02", "SW03", "SW06"), WasteRoute.CO_PROCESSING,
               (("Cl", None, "0.0006"), ("SO3", None, "0.035")), True,
               (15, 100), 150, (250_000, 500_000), source=_KILN_SOURCE),
    DemandSpec("materials.ash", "building.materials", ("粉煤灰、炉渣与石膏", "ash and gypsum"),
               ("SW02", "SW03", "SW06"), WasteRoute.RECYCLING,
               (("Cl", None, "0.001"), ("SO3", None, "0.45")), False,
               (20, 90), 100, (60_000, 200_000)),
    DemandSpec("scrap.steel", "waste.scrap", ("废钢炉料", "scrap charge"), ("SW17",),
               WasteRoute.RECYCLING, (("Cu", None, "0.002"),), False,
               (2300, 2800), 150, (60_000, 200_000), min_lot_t=5,
               source="illustrative residual copper cap"),
    DemandSpec("oil.rerefining", "waste.oil", ("废矿物油再生", "waste oil for re-refining"), None,
               WasteRoute.RECYCLING, (("H2O", None, "0.10"), ("Cl", None, "0.0006")), False,
               (1500, 2000), 300, None, min_lot_t=2,
               source="illustrative: chlorinated oil fouls re-refining"),
    DemandSpec("solvent.recovery", "waste.solvent", ("废溶剂精馏回收", "solvent recovery"), None,
               WasteRoute.RECYCLING, (("H2O", None, "0.15"), ("Cl", None, "0.003")), False,
               (-300, -100), 300, None, min_lot_t=1),
    DemandSpec("precious.boards", "waste.precious", ("废电路板贵金属回收", "circuit boards"),
               ("900-045-49",), WasteRoute.RECYCLING,
               (("Cu", "0.10", None), ("Au", "0.00004", None)), False,
               (20000, 26000), 500, None, capacity_share=0.6, min_lot_t=0.5),
    DemandSpec("precious.etchant", "waste.precious", ("蚀刻液铜回收", "etchant copper"),
               ("398-004-22", "398-005-22"), WasteRoute.RECYCLING, (("Cu", "0.07", None),),
               False, (3000, 4000), 300, None, capacity_share=0.4, min_lot_t=5),
    DemandSpec("carbon.regeneration", "waste.carbon", ("废活性炭再生", "carbon regeneration"),
               None, WasteRoute.RECYCLING, (("H2O", None, "0.50"),), False,
               (-1000, -600), 200, None),
    DemandSpec("hazardous.incineration", "waste.incinerator", ("危险废物焚烧", "incineration"),
               None, WasteRoute.INCINERATION, (("Cl", None, "0.01"),), False,
               (-3500, -2800), 300, None, source="illustrative feed chlorine cap"),
    DemandSpec("hazardous.landfill", "waste.landfill", ("危险废物安全填埋", "secure landfill"),
               None, WasteRoute.LANDFILL, (("H2O", None, "0.60"),), False,
               (-2600, -1800), 300, None, min_lot_t=5,
               source="GB 18598-2019 admits waste to a hazardous waste landfill below 60 % "
                      "moisture"),
)  # fmt: skip


def supply_spec(archetype: str, code: str) -> SupplySpec | None:
    """The spec a firm of `archetype` lists `code` with, or None if it does not list it."""
    return SUPPLY_SPECS.get((archetype, code)) or SUPPLY_SPECS.get(("*", code))
