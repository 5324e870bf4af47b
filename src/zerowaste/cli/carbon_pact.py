"""`zerowaste carbon pact`: PACT v3 clients of a firm, and PACT JSON of one footprint."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Annotated, Any

import typer

from zerowaste.bootstrap import Context
from zerowaste.cli.common import AsUser, actor_of, emit, organization_id_of, run
from zerowaste.domain.pact import PactClient
from zerowaste.errors import InvalidInput

app = typer.Typer(help="PACT v3 exchange: data recipients' clients, footprint export.")
client_app = typer.Typer(help="OAuth2 clients of data recipients.", no_args_is_help=True)
app.add_typer(client_app, name="client")

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON")]
Organization = Annotated[str, typer.Argument(help="The data owner: firm id or credit code")]


def _row(client: PactClient) -> dict[str, Any]:
    return {
        "client_id": client.client_id,
        "name": client.name,
        "organization_id": str(client.organization_id),
        "created_at": client.created_at.isoformat(),
        "revoked_at": client.revoked_at.isoformat() if client.revoked_at else None,
    }


def _write(document: dict[str, Any], out: Path | None) -> None:
    text = json.dumps(document, ensure_ascii=False, indent=2)
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")
        typer.echo(f"wrote {out}")


@client_app.command("add")
def add(
    organization: Organization,
    name: Annotated[str, typer.Option("--name", help="Who the data recipient is")],
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Admit a data recipient; prints the client secret once (it is not kept)."""

    def action(context: Context) -> None:
        owner = organization_id_of(context, organization)
        client, secret = context.pact.register_client(actor_of(context, as_user), owner, name)
        emit([_row(client) | {"client_secret": secret}], as_json=as_json, title="PACT client")

    run(action)


@client_app.command("list")
def list_clients(
    organization: Organization, as_user: AsUser = None, as_json: AsJson = False
) -> None:
    """The firm's PACT clients, revoked ones included."""

    def action(context: Context) -> None:
        owner = organization_id_of(context, organization)
        rows = [_row(c) for c in context.pact.clients(actor_of(context, as_user), owner)]
        emit(rows, as_json=as_json, title="PACT clients")

    run(action)


@client_app.command("revoke")
def revoke(
    client_id: Annotated[str, typer.Argument(help="The client id (pact_...)")],
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Revoke a client: its tokens stop working at once."""

    def action(context: Context) -> None:
        client = context.pact.revoke_client(actor_of(context, as_user), client_id)
        emit([_row(client)], as_json=as_json, title="Revoked")

    run(action)


@app.command("export")
def export(
    footprint_id: Annotated[str, typer.Argument(help="The footprint's id")],
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file")] = None,
    as_user: AsUser = None,
) -> None:
    """One footprint as a PACT v3 ProductFootprint (JSON on stdout, or to --out)."""

    def action(context: Context) -> None:
        try:
            wanted = uuid.UUID(footprint_id)
        except ValueError:
            raise InvalidInput("must be a UUID", field="footprint_id") from None
        _write(context.pact.export(actor_of(context, as_user), wanted), out)

    run(action)


@app.command("answer")
def answer(
    event_id: Annotated[str, typer.Argument(help="The received RequestCreated event's row id")],
    source: Annotated[
        str, typer.Option("--source", help="This host's events URL (CloudEvents source)")
    ] = "/pact/3/events",
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file")] = None,
    as_user: AsUser = None,
) -> None:
    """The RequestFulfilled / RequestRejected event answering a received request."""

    def action(context: Context) -> None:
        try:
            wanted = uuid.UUID(event_id)
        except ValueError:
            raise InvalidInput("must be a UUID", field="event_id") from None
        document = context.pact.answer(actor_of(context, as_user), wanted, source)
        _write(document, out)

    run(action)


@app.command("events")
def events(organization: Organization, as_user: AsUser = None, as_json: AsJson = False) -> None:
    """Events data recipients posted to the firm, newest first."""

    def action(context: Context) -> None:
        owner = organization_id_of(context, organization)
        rows = [
            {
                "id": str(e.id),
                "type": e.event_type,
                "event_id": e.event_id,
                "source": e.source,
                "received_at": e.received_at.isoformat(),
            }
            for e in context.pact.events(actor_of(context, as_user), owner)
        ]
        emit(rows, as_json=as_json, title="PACT events")

    run(action)
