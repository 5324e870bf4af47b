"""Generation series from the ledger (both backends), their access rules, forecasts, scenarios."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import OPERATOR, Factory
from tests.forecast_world import HW, MONTHS, SW, build_world, expected_a_tonnes
from zerowaste.domain.accounts import UserRole
from zerowaste.errors import Forbidden, NotAuthenticated
from zerowaste.errors.evaluation import ScenarioInvalid
from zerowaste.evaluation.scenarios import Fate
from zerowaste.services.forecasts import SeriesLevel

START, END = date(2024, 7, 1), date(2026, 1, 1)


def test_a_firm_series_is_its_monthly_generation_after_corrections(factory: Factory) -> None:
    world = build_world(factory)
    found = factory.context.forecasts.series(
        OPERATOR, SeriesLevel.FIRM, str(world.a.organization.id), START, END
    )
    assert found.series.months[0] == START
    assert len(found.series.values) == len(MONTHS)
    assert list(found.series.values) == pytest.approx(expected_a_tonnes())
    assert found.firms == 1
    earlier = factory.context.forecasts.series(
        OPERATOR, SeriesLevel.FIRM, str(world.a.organization.id), date(2024, 5, 1), END
    )
    assert earlier.series.values[:2] == (0.0, 0.0)  # months without events are zeros
    # Without a start, the series begins with the firm's data and runs to last month (May 2026).
    default = factory.context.forecasts.series(
        OPERATOR, SeriesLevel.FIRM, str(world.a.organization.id)
    )
    assert default.series.start == START
    assert default.series.months[-1] == date(2026, 5, 1)
    assert default.series.values[-5:] == (0.0,) * 5


def test_city_and_sector_series_add_up_the_right_firms(factory: Factory) -> None:
    world = build_world(factory)
    city = factory.context.forecasts.series(OPERATOR, SeriesLevel.CITY, "320500", START, END)
    a = expected_a_tonnes()
    expected = [a[i] + 0.5 + 0.2 for i in range(len(MONTHS))]
    expected[MONTHS.index((2025, 1))] += 0.3  # C's New Year's Eve event, UTC, is China's January
    assert list(city.series.values) == pytest.approx(expected)
    assert city.firms == 3  # Huzhou's firm D is not in Suzhou
    sector = factory.context.forecasts.series(
        OPERATOR, SeriesLevel.SECTOR, "36", START, END, region="320500"
    )
    assert list(sector.series.values) == pytest.approx([v + 0.5 for v in a])
    everywhere = factory.context.forecasts.series(OPERATOR, SeriesLevel.SECTOR, "36", START, END)
    assert everywhere.series.values[0] == pytest.approx(a[0] + 0.5 + 9.999)
    assert world.d.organization.region_code == "330402"


def test_who_may_see_which_series(factory: Factory) -> None:
    world = build_world(factory)
    forecasts = factory.context.forecasts
    own = factory.user(UserRole.FIRM, organization=world.a.organization)
    other = factory.user(UserRole.FIRM, organization=world.d.organization)
    regulator = factory.user(UserRole.REGULATOR, jurisdiction_code="320500")
    a_id = str(world.a.organization.id)
    assert forecasts.series(own, SeriesLevel.FIRM, a_id, START, END).firms == 1
    assert forecasts.series(regulator, SeriesLevel.FIRM, a_id, START, END).firms == 1
    with pytest.raises(Forbidden):
        forecasts.series(other, SeriesLevel.FIRM, a_id, START, END)
    with pytest.raises(NotAuthenticated):
        forecasts.series(None, SeriesLevel.CITY, "320500", START, END)
    # Three firms make Suzhou's aggregate: any signed-in user sees it.
    assert forecasts.series(other, SeriesLevel.CITY, "320500", START, END).firms == 3
    # Division 26 in Suzhou is firm C alone: regulators over Suzhou only.
    with pytest.raises(Forbidden):
        forecasts.series(other, SeriesLevel.SECTOR, "26", START, END, region="320500")
    found = forecasts.series(regulator, SeriesLevel.SECTOR, "26", START, END)
    assert found.region == "320500"  # a regulator's sector defaults to its jurisdiction
    assert found.series.values[0] == pytest.approx(0.2)


def test_a_city_forecast_and_backtest_from_the_ledger(factory: Factory) -> None:
    build_world(factory)
    forecasts = factory.context.forecasts
    found, result = forecasts.forecast(
        OPERATOR, SeriesLevel.CITY, "320500", 6, (80, 95), start=START, end=END
    )
    assert result.months[0] == date(2026, 1, 1)
    assert len(result.months) == 6
    assert result.backtest.chosen in {m.model for m in result.models}
    chosen = result.chosen
    assert all(
        lo <= m <= hi
        for lo, m, hi in zip(chosen.lower[95], chosen.mean, chosen.upper[95], strict=True)
    )
    _, bt = forecasts.backtest(OPERATOR, SeriesLevel.CITY, "320500", 2, 2, 1, start=START, end=END)
    assert len(bt.cutoffs) == 2
    assert bt.of("Naive").points == 4
    assert found.series.values[-1] == bt.points[-1].actual


def test_a_scenario_baseline_and_projection_from_the_ledger(factory: Factory) -> None:
    world = build_world(factory)
    scenarios = factory.context.scenarios
    baseline = scenarios.baseline(OPERATOR, "320500", 2025)
    streams = {(s.stream, s.sector): s for s in baseline.streams}
    assert set(streams) == {(HW, "36"), (SW, "36"), (HW, "26")}
    a = streams[(HW, "36")]
    assert a.generated_t == pytest.approx(sum(expected_a_tonnes()[6:]))
    assert a.shares[Fate.LANDFILL] == pytest.approx(1700 / 3600)
    assert a.shares[Fate.INCINERATION] == pytest.approx(1900 / 3600)
    assert a.material is not None
    assert a.hazardous
    assert any("no fate recorded" in note for note in baseline.notes)
    result = scenarios.run(
        OPERATOR,
        {
            "region": "320500",
            "year": 2025,
            "horizon": 6,
            "changes": [{"kind": "landfill_ban", "stream": HW, "share": 1, "to": "incineration"}],
        },
        use_forecast=False,
    )
    assert result.months[0].month == date(2026, 1, 1)
    hw_landfill = sum(
        s.generated_t * s.shares[Fate.LANDFILL] for s in baseline.streams if s.stream == HW
    )
    sw_landfill = streams[(SW, "36")].generated_t * streams[(SW, "36")].shares[Fate.LANDFILL]
    assert result.baseline_total.landfill_t == pytest.approx((hw_landfill + sw_landfill) / 2)
    assert result.scenario_total.landfill_t == pytest.approx(sw_landfill / 2)
    assert result.scenario_total.emissions_t != result.baseline_total.emissions_t
    assert result.factors
    assert all(f.source for f in result.factors)
    firm_user = factory.user(UserRole.FIRM, organization=world.a.organization)
    with pytest.raises(Forbidden):
        scenarios.baseline(firm_user, "320500", 2025)
    with pytest.raises(ScenarioInvalid) as refused:
        scenarios.run(
            OPERATOR,
            {
                "region": "320500",
                "year": 2025,
                "changes": [{"kind": "utilization", "stream": "SW09", "points": 5}],
            },
        )
    assert refused.value.field == "changes[0].stream"
    grown = scenarios.run(OPERATOR, {"region": "320500", "year": 2025, "horizon": 40})
    assert len(grown.months) == 40
    assert any("keep its last growth" in note for note in grown.notes)
    assert grown.months[39].growth == grown.months[36].growth
    assert grown.months[0].growth > 0
