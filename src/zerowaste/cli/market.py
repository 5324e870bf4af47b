"""`zerowaste market`: listings, matching, proposals, contracts and chain-master admission."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Resource market: listings, region-wide matching, proposals, contracts, admission.",
    no_args_is_help=True,
)
# Each part of the market registers its sub-group or command below, one line each.
from zerowaste.cli.market_contracts import contract_app, proposal_app  # noqa: E402

app.add_typer(proposal_app, name="proposal")
app.add_typer(contract_app, name="contract")
