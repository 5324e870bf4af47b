"""`zerowaste capture`: make a client key, sign event documents offline, submit signed events."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Annotated, Any

import typer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from zerowaste.bootstrap import Context
from zerowaste.cli.common import OPERATOR, emit, error_console, run
from zerowaste.errors import InvalidInput
from zerowaste.ledger.signatures import (
    b64encode,
    generate_private_key,
    public_key_bytes,
    sign_document,
)
from zerowaste.services.capture import CaptureResult

app = typer.Typer(help="Sign and capture waste events.", no_args_is_help=True)


def _fail(detail: str, field: str, code: int = 65) -> typer.Exit:
    error_console.print(f"[red]error[/red] {field}: {detail}")
    return typer.Exit(code)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _fail(str(exc), str(path), 66) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise _fail(f"not JSON: {exc}", str(path)) from exc


def _load_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = load_pem_private_key(path.read_bytes(), password=None)
    except OSError as exc:
        raise _fail(str(exc), "--key", 66) from exc
    except ValueError as exc:
        raise _fail("not a PEM private key", "--key") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise _fail("not an Ed25519 private key", "--key")
    return key


@app.command("keygen")
def keygen(
    out: Annotated[Path, typer.Option(help="Where to write the private key (PEM, mode 600)")],
) -> None:
    """Create an Ed25519 key pair; print the public key to register with the platform."""
    if out.exists():
        raise _fail("exists already; refusing to overwrite a key", str(out), 73)
    private = generate_private_key()
    pem = private.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    public = b64encode(public_key_bytes(private))
    typer.echo(public)
    error_console.print(
        f"register it: zerowaste registry add-signing-key ORGANIZATION --public-key {public}"
    )


@app.command("sign")
def sign(
    event_file: Annotated[Path, typer.Argument(help="An event document, or a list of them")],
    key: Annotated[Path, typer.Option(help="The private key file from `capture keygen`")],
    key_id: Annotated[uuid.UUID, typer.Option(help="The registered key's id")],
    out: Annotated[Path | None, typer.Option(help="Write here instead of stdout")] = None,
) -> None:
    """Sign event documents offline; the output is a `POST /events` body for `capture submit`."""
    documents = _read_json(event_file)
    if not isinstance(documents, list):
        documents = [documents]
    private = _load_key(key)
    signed = [
        {"event": document, "signature": sign_document(private, str(key_id), document).to_json()}
        for document in documents
    ]
    text = json.dumps({"events": signed}, ensure_ascii=False, indent=2)
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")


def _event_list(body: Any, what: str) -> list[Any]:
    """`{events: [...]}`, a list, or one object, as a list; `what` names the one object."""
    if isinstance(body, dict) and set(body) == {"events"} and isinstance(body["events"], list):
        return list(body["events"])
    if isinstance(body, list):
        return body
    if isinstance(body, dict):
        return [body]
    raise InvalidInput(f"expected {{events: [...]}}, a list or {what}", field="events")


def _emit_results(results: list[CaptureResult], *, as_json: bool) -> None:
    rows = [
        {"event_id": str(r.event_id), "leaf_index": r.leaf_index, "status": r.status}
        for r in results
    ]
    emit(rows, as_json=as_json, title="Captured events")


@app.command("submit")
def submit(
    signed_file: Annotated[Path, typer.Argument(help="Output of `capture sign`")],
    as_user: Annotated[
        str | None, typer.Option("--as", help="Submit as this user (default: the operator)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Capture signed events through the service, all or none."""
    body = _read_json(signed_file)

    def action(context: Context) -> None:
        actor = context.accounts.principal_by_username(as_user) if as_user else OPERATOR
        results = context.capture.capture(actor, _event_list(body, "one signed event"))
        _emit_results(results, as_json=as_json)

    run(action)


@app.command("custodial")
def custodial(
    event_file: Annotated[Path, typer.Argument(help="Unsigned zerowaste.event/1 document(s)")],
    as_user: Annotated[
        str | None, typer.Option("--as", help="Record as this user (default: the operator)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Sign events with their organizations' custodial keys and capture them, all or none."""
    body = _read_json(event_file)

    def action(context: Context) -> None:
        actor = context.accounts.principal_by_username(as_user) if as_user else OPERATOR
        documents = _event_list(body, "one event document")
        _emit_results(context.capture.capture_custodial(actor, documents), as_json=as_json)

    run(action)


@app.command("inspections")
def inspections(
    site: Annotated[str, typer.Argument(help="The inspected site's id")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """List a site's inspections, newest first: counted against ledger stock per line."""
    try:
        site_id = uuid.UUID(site)
    except ValueError as exc:
        raise _fail("not a site id", "site") from exc

    def action(context: Context) -> None:
        rows = [
            {
                "event_id": str(i.event_id),
                "inspected_at": i.inspected_at.isoformat(),
                "inspector_id": str(i.inspector_id),
                "batch_or_code": str(line.batch_id or line.waste_code),
                "counted_kg": format(line.counted_kg, "f"),
                "ledger_kg": format(line.ledger_kg, "f"),
                "gap_kg": format(line.gap_kg, "f"),
            }
            for i in context.findings.inspections(OPERATOR, site_id)
            for line in i.lines
        ]
        emit(rows, as_json=as_json, title="Inspections")

    run(action)
