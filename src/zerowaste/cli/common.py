"""What every command shares: the context, the operator principal, errors and output."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from zerowaste.bootstrap import Context, build_context
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.pages import PageRequest
from zerowaste.errors import NotFound, ZeroWasteError
from zerowaste.settings import Settings

T = TypeVar("T")

console = Console()
error_console = Console(stderr=True)

#: The CLI runs with direct database access, so it acts as the local administrator.
OPERATOR = Principal(user_id=uuid.UUID(int=0), username="operator", role=UserRole.ADMIN)


AsUser = Annotated[
    str | None, typer.Option("--as", help="Act as this user (default: the operator)")
]


def actor_of(context: Context, username: str | None) -> Principal:
    """The user named by `--as`, or the operator."""
    return context.accounts.principal_by_username(username) if username else OPERATOR


def organization_id_of(context: Context, ref: str) -> uuid.UUID:
    """The organization named by its id or its credit code.

    Raises:
        NotFound: No organization has that credit code (field `organization`).
    """
    try:
        return uuid.UUID(ref)
    except ValueError:
        page = context.organizations.find(PageRequest(None, 2), text=ref.upper())
        matches = [o for o in page.items if o.credit_code == ref.upper()]
        if not matches:
            raise NotFound(f"no organization {ref}", field="organization") from None
        return matches[0].id


@contextmanager
def open_context(*, migrate: bool = True) -> Iterator[Context]:
    """Build the context from the environment, bring the schema up to date, close at the end."""
    context = build_context(Settings())
    try:
        if migrate and not context.schema_is_current():
            context.migrate()
        yield context
    finally:
        context.close()


def run(action: Callable[[Context], T], *, migrate: bool = True) -> T:
    """Run `action` with a context; report the product's errors as `field: reason` and exit."""
    try:
        with open_context(migrate=migrate) as context:
            return action(context)
    except ZeroWasteError as exc:
        where = f"{exc.field}: " if exc.field else ""
        error_console.print(f"[red]error[/red] ({exc.title}) {where}{exc.detail}")
        raise typer.Exit(exc.exit_code) from exc


def emit(rows: Sequence[dict[str, Any]], *, as_json: bool, title: str = "") -> None:
    """Print rows as a table, or as JSON for scripts."""
    if as_json:
        typer.echo(json.dumps(list(rows), ensure_ascii=False, indent=2, default=str))
        return
    table = Table(title=title or None)
    columns = list(rows[0]) if rows else []
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(str(row[c]) if row[c] is not None else "" for c in columns))
    console.print(table)
