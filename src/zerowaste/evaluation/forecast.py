"""Monthly generation forecasts with prediction intervals, chosen by a rolling-origin backtest.

The models are statsforecast's AutoETS and AutoARIMA (Hyndman and Khandakar's automatic
selection; ARIMA with `approximation=True`, which halves its fitting time) beside two
baselines, SeasonalNaive (the same month a year before) and Naive (the last month). Every
model is backtested by rolling-origin cross-validation (statsforecast `cross_validation`: fit
on the months up to a cutoff, forecast the next `horizon` months, move the cutoff on by
`step` months, refit) and the model with the lowest backtest MAE is the chosen one; its
forecast is the answer, the others are shown beside it.

Conventions, stated once:

- A series is one value per China calendar month, in tonnes; a month without a `generated`
  event is a zero, not a gap.
- Seasonal models (season 12) need two full years (`MIN_SEASONAL_POINTS`); a shorter series
  is modelled without seasonality (AutoETS and AutoARIMA with season 1, no SeasonalNaive).
- Generated mass cannot be negative: forecasts and interval bounds are clipped at zero.
- MAPE skips months whose actual is zero (undefined there) and is None if every actual is;
  sMAPE is 2|y - ŷ| / (|y| + |ŷ|) averaged over months where y and ŷ are not both zero.
  Both are percentages.

statsforecast is imported inside the functions: importing it costs seconds (numba), which a
CLI command or page that never forecasts should not pay.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from zerowaste.errors import InvalidInput
from zerowaste.errors.evaluation import SeriesTooShort

#: Months in a season.
SEASON = 12
#: The fewest months a model is fitted on (three quarters), so that one year of data, which
#: is what a newly joined city has, can be backtested and forecast.
MIN_TRAIN = 9
#: Months needed for the seasonal models (two full seasons).
MIN_SEASONAL_POINTS = 2 * SEASON
#: Months of the backtest a forecast runs to choose its model (or fewer when the series is short).
FORECAST_BACKTEST_HORIZON = 3
#: Rolling origins of that backtest, at most.
FORECAST_BACKTEST_WINDOWS = 3
#: The fewest months a forecast needs (one year): 9 to fit, plus one 3-month backtest window.
MIN_FORECAST_POINTS = MIN_TRAIN + FORECAST_BACKTEST_HORIZON
#: The longest horizon offered, in months.
MAX_HORIZON = 36
#: The most rolling origins of a backtest.
MAX_WINDOWS = 24
#: Interval levels (percent) when none are asked for.
DEFAULT_LEVELS = (80, 95)
#: The models, in the order ties are broken.
MODELS = ("AutoETS", "AutoARIMA", "SeasonalNaive", "Naive")


@dataclass(frozen=True, slots=True)
class MonthlySeries:
    """Tonnes generated per month from `start` (a first of month), one value per month."""

    subject: str
    start: date
    values: tuple[float, ...]

    @property
    def months(self) -> tuple[date, ...]:
        """The first day of each month of the series."""
        return tuple(add_months(self.start, i) for i in range(len(self.values)))


@dataclass(frozen=True, slots=True)
class ModelErrors:
    """One model's backtest errors over every forecast month of every window (tonnes, %)."""

    model: str
    points: int
    mae: float
    rmse: float
    mape: float | None
    smape: float | None


@dataclass(frozen=True, slots=True)
class BacktestPoint:
    """One forecast month of one window: the actual and each model's forecast."""

    cutoff: date
    month: date
    actual: float
    predicted: dict[str, float]


@dataclass(frozen=True, slots=True)
class Backtest:
    """A rolling-origin backtest: the windows, every point, each model's errors, the winner."""

    subject: str
    horizon: int
    windows: int
    step: int
    points: tuple[BacktestPoint, ...]
    errors: tuple[ModelErrors, ...]
    chosen: str

    @property
    def cutoffs(self) -> tuple[date, ...]:
        """The last month each window was fitted on."""
        return tuple(dict.fromkeys(p.cutoff for p in self.points))

    def of(self, model: str) -> ModelErrors:
        """The errors of `model`."""
        return next(e for e in self.errors if e.model == model)


@dataclass(frozen=True, slots=True)
class ModelForecast:
    """One model's forecast: a mean per month and, per level, the lower and upper bounds."""

    model: str
    mean: tuple[float, ...]
    lower: dict[int, tuple[float, ...]]
    upper: dict[int, tuple[float, ...]]


@dataclass(frozen=True, slots=True)
class Forecast:
    """The forecast of a series: every model, the chosen one, and the backtest that chose it."""

    history: MonthlySeries
    months: tuple[date, ...]
    levels: tuple[int, ...]
    models: tuple[ModelForecast, ...]
    backtest: Backtest

    @property
    def chosen(self) -> ModelForecast:
        """The forecast of the model with the lowest backtest MAE."""
        return next(m for m in self.models if m.model == self.backtest.chosen)


def add_months(month: date, count: int) -> date:
    """The first of the month `count` months after `month`'s."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def errors_of(model: str, actual: Sequence[float], predicted: Sequence[float]) -> ModelErrors:
    """MAE, RMSE, MAPE and sMAPE of `predicted` against `actual` (see the module docstring)."""
    if len(actual) != len(predicted) or not actual:
        raise ValueError("actual and predicted must be equally long and not empty")
    diffs = [p - a for a, p in zip(actual, predicted, strict=True)]
    mae = sum(abs(d) for d in diffs) / len(diffs)
    rmse = math.sqrt(sum(d * d for d in diffs) / len(diffs))
    ape = [abs(d) / abs(a) for a, d in zip(actual, diffs, strict=True) if a != 0]
    sape = [
        2 * abs(p - a) / (abs(a) + abs(p))
        for a, p in zip(actual, predicted, strict=True)
        if abs(a) + abs(p) > 0
    ]
    return ModelErrors(
        model=model,
        points=len(diffs),
        mae=mae,
        rmse=rmse,
        mape=100 * sum(ape) / len(ape) if ape else None,
        smape=100 * sum(sape) / len(sape) if sape else None,
    )


def choose(errors: Sequence[ModelErrors]) -> str:
    """The model with the lowest MAE; ties go to the earlier model of `MODELS`."""
    return min(errors, key=lambda e: (e.mae, MODELS.index(e.model))).model


def backtest_minimum(horizon: int, windows: int, step: int) -> int:
    """Months a backtest of `windows` origins `step` apart, `horizon` ahead, needs."""
    return MIN_TRAIN + horizon + (windows - 1) * step


def _check_shape(horizon: int, windows: int, step: int) -> None:
    if not 1 <= horizon <= MAX_HORIZON:
        raise InvalidInput(f"the horizon must be 1 to {MAX_HORIZON} months", field="horizon")
    if not 1 <= windows <= MAX_WINDOWS:
        raise InvalidInput(f"windows must be 1 to {MAX_WINDOWS}", field="windows")
    if not 1 <= step <= MAX_HORIZON:
        raise InvalidInput(f"the step must be 1 to {MAX_HORIZON} months", field="step")


def _models(seasonal: bool) -> list[Any]:
    from statsforecast.models import AutoARIMA, AutoETS, Naive, SeasonalNaive

    if seasonal:
        return [
            AutoETS(season_length=SEASON),
            AutoARIMA(season_length=SEASON, approximation=True),
            SeasonalNaive(season_length=SEASON),
            Naive(),
        ]
    return [AutoETS(season_length=1), AutoARIMA(season_length=1, approximation=True), Naive()]


def _frame(series: Sequence[MonthlySeries]) -> Any:
    import pandas as pd

    ids, months, values = [], [], []
    for i, s in enumerate(series):
        ids += [i] * len(s.values)
        months += [pd.Timestamp(m) for m in s.months]
        values += [float(v) for v in s.values]
    return pd.DataFrame({"unique_id": ids, "ds": months, "y": values})


def _groups(series: Sequence[MonthlySeries]) -> dict[bool, list[int]]:
    """Indexes of the series modelled with and without seasonality."""
    groups: dict[bool, list[int]] = {True: [], False: []}
    for i, s in enumerate(series):
        groups[len(s.values) >= MIN_SEASONAL_POINTS].append(i)
    return groups


def _names(seasonal: bool) -> tuple[str, ...]:
    return MODELS if seasonal else tuple(m for m in MODELS if m != "SeasonalNaive")


def backtest_many(
    series: Sequence[MonthlySeries], horizon: int = 3, windows: int = 3, step: int = 1
) -> list[Backtest]:
    """A rolling-origin backtest of each series (one statsforecast run per seasonality group).

    Raises:
        InvalidInput: The shape is out of range (field `horizon`, `windows` or `step`).
        SeriesTooShort: A series has fewer than `backtest_minimum(horizon, windows, step)`
            months (field `subject`).
    """
    _check_shape(horizon, windows, step)
    need = backtest_minimum(horizon, windows, step)
    for s in series:
        if len(s.values) < need:
            raise SeriesTooShort(
                f"{s.subject}: {len(s.values)} months; a backtest of {windows} window(s) "
                f"{horizon} month(s) ahead, {step} apart, needs at least {need}",
                field="subject",
            )
    from statsforecast import StatsForecast

    found: dict[int, Backtest] = {}
    for seasonal, indexes in _groups(series).items():
        if not indexes:
            continue
        chosen = [series[i] for i in indexes]
        engine = StatsForecast(models=_models(seasonal), freq="MS")
        with warnings.catch_warnings():
            # ARIMA's optimizer warns of convergence on short noisy series; the fit stands.
            warnings.simplefilter("ignore", UserWarning)
            cv: Any = engine.cross_validation(
                df=_frame(chosen), h=horizon, n_windows=windows, step_size=step
            )
        names = _names(seasonal)
        for position, frame in cv.groupby("unique_id", sort=True):
            s = chosen[int(position)]
            points = tuple(
                BacktestPoint(
                    cutoff=row.cutoff.date(),
                    month=row.ds.date(),
                    actual=float(row.y),
                    predicted={n: max(0.0, float(getattr(row, n))) for n in names},
                )
                for row in frame.sort_values(["cutoff", "ds"]).itertuples(index=False)
            )
            errors = tuple(
                errors_of(n, [p.actual for p in points], [p.predicted[n] for p in points])
                for n in names
            )
            found[indexes[int(position)]] = Backtest(
                s.subject, horizon, windows, step, points, errors, choose(errors)
            )
    return [found[i] for i in range(len(series))]


def forecast_many(
    series: Sequence[MonthlySeries], horizon: int, levels: Sequence[int] = DEFAULT_LEVELS
) -> list[Forecast]:
    """Forecast each series `horizon` months on, every model, with intervals at `levels` (%).

    Each series is backtested first (`FORECAST_BACKTEST_HORIZON` months ahead, as many origins
    up to `FORECAST_BACKTEST_WINDOWS` as it allows) and the lowest-MAE model is chosen.

    Raises:
        InvalidInput: The horizon or a level is out of range (field `horizon` or `level_pct`).
        SeriesTooShort: A series has fewer than `MIN_FORECAST_POINTS` months (field `subject`).
    """
    _check_shape(horizon, 1, 1)
    wanted = tuple(sorted(set(levels)))
    if not wanted or any(not 50 <= level <= 99 for level in wanted):
        raise InvalidInput(
            "interval levels must be whole percents from 50 to 99", field="level_pct"
        )
    for s in series:
        if len(s.values) < MIN_FORECAST_POINTS:
            raise SeriesTooShort(
                f"{s.subject}: {len(s.values)} months; a forecast needs at least "
                f"{MIN_FORECAST_POINTS} ({MIN_TRAIN} to fit and {FORECAST_BACKTEST_HORIZON} to "
                "backtest the models on)",
                field="subject",
            )
    backtests = _forecast_backtests(series)
    from statsforecast import StatsForecast

    found: dict[int, Forecast] = {}
    for seasonal, indexes in _groups(series).items():
        if not indexes:
            continue
        chosen = [series[i] for i in indexes]
        engine = StatsForecast(models=_models(seasonal), freq="MS")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            frame: Any = engine.forecast(df=_frame(chosen), h=horizon, level=list(wanted))
        names = _names(seasonal)
        for position, rows in frame.groupby("unique_id", sort=True):
            rows = rows.sort_values("ds")
            s = chosen[int(position)]

            def column(name: str, rows: Any = rows) -> tuple[float, ...]:
                return tuple(max(0.0, float(v)) for v in rows[name])

            models = tuple(
                ModelForecast(
                    model=n,
                    mean=column(n),
                    lower={lv: column(f"{n}-lo-{lv}") for lv in wanted},
                    upper={lv: column(f"{n}-hi-{lv}") for lv in wanted},
                )
                for n in names
            )
            last = s.months[-1]
            months = tuple(add_months(last, i + 1) for i in range(horizon))
            index = indexes[int(position)]
            found[index] = Forecast(s, months, wanted, models, backtests[index])
    return [found[i] for i in range(len(series))]


def _forecast_backtests(series: Sequence[MonthlySeries]) -> list[Backtest]:
    """The model-choosing backtests: series of equal feasible window counts run together."""
    by_windows: dict[int, list[int]] = {}
    for i, s in enumerate(series):
        room = len(s.values) - MIN_TRAIN - FORECAST_BACKTEST_HORIZON + 1
        by_windows.setdefault(min(FORECAST_BACKTEST_WINDOWS, room), []).append(i)
    found: dict[int, Backtest] = {}
    for windows, indexes in by_windows.items():
        runs = backtest_many([series[i] for i in indexes], FORECAST_BACKTEST_HORIZON, windows, 1)
        found.update(zip(indexes, runs, strict=True))
    return [found[i] for i in range(len(series))]


def forecast(
    series: MonthlySeries, horizon: int, levels: Sequence[int] = DEFAULT_LEVELS
) -> Forecast:
    """Forecast one series (see `forecast_many`)."""
    return forecast_many([series], horizon, levels)[0]


def backtest(series: MonthlySeries, horizon: int = 3, windows: int = 3, step: int = 1) -> Backtest:
    """Backtest one series (see `backtest_many`)."""
    return backtest_many([series], horizon, windows, step)[0]
