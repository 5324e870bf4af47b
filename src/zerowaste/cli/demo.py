"""`zerowaste demo`: build the demo city into the default database and serve it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from zerowaste.bootstrap import Context
from zerowaste.cli.common import console, error_console, run
from zerowaste.cli.serve import serve_app
from zerowaste.demo import DEMO_MASTER_KEY
from zerowaste.services.demo import DemoSummary, build_demo_city
from zerowaste.settings import Settings

MASTER_KEY_VARIABLE = "ZEROWASTE_MASTER_KEY"
_STAGES = {
    "reset": "Erasing and migrating the database",
    "firms": "Registering firms, sites, permits, figures, keys",
    "users": "Creating demo logins",
    "keys": "Registering the firms' demo signing keys",
    "events": "Capturing a year of signed waste events",
    "oversight": "Sweeping the ledger with the oversight rules",
    "market": "Listing, matching, contracting and delivering on the market",
    "evaluation": "Importing region statistics and storing the evaluation panels",
}
#: Where the ground truth goes when the database is not a SQLite file.
TRUTH_FILE = "zerowaste-demo.truth.json"


def truth_path(context: Context) -> Path:
    """The planted violations' ground truth file: beside a SQLite database, else here."""
    database = context.engine.url.database
    if context.engine.url.get_backend_name() == "sqlite" and database and database != ":memory:":
        return Path(database).with_suffix(".truth.json")
    return Path.cwd() / TRUTH_FILE


def use_demo_master_key_if_unset() -> bool:
    """Put the public demo master key in the environment unless one is configured.

    Returns:
        True if the demo key was set (the caller warns about it).
    """
    if Settings().master_key is not None:
        return False
    os.environ[MASTER_KEY_VARIABLE] = DEMO_MASTER_KEY
    return True


def _build(context: Context, seed: int, scale: float, months: int) -> DemoSummary:
    where = context.engine.url.render_as_string(hide_password=True)
    console.print(f"Building the demo city (seed {seed}, scale {scale:g}) into {where}")
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(_STAGES.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        return build_demo_city(
            context, seed, scale, progress, truth_path=truth_path(context), months=months
        )


def print_summary(summary: DemoSummary, url: str) -> None:
    """Print what was built, where to open it and the demo logins."""
    counts = summary.counts
    table = Table(title=f"Demo city, seed {summary.seed}, scale {summary.scale:g}")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("organizations", str(counts["organizations"]))
    for key, value in counts.items():
        if key.startswith("role:"):
            table.add_row(f"  {key.removeprefix('role:')}", str(value))
    table.add_row("sites", str(counts["sites"]))
    table.add_row(
        "permits",
        f"{counts['permits']} ({summary.expired_permits} expired, "
        f"{summary.expiring_permits} expiring within 90 days)",
    )
    table.add_row("economic records", str(counts["economic_records"]))
    table.add_row("custodial signing keys", str(counts["signing_keys"]))
    table.add_row("demo logins", str(counts["users"]))
    _event_rows(table, summary)
    _market_rows(table, summary)
    _evaluation_rows(table, summary)
    table.add_row("as of", summary.as_of.isoformat())
    table.add_row("seconds", f"{summary.seconds:.1f}")
    console.print(table)
    if summary.truth_path is not None:
        console.print(
            f"Ground truth of the planted violations (kept out of the database): "
            f"{summary.truth_path}",
            soft_wrap=True,
        )
    logins = Table(title=f"Demo logins (password for all: {summary.password})")
    for column in ("username", "role", "sees"):
        logins.add_column(column)
    for login in summary.logins:
        logins.add_row(login.username, login.role.value, login.scope)
    console.print(logins)
    console.print(f"Open [bold]{url}[/bold]")


def _event_rows(table: Table, summary: DemoSummary) -> None:
    events = summary.events
    if not events:
        return
    table.add_row("events (signed, in the ledger)", str(events["events"]))
    for key, value in events.items():
        if key.startswith("event:"):
            table.add_row(f"  {key.removeprefix('event:')}", str(value))
    table.add_row(
        "shipments", f"{events['shipments']} ({events['cross_province_shipments']} cross-province)"
    )
    refused = sum(v.get("status") == "refused" for v in summary.truth.get("violations", []))
    table.add_row("planted violations", f"{events['violations']} ({refused} refused at capture)")
    for key, value in events.items():
        if key.startswith("violation:"):
            table.add_row(f"  {key.removeprefix('violation:')}", str(value))
    table.add_row("alerts (oversight rules)", str(sum(summary.alerts.values())))
    for rule_id, count in sorted(summary.alerts.items()):
        table.add_row(f"  {rule_id}", str(count))
    table.add_row("inspection plan (320500, 90 days)", f"{summary.inspections} firms drawn")


def demo(
    seed: Annotated[int, typer.Option(help="Random seed; the same seed builds the same city")] = 7,
    scale: Annotated[float, typer.Option(help="Multiply the number of firms")] = 1.0,
    months: Annotated[
        int, typer.Option(help="Months of events (12; 0 for the registry only)", min=0, max=12)
    ] = 12,
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve after building")] = True,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    yes: Annotated[
        bool, typer.Option("--yes", help="Confirm erasing a database that is not a SQLite file")
    ] = False,
) -> None:
    """Build the demo city from scratch, print a summary and the logins, then serve it.

    This erases the database named by ZEROWASTE_DATABASE_URL (a SQLite file in the
    working folder by default) and rebuilds it.
    """
    if not Settings().is_sqlite and not yes:
        error_console.print(
            "[red]error[/red] ZEROWASTE_DATABASE_URL is not a SQLite file; the demo erases the "
            "whole database. Run again with --yes if that is what you want."
        )
        raise typer.Exit(64)
    demo_key = use_demo_master_key_if_unset()
    if demo_key:
        error_console.print(
            f"[yellow]warning[/yellow] {MASTER_KEY_VARIABLE} is not set: custodial signing keys "
            f"are encrypted with the public demo key {DEMO_MASTER_KEY!r}. Serve this database "
            f"later with {MASTER_KEY_VARIABLE}={DEMO_MASTER_KEY} set; never keep real data in it."
        )
    summary = run(lambda context: _build(context, seed, scale, months), migrate=False)
    print_summary(summary, f"http://{host}:{port}/")
    if serve:
        serve_app(host, port)


def _market_rows(table: Table, summary: DemoSummary) -> None:
    market = summary.market
    if not market:
        return
    table.add_row(
        "market listings",
        f"{market['supply_listings'] + market['demand_listings']} "
        f"({market['supply_listings']} supply, {market['demand_listings']} demand)",
    )
    table.add_row(
        "  allocation",
        f"{market['matched_t']:,.0f} t matched, {market['disposed_t']:,.0f} t to disposal, "
        f"{market['objective_cny']:,.0f} CNY, {market['avoided_co2e_t']:,.0f} t CO2e avoided",
    )
    table.add_row(
        "  contracts (signed)",
        f"{market['contracts']}, {market['deliveries']} deliveries "
        f"({market['cross_province_deliveries']} cross-province), "
        f"{market['delivered_t']:,.1f} t ({market['off_spec_lots']} lot off spec), "
        f"in {market['seconds']:.1f} s",
    )


def _evaluation_rows(table: Table, summary: DemoSummary) -> None:
    seeded = summary.evaluation
    if not seeded:
        return
    table.add_row("region statistics (synthetic)", f"{seeded['statistics']} rows")
    table.add_row(
        "evaluation datasets",
        f"{seeded['research_panel']} ({seeded['research_panel_rows']} rows, planted effects), "
        f"{seeded['platform_panel']} ({seeded['platform_panel_rows']} rows from the ledger)",
    )
