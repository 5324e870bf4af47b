"""`zerowaste flows`: a city's material-flow system, its reconciliation and substance layer."""

from __future__ import annotations

import typer

from zerowaste.cli import flows_commands

app = typer.Typer(
    help="Material-flow analysis: build a city's system, reconcile it, trace substances.",
    no_args_is_help=True,
)
# Each part registers its commands below, one line per sub-app or command.
app.command("system")(flows_commands.system)
app.command("reconcile")(flows_commands.reconcile)
app.command("substances")(flows_commands.substances)
