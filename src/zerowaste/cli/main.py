"""The `zerowaste` command: one group per capability, plus `demo` and `serve`."""

from __future__ import annotations

import typer

from zerowaste.cli import (
    capture,
    carbon,
    catalog,
    db,
    demo,
    epcis,
    evaluate,
    flows,
    indicators,
    ledger,
    manifest_print,
    manifests,
    market,
    oversight,
    oversight_desk,
    registry,
    serve,
    trace,
)

app = typer.Typer(
    name="zerowaste",
    help="ZeroWaste Chain (无废链): zero-waste supply chains and cities.",
    no_args_is_help=True,
)
app.add_typer(db.app, name="db")
app.add_typer(registry.app, name="registry")
app.add_typer(catalog.app, name="catalog")
app.add_typer(ledger.app, name="ledger")
app.add_typer(capture.app, name="capture")
app.add_typer(epcis.app, name="epcis")
manifests.manifest_app.command("print")(manifest_print.print_manifest)
app.add_typer(manifests.manifest_app, name="manifest")
app.add_typer(manifests.approval_app, name="approval")
oversight.app.command("risk")(oversight_desk.risk)
oversight.app.add_typer(oversight_desk.whitelist_app, name="whitelist")
oversight.app.add_typer(oversight_desk.inspections_app, name="inspections")
app.add_typer(oversight.app, name="oversight")
app.add_typer(carbon.app, name="carbon")
app.add_typer(market.app, name="market")
app.add_typer(indicators.app, name="indicators")
app.add_typer(flows.app, name="flows")
app.add_typer(evaluate.app, name="evaluate")
app.command()(trace.trace)
app.command()(demo.demo)
app.command()(serve.serve)


def main() -> None:
    """Console-script entry point."""
    app()
