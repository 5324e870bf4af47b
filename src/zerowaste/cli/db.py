"""`zerowaste db`: schema migrations."""

from __future__ import annotations

from typing import Annotated

import typer

from zerowaste.adapters.db import migrate
from zerowaste.bootstrap import Context
from zerowaste.cli.common import console, run

app = typer.Typer(help="Database schema.", no_args_is_help=True)


@app.command()
def upgrade() -> None:
    """Apply every migration the database lacks (creates a SQLite file if needed)."""

    def action(context: Context) -> None:
        context.migrate()
        console.print(f"database at revision {migrate.current_revision(context.engine)}")

    run(action, migrate=False)


@app.command()
def status() -> None:
    """Show the database's revision and the newest one shipped."""

    def action(context: Context) -> None:
        current = migrate.current_revision(context.engine)
        console.print(f"current: {current or '(empty)'}; head: {migrate.head_revision()}")

    run(action, migrate=False)


@app.command()
def downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, e.g. 0001, or base")],
) -> None:
    """Take the schema back to an older revision (tables it drops lose their data)."""

    def action(context: Context) -> None:
        migrate.downgrade(context.engine, revision)
        console.print(f"database at revision {migrate.current_revision(context.engine) or 'base'}")

    run(action, migrate=False)
