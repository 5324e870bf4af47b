"""`zerowaste indicators`: the registry, computed values, uploaded statistics, supplier scoring."""

from __future__ import annotations

import typer

from zerowaste.cli import indicators_registry, indicators_scoring

app = typer.Typer(
    help="Indicators: registry, firm/chain/city values, statistics upload, supplier scoring.",
    no_args_is_help=True,
)
# Each part registers its commands below, one line per sub-app or command.
app.command("rank")(indicators_scoring.rank)
app.command("chain-evaluation")(indicators_scoring.chain_evaluation)
app.command("list")(indicators_registry.list_indicators)
app.command("show")(indicators_registry.show_indicator)
app.command("values")(indicators_registry.values)
app.command("city")(indicators_registry.city)
app.command("statistics-import")(indicators_registry.statistics_import)
app.command("statistics")(indicators_registry.statistics)
