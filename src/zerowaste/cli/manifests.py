"""`zerowaste manifest` and `zerowaste approval`: sign steps offline, submit them, read them."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Annotated, Any

import typer

from zerowaste.bootstrap import Context
from zerowaste.cli.capture import _load_key, _read_json
from zerowaste.cli.common import AsUser, actor_of, emit, run
from zerowaste.domain.approvals import ApprovalAction, ApprovalState
from zerowaste.domain.manifests import ManifestState
from zerowaste.domain.pages import PageRequest
from zerowaste.errors import InvalidInput
from zerowaste.ledger.signatures import sign_document
from zerowaste.services.manifest_records import (
    approval_record,
    approval_view_record,
    manifest_record,
    manifest_view_record,
)

manifest_app = typer.Typer(help="Transfer manifests (转移联单).", no_args_is_help=True)
approval_app = typer.Typer(help="Cross-province transfer approvals.", no_args_is_help=True)

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON")]


def _signed(body: Any) -> tuple[Any, Any]:
    if not isinstance(body, dict) or set(body) != {"document", "signature"}:
        raise InvalidInput("expected {document, signature} (the output of `sign`)", field="$")
    return body["document"], body["signature"]


def _sign(document_file: Path, key: Path, key_id: uuid.UUID, out: Path | None) -> None:
    document = _read_json(document_file)
    signature = sign_document(_load_key(key), str(key_id), document).to_json()
    text = json.dumps({"document": document, "signature": signature}, ensure_ascii=False, indent=2)
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")


def _step(result: Any, as_json: bool) -> None:
    row = {"action_id": str(result.action_id), "leaf_index": result.leaf_index}
    emit([row | {"status": result.status}], as_json=as_json, title="Logged step")


DocumentFile = Annotated[Path, typer.Argument(help="A step document (JSON)")]
KeyFile = Annotated[Path, typer.Option(help="The private key file from `capture keygen`")]
KeyId = Annotated[uuid.UUID, typer.Option(help="The registered key's id")]
OutFile = Annotated[Path | None, typer.Option(help="Write here instead of stdout")]
SignedFile = Annotated[Path, typer.Argument(help="Output of `sign`")]
_SUMMARY = ("number", "state", "version", "origin_region_code", "destination_region_code")


@manifest_app.command("sign")
def sign_manifest_step(
    document: DocumentFile, key: KeyFile, key_id: KeyId, out: OutFile = None
) -> None:
    """Sign a `zerowaste.manifest/1` step offline; the output is a body for `manifest submit`."""
    _sign(document, key, key_id, out)


@manifest_app.command("submit")
def submit_manifest_step(
    signed: SignedFile, as_user: AsUser = None, as_json: AsJson = False
) -> None:
    """Log a client-signed manifest step (checked at its date; refused steps store nothing)."""
    body = _read_json(signed)

    def action(context: Context) -> None:
        document, signature = _signed(body)
        _step(context.manifests.submit(actor_of(context, as_user), document, signature), as_json)

    run(action)


@manifest_app.command("act")
def custodial_manifest_step(
    document: DocumentFile, as_user: AsUser = None, as_json: AsJson = False
) -> None:
    """Sign a manifest step with the organization's custodial key and log it."""
    body = _read_json(document)
    run(lambda c: _step(c.manifests.act(actor_of(c, as_user), body), as_json))


@manifest_app.command("list")
def list_manifests(
    organization: Annotated[uuid.UUID | None, typer.Option(help="A party's id")] = None,
    state: Annotated[ManifestState | None, typer.Option(help="Only this state")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """List manifests by number."""

    def action(context: Context) -> None:
        page = context.manifests.find(
            actor_of(context, as_user),
            PageRequest(None, limit),
            organization_id=organization,
            state=state,
        )
        records = [manifest_record(m) for m in page.items]
        rows = (
            records
            if as_json
            else [{k: r[k] for k in ("manifest_id", *_SUMMARY, "mass_kg")} for r in records]
        )
        emit(rows, as_json=as_json, title="Manifests")

    run(action)


@manifest_app.command("show")
def show_manifest(
    manifest_id: Annotated[uuid.UUID, typer.Argument(help="The manifest's id")],
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Show a manifest: its state, lines and every signature (`--json`: the full read model)."""

    def action(context: Context) -> None:
        record = manifest_view_record(
            context.manifests.manifest(actor_of(context, as_user), manifest_id)
        )
        if as_json:
            typer.echo(json.dumps(record, ensure_ascii=False, indent=2))
            return
        emit([{k: record[k] for k in _SUMMARY}], as_json=False, title="Manifest")
        emit(record["lines"], as_json=False, title="Lines")
        emit(
            [
                {
                    k: s[k]
                    for k in (
                        "action",
                        "role",
                        "leg",
                        "organization_id",
                        "signed_at",
                        "key_id",
                        "leaf_index",
                    )
                }
                for s in record["signatures"]
            ],
            as_json=False,
            title="Signatures",
        )

    run(action)


@approval_app.command("sign")
def sign_approval_request(
    document: DocumentFile, key: KeyFile, key_id: KeyId, out: OutFile = None
) -> None:
    """Sign a `zerowaste.approval/1` request offline; a body for `approval submit`."""
    _sign(document, key, key_id, out)


@approval_app.command("submit")
def submit_approval_request(
    signed: SignedFile, as_user: AsUser = None, as_json: AsJson = False
) -> None:
    """Log a generator's client-signed approval request."""
    body = _read_json(signed)

    def action(context: Context) -> None:
        document, signature = _signed(body)
        _step(context.approvals.submit(actor_of(context, as_user), document, signature), as_json)

    run(action)


@approval_app.command("act")
def custodial_approval_step(
    document: DocumentFile, as_user: AsUser = None, as_json: AsJson = False
) -> None:
    """Sign an approval request with the generator's custodial key and log it."""
    body = _read_json(document)
    run(lambda c: _step(c.approvals.act(actor_of(c, as_user), body), as_json))


def _decide(
    action_name: ApprovalAction,
    approval_id: uuid.UUID,
    note: str,
    as_user: str | None,
    as_json: bool,
) -> None:
    run(
        lambda c: _step(
            c.approvals.decide(actor_of(c, as_user), approval_id, action_name, note=note), as_json
        )
    )


ApprovalId = Annotated[uuid.UUID, typer.Argument(help="The approval's id")]
Note = Annotated[str, typer.Option(help="A note kept with the decision")]


@approval_app.command("consent")
def consent(
    approval_id: ApprovalId, note: Note = "", as_user: AsUser = None, as_json: AsJson = False
) -> None:
    """Consent as the destination province's regulator (signed by the platform)."""
    _decide(ApprovalAction.CONSENT, approval_id, note, as_user, as_json)


@approval_app.command("approve")
def approve(
    approval_id: ApprovalId, note: Note = "", as_user: AsUser = None, as_json: AsJson = False
) -> None:
    """Approve as the origin province's regulator, after the destination's consent."""
    _decide(ApprovalAction.APPROVE, approval_id, note, as_user, as_json)


@approval_app.command("refuse")
def refuse(
    approval_id: ApprovalId, note: Note = "", as_user: AsUser = None, as_json: AsJson = False
) -> None:
    """Refuse, as the regulator whose turn it is."""
    _decide(ApprovalAction.REFUSE, approval_id, note, as_user, as_json)


@approval_app.command("list")
def list_approvals(
    organization: Annotated[uuid.UUID | None, typer.Option(help="A generator or receiver")] = None,
    state: Annotated[ApprovalState | None, typer.Option(help="Only this state")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """List approvals by number, with what manifests have drawn."""

    def action(context: Context) -> None:
        page = context.approvals.find(
            actor_of(context, as_user),
            PageRequest(None, limit),
            organization_id=organization,
            state=state,
        )
        records = [approval_record(a) for a in page.items]
        keys = ("approval_id", "number", "state", "waste_code", "cap_kg", "used_kg", "valid_to")
        emit(
            records if as_json else [{k: r[k] for k in keys} for r in records],
            as_json=as_json,
            title="Approvals",
        )

    run(action)


@approval_app.command("show")
def show_approval(approval_id: ApprovalId, as_user: AsUser = None) -> None:
    """Print an approval with its signed steps as JSON."""
    run(
        lambda c: typer.echo(
            json.dumps(
                approval_view_record(c.approvals.approval(actor_of(c, as_user), approval_id)),
                ensure_ascii=False,
                indent=2,
            )
        )
    )
