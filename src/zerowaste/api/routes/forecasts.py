"""Generation series, forecasts with intervals and backtests; scenario baselines and projections."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request
from pydantic import BaseModel, Field

from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.evaluation.forecast import (
    DEFAULT_LEVELS,
    MAX_HORIZON,
    MAX_WINDOWS,
    Backtest,
    Forecast,
    ModelErrors,
)
from zerowaste.evaluation.scenarios import Baseline, Figures, Projection
from zerowaste.services.forecasts import GenerationSeries, SeriesLevel

router = APIRouter()
signed_in = Depends(allow(Rule.AUTHENTICATED))
regulator = Depends(allow(Rule.REGULATOR))


class SeriesOut(BaseModel):
    """Tonnes generated per China calendar month (a month without events is 0)."""

    level: str
    subject: str
    region: str | None
    label: str
    firms: int = Field(description="Firms whose generation the series adds up")
    months: list[date]
    tonnes: list[float]


class ErrorsOut(BaseModel):
    """One model's backtest errors; MAPE skips zero actuals, sMAPE months both zero."""

    model: str
    points: int
    mae_t: float
    rmse_t: float
    mape_pct: float | None
    smape_pct: float | None


class BacktestPointOut(BaseModel):
    """One forecast month of one rolling origin."""

    cutoff: date
    month: date
    actual_t: float
    predicted_t: dict[str, float]


class BacktestOut(BaseModel):
    """A rolling-origin backtest of every model; `chosen` has the lowest MAE."""

    series: SeriesOut
    horizon: int
    windows: int
    step: int
    cutoffs: list[date]
    errors: list[ErrorsOut]
    chosen: str
    points: list[BacktestPointOut]


class ModelForecastOut(BaseModel):
    """One model's forecast, with lower and upper bounds per interval level (keys: percent)."""

    model: str
    mean_t: list[float]
    lower_t: dict[str, list[float]]
    upper_t: dict[str, list[float]]


class ForecastOut(BaseModel):
    """The forecast of the chosen model, the others beside, and the backtest that chose."""

    series: SeriesOut
    months: list[date]
    levels: list[int]
    chosen: str
    models: list[ModelForecastOut]
    backtest: BacktestOut


def series_out(found: GenerationSeries) -> SeriesOut:
    """The API form of a series."""
    return SeriesOut(
        level=found.level.value,
        subject=found.subject,
        region=found.region,
        label=found.label,
        firms=found.firms,
        months=list(found.series.months),
        tonnes=list(found.series.values),
    )


def errors_out(e: ModelErrors) -> ErrorsOut:
    """The API form of a model's errors."""
    return ErrorsOut(
        model=e.model,
        points=e.points,
        mae_t=e.mae,
        rmse_t=e.rmse,
        mape_pct=e.mape,
        smape_pct=e.smape,
    )


def backtest_out(found: GenerationSeries, result: Backtest) -> BacktestOut:
    """The API form of a backtest."""
    return BacktestOut(
        series=series_out(found),
        horizon=result.horizon,
        windows=result.windows,
        step=result.step,
        cutoffs=list(result.cutoffs),
        errors=[errors_out(e) for e in result.errors],
        chosen=result.chosen,
        points=[
            BacktestPointOut(
                cutoff=p.cutoff, month=p.month, actual_t=p.actual, predicted_t=p.predicted
            )
            for p in result.points
        ],
    )


def forecast_out(found: GenerationSeries, result: Forecast) -> ForecastOut:
    """The API form of a forecast."""
    return ForecastOut(
        series=series_out(found),
        months=list(result.months),
        levels=list(result.levels),
        chosen=result.backtest.chosen,
        models=[
            ModelForecastOut(
                model=m.model,
                mean_t=list(m.mean),
                lower_t={str(k): list(v) for k, v in m.lower.items()},
                upper_t={str(k): list(v) for k, v in m.upper.items()},
            )
            for m in result.models
        ],
        backtest=backtest_out(found, result.backtest),
    )


SUBJECT = Query(
    ...,
    min_length=1,
    max_length=36,
    description="Firm id (firm), two-digit industry division (sector) or region code (city)",
)
REGION = Query(None, max_length=6, description="Region a sector series is limited to")
START = Query(None, description="First month (any day in it); default 36 months back")
END = Query(None, description="Month after the last (exclusive); default the current month")


@router.get("/forecasts/series", response_model=SeriesOut, tags=["forecasts"])
def series(
    request: Request,
    actor: Annotated[Principal, signed_in],
    level: SeriesLevel,
    subject: str = SUBJECT,
    region: str | None = REGION,
    start: date | None = START,
    end: date | None = END,
) -> SeriesOut:
    """Monthly generated tonnes of a firm, a sector or a city, from the ledger after corrections.

    A firm's series is for its users, regulators over its region and admins; sector and city
    series for any signed-in user, unless fewer than three firms make them up (then regulators
    over the region and admins only).
    """
    found = context_of(request).forecasts.series(actor, level, subject, start, end, region)
    return series_out(found)


@router.get("/forecasts", response_model=ForecastOut, tags=["forecasts"])
def forecast(
    request: Request,
    actor: Annotated[Principal, signed_in],
    level: SeriesLevel,
    subject: str = SUBJECT,
    horizon: int = Query(12, ge=1, le=MAX_HORIZON),
    level_pct: list[int] = Query(list(DEFAULT_LEVELS), description="Interval levels (%)"),
    region: str | None = REGION,
    start: date | None = START,
    end: date | None = END,
) -> ForecastOut:
    """Forecast generation `horizon` months on with AutoETS, AutoARIMA and naive baselines.

    The model with the lowest rolling-origin backtest MAE is chosen; intervals are clipped at
    zero. Access as for the series.
    """
    found, result = context_of(request).forecasts.forecast(
        actor, level, subject, horizon, level_pct, start=start, end=end, region=region
    )
    return forecast_out(found, result)


@router.get("/forecasts/backtest", response_model=BacktestOut, tags=["forecasts"])
def backtest(
    request: Request,
    actor: Annotated[Principal, signed_in],
    level: SeriesLevel,
    subject: str = SUBJECT,
    horizon: int = Query(3, ge=1, le=MAX_HORIZON),
    windows: int = Query(3, ge=1, le=MAX_WINDOWS),
    step: int = Query(1, ge=1, le=MAX_HORIZON),
    region: str | None = REGION,
    start: date | None = START,
    end: date | None = END,
) -> BacktestOut:
    """Rolling-origin backtest: MAE, RMSE, MAPE and sMAPE of every model. Access as the series."""
    found, result = context_of(request).forecasts.backtest(
        actor, level, subject, horizon, windows, step, start=start, end=end, region=region
    )
    return backtest_out(found, result)


class StreamOut(BaseModel):
    """One stream of the base year: a waste of an industry division."""

    stream: str
    sector: str
    generated_t: float
    shares: dict[str, float]
    distance_km: float
    material: str | None
    hazardous: bool


class BaselineOut(BaseModel):
    """A region's base year for scenarios."""

    region: str
    year: int
    streams: list[StreamOut]
    notes: list[str]


class FiguresOut(BaseModel):
    """Tonnes per fate, emissions and cost; tonnes without a factor or price counted apart."""

    generated_t: float
    fates_t: dict[str, float]
    landfill_t: float
    tonne_km: float
    emissions_tco2e: float
    cost_cny: float
    unpriced_emissions_t: float
    unpriced_cost_t: float


class MonthOut(BaseModel):
    """One projected month."""

    month: date
    growth: float
    baseline: FiguresOut
    scenario: FiguresOut


class FactorUseOut(BaseModel):
    """A factor or price the projection used, with its source."""

    key: str
    value: float
    unit: str
    source: str


class ProjectionOut(BaseModel):
    """Baseline and scenario over the horizon, the totals, the factors and the notes."""

    name: str
    region: str
    year: int
    horizon: int
    baseline: BaselineOut
    months: list[MonthOut]
    baseline_total: FiguresOut
    scenario_total: FiguresOut
    factors: list[FactorUseOut]
    notes: list[str]


def baseline_out(baseline: Baseline) -> BaselineOut:
    """The API form of a baseline."""
    return BaselineOut(
        region=baseline.region,
        year=baseline.year,
        streams=[
            StreamOut(
                stream=s.stream,
                sector=s.sector,
                generated_t=s.generated_t,
                shares={k.value: v for k, v in s.shares.items()},
                distance_km=s.distance_km,
                material=s.material,
                hazardous=s.hazardous,
            )
            for s in baseline.streams
        ],
        notes=list(baseline.notes),
    )


def figures_out(f: Figures) -> FiguresOut:
    """The API form of figures."""
    return FiguresOut(
        generated_t=f.generated_t,
        fates_t={k.value: v for k, v in f.fates_t.items()},
        landfill_t=f.landfill_t,
        tonne_km=f.tonne_km,
        emissions_tco2e=f.emissions_t,
        cost_cny=f.cost_cny,
        unpriced_emissions_t=f.unpriced_emissions_t,
        unpriced_cost_t=f.unpriced_cost_t,
    )


def projection_out(p: Projection) -> ProjectionOut:
    """The API form of a projection."""
    return ProjectionOut(
        name=p.spec.name,
        region=p.spec.region,
        year=p.spec.year,
        horizon=p.spec.horizon,
        baseline=baseline_out(p.baseline),
        months=[
            MonthOut(
                month=m.month,
                growth=m.growth,
                baseline=figures_out(m.baseline),
                scenario=figures_out(m.scenario),
            )
            for m in p.months
        ],
        baseline_total=figures_out(p.baseline_total),
        scenario_total=figures_out(p.scenario_total),
        factors=[
            FactorUseOut(key=f.key, value=f.value, unit=f.unit, source=f.source) for f in p.factors
        ],
        notes=list(p.notes),
    )


@router.get("/scenarios/baseline", response_model=BaselineOut, tags=["scenarios"])
def scenario_baseline(
    request: Request,
    actor: Annotated[Principal, regulator],
    region: str = Query(..., min_length=6, max_length=6),
    year: int | None = Query(None, ge=1990, le=2100),
) -> BaselineOut:
    """A region's streams of a year (default: last year): generation, fate shares, distance.

    Streams can be one firm's waste, so baselines are for regulators over the region and admins.
    """
    scenarios = context_of(request).scenarios
    found = scenarios.baseline(actor, region, year or scenarios.default_year())
    return baseline_out(found)


@router.post("/scenarios", response_model=ProjectionOut, tags=["scenarios"])
def run_scenario(
    request: Request,
    actor: Annotated[Principal, regulator],
    body: Annotated[Any, Body(description="The scenario (see docs/forecasts.md)")],
    forecast: bool = Query(True, description="Grow generation by the city forecast"),
) -> ProjectionOut:
    """Project a scenario against its baseline: landfill tonnes, t CO2e and CNY, per month.

    Refusals name the field (`changes[1].points`); for regulators over the region and admins.
    """
    result = context_of(request).scenarios.run(actor, body, use_forecast=forecast)
    return projection_out(result)
