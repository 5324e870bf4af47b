"""`zerowaste evaluate forecast|backtest|scenario`: generation forecasts and what-if scenarios."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from zerowaste.api.routes.forecasts import backtest_out, forecast_out, projection_out
from zerowaste.bootstrap import Context
from zerowaste.cli.common import actor_of, console, emit, run
from zerowaste.errors import InvalidInput
from zerowaste.errors.evaluation import ScenarioInvalid
from zerowaste.evaluation.forecast import DEFAULT_LEVELS, Backtest, Forecast
from zerowaste.evaluation.scenarios import Fate, Figures
from zerowaste.services.forecasts import GenerationSeries, SeriesLevel, parse_month

AsUser = Annotated[
    str | None, typer.Option("--as", help="Act as this user (default: the operator)")
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON")]
Level = Annotated[str, typer.Option("--level", help="firm, sector or city")]
Subject = Annotated[
    str, typer.Option("--subject", help="Firm id, two-digit industry division or region code")
]
Region = Annotated[
    str | None, typer.Option("--region", help="Region a sector series is limited to")
]
Start = Annotated[str | None, typer.Option("--start", help="First month, YYYY-MM")]
End = Annotated[str | None, typer.Option("--end", help="Month after the last, YYYY-MM")]


def _level(text: str) -> SeriesLevel:
    try:
        return SeriesLevel(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not firm, sector or city", field="level") from None


def error_rows(result: Backtest) -> list[dict[str, Any]]:
    """The backtest's error table, one row per model, the chosen one marked."""

    def pct(value: float | None) -> str:
        return "" if value is None else f"{value:.2f}"

    return [
        {
            "model": e.model + (" *" if e.model == result.chosen else ""),
            "points": e.points,
            "MAE t": f"{e.mae:.3f}",
            "RMSE t": f"{e.rmse:.3f}",
            "MAPE %": pct(e.mape),
            "sMAPE %": pct(e.smape),
        }
        for e in result.errors
    ]


def forecast_rows(result: Forecast) -> list[dict[str, Any]]:
    """One row per forecast month of the chosen model, with its intervals."""
    chosen = result.chosen
    rows = []
    for i, month in enumerate(result.months):
        row: dict[str, Any] = {"month": f"{month:%Y-%m}", "forecast t": f"{chosen.mean[i]:.3f}"}
        for level in result.levels:
            row[f"{level}% interval t"] = (
                f"{chosen.lower[level][i]:.3f} … {chosen.upper[level][i]:.3f}"
            )
        rows.append(row)
    return rows


def _title(found: GenerationSeries) -> str:
    return f"{found.level} {found.label}: {len(found.series.values)} months, {found.firms} firm(s)"


def forecast_command(
    level: Level = "city",
    subject: Subject = "",
    horizon: Annotated[int, typer.Option("--horizon", help="Months ahead")] = 12,
    levels: Annotated[
        list[int] | None, typer.Option("--level-pct", help="Interval level in % (repeatable)")
    ] = None,
    region: Region = None,
    start: Start = None,
    end: End = None,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Forecast generation with intervals; prints the backtest that chose the model."""

    def action(context: Context) -> None:
        found, result = context.forecasts.forecast(
            actor_of(context, as_user),
            _level(level),
            subject,
            horizon,
            levels or DEFAULT_LEVELS,
            start=parse_month(start, "start"),
            end=parse_month(end, "end"),
            region=region,
        )
        if as_json:
            typer.echo(forecast_out(found, result).model_dump_json(indent=2))
            return
        emit(
            forecast_rows(result),
            as_json=False,
            title=f"{_title(found)}; model {result.backtest.chosen}",
        )
        emit(error_rows(result.backtest), as_json=False, title="Backtest (* chosen: lowest MAE)")

    run(action)


def backtest_command(
    level: Level = "city",
    subject: Subject = "",
    horizon: Annotated[int, typer.Option("--horizon", help="Months ahead per origin")] = 3,
    windows: Annotated[int, typer.Option("--windows", help="Rolling origins")] = 3,
    step: Annotated[int, typer.Option("--step", help="Months between origins")] = 1,
    region: Region = None,
    start: Start = None,
    end: End = None,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Rolling-origin backtest of every model: the MAE, RMSE, MAPE and sMAPE table."""

    def action(context: Context) -> None:
        found, result = context.forecasts.backtest(
            actor_of(context, as_user),
            _level(level),
            subject,
            horizon,
            windows,
            step,
            start=parse_month(start, "start"),
            end=parse_month(end, "end"),
            region=region,
        )
        if as_json:
            typer.echo(backtest_out(found, result).model_dump_json(indent=2))
            return
        cutoffs = ", ".join(f"{c:%Y-%m}" for c in result.cutoffs)
        title = f"{_title(found)}; origins {cutoffs}; * chosen (lowest MAE)"
        emit(error_rows(result), as_json=False, title=title)

    run(action)


def scenario_command(
    file: Annotated[Path, typer.Argument(help="The scenario, a JSON file (see docs/forecasts.md)")],
    no_forecast: Annotated[
        bool, typer.Option("--no-forecast", help="Hold generation at the base year's mean")
    ] = False,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Project a scenario against its baseline: landfill, t CO2e and CNY; factors with sources."""

    def action(context: Context) -> None:
        try:
            raw = json.loads(file.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise ScenarioInvalid(f"cannot read {file}: {exc}", field="file") from exc
        result = context.scenarios.run(
            actor_of(context, as_user), raw, use_forecast=not no_forecast
        )
        if as_json:
            typer.echo(projection_out(result).model_dump_json(indent=2))
            return
        base, scen = result.baseline_total, result.scenario_total
        measures: tuple[tuple[str, Callable[[Figures], float]], ...] = (
            ("generated t", lambda f: f.generated_t),
            ("utilized t", lambda f: f.fates_t[Fate.UTILIZATION]),
            ("incinerated t", lambda f: f.fates_t[Fate.INCINERATION]),
            ("co-processed t", lambda f: f.fates_t[Fate.CO_PROCESSING]),
            ("landfilled t", lambda f: f.landfill_t),
            ("t CO2e", lambda f: f.emissions_t),
            ("cost CNY", lambda f: f.cost_cny),
            ("unpriced t", lambda f: f.unpriced_cost_t),
        )
        rows = [
            {
                "measure": name,
                "baseline": f"{pick(base):,.3f}",
                "scenario": f"{pick(scen):,.3f}",
                "change": f"{pick(scen) - pick(base):+,.3f}",
            }
            for name, pick in measures
        ]
        spec = result.spec
        emit(
            rows,
            as_json=False,
            title=f"{spec.name or 'scenario'}: {spec.region}, base {spec.year}, "
            f"{spec.horizon} months",
        )
        emit(
            [
                {"factor": f.key, "value": f"{f.value:g}", "unit": f.unit, "source": f.source}
                for f in result.factors
            ],
            as_json=False,
            title="Factors and prices used",
        )
        for note in result.notes:
            console.print(f"note: {note}")

    run(action)
