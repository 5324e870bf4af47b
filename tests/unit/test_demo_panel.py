"""The synthetic research panel: shape, staggered pilot, seeded, planted effects recovered."""

from __future__ import annotations

import csv
import io
import math

import numpy as np
import pytest

from zerowaste.adapters.reference_files import read_regions
from zerowaste.demo.geography import HOME_PREFECTURE, NEIGHBOUR_PREFECTURE
from zerowaste.demo.panel import (
    PANEL_HEADER,
    PANEL_YEARS,
    ResearchPanel,
    panel_cities,
    panel_csv,
    research_panel,
)
from zerowaste.demo.statistics import pilot_years
from zerowaste.domain.regions import RegionLevel
from zerowaste.errors import InvalidInput

Y, D, M = "waste_intensity", "green_procurement", "informatization"
CONTROLS = ("log_output", "log_employees")


@pytest.fixture(scope="module")
def cities() -> tuple[str, ...]:
    return panel_cities(read_regions())


@pytest.fixture(scope="module")
def panel(cities: tuple[str, ...]) -> ResearchPanel:
    return research_panel(cities, seed=7)


@pytest.fixture(scope="module")
def columns(panel: ResearchPanel) -> dict[str, np.ndarray]:
    data = {name: np.array([row[name] for row in panel.rows]) for name in PANEL_HEADER}
    data["log_employees"] = np.log(data["employees"].astype(float))
    return data


def within(columns: dict[str, np.ndarray], name: str) -> np.ndarray:
    """Two-way demeaned values: exact two-way fixed effects on a balanced panel."""
    x = columns[name].astype(float)
    firms, firm_index = np.unique(columns["firm"], return_inverse=True)
    years, year_index = np.unique(columns["year"], return_inverse=True)
    firm_mean = np.bincount(firm_index, x) / np.bincount(firm_index)
    year_mean = np.bincount(year_index, x) / np.bincount(year_index)
    return x - firm_mean[firm_index] - year_mean[year_index] + x.mean()


def twfe(
    columns: dict[str, np.ndarray], outcome: str, regressors: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """OLS on two-way demeaned data: coefficients and classical standard errors."""
    y = within(columns, outcome)
    x = np.column_stack([within(columns, name) for name in regressors])
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    residual = y - x @ beta
    firms = len(np.unique(columns["firm"]))
    years = len(np.unique(columns["year"]))
    dof = len(y) - x.shape[1] - firms - years + 1
    covariance = residual @ residual / dof * np.linalg.inv(x.T @ x)
    return beta, np.sqrt(np.diag(covariance))


def test_panel_cities_are_real_prefectures_demo_first(cities: tuple[str, ...]) -> None:
    prefectures = {r.code for r in read_regions() if r.level is RegionLevel.PREFECTURE}
    assert len(cities) == 20
    assert len(set(cities)) == 20
    assert set(cities) <= prefectures
    assert cities[:2] == (HOME_PREFECTURE, NEIGHBOUR_PREFECTURE)
    assert {code[:2] for code in cities} == {"32", "33"}
    with pytest.raises(InvalidInput) as caught:
        panel_cities(read_regions(), count=0)
    assert caught.value.field == "count"


def test_a_balanced_firm_city_year_panel(panel: ResearchPanel, cities: tuple[str, ...]) -> None:
    rows = panel.rows
    assert len(rows) == 400 * 12
    assert [tuple(row) for row in rows[:1]] == [PANEL_HEADER]
    assert PANEL_HEADER[:3] == ("firm", "city", "year")
    by_firm: dict[str, list[int]] = {}
    for row in rows:
        by_firm.setdefault(str(row["firm"]), []).append(int(row["year"]))
    assert len(by_firm) == 400
    assert all(years == list(PANEL_YEARS) for years in by_firm.values())
    assert list(PANEL_YEARS) == list(range(2014, 2026))
    assert {row["city"] for row in rows} == set(cities)
    # A firm stays in one city.
    homes = {(row["firm"], row["city"]) for row in rows}
    assert len(homes) == 400


def test_adoption_is_staggered_with_never_treated(panel: ResearchPanel) -> None:
    cohorts = panel.truth.cohorts
    joined = [year for year in cohorts.values() if year is not None]
    assert len(set(joined)) >= 4
    assert sum(year is None for year in cohorts.values()) >= 3
    for row in panel.rows:
        first = cohorts[str(row["city"])]
        assert row["pilot"] == int(first is not None and int(row["year"]) >= first)


def test_variables_stay_in_their_ranges(panel: ResearchPanel) -> None:
    for row in panel.rows:
        assert float(row[Y]) > 0
        assert 0 < float(row[D]) < 1
        assert 0 <= float(row[M]) <= 100
        assert isinstance(row["employees"], int)
        assert row["employees"] > 0
        assert math.log(2_000) - 0.3 < float(row["log_output"]) < math.log(200_000) + 1.2


def test_same_seed_same_panel_other_seed_other_panel(
    panel: ResearchPanel, cities: tuple[str, ...]
) -> None:
    assert research_panel(cities, seed=7) == panel
    other = research_panel(cities, seed=8)
    assert [row[Y] for row in other.rows] != [row[Y] for row in panel.rows]
    assert other.truth.c == panel.truth.c
    assert other.truth.seed == 8


def test_csv_round_trips_through_its_header(panel: ResearchPanel) -> None:
    text = panel.csv()
    assert text == panel_csv(panel.rows)
    lines = text.splitlines()
    assert lines[0] == (
        "firm,city,year,waste_intensity,green_procurement,informatization,pilot,"
        "log_output,employees"
    )
    back = list(csv.DictReader(io.StringIO(text)))
    assert len(back) == len(panel.rows)
    for read, row in zip(back, panel.rows, strict=True):
        assert read["firm"] == row["firm"]
        assert read["city"] == row["city"]
        assert int(read["year"]) == row["year"]
        assert int(read["pilot"]) == row["pilot"]
        assert int(read["employees"]) == row["employees"]
        for name in (Y, D, M, "log_output"):
            assert float(read[name]) == row[name]


def test_the_truth_is_kept_apart_and_consistent(panel: ResearchPanel) -> None:
    truth = panel.truth
    assert truth.c == pytest.approx(truth.c_prime + truth.a * truth.b)
    assert truth.indirect == pytest.approx(truth.a * truth.b)
    assert truth.c < truth.c_prime < 0  # green procurement lowers waste, more so through M
    assert truth.pilot_effect(-1) == 0
    assert truth.pilot_effect(0, D) == truth.pilot_profile[0]
    assert truth.pilot_effect(20, D) == truth.pilot_profile[-1]
    assert truth.pilot_effect(2, M) == pytest.approx(truth.pilot_profile[2] * truth.a)
    assert not any(name in PANEL_HEADER for name in ("a", "b", "c_prime", "cohort"))


def test_two_way_fixed_effects_recover_the_planted_mediation(
    panel: ResearchPanel, columns: dict[str, np.ndarray]
) -> None:
    truth = panel.truth
    (c, *_), (se_c, *_) = twfe(columns, Y, [D, *CONTROLS])
    (a, *_), (se_a, *_) = twfe(columns, M, [D, *CONTROLS])
    (c_prime, b, *_), (se_cp, se_b, *_) = twfe(columns, Y, [D, M, *CONTROLS])
    for estimate, se, planted in (
        (c, se_c, truth.c),
        (a, se_a, truth.a),
        (c_prime, se_cp, truth.c_prime),
        (b, se_b, truth.b),
    ):
        assert abs(estimate - planted) < 4 * se, (estimate, planted, se)
        assert abs(estimate) > 8 * se  # the panel has the power to see each effect
    # With the same sample and controls, OLS splits the total effect exactly.
    assert c == pytest.approx(c_prime + a * b, abs=1e-10)


def test_omitting_the_output_control_biases_the_estimate(
    panel: ResearchPanel, columns: dict[str, np.ndarray]
) -> None:
    (c_full, *_), (se, *_) = twfe(columns, Y, [D, *CONTROLS])
    (c_bare, *_), _ = twfe(columns, Y, [D])
    assert abs(c_bare - panel.truth.c) > abs(c_full - panel.truth.c)
    assert abs(c_bare - c_full) > 2 * se


def test_an_event_study_recovers_the_dynamic_profile(
    panel: ResearchPanel, columns: dict[str, np.ndarray]
) -> None:
    truth = panel.truth
    first = np.array([truth.cohorts[str(city)] or 0 for city in columns["city"]], dtype=float)
    treated = first > 0
    event_time = np.where(treated, columns["year"] - first, np.nan)
    leads_lags = [e for e in range(-6, 9) if e != -1]
    names = []
    for e in leads_lags:
        name = f"e{e}"
        if e == -6:
            columns[name] = (treated & (event_time <= -6)).astype(float)
        else:
            columns[name] = (treated & (event_time == e)).astype(float)
        names.append(name)
    beta, se = twfe(columns, Y, [*names, *CONTROLS])
    for e, estimate, error in zip(leads_lags, beta, se, strict=False):
        planted = truth.pilot_effect(e, Y)
        assert abs(estimate - planted) < 4 * error, (e, estimate, planted, error)
    # The effect builds up: the late lags are clearly below (better than) the first.
    lag0, lag5 = beta[leads_lags.index(0)], beta[leads_lags.index(5)]
    assert lag5 < lag0 < 0


def test_pyfixest_recovers_the_total_effect_with_clustered_errors(
    panel: ResearchPanel,
) -> None:
    pd = pytest.importorskip("pandas")
    pf = pytest.importorskip("pyfixest")
    frame = pd.read_csv(io.StringIO(panel.csv()))
    fit = pf.feols(
        "waste_intensity ~ green_procurement + log_output + np.log(employees) | firm + year",
        data=frame,
        vcov={"CRV1": "city"},
    )
    estimate = fit.coef()["green_procurement"]
    se = fit.se()["green_procurement"]
    assert abs(estimate - panel.truth.c) < 4 * se


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"cities": []}, "cities"),
        ({"cities": ["320500", "320500"]}, "cities"),
        ({"cities": ["3205"]}, "cities"),
        ({"cities": ["320500", "330400"], "firms": 1}, "firms"),
        ({"cities": ["320500"], "firms": 10_001}, "firms"),
        ({"cities": ["320500"], "years": [2014, 2015, 2017, 2018]}, "years"),
        ({"cities": ["320500"], "years": [2014, 2015]}, "years"),
        ({"cities": ["320500"], "years": range(1985, 1995)}, "years"),
        ({"cities": ["320500"], "cohorts": {"330400": 2020}}, "cohorts"),
        ({"cities": ["320500"], "cohorts": {"320500": 1900}}, "cohorts"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        research_panel(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_smaller_panels_follow_the_arguments() -> None:
    small = research_panel(
        ["320500", "330400", "320200"], seed=3, firms=30, years=range(2018, 2024)
    )
    assert len(small.rows) == 30 * 6
    assert {row["year"] for row in small.rows} == set(range(2018, 2024))
    assert {row["city"] for row in small.rows} == {"320500", "330400", "320200"}


def test_pinned_cohorts_match_the_demo_statistics(cities: tuple[str, ...]) -> None:
    pinned = pilot_years(7)
    assert set(pinned) == {HOME_PREFECTURE, NEIGHBOUR_PREFECTURE}
    panel = research_panel(cities, seed=7, cohorts={**pinned, "320100": None})
    for code, year in pinned.items():
        assert panel.truth.cohorts[code] == year
    assert panel.truth.cohorts["320100"] is None
    for row in panel.rows:
        if row["city"] == HOME_PREFECTURE:
            assert row["pilot"] == int(int(row["year"]) >= pinned[HOME_PREFECTURE])
    dealt = research_panel(cities, seed=7).truth.cohorts
    assert {c: y for c, y in panel.truth.cohorts.items() if c not in (*pinned, "320100")} == {
        c: y for c, y in dealt.items() if c not in (*pinned, "320100")
    }
