"""`zerowaste market`: listings, matching, proposals, contracts and chain-master admission."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Resource market: listings, region-wide matching, proposals, contracts, admission.",
    no_args_is_help=True,
)
# Each part of the market registers its sub-group or command below, one line each.
from zerowaste.cli import market_match  # noqa: E402

app.command("match")(market_match.match)
app.command("allocations")(market_match.allocations)
app.command("allocation")(market_match.allocation)
app.command("recommend")(market_match.recommend)
