"""`zerowaste carbon`: factor library, avoided emissions, product footprints, PACT and CBAM."""

from __future__ import annotations

import typer

from zerowaste.cli import carbon_cbam, carbon_factors, carbon_footprints, carbon_pact
from zerowaste.cli.carbon_avoided import avoided_app, baselines_app, chain_app

app = typer.Typer(
    help="Carbon accounting: factors, avoided emissions, product footprints, PACT, CBAM.",
    no_args_is_help=True,
)
# Each part of carbon accounting registers its sub-group below, one line each.
app.add_typer(carbon_factors.app, name="factors")
app.add_typer(carbon_cbam.app, name="cbam")
app.add_typer(carbon_footprints.process_app, name="process")
app.add_typer(carbon_footprints.system_app, name="product-system")
app.add_typer(carbon_footprints.footprint_app, name="footprint")
app.add_typer(avoided_app, name="avoided")
app.add_typer(baselines_app, name="baselines")
app.add_typer(chain_app, name="chain")
app.add_typer(carbon_pact.app, name="pact")
