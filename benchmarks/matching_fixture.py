"""A province-sized market for bench_matching.py: listings clustered like Jiangsu's industry.

Sites sit in industrial parks around the 13 prefecture-level cities of Jiangsu (city centre
coordinates and GB/T 2260 codes are public geography; the parks' offsets and the city
weights, roughly by industrial output, are illustrative). About 6 % of listings lie just
across the border in Shanghai, Anhui, Zhejiang and Shandong. Waste codes are real entries
of the National Hazardous Waste List (2021) and general-solid-waste classes in the style of
GB/T 39198-2020, drawn with a Zipf-like popularity. Prices, freight rates, carbon factors,
capacities and windows are illustrative, of realistic magnitude.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from zerowaste.optimize.matching.model import (
    DISPOSE,
    UTILIZE,
    DemandBid,
    Economics,
    MatchingProblem,
    PermitCover,
    Range,
    SupplyOffer,
    Window,
)

#: (region code, latitude, longitude, weight) of Jiangsu's prefecture-level cities.
CITIES = (
    ("320100", 32.06, 118.80, 1.6),  # Nanjing
    ("320200", 31.49, 120.31, 1.6),  # Wuxi
    ("320300", 34.26, 117.18, 0.9),  # Xuzhou
    ("320400", 31.81, 119.97, 1.1),  # Changzhou
    ("320500", 31.30, 120.62, 2.4),  # Suzhou
    ("320600", 31.98, 120.89, 1.1),  # Nantong
    ("320700", 34.60, 119.22, 0.5),  # Lianyungang
    ("320800", 33.61, 119.02, 0.5),  # Huai'an
    ("320900", 33.35, 120.16, 0.7),  # Yancheng
    ("321000", 32.39, 119.41, 0.7),  # Yangzhou
    ("321100", 32.19, 119.42, 0.6),  # Zhenjiang
    ("321200", 32.46, 119.92, 0.7),  # Taizhou
    ("321300", 33.96, 118.28, 0.4),  # Suqian
)
#: Neighbouring cities at the provincial border (Shanghai, Anhui, Zhejiang, Shandong).
NEIGHBOURS = (
    ("310100", 31.23, 121.47, 1.0),  # Shanghai
    ("340500", 31.67, 118.51, 0.4),  # Ma'anshan, Anhui
    ("341100", 32.30, 118.32, 0.3),  # Chuzhou, Anhui
    ("330500", 30.89, 120.09, 0.4),  # Huzhou, Zhejiang
    ("371300", 35.10, 118.36, 0.3),  # Linyi, Shandong
)
NEIGHBOUR_SHARE = 0.06

#: (code, category, hazard class, material, default disposal route, disposal CNY/t).
WASTES = (
    ("900-214-08", "HW08", "3", "mineral_oil", "incineration", 3200.0),
    ("900-249-08", "HW08", "3", "mineral_oil", "incineration", 3000.0),
    ("251-001-08", "HW08", "3", "mineral_oil", "incineration", 3400.0),
    ("900-404-06", "HW06", "3", "solvent", "incineration", 3600.0),
    ("900-402-06", "HW06", "3", "solvent", "incineration", 3500.0),
    ("336-064-17", "HW17", "8", "metal_sludge", "landfill_hazardous", 2800.0),
    ("336-054-17", "HW17", "8", "metal_sludge", "landfill_hazardous", 2700.0),
    ("397-005-22", "HW22", "9", "copper_sludge", "landfill_hazardous", 2600.0),
    ("304-001-22", "HW22", "9", "copper_sludge", "landfill_hazardous", 2500.0),
    ("900-041-49", "HW49", "9", "contaminated_packaging", "incineration", 3800.0),
    ("900-047-49", "HW49", "6.1", "lab_waste", "incineration", 5200.0),
    ("264-011-12", "HW12", "3", "paint_residue", "incineration", 3900.0),
    ("900-252-12", "HW12", "3", "paint_residue", "incineration", 4000.0),
    ("772-002-18", "HW18", "9", "fly_ash_hazardous", "landfill_hazardous", 2200.0),
    ("384-004-31", "HW31", "8", "lead_scrap", "landfill_hazardous", 2400.0),
    ("900-052-31", "HW31", "8", "lead_scrap", "landfill_hazardous", 2300.0),
    ("900-300-34", "HW34", "8", "spent_acid", "neutralization", 1500.0),
    ("900-349-34", "HW34", "8", "spent_acid", "neutralization", 1400.0),
    ("900-399-35", "HW35", "8", "spent_alkali", "neutralization", 1300.0),
    ("261-151-50", "HW50", "6.1", "spent_catalyst", "landfill_hazardous", 3000.0),
    ("900-049-50", "HW50", "6.1", "spent_catalyst", "landfill_hazardous", 3100.0),
    ("SW01", "SW01", "none", "slag", "landfill", 80.0),
    ("SW02", "SW02", "none", "fly_ash", "landfill", 70.0),
    ("SW03", "SW03", "none", "bottom_ash", "landfill", 75.0),
    ("SW04", "SW04", "none", "coal_gangue", "landfill", 50.0),
    ("SW06", "SW06", "none", "desulfurization_gypsum", "landfill", 60.0),
    ("SW07", "SW07", "none", "sludge", "landfill", 180.0),
    ("SW13", "SW13", "none", "food_residue", "landfill", 150.0),
    ("SW15", "SW15", "none", "paper", "landfill", 120.0),
    ("SW17", "SW17", "none", "scrap_metal", "landfill", 100.0),
    ("SW17P", "SW17", "none", "plastics", "landfill", 110.0),
)
#: Receiving route (utilize) per material; disposal demands apply the default route.
UTILIZE_ROUTE = {
    "mineral_oil": "regeneration",
    "solvent": "distillation",
    "metal_sludge": "metal_recovery",
    "copper_sludge": "metal_recovery",
    "contaminated_packaging": "cleaning_reuse",
    "lab_waste": "incineration",
    "paint_residue": "co_processing",
    "fly_ash_hazardous": "co_processing",
    "lead_scrap": "metal_recovery",
    "spent_acid": "regeneration",
    "spent_alkali": "regeneration",
    "spent_catalyst": "metal_recovery",
    "slag": "aggregate",
    "fly_ash": "cement",
    "bottom_ash": "aggregate",
    "coal_gangue": "brick",
    "desulfurization_gypsum": "gypsum_board",
    "sludge": "co_processing",
    "food_residue": "anaerobic_digestion",
    "paper": "recycling",
    "scrap_metal": "recycling",
    "plastics": "recycling",
}
#: Components listed on supplies and limited by demands: (name, typical fraction).
COMPONENTS = (("Pb", 0.002), ("Cu", 0.02), ("moisture", 0.25), ("oil", 0.05))

PERIOD = Window(date(2027, 1, 1), date(2027, 12, 31))


def economics(wastes: tuple[tuple[str, str, str, str, str, float], ...] = WASTES) -> Economics:
    """Illustrative rates: freight by hazard class, carbon factors per (material, route)."""
    net: dict[tuple[str, str], float] = {}
    for _code, _cat, _hc, material, disposal, _cost in wastes:
        net[material, disposal] = 40.0 if disposal.startswith("landfill") else 900.0
        net[material, UTILIZE_ROUTE[material]] = -600.0 if material != "lab_waste" else 900.0
    return Economics(
        carbon_price_cny_per_t=90.0,
        transport_cny_per_tkm={"none": 0.45, "3": 1.1, "8": 1.0, "6.1": 1.3, "9": 0.9},
        transport_co2e_kg_per_tkm=0.078,
        net_co2e_kg_per_t=net,
        road_factor=1.3,
        cross_province_cny_per_t=60.0,
    )


def _sites(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Coordinates and region codes of n sites, clustered in industrial parks."""
    cities = CITIES + NEIGHBOURS
    weight = np.array([c[3] for c in CITIES] + [0.0] * len(NEIGHBOURS))
    weight = weight / weight.sum() * (1 - NEIGHBOUR_SHARE)
    edge = np.array([c[3] for c in NEIGHBOURS])
    weight[len(CITIES) :] = edge / edge.sum() * NEIGHBOUR_SHARE
    city = rng.choice(len(cities), size=n, p=weight)
    parks = 5
    park_lat = rng.normal(0.0, 0.12, size=(len(cities), parks))
    park_lon = rng.normal(0.0, 0.14, size=(len(cities), parks))
    park = rng.integers(0, parks, size=n)
    lat = np.array([cities[c][1] for c in city]) + park_lat[city, park] + rng.normal(0, 0.02, n)
    lon = np.array([cities[c][2] for c in city]) + park_lon[city, park] + rng.normal(0, 0.02, n)
    lat = np.clip(lat, 30.8, 35.1)
    lon = np.clip(lon, 116.4, 121.9)
    return lat, lon, [cities[c][0] for c in city]


def _window(rng: np.random.Generator) -> Window:
    start = PERIOD.start + timedelta(days=int(rng.integers(-60, 200)))
    return Window(start, start + timedelta(days=int(rng.integers(60, 420))))


def _popularity(rng: np.random.Generator, n: int) -> np.ndarray:
    """Zipf-like waste popularity (exponent 1) over the waste list, shuffled."""
    ranks = rng.permutation(len(WASTES)) + 1
    p = 1.0 / ranks
    return np.asarray(rng.choice(len(WASTES), size=n, p=p / p.sum()))


def supplies(rng: np.random.Generator, n: int) -> tuple[SupplyOffer, ...]:
    """N supply listings."""
    lat, lon, region = _sites(rng, n)
    kind = _popularity(rng, n)
    out = []
    for i in range(n):
        code, cat, hazard_class, material, route, disposal = WASTES[kind[i]]
        quantity = float(np.exp(rng.normal(np.log(120.0), 1.1)))
        composition = {}
        for name, typical in COMPONENTS:
            if rng.random() < 0.8:
                centre = typical * float(np.exp(rng.normal(0.0, 0.6)))
                composition[name] = Range(centre * 0.85, centre * 1.15)
        out.append(
            SupplyOffer(
                id=f"S{i:05d}",
                organization_id=f"ORG{int(rng.integers(0, n // 3 + 1)):05d}",
                waste_code=code,
                category=cat,
                hazardous=cat.startswith("HW"),
                hazard_class=hazard_class,
                quantity_t=round(quantity, 3),
                lot_t=round(float(rng.choice([1.0, 5.0, 10.0, 20.0, 30.0])), 1),
                composition=composition,
                lat=float(lat[i]),
                lon=float(lon[i]),
                region_code=region[i],
                window=_window(rng),
                price_cny_per_t=round(float(rng.normal(-0.3, 0.25)) * disposal, 0),
                disposal_cost_cny_per_t=disposal,
                disposal_route=route,
                material=material,
                allows_cross_province=bool(rng.random() < 0.7),
            )
        )
    return tuple(out)


def demands(rng: np.random.Generator, n: int, blend_share: float = 0.1) -> tuple[DemandBid, ...]:
    """N demand listings; `blend_share` of them limit the blend, not each supply."""
    lat, lon, region = _sites(rng, n)
    kind = _popularity(rng, n)
    out = []
    for i in range(n):
        code, cat, _hc, material, route, disposal = WASTES[kind[i]]
        hazardous = cat.startswith("HW")
        dispose = hazardous and rng.random() < 0.25
        if rng.random() < 0.3:
            accepted = {cat}
        else:
            accepted = {code} | (
                {WASTES[int(rng.integers(len(WASTES)))][0]} if rng.random() < 0.2 else set()
            )
        limits = {}
        for name, typical in COMPONENTS:
            if rng.random() < 0.35:
                limits[name] = Range(None, typical * float(np.exp(rng.normal(0.4, 0.5))))
        permits: tuple[PermitCover, ...] = ()
        if hazardous:
            valid_end = PERIOD.end + timedelta(days=int(rng.integers(-120, 400)))
            permits = (
                PermitCover(
                    f"P{i:05d}",
                    frozenset(accepted),
                    frozenset({DISPOSE if dispose else UTILIZE}),
                    Window(PERIOD.start - timedelta(days=700), valid_end),
                ),
            )
        price = (
            disposal * float(rng.uniform(-0.6, 0.2))
            if hazardous
            else disposal * float(rng.uniform(-0.5, 0.6))
        )
        out.append(
            DemandBid(
                id=f"D{i:05d}",
                organization_id=f"ORG{int(rng.integers(0, n // 3 + 1)):05d}",
                accepted=frozenset(accepted),
                limits=limits,
                blend=bool(rng.random() < blend_share) and bool(limits),
                capacity_t=round(float(np.exp(rng.normal(np.log(300.0), 1.0))), 1),
                min_lot_t=float(rng.choice([0.0, 1.0, 5.0, 10.0, 20.0])),
                lat=float(lat[i]),
                lon=float(lon[i]),
                region_code=region[i],
                max_distance_km=round(float(np.exp(rng.uniform(np.log(50.0), np.log(500.0)))), 0),
                window=_window(rng),
                price_cny_per_t=round(price, 0),
                activity=DISPOSE if dispose else UTILIZE,
                route=route if dispose else UTILIZE_ROUTE[material],
                permits=permits,
                accepts_cross_province=bool(rng.random() < 0.6),
            )
        )
    return tuple(out)


def problem(
    n_supplies: int, n_demands: int, *, seed: int = 2026, blend_share: float = 0.1
) -> MatchingProblem:
    """A province-sized matching problem."""
    rng = np.random.default_rng(seed)
    return MatchingProblem(
        supplies(rng, n_supplies), demands(rng, n_demands, blend_share), economics(), PERIOD
    )
