"""`zerowaste carbon`: factor library, avoided emissions, product footprints, PACT and CBAM."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Carbon accounting: factors, avoided emissions, product footprints, PACT, CBAM.",
    no_args_is_help=True,
)
# Each part of carbon accounting registers its sub-group below, one line each.
from zerowaste.cli import carbon_footprints  # noqa: E402

app.add_typer(carbon_footprints.process_app, name="process")
app.add_typer(carbon_footprints.system_app, name="product-system")
app.add_typer(carbon_footprints.footprint_app, name="footprint")
