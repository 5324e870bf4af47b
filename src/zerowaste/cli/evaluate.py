"""`zerowaste evaluate`: panel datasets, models, mediation, event studies, forecasts, scenarios."""

from __future__ import annotations

import typer

from zerowaste.cli import evaluate_forecasts, evaluate_panel

app = typer.Typer(
    help="Evaluation: panel models, mediation, event studies, forecasts and scenarios.",
    no_args_is_help=True,
)
# Each part registers its commands below, one line per sub-app or command.
app.command("dataset-import")(evaluate_panel.dataset_import)
app.command("datasets")(evaluate_panel.datasets)
app.command("dataset")(evaluate_panel.dataset)
app.command("model")(evaluate_panel.model)
app.command("mediation")(evaluate_panel.mediation)
app.command("event-study")(evaluate_panel.event_study)
app.command("platform-panel")(evaluate_panel.platform_panel)
app.command("forecast")(evaluate_forecasts.forecast_command)
app.command("backtest")(evaluate_forecasts.backtest_command)
app.command("scenario")(evaluate_forecasts.scenario_command)
