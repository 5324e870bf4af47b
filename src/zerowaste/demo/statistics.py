"""Synthetic region statistics for the demo city's prefectures and counties (pure, seeded).

The indicator registry needs figures the platform cannot observe (added value, population,
…). For the demo they are drawn here, consistent with the demo world: a region's industrial
added value is never below the sum of the demo firms' added value registered in it that year,
GDP is never below industrial added value, counties add up to their prefecture, and the
general industrial solid waste taken from earlier storage is a small share of what the demo's
event plan generates there. Every row's source reads `demo (synthetic)`: none of these are
real statistics.
"""

from __future__ import annotations

import csv
import io
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from zerowaste.demo.geography import COUNTIES, HOME_PREFECTURE, NEIGHBOUR_PREFECTURE
from zerowaste.demo.model import DemoCity
from zerowaste.demo.plan import EventPlan
from zerowaste.domain.catalog import is_hazardous_waste_code
from zerowaste.domain.events import EventType
from zerowaste.domain.statistics import RegionStatistic, StatisticKind
from zerowaste.errors import InvalidInput

#: The source every demo statistic carries.
SOURCE = "demo (synthetic)"
#: The header of the statistics CSV, in this order.
CSV_HEADER = ("region_code", "year", "statistic", "value", "source")
#: The demo firms never make up more than this share of a region's industrial added value.
MAX_FIRM_COVERAGE = 0.8
#: The year the profiles' base figures describe; other years grow or shrink from it.
BASE_YEAR = 2023


@dataclass(frozen=True, slots=True)
class PrefectureProfile:
    """The magnitudes a demo prefecture's statistics are drawn around.

    The bases are rounded orders of magnitude of the cities' 2023 statistical bulletins
    (苏州市/嘉兴市 2023年国民经济和社会发展统计公报: GDP about 2.5 and 0.7 trillion yuan,
    resident population about 13 and 5.6 million); the demo draws within ±8 % of them and
    along invented trends, so the figures are plausible, not real.

    Attributes:
        gdp_cny: GDP in `BASE_YEAR`, yuan.
        population: Resident population in `BASE_YEAR`.
        industry_share: Range of industrial added value ÷ GDP.
        gdp_growth: Range of the yearly nominal GDP growth trend.
        population_growth: Range of the yearly population growth trend.
        msw_kg_per_capita_day: Range of municipal solid waste collected per resident and day.
        pilot_years: The years the region may join the zero-waste city pilot (one is drawn).
    """

    gdp_cny: float
    population: float
    industry_share: tuple[float, float]
    gdp_growth: tuple[float, float]
    population_growth: tuple[float, float]
    msw_kg_per_capita_day: tuple[float, float]
    pilot_years: tuple[int, ...]


PROFILES = {
    HOME_PREFECTURE: PrefectureProfile(
        2.5e12, 1.30e7, (0.38, 0.45), (0.04, 0.07), (0.002, 0.008), (0.95, 1.15),
        (2022, 2023),
    ),
    NEIGHBOUR_PREFECTURE: PrefectureProfile(
        7.0e11, 5.6e6, (0.42, 0.50), (0.04, 0.07), (0.004, 0.012), (0.85, 1.05),
        (2023, 2024, 2025),
    ),
}  # fmt: skip


def demo_regions() -> tuple[str, ...]:
    """The region codes the demo has statistics for: its prefectures, then their counties."""
    return (*PROFILES, *(c.code for c in COUNTIES))


def pilot_years(seed: int) -> dict[str, int]:
    """The year each demo prefecture joins the zero-waste city pilot (drawn from its profile)."""
    return {
        code: random.Random(f"{seed}:{code}:pilot").choice(profile.pilot_years)
        for code, profile in PROFILES.items()
    }


def region_statistics(
    city: DemoCity,
    years: Iterable[int] | None = None,
    *,
    plan: EventPlan | None = None,
    counties: bool = True,
) -> list[RegionStatistic]:
    """Every statistic of the demo's prefectures (and counties) for `years`; same city, same rows.

    A year's figures do not depend on which other years are asked for. Years without firm
    records follow the drawn trends alone.

    Args:
        city: The generated city (its seed and the firms' economic records decide the rows).
        years: Calendar years; the years of the firms' economic records when None.
        plan: The city's event plan; with it, `general_iswu_prior_stock_t` is given as a
            share (1-4 %) of the general industrial solid waste the plan generates in the
            region, annualized. Without it that statistic is not reported.
        counties: Whether to add the counties (they add up to their prefecture).

    Raises:
        InvalidInput: If a year is outside 1990-2100 (field `year`).

    Returns:
        Rows ordered by region (prefectures first), year and statistic.
    """
    chosen = sorted(set(years)) if years is not None else _economic_years(city)
    for year in chosen:
        if not 1990 <= year <= 2100:
            raise InvalidInput(f"{year} is outside 1990-2100", field="year")
    firm_iav = _firm_added_value(city)
    generated = _general_generated_t(city, plan) if plan is not None else None
    pilots = pilot_years(city.seed)
    rows: list[RegionStatistic] = []
    county_rows: list[RegionStatistic] = []
    for prefecture, profile in PROFILES.items():
        members = [c.code for c in COUNTIES if c.prefecture_code == prefecture]
        pilot_year = pilots[prefecture]
        for year in chosen:
            figures = _prefecture_year(city.seed, prefecture, profile, year, firm_iav, members)
            policy = _policy_strength(city.seed, prefecture, year, pilot_year)
            shares: dict[StatisticKind, Decimal] = {
                StatisticKind.POLICY_STRENGTH: policy,
                StatisticKind.ZERO_WASTE_PILOT: Decimal(int(year >= pilot_year)),
            }
            if generated is not None:
                stock = _prior_stock(city.seed, prefecture, year, members, generated)
                figures[StatisticKind.GENERAL_ISWU_PRIOR_STOCK_T] = stock
            totals = {k: sum(v.values(), Decimal(0)) for k, v in figures.items()}
            rows += _rows(prefecture, year, {**totals, **shares})
            if counties:
                for code in members:
                    own = {kind: by_county[code] for kind, by_county in figures.items()}
                    county_rows += _rows(code, year, {**own, **shares})
    return rows + sorted(county_rows, key=lambda r: (r.region_code, r.year))


def statistics_csv(rows: Sequence[RegionStatistic]) -> str:
    """The rows as CSV text with `CSV_HEADER`, values in plain decimal notation."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow([row.region_code, row.year, row.kind.value, f"{row.value:f}", row.source])
    return out.getvalue()


def _rows(code: str, year: int, values: dict[StatisticKind, Decimal]) -> list[RegionStatistic]:
    return [
        RegionStatistic(code, year, kind, values[kind], SOURCE)
        for kind in StatisticKind
        if kind in values
    ]


def _economic_years(city: DemoCity) -> list[int]:
    return sorted({record.year for firm in city.firms for record in firm.economics})


def _firm_added_value(city: DemoCity) -> dict[tuple[str, int], int]:
    """The demo firms' industrial added value per (county code, year), yuan."""
    totals: dict[tuple[str, int], int] = defaultdict(int)
    for firm in city.firms:
        for record in firm.economics:
            value = record.industrial_added_value_cny
            if value is not None:
                totals[(firm.organization.region_code, record.year)] += int(value)
    return totals


def _prefecture_year(
    seed: int,
    prefecture: str,
    profile: PrefectureProfile,
    year: int,
    firm_iav: dict[tuple[str, int], int],
    members: list[str],
) -> dict[StatisticKind, dict[str, Decimal]]:
    """The additive statistics of one prefecture-year, county by county."""
    trend = random.Random(f"{seed}:{prefecture}:trend")
    level = trend.uniform(0.92, 1.08)
    growth = trend.uniform(*profile.gdp_growth)
    pop_level = trend.uniform(0.92, 1.08)
    pop_growth = trend.uniform(*profile.population_growth)
    share_level = trend.uniform(*profile.industry_share)
    county_weights = {code: trend.uniform(0.4, 2.5) for code in members}
    rng = random.Random(f"{seed}:{prefecture}:{year}")
    gdp_drawn = profile.gdp_cny * level * (1 + growth) ** (year - BASE_YEAR)
    gdp_drawn *= 1 + rng.gauss(0, 0.01)
    low, high = profile.industry_share
    share = min(max(share_level + rng.gauss(0, 0.005), low), high)
    population = profile.population * pop_level * (1 + pop_growth) ** (year - BASE_YEAR)
    msw_per_day = rng.uniform(*profile.msw_kg_per_capita_day)
    firms = {code: firm_iav.get((code, year), 0) for code in members}
    firm_total = sum(firms.values())
    iav = max(round(gdp_drawn * share), round(firm_total / MAX_FIRM_COVERAGE))
    gdp = max(round(gdp_drawn), round(iav / share))
    weights = [county_weights[c] * rng.uniform(0.95, 1.05) for c in members]
    county_iav = _split(iav, [firms[c] for c in members], weights)
    county_other = _split(gdp - iav, [0] * len(members), weights)
    county_population = _split(round(population), [0] * len(members), weights)
    msw_total = round(population * msw_per_day * 365 / 1000)
    county_msw = _split(msw_total, [0] * len(members), county_population)
    return {
        StatisticKind.GDP_CNY: {
            c: Decimal(i + o) for c, i, o in zip(members, county_iav, county_other, strict=True)
        },
        StatisticKind.INDUSTRIAL_ADDED_VALUE_CNY: _by(members, county_iav),
        StatisticKind.RESIDENT_POPULATION: _by(members, county_population),
        StatisticKind.MUNICIPAL_SOLID_WASTE_T: _by(members, county_msw),
    }


def _by(members: list[str], values: list[int]) -> dict[str, Decimal]:
    return {code: Decimal(value) for code, value in zip(members, values, strict=True)}


def _split(total: int, floors: list[int], weights: Sequence[float]) -> list[int]:
    """`total` split into integers, each at least its floor, the excess in proportion to weights.

    The parts add up to `total` exactly (largest remainders get the leftover units).
    """
    excess = total - sum(floors)
    if excess < 0:
        raise ValueError("the floors exceed the total")
    weight_sum = sum(weights)
    exact = [excess * w / weight_sum for w in weights]
    parts = [int(x) for x in exact]
    leftover = excess - sum(parts)
    for index in sorted(range(len(parts)), key=lambda i: parts[i] - exact[i])[:leftover]:
        parts[index] += 1
    return [floor + part for floor, part in zip(floors, parts, strict=True)]


def _policy_strength(seed: int, prefecture: str, year: int, pilot_year: int) -> Decimal:
    """A checklist share rising by a few points a year, with a step when the pilot starts."""
    trend = random.Random(f"{seed}:{prefecture}:policy")
    start = trend.uniform(0.10, 0.25)
    slope = trend.uniform(0.02, 0.04)
    step = trend.uniform(0.12, 0.20)
    noise = random.Random(f"{seed}:{prefecture}:{year}:policy").uniform(-0.02, 0.02)
    value = start + slope * (year - 2015) + (step if year >= pilot_year else 0) + noise
    return Decimal(f"{min(max(value, 0.0), 0.95):.3f}")


def _general_generated_t(city: DemoCity, plan: EventPlan) -> dict[str, float]:
    """General (non-hazardous) solid waste the plan's window generates per county, t/year."""
    counties = {firm.ref: firm.organization.region_code for firm in city.firms}
    totals: dict[str, float] = defaultdict(float)
    for planned in plan.events:
        event = planned.event
        if event.event_type is not EventType.GENERATED or event.event_time < plan.window_start:
            continue
        where = counties.get(event.organization_id)
        for output in event.outputs:
            if where and output.waste_code and not is_hazardous_waste_code(output.waste_code):
                totals[where] += float(output.mass_kg) / 1000
    start = plan.window_start
    end = datetime.combine(plan.as_of, start.timetz())
    years = max((end - start).days, 1) / 365.25
    return {code: mass / years for code, mass in totals.items()}


def _prior_stock(
    seed: int, prefecture: str, year: int, members: list[str], generated: dict[str, float]
) -> dict[str, Decimal]:
    """Prior years' stock utilized: a yearly share of each county's annual generation, t."""
    rng = random.Random(f"{seed}:{prefecture}:{year}:stock")
    share = rng.uniform(0.01, 0.04)
    return {code: Decimal(f"{generated.get(code, 0.0) * share:.3f}") for code in members}
