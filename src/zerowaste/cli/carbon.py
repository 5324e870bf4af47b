"""`zerowaste carbon`: factor library, avoided emissions, product footprints, PACT and CBAM."""

from __future__ import annotations

import typer

from zerowaste.cli import carbon_pact

app = typer.Typer(
    help="Carbon accounting: factors, avoided emissions, product footprints, PACT, CBAM.",
    no_args_is_help=True,
)
# Each part of carbon accounting registers its sub-group below, one line each.
app.add_typer(carbon_pact.app, name="pact")
