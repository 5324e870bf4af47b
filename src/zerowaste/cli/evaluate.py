"""`zerowaste evaluate`: panel datasets, models, mediation, event studies, forecasts, scenarios."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Evaluation: panel models, mediation, event studies, forecasts and scenarios.",
    no_args_is_help=True,
)
# Each part registers its commands below, one line per sub-app or command.
