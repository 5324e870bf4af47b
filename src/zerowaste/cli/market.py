"""`zerowaste market`: listings, matching, proposals, contracts and chain-master admission."""

from __future__ import annotations

import typer

from zerowaste.cli import market_match
from zerowaste.cli.market_admission import admission_app
from zerowaste.cli.market_contracts import contract_app, proposal_app
from zerowaste.cli.market_listings import app as listing_app

app = typer.Typer(
    help="Resource market: listings, region-wide matching, proposals, contracts, admission.",
    no_args_is_help=True,
)
app.add_typer(listing_app, name="listing")
app.command("match")(market_match.match)
app.command("allocations")(market_match.allocations)
app.command("allocation")(market_match.allocation)
app.command("recommend")(market_match.recommend)
app.add_typer(proposal_app, name="proposal")
app.add_typer(contract_app, name="contract")
app.add_typer(admission_app, name="admission")
