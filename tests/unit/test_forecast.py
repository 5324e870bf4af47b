"""Forecast engine: hand-checked backtest errors, interval coverage, minimum lengths."""

from __future__ import annotations

import math
import random
from datetime import date

import pytest

from zerowaste.errors import InvalidInput
from zerowaste.errors.evaluation import SeriesTooShort
from zerowaste.evaluation.forecast import (
    MIN_FORECAST_POINTS,
    MonthlySeries,
    add_months,
    backtest,
    backtest_minimum,
    choose,
    errors_of,
    forecast,
    forecast_many,
)


def seasonal(
    n: int, seed: int, sigma: float = 3.0, start: date = date(2020, 1, 1)
) -> MonthlySeries:
    rng = random.Random(seed)
    values = tuple(
        100 + 0.3 * i + 15 * math.sin(2 * math.pi * i / 12) + rng.gauss(0, sigma) for i in range(n)
    )
    return MonthlySeries(f"s{seed}", start, values)


def test_errors_match_a_hand_computation() -> None:
    errors = errors_of("m", [10, 20, 0, 40], [12, 18, 1, 30])
    assert errors.points == 4
    assert errors.mae == pytest.approx(15 / 4)
    assert errors.rmse == pytest.approx(math.sqrt(109 / 4))
    # The zero actual is skipped by MAPE, not by sMAPE.
    assert errors.mape == pytest.approx(100 * (0.2 + 0.1 + 0.25) / 3)
    assert errors.smape == pytest.approx(100 * (4 / 22 + 4 / 38 + 2 / 1 + 20 / 70) / 4)


def test_mape_is_none_when_every_actual_is_zero() -> None:
    errors = errors_of("m", [0, 0], [1, 0])
    assert errors.mape is None
    assert errors.smape == pytest.approx(200.0)


def test_the_lowest_mae_is_chosen_ties_to_the_earlier_model() -> None:
    a = errors_of("Naive", [1, 2], [1, 2])
    b = errors_of("AutoETS", [1, 2], [1, 2])
    c = errors_of("AutoARIMA", [1, 2], [2, 3])
    assert choose([a, b, c]) == "AutoETS"
    assert choose([c, a]) == "Naive"


def test_naive_and_seasonal_naive_backtests_equal_a_hand_rolled_origin() -> None:
    series = seasonal(40, seed=3)
    y = series.values
    result = backtest(series, horizon=4, windows=3, step=2)
    assert len(result.cutoffs) == 3
    # Cutoffs are the last fitted month: windows end at the series end, 2 months apart.
    last_cutoff = len(y) - 4 - 1
    cutoffs = [last_cutoff - 4, last_cutoff - 2, last_cutoff]
    assert result.cutoffs == tuple(add_months(series.start, c) for c in cutoffs)
    actual, naive, snaive = [], [], []
    for c in cutoffs:
        for k in range(1, 5):
            actual.append(y[c + k])
            naive.append(y[c])
            snaive.append(y[c + k - 12])
    assert [p.actual for p in result.points] == pytest.approx(actual)
    expected_naive = errors_of("Naive", actual, naive)
    expected_snaive = errors_of("SeasonalNaive", actual, snaive)
    assert result.of("Naive").mae == pytest.approx(expected_naive.mae)
    assert result.of("Naive").rmse == pytest.approx(expected_naive.rmse)
    assert result.of("SeasonalNaive").mape == pytest.approx(expected_snaive.mape)
    assert result.of("SeasonalNaive").smape == pytest.approx(expected_snaive.smape)
    assert result.chosen == choose(result.errors)


def test_intervals_contain_the_truth_at_about_their_stated_rate() -> None:
    horizon, runs = 6, 16
    full = [seasonal(60 + horizon, seed=100 + i) for i in range(runs)]
    history = [MonthlySeries(s.subject, s.start, s.values[:60]) for s in full]
    results = forecast_many(history, horizon, (80, 95))
    inside = {80: 0, 95: 0}
    for truth, result in zip(full, results, strict=True):
        chosen = result.chosen
        for k in range(horizon):
            y = truth.values[60 + k]
            for level in inside:
                inside[level] += chosen.lower[level][k] <= y <= chosen.upper[level][k]
        assert result.months[0] == add_months(truth.start, 60)
    total = runs * horizon
    assert 0.65 <= inside[80] / total <= 0.95
    assert 0.85 <= inside[95] / total <= 1.0
    assert inside[95] >= inside[80]


def test_forecasts_of_a_zero_series_are_zero_not_negative() -> None:
    result = forecast(MonthlySeries("z", date(2024, 1, 1), (0.0,) * 16), 3)
    for model in result.models:
        assert all(v >= 0 for v in model.mean + model.lower[95])


def test_a_short_series_is_modelled_without_seasonality() -> None:
    series = MonthlySeries("t", date(2024, 1, 1), tuple(float(10 + i) for i in range(18)))
    result = forecast(series, 2)
    assert [m.model for m in result.models] == ["AutoETS", "AutoARIMA", "Naive"]


def test_too_short_series_are_refused_with_the_minimum_stated() -> None:
    short = MonthlySeries("x", date(2024, 1, 1), (1.0,) * (MIN_FORECAST_POINTS - 1))
    with pytest.raises(SeriesTooShort) as refused:
        forecast(short, 3)
    assert refused.value.field == "subject"
    assert str(MIN_FORECAST_POINTS) in refused.value.detail
    need = backtest_minimum(3, 4, 2)
    with pytest.raises(SeriesTooShort, match=str(need)):
        backtest(MonthlySeries("y", date(2024, 1, 1), (1.0,) * (need - 1)), 3, 4, 2)


@pytest.mark.parametrize(
    ("horizon", "levels", "field"),
    [(0, (80,), "horizon"), (37, (80,), "horizon"), (3, (120,), "level_pct")],
)
def test_bad_shapes_name_their_field(horizon: int, levels: tuple[int, ...], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        forecast(seasonal(30, seed=1), horizon, levels)
    assert refused.value.field == field
