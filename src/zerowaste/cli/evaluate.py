"""`zerowaste evaluate`: panel datasets, models, mediation, event studies, forecasts, scenarios."""

from __future__ import annotations

import typer

from zerowaste.cli import evaluate_forecasts

app = typer.Typer(
    help="Evaluation: panel models, mediation, event studies, forecasts and scenarios.",
    no_args_is_help=True,
)
# Each part registers its commands below, one line per sub-app or command.
app.command("forecast")(evaluate_forecasts.forecast_command)
app.command("backtest")(evaluate_forecasts.backtest_command)
app.command("scenario")(evaluate_forecasts.scenario_command)
