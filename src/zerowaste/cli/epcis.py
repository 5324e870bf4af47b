"""`zerowaste epcis`: capture an EPCISDocument file and query the EPCIS repository."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Annotated, Any

import typer

from zerowaste.adapters.db.epcis_repository import EventFilter
from zerowaste.bootstrap import Context
from zerowaste.cli.common import OPERATOR, emit, error_console, run
from zerowaste.domain.epcis_index import ANY_EPC, ANY_EPC_CLASS, EpcRole, bare_term
from zerowaste.domain.epcis_values import parse_time
from zerowaste.errors import InvalidInput
from zerowaste.services.epcis_query import query_document
from zerowaste.services.epcis_records import ROLLBACK

app = typer.Typer(help="EPCIS 2.0 capture and query.", no_args_is_help=True)


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        error_console.print(f"[red]error[/red] {path}: {exc}")
        raise typer.Exit(66) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        error_console.print(f"[red]error[/red] {path}: not JSON: {exc}")
        raise typer.Exit(65) from exc


@app.command("capture")
def capture(
    document_file: Annotated[Path, typer.Argument(help="An EPCISDocument (JSON-LD)")],
    organization: Annotated[
        uuid.UUID | None,
        typer.Option(help="Whose custodial key signs (default: the --as user's organization)"),
    ] = None,
    error_behaviour: Annotated[
        str, typer.Option(help="rollback (all or nothing) or proceed")
    ] = ROLLBACK,
    as_user: Annotated[
        str | None, typer.Option("--as", help="Capture as this user (default: the operator)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Capture a document as a job and run it now; exit 1 if any event was refused."""
    document = _read(document_file)

    def action(context: Context) -> bool:
        actor = context.accounts.principal_by_username(as_user) if as_user else OPERATOR
        service = context.epcis_capture
        job = service.submit(
            actor, document, error_behaviour=error_behaviour, organization_id=organization
        )
        done = service.run(job.id) or service.job(actor, job.id)
        row = {
            "capture_id": str(done.id),
            "success": done.success,
            "events": done.event_count,
            "stored": done.stored_count,
            "errors": "; ".join(f"{e.get('field')}: {e.get('detail')}" for e in done.errors),
        }
        emit([row], as_json=as_json, title="EPCIS capture job")
        return done.success

    if not run(action):
        raise typer.Exit(1)


def _values(raw: list[str] | None) -> tuple[str, ...]:
    return tuple(part for value in raw or () for part in value.split("|") if part)


def _time(value: str | None, name: str) -> Any:
    if value is None:
        return None
    try:
        return parse_time(value)
    except ValueError as exc:
        raise InvalidInput(str(exc), field=name) from None


@app.command("query")
def query(
    event_type: Annotated[list[str] | None, typer.Option(help="eventType")] = None,
    biz_step: Annotated[list[str] | None, typer.Option(help="EQ_bizStep")] = None,
    disposition: Annotated[list[str] | None, typer.Option(help="EQ_disposition")] = None,
    epc: Annotated[list[str] | None, typer.Option(help="MATCH_epc")] = None,
    any_epc: Annotated[list[str] | None, typer.Option(help="MATCH_anyEPC")] = None,
    epc_class: Annotated[list[str] | None, typer.Option(help="MATCH_anyEPCClass")] = None,
    ge_event_time: Annotated[str | None, typer.Option(help="GE_eventTime (RFC 3339)")] = None,
    lt_event_time: Annotated[str | None, typer.Option(help="LT_eventTime (RFC 3339)")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500, help="How many events")] = 50,
    as_user: Annotated[
        str | None, typer.Option("--as", help="Query as this user (default: the operator)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the EPCISQueryDocument")] = False,
) -> None:
    """SimpleEventQuery: captured EPCIS events and the platform's own, in log order."""

    def action(context: Context) -> None:
        actor = context.accounts.principal_by_username(as_user) if as_user else OPERATOR
        matches = tuple(
            (roles, values)
            for roles, values in (
                ((EpcRole.EPC,), _values(epc)),
                (ANY_EPC, _values(any_epc)),
                (ANY_EPC_CLASS, _values(epc_class)),
            )
            if values
        )
        where = EventFilter(
            event_types=_values(event_type),
            biz_steps=tuple(str(bare_term(v, "bizstep")) for v in _values(biz_step)),
            dispositions=tuple(str(bare_term(v, "disposition")) for v in _values(disposition)),
            ge_event_time=_time(ge_event_time, "--ge-event-time"),
            lt_event_time=_time(lt_event_time, "--lt-event-time"),
            matches=matches,
        )
        page = context.epcis_query.query(actor, where, after=None, limit=limit)
        if as_json:
            document = query_document(page.rows, context.clock())
            typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
            return
        rows = [
            {
                "leaf": r.leaf_index,
                "type": r.facts.event_type,
                "event_time": r.facts.event_time.isoformat(),
                "biz_step": r.facts.biz_step,
                "source": r.source,
                "event_id": r.event_id,
            }
            for r in page.rows
        ]
        emit(rows, as_json=False, title="EPCIS events")

    run(action)
