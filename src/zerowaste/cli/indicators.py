"""`zerowaste indicators`: the registry, computed values, uploaded statistics, supplier scoring."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Indicators: registry, firm/chain/city values, statistics upload, supplier scoring.",
    no_args_is_help=True,
)
# Each part registers its commands below, one line per sub-app or command.

from zerowaste.cli import indicators_scoring  # noqa: E402

app.command("rank")(indicators_scoring.rank)
app.command("chain-evaluation")(indicators_scoring.chain_evaluation)
from zerowaste.cli import indicators_registry as _registry  # noqa: E402

app.command("list")(_registry.list_indicators)
app.command("show")(_registry.show_indicator)
app.command("values")(_registry.values)
app.command("city")(_registry.city)
app.command("statistics-import")(_registry.statistics_import)
app.command("statistics")(_registry.statistics)
