"""The kinds of firm the demo city is made of: chains, industries, wastes, sizes and licences."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from zerowaste.demo.names import GROUP, JOINT_STOCK, LIMITED
from zerowaste.domain.organizations import OrganizationRole
from zerowaste.domain.permits import PermitActivity, PermitKind
from zerowaste.domain.sites import SiteKind

_G = OrganizationRole.GENERATOR
_U = OrganizationRole.UTILIZER
_D = OrganizationRole.DISPOSER
_T = OrganizationRole.TRANSPORTER
_CM = OrganizationRole.CHAIN_MASTER
_HWB = PermitKind.HAZARDOUS_WASTE_BUSINESS
_COLLECT_STORE = frozenset({PermitActivity.COLLECT, PermitActivity.STORE})
_UTILIZE = _COLLECT_STORE | {PermitActivity.UTILIZE}
_DISPOSE = _COLLECT_STORE | {PermitActivity.DISPOSE}


class Chain(StrEnum):
    """The supply chain or sector a demo firm belongs to."""

    AUTOMOTIVE = "automotive"
    STEEL = "steel"
    PHARMACEUTICAL = "pharmaceutical"
    ELECTRONICS = "electronics"
    MACHINERY = "machinery"
    POWER = "power"
    MUNICIPAL = "municipal"
    BUILDING_MATERIALS = "building_materials"
    WASTE_MANAGEMENT = "waste_management"
    LOGISTICS = "logistics"
    REGULATION = "regulation"


@dataclass(frozen=True, slots=True)
class PermitSpec:
    """The licence a kind of firm holds: what it covers and how much (tonnes a year).

    `term_years`: 5 for a comprehensive hazardous waste business licence (3 would be a
    collection-only one, 《危险废物经营许可证管理办法》); the demo assumes 4 for a road
    dangerous-goods transport licence.
    """

    kind: PermitKind
    activities: frozenset[PermitActivity]
    waste_codes: tuple[str, ...]
    capacity_t: tuple[int, int]
    term_years: int


@dataclass(frozen=True, slots=True)
class Archetype:
    """A kind of demo firm.

    Attributes:
        key: Stable handle, `chain.kind`.
        chain: The chain or sector.
        business: Line of business in the firm name (Chinese, English).
        industry_codes: GB/T 4754-2017 classes; each firm takes one.
        roles: Its roles in the waste chain.
        count: How many at scale 1.0.
        scaled: Whether `scale` multiplies the count (ordinary generators and suppliers).
        site_kind: Kind of its main site.
        counties: County codes to place firms in (repeats weight the draw).
        wastes: Hazardous waste codes (III-SSS-CC) and general solid waste classes (SWnn)
            it generates.
        output_cny: Range of yearly output value in the first year, in yuan.
        added_value_share: Range of industrial added value as a share of output value.
        growth: Range of the yearly trend growth of output value.
        product_unit: UN/CEFACT code of its product's unit.
        unit_price_cny: Typical price of one unit of product, in yuan.
        permit: The licence it holds, if any.
        legal_form: Chinese and English legal form in its name.
        supplier_share: Share of these firms that supply the automotive chain master.
    """

    key: str
    chain: Chain
    business: tuple[str, str]
    industry_codes: tuple[str, ...]
    roles: frozenset[OrganizationRole]
    count: int
    scaled: bool
    site_kind: SiteKind
    counties: tuple[str, ...]
    wastes: tuple[str, ...]
    output_cny: tuple[float, float]
    added_value_share: tuple[float, float]
    growth: tuple[float, float]
    product_unit: str
    unit_price_cny: float
    permit: PermitSpec | None = None
    legal_form: tuple[str, str] = LIMITED
    supplier_share: float = 0.0


# County pools; repeated codes are likelier. Suzhou first, then Jiaxing (cross-province).
_AUTO = ("320583", "320583", "320585", "320585", "320581", "320506", "320509", "330482")
_METAL = ("320582", "320582", "320581", "320509", "320507", "330481")
_PHARMA = ("320581", "320582", "320585", "320506", "320507", "330424")
_ELECTRONICS = ("320583", "320583", "320583", "320505", "320505", "320509", "330421")
_ANYWHERE = ("320505", "320506", "320507", "320509", "320581", "320582", "320583", "320585")
_TNE, _MWH, _PCS, _M2 = "TNE", "MWH", "C62", "MTK"
_MIL, _BIL = 1e6, 1e9

#: The demo's archetypes, chain by chain. Output ranges, shares and prices are plausible
#: orders of magnitude for the region, invented for the demo.
ARCHETYPES = (
    # Automotive chain: the chain master and its suppliers.
    Archetype("automotive.oem", Chain.AUTOMOTIVE, ("汽车", "Automobile"), ("3612",),
              frozenset({_G, _CM}), 1, False, SiteKind.PLANT, ("320581",),
              ("SW17", "900-252-12", "900-214-08", "900-218-08", "900-404-06", "336-064-17",
               "900-039-49", "900-041-49"),
              (28 * _BIL, 36 * _BIL), (0.16, 0.22), (0.08, 0.16), _PCS, 185_000,
              legal_form=JOINT_STOCK),
    Archetype("automotive.engine", Chain.AUTOMOTIVE, ("动力总成", "Powertrain"), ("3620",),
              frozenset({_G}), 2, True, SiteKind.PLANT, _AUTO,
              ("SW17", "900-006-09", "900-214-08", "900-218-08", "900-041-49"),
              (1.5 * _BIL, 4 * _BIL), (0.18, 0.25), (0.02, 0.08), _PCS, 21_000, supplier_share=1.0),
    Archetype("automotive.stamping", Chain.AUTOMOTIVE, ("精密冲压", "Precision Stamping"),
              ("3670",), frozenset({_G}), 35, True, SiteKind.PLANT, _AUTO,
              ("SW17", "900-218-08", "900-006-09", "900-041-49"),
              (60 * _MIL, 900 * _MIL), (0.17, 0.26), (0.02, 0.10), _PCS, 45, supplier_share=0.7),
    Archetype("automotive.casting", Chain.AUTOMOTIVE, ("铸造", "Foundry"), ("3391", "3392"),
              frozenset({_G}), 18, True, SiteKind.PLANT, _AUTO + _METAL,
              ("SW01", "SW59", "900-006-09", "900-041-49"),
              (80 * _MIL, 1.2 * _BIL), (0.16, 0.24), (0.0, 0.07), _TNE, 13_000, supplier_share=0.6),
    Archetype("automotive.painting", Chain.AUTOMOTIVE, ("涂装", "Coating"), ("3360",),
              frozenset({_G}), 18, True, SiteKind.PLANT, _AUTO,
              ("900-252-12", "900-404-06", "336-064-17", "900-039-49", "900-041-49"),
              (30 * _MIL, 400 * _MIL), (0.20, 0.30), (0.01, 0.08), _M2, 60, supplier_share=0.7),
    Archetype("automotive.parts", Chain.AUTOMOTIVE, ("汽车零部件", "Auto Parts"), ("3670",),
              frozenset({_G}), 40, True, SiteKind.PLANT, _AUTO,
              ("SW17", "900-006-09", "900-214-08", "900-041-49"),
              (50 * _MIL, 2 * _BIL), (0.17, 0.27), (0.02, 0.12), _PCS, 260, supplier_share=0.5),
    # Steel chain: slag, dust and gypsum towards cement and building materials.
    Archetype("steel.works", Chain.STEEL, ("钢铁", "Iron and Steel"), ("3120",),
              frozenset({_G}), 2, False, SiteKind.PLANT, ("320582", "320581"),
              ("SW01", "SW59", "SW06", "312-001-23", "900-214-08", "900-218-08"),
              (30 * _BIL, 55 * _BIL), (0.12, 0.18), (-0.03, 0.03), _TNE, 4_100, legal_form=GROUP),
    Archetype("steel.ironworks", Chain.STEEL, ("炼铁", "Ironmaking"), ("3110",),
              frozenset({_G}), 1, False, SiteKind.PLANT, ("320582",),
              ("SW01", "SW59", "SW06", "900-218-08"),
              (8 * _BIL, 14 * _BIL), (0.10, 0.15), (-0.04, 0.02), _TNE, 2_900),
    Archetype("steel.rolling", Chain.STEEL, ("钢材", "Steel Products"), ("3130",),
              frozenset({_G}), 8, True, SiteKind.PLANT, _METAL,
              ("SW59", "SW17", "900-300-34", "900-218-08"),
              (300 * _MIL, 3 * _BIL), (0.10, 0.16), (-0.02, 0.05), _TNE, 4_800),
    Archetype("building.cement", Chain.BUILDING_MATERIALS, ("水泥", "Cement"), ("3011",),
              frozenset({_U, _D}), 3, False, SiteKind.CEMENT_KILN, ("320582", "320506", "330481"),
              ("SW59",), (600 * _MIL, 1.8 * _BIL), (0.22, 0.32), (-0.05, 0.02), _TNE, 380,
              PermitSpec(_HWB, _DISPOSE,
                         ("HW02", "HW06", "HW08", "HW12", "HW13", "HW17", "HW18", "HW49"),
                         (30_000, 100_000), 5)),
    Archetype("building.materials", Chain.BUILDING_MATERIALS, ("新型建材", "Building Materials"),
              ("3021", "3031", "3039"), frozenset({_U}), 8, True, SiteKind.PLANT, _ANYWHERE,
              ("SW59",), (40 * _MIL, 300 * _MIL), (0.20, 0.30), (-0.02, 0.06), _TNE, 260),
    Archetype("building.slag", Chain.BUILDING_MATERIALS, ("固废资源", "Solid Waste Resources"),
              ("4220",), frozenset({_U}), 2, False, SiteKind.RECYCLER, ("320582", "320581"),
              ("SW59",), (80 * _MIL, 300 * _MIL), (0.22, 0.30), (0.03, 0.10), _TNE, 160),
    # Pharmaceuticals: residues, spent solvents and carbon towards recovery and incineration.
    Archetype("pharma.api", Chain.PHARMACEUTICAL, ("药业", "Pharmaceutical"), ("2710",),
              frozenset({_G}), 25, True, SiteKind.PLANT, _PHARMA,
              ("271-001-02", "271-002-02", "271-003-02", "900-402-06", "900-404-06",
               "900-039-49", "271-006-50", "900-047-49", "SW07"),
              (150 * _MIL, 3 * _BIL), (0.28, 0.40), (0.03, 0.12), "KGM", 900),
    Archetype("pharma.formulation", Chain.PHARMACEUTICAL, ("制药", "Pharma"), ("2720",),
              frozenset({_G}), 10, True, SiteKind.PLANT, _PHARMA,
              ("900-002-03", "900-039-49", "900-041-49", "900-047-49"),
              (200 * _MIL, 2.5 * _BIL), (0.30, 0.42), (0.03, 0.10), "KGM", 2_500),
    # Electronics: circuit boards towards precious-metal recovery.
    Archetype("electronics.pcb", Chain.ELECTRONICS, ("电路科技", "Circuit Technology"),
              ("3982",), frozenset({_G}), 30, True, SiteKind.PLANT, _ELECTRONICS,
              ("900-045-49", "398-004-22", "398-005-22", "336-063-17", "398-005-34",
               "900-041-49", "SW07"),
              (200 * _MIL, 6 * _BIL), (0.15, 0.24), (0.02, 0.12), _M2, 750),
    Archetype("electronics.devices", Chain.ELECTRONICS, ("电子", "Electronics"),
              ("3973", "3976", "3981"), frozenset({_G}), 30, True, SiteKind.PLANT, _ELECTRONICS,
              ("900-045-49", "900-041-49", "900-404-06", "SW17"),
              (100 * _MIL, 8 * _BIL), (0.14, 0.24), (0.03, 0.15), _PCS, 12),
    Archetype("machinery.metalwork", Chain.MACHINERY, ("机械", "Machinery"), ("3311", "3399"),
              frozenset({_G}), 25, True, SiteKind.PLANT, _ANYWHERE,
              ("SW17", "900-006-09", "900-214-08", "900-041-49"),
              (30 * _MIL, 600 * _MIL), (0.20, 0.28), (0.0, 0.08), _TNE, 16_000),
    # Power plants: fly ash, furnace slag, desulfurization gypsum.
    Archetype("power.coal", Chain.POWER, ("热电", "Thermal Power"), ("4411", "4412"),
              frozenset({_G}), 4, False, SiteKind.PLANT, ("320582", "320581", "320585", "330482"),
              ("SW02", "SW06", "SW03", "900-214-08", "772-007-50"),
              (1.5 * _BIL, 5 * _BIL), (0.25, 0.35), (-0.02, 0.04), _MWH, 410),
    # Municipal solid waste incineration: fly ash (hazardous) and bottom ash.
    Archetype("municipal.incineration", Chain.MUNICIPAL, ("环保能源", "Environmental Energy"),
              ("7820",), frozenset({_G}), 3, False, SiteKind.INCINERATOR,
              ("320507", "320509", "330411"), ("772-002-18", "SW03"),
              (150 * _MIL, 450 * _MIL), (0.35, 0.50), (0.01, 0.05), _TNE, 180),
    # Utilizers and disposers of hazardous and general waste.
    Archetype("waste.incinerator", Chain.WASTE_MANAGEMENT, ("危废处置", "Hazardous Waste Disposal"),
              ("7724",), frozenset({_D, _G}), 1, False, SiteKind.INCINERATOR, ("320585",),
              ("772-003-18",), (200 * _MIL, 350 * _MIL), (0.35, 0.50), (0.02, 0.08), _TNE, 4_500,
              PermitSpec(_HWB, _DISPOSE,
                         ("HW02", "HW03", "HW06", "HW08", "HW09", "HW11", "HW12", "HW13",
                          "HW49", "HW50"),
                         (20_000, 40_000), 5)),
    Archetype("waste.landfill", Chain.WASTE_MANAGEMENT, ("安全填埋", "Secure Landfill"), ("7724",),
              frozenset({_D}), 1, False, SiteKind.LANDFILL, ("320581",), (),
              (60 * _MIL, 150 * _MIL), (0.35, 0.50), (0.0, 0.05), _TNE, 3_000,
              PermitSpec(_HWB, _DISPOSE,
                         ("HW17", "HW18", "HW21", "HW22", "HW23", "HW31", "HW36", "HW46", "HW48"),
                         (30_000, 60_000), 5)),
    Archetype("waste.solvent", Chain.WASTE_MANAGEMENT, ("溶剂回收", "Solvent Recovery"),
              ("7724",), frozenset({_U, _G}), 2, False, SiteKind.RECYCLER, ("320585", "330482"),
              ("900-013-11",), (50 * _MIL, 200 * _MIL), (0.25, 0.35), (0.04, 0.12), _TNE, 5_500,
              PermitSpec(_HWB, _UTILIZE, ("900-402-06", "900-404-06", "264-013-12"),
                         (8_000, 25_000), 5)),
    Archetype("waste.oil", Chain.WASTE_MANAGEMENT, ("油品再生", "Oil Regeneration"), ("7724",),
              frozenset({_U}), 2, False, SiteKind.RECYCLER, ("320582", "330481"), (),
              (60 * _MIL, 250 * _MIL), (0.20, 0.30), (0.03, 0.10), _TNE, 5_000,
              PermitSpec(_HWB, _UTILIZE,
                         ("900-199-08", "900-200-08", "900-210-08", "900-214-08", "900-218-08",
                          "900-249-08"),
                         (10_000, 30_000), 5)),
    Archetype("waste.precious", Chain.WASTE_MANAGEMENT, ("贵金属回收", "Precious Metals Recovery"),
              ("7724",), frozenset({_U, _G}), 2, False, SiteKind.RECYCLER, ("320583", "330421"),
              ("900-451-13",), (150 * _MIL, 900 * _MIL), (0.15, 0.25), (0.05, 0.15), "KGM", 300,
              PermitSpec(_HWB, _UTILIZE, ("900-045-49", "398-004-22", "398-005-22", "398-051-22"),
                         (5_000, 20_000), 5)),
    Archetype("waste.carbon", Chain.WASTE_MANAGEMENT, ("活性炭再生", "Carbon Regeneration"),
              ("7724",), frozenset({_U}), 1, False, SiteKind.RECYCLER, ("320507",), (),
              (20 * _MIL, 80 * _MIL), (0.25, 0.35), (0.05, 0.15), _TNE, 4_000,
              PermitSpec(_HWB, _UTILIZE, ("900-039-49", "772-005-18"), (3_000, 10_000), 5)),
    Archetype("waste.scrap", Chain.WASTE_MANAGEMENT, ("再生资源", "Renewable Resources"),
              ("4210",), frozenset({_U}), 6, False, SiteKind.RECYCLER, _METAL + _AUTO, (),
              (100 * _MIL, 1.5 * _BIL), (0.06, 0.12), (0.03, 0.10), _TNE, 2_600),
    # Transporters: hazardous goods (licensed) and general freight.
    Archetype("logistics.hazardous", Chain.LOGISTICS, ("危险品运输", "Hazardous Goods Transport"),
              ("5435",), frozenset({_T}), 5, False, SiteKind.DEPOT,
              ("320506", "320583", "320581", "320582", "330411"), (),
              (20 * _MIL, 120 * _MIL), (0.25, 0.35), (0.02, 0.09), _TNE, 120,
              PermitSpec(PermitKind.DANGEROUS_GOODS_TRANSPORT,
                         frozenset({PermitActivity.TRANSPORT}),
                         ("HW02", "HW03", "HW06", "HW08", "HW09", "HW11", "HW12", "HW13",
                          "HW17", "HW18", "HW22", "HW23", "HW34", "HW49", "HW50"),
                         (20_000, 80_000), 4)),
    Archetype("logistics.freight", Chain.LOGISTICS, ("物流", "Logistics"), ("5431",),
              frozenset({_T}), 2, False, SiteKind.DEPOT, ("320507", "320585"), (),
              (30 * _MIL, 200 * _MIL), (0.20, 0.30), (0.02, 0.08), _TNE, 60),
)  # fmt: skip

ARCHETYPES_BY_KEY = {archetype.key: archetype for archetype in ARCHETYPES}


def archetype(key: str) -> Archetype:
    """The archetype with this key (KeyError if there is none)."""
    return ARCHETYPES_BY_KEY[key]
