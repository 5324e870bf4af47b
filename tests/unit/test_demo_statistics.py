"""The demo's region statistics: consistent with its firms, within bounds, seeded, CSV-ready."""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest

from zerowaste.adapters.reference_files import read_regions
from zerowaste.demo import COUNTIES, DemoCity, generate_city
from zerowaste.demo.events import plan_events
from zerowaste.demo.geography import HOME_PREFECTURE, NEIGHBOUR_PREFECTURE
from zerowaste.demo.plan import EventPlan
from zerowaste.demo.statistics import (
    CSV_HEADER,
    SOURCE,
    demo_regions,
    pilot_years,
    region_statistics,
    statistics_csv,
)
from zerowaste.domain.catalog import is_hazardous_waste_code
from zerowaste.domain.events import EventType
from zerowaste.domain.statistics import RegionStatistic, StatisticKind
from zerowaste.errors import InvalidInput

AS_OF = date(2026, 6, 30)
K = StatisticKind
Table = dict[tuple[str, int, StatisticKind], Decimal]


@pytest.fixture(scope="module")
def city() -> DemoCity:
    return generate_city(7, 1.0, as_of=AS_OF)


@pytest.fixture(scope="module")
def plan(city: DemoCity) -> EventPlan:
    return plan_events(city, months=1)


@pytest.fixture(scope="module")
def rows(city: DemoCity, plan: EventPlan) -> list[RegionStatistic]:
    return region_statistics(city, plan=plan)


def table(rows: list[RegionStatistic]) -> Table:
    return {(r.region_code, r.year, r.kind): r.value for r in rows}


def firm_added_value(city: DemoCity) -> dict[tuple[str, int], Decimal]:
    totals: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for firm in city.firms:
        for record in firm.economics:
            code = firm.organization.region_code
            value = record.industrial_added_value_cny or Decimal(0)
            totals[(code, record.year)] += value
            totals[(code[:4] + "00", record.year)] += value
    return totals


def test_every_region_year_and_kind_once(city: DemoCity, rows: list[RegionStatistic]) -> None:
    years = sorted({r.year for f in city.firms for r in f.economics})
    assert years == list(range(2021, 2027))
    keys = [(r.region_code, r.year, r.kind) for r in rows]
    assert len(keys) == len(set(keys))
    assert set(keys) == {(c, y, k) for c in demo_regions() for y in years for k in K}
    assert demo_regions()[:2] == (HOME_PREFECTURE, NEIGHBOUR_PREFECTURE)
    assert {r.source for r in rows} == {SOURCE} == {"demo (synthetic)"}


def test_regions_are_real_codes() -> None:
    known = {r.code: r for r in read_regions()}
    for code in demo_regions():
        assert code in known
    assert {c.code for c in COUNTIES} == set(demo_regions()[2:])


def test_added_value_covers_the_demo_firms(city: DemoCity, rows: list[RegionStatistic]) -> None:
    values = table(rows)
    firms = firm_added_value(city)
    assert firms[(HOME_PREFECTURE, 2026)] > 0
    for (code, year, kind), value in values.items():
        if kind is K.INDUSTRIAL_ADDED_VALUE_CNY:
            assert value >= firms.get((code, year), 0), (code, year)
            assert values[(code, year, K.GDP_CNY)] >= value


def test_larger_cities_raise_added_value_to_cover_their_firms() -> None:
    big = generate_city(7, 5.0, as_of=AS_OF)
    values = table(region_statistics(big, [2026]))
    firms = firm_added_value(big)
    for code in demo_regions():
        iav = values[(code, 2026, K.INDUSTRIAL_ADDED_VALUE_CNY)]
        assert iav >= firms.get((code, 2026), 0)
    # The firms never make up more than 80 % of a prefecture's industry.
    for code in (HOME_PREFECTURE, NEIGHBOUR_PREFECTURE):
        assert (
            firms[(code, 2026)]
            <= Decimal("0.8") * values[(code, 2026, K.INDUSTRIAL_ADDED_VALUE_CNY)] + 1
        )


def test_counties_add_up_to_their_prefecture(rows: list[RegionStatistic]) -> None:
    values = table(rows)
    additive = (
        K.GDP_CNY,
        K.INDUSTRIAL_ADDED_VALUE_CNY,
        K.RESIDENT_POPULATION,
        K.MUNICIPAL_SOLID_WASTE_T,
        K.GENERAL_ISWU_PRIOR_STOCK_T,
    )
    for prefecture in (HOME_PREFECTURE, NEIGHBOUR_PREFECTURE):
        members = [c.code for c in COUNTIES if c.prefecture_code == prefecture]
        for year in range(2021, 2027):
            for kind in additive:
                total = sum((values[(c, year, kind)] for c in members), Decimal(0))
                assert total == values[(prefecture, year, kind)], (prefecture, year, kind)
            for kind in (K.POLICY_STRENGTH, K.ZERO_WASTE_PILOT):
                assert {values[(c, year, kind)] for c in members} == {
                    values[(prefecture, year, kind)]
                }


def test_values_respect_each_kinds_unit_and_maximum(rows: list[RegionStatistic]) -> None:
    for row in rows:
        assert 0 <= row.value <= row.kind.maximum
        if row.kind in (K.GDP_CNY, K.INDUSTRIAL_ADDED_VALUE_CNY, K.RESIDENT_POPULATION):
            assert row.value == row.value.to_integral_value()
    pilot = [r for r in rows if r.kind is K.ZERO_WASTE_PILOT]
    assert {r.value for r in pilot} <= {0, 1}
    policy = [r.value for r in rows if r.kind is K.POLICY_STRENGTH]
    assert min(policy) > 0
    assert max(policy) <= Decimal("0.95")


def test_prefecture_magnitudes_are_plausible(rows: list[RegionStatistic]) -> None:
    values = table(rows)
    bounds = {HOME_PREFECTURE: (1.0e7, 1.6e7), NEIGHBOUR_PREFECTURE: (4.5e6, 7.0e6)}
    for code, (low, high) in bounds.items():
        for year in range(2021, 2027):
            population = float(values[(code, year, K.RESIDENT_POPULATION)])
            gdp = float(values[(code, year, K.GDP_CNY)])
            iav = float(values[(code, year, K.INDUSTRIAL_ADDED_VALUE_CNY)])
            msw = float(values[(code, year, K.MUNICIPAL_SOLID_WASTE_T)])
            assert low <= population <= high
            assert 90_000 <= gdp / population <= 300_000  # yuan per resident
            assert 0.3 <= iav / gdp <= 0.6
            assert 0.7 <= msw * 1000 / population / 365 <= 1.3  # kg per resident and day


def test_the_pilot_once_joined_stays(rows: list[RegionStatistic]) -> None:
    values = table(rows)
    for code in (HOME_PREFECTURE, NEIGHBOUR_PREFECTURE):
        series = [values[(code, y, K.ZERO_WASTE_PILOT)] for y in range(2021, 2027)]
        assert series == sorted(series)
        assert series[-1] == 1
        joined = series.index(Decimal(1))
        assert 2021 + joined == pilot_years(7)[code]
        strength = [values[(code, y, K.POLICY_STRENGTH)] for y in range(2021, 2027)]
        if joined:
            assert strength[joined] - strength[joined - 1] >= Decimal("0.08")


def test_prior_stock_is_a_small_share_of_the_plans_general_waste(
    city: DemoCity, plan: EventPlan, rows: list[RegionStatistic]
) -> None:
    counties = {f.ref: f.organization.region_code for f in city.firms}
    generated_kg: dict[str, Decimal] = defaultdict(Decimal)
    for planned in plan.events:
        event = planned.event
        if event.event_type is EventType.GENERATED and event.event_time >= plan.window_start:
            for output in event.outputs:
                if output.waste_code and not is_hazardous_waste_code(output.waste_code):
                    generated_kg[counties[event.organization_id][:4] + "00"] += output.mass_kg
    window_years = Decimal(30) / Decimal("365.25")
    values = table(rows)
    for code in (HOME_PREFECTURE, NEIGHBOUR_PREFECTURE):
        annual_t = generated_kg[code] / 1000 / window_years
        assert annual_t > 0
        for year in range(2021, 2027):
            share = values[(code, year, K.GENERAL_ISWU_PRIOR_STOCK_T)] / annual_t
            assert Decimal("0.0099") <= share <= Decimal("0.0401"), (code, year, share)


def test_without_a_plan_the_prior_stock_is_not_reported(city: DemoCity) -> None:
    kinds = {r.kind for r in region_statistics(city, [2025])}
    assert kinds == set(K) - {K.GENERAL_ISWU_PRIOR_STOCK_T}


def test_same_seed_same_rows_and_years_are_independent(
    city: DemoCity, plan: EventPlan, rows: list[RegionStatistic]
) -> None:
    assert region_statistics(generate_city(7, 1.0, as_of=AS_OF), plan=plan) == rows
    alone = region_statistics(city, [2024], plan=plan)
    assert alone == [r for r in rows if r.year == 2024]
    other = region_statistics(generate_city(8, 1.0, as_of=AS_OF), [2024])
    mine = {(r.region_code, r.kind): r.value for r in alone}
    assert [r.value for r in other] != [mine[(r.region_code, r.kind)] for r in other]


def test_csv_round_trips_through_its_header(rows: list[RegionStatistic]) -> None:
    text = statistics_csv(rows)
    assert text.splitlines()[0] == ",".join(CSV_HEADER)
    assert CSV_HEADER == ("region_code", "year", "statistic", "value", "source")
    plain = re.compile(r"^\d+(\.\d+)?$")  # plain decimals, no exponents
    assert all(plain.match(line.split(",")[3]) for line in text.splitlines()[1:])
    back = [
        RegionStatistic(
            r["region_code"], int(r["year"]), K(r["statistic"]), Decimal(r["value"]), r["source"]
        )
        for r in csv.DictReader(io.StringIO(text))
    ]
    assert back == rows


def test_years_outside_the_range_are_refused(city: DemoCity) -> None:
    with pytest.raises(InvalidInput) as caught:
        region_statistics(city, [1989, 2024])
    assert caught.value.field == "year"


def test_other_years_extend_the_trends(city: DemoCity) -> None:
    values = table(region_statistics(city, range(2015, 2021)))
    gdp = [values[(HOME_PREFECTURE, y, K.GDP_CNY)] for y in range(2015, 2021)]
    assert gdp == sorted(gdp)  # nominal growth outweighs the yearly noise
    assert all(
        values[(HOME_PREFECTURE, y, K.INDUSTRIAL_ADDED_VALUE_CNY)] > 0 for y in range(2015, 2021)
    )


def test_prefectures_alone_when_counties_are_left_out(
    city: DemoCity, rows: list[RegionStatistic]
) -> None:
    alone = region_statistics(city, [2025], counties=False)
    assert {r.region_code for r in alone} == {HOME_PREFECTURE, NEIGHBOUR_PREFECTURE}
    with_counties = {(r.region_code, r.kind): r.value for r in rows if r.year == 2025}
    for row in alone:
        if row.kind is not K.GENERAL_ISWU_PRIOR_STOCK_T:
            assert row.value == with_counties[(row.region_code, row.kind)]
