"""`zerowaste carbon`: factor library, avoided emissions, product footprints, PACT and CBAM."""

from __future__ import annotations

import typer

from zerowaste.cli import carbon_cbam, carbon_factors, carbon_footprints

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
