"""`zerowaste ledger`: cut checkpoints, prove entries, verify receipts offline, audit the log."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from zerowaste.bootstrap import Context
from zerowaste.cli.common import console, error_console, run
from zerowaste.errors import InvalidInput, LedgerTampered, ProofInvalid, SignatureInvalid
from zerowaste.ledger.receipts import verify_receipt
from zerowaste.ledger.signatures import b64encode

app = typer.Typer(
    help="The Merkle log: checkpoints, proofs, receipts, audit.", no_args_is_help=True
)

#: `verify`: the receipt or key is malformed, or a signature or the proof fails (EX_DATAERR).
VERIFY_FAILED = 65


@app.command()
def checkpoint() -> None:
    """Cut and sign a checkpoint at the current size now; print its signed note."""

    def action(context: Context) -> None:
        typer.echo(context.ledger.checkpoint().note, nl=False)

    run(action)


@app.command("verifier-key")
def verifier_key() -> None:
    """Print the log's verifier key, which `verify --key` takes."""
    typer.echo(run(lambda context: context.ledger.verifier_key()))


@app.command()
def prove(
    entry_id: Annotated[uuid.UUID, typer.Argument(help="The logged entry (event) id")],
    out: Annotated[Path | None, typer.Option("--out", help="Write the receipt here")] = None,
) -> None:
    """Write the receipt bundle of an entry (cutting a checkpoint if none covers it yet)."""
    bundle = run(lambda context: context.ledger.receipt(entry_id).to_json())
    text = json.dumps(bundle, ensure_ascii=False, indent=2) + "\n"
    if out is None:
        typer.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    console.print(f"receipt of leaf {bundle['leaf_index']} written to {out}")


def _read_key(key: str) -> str:
    """The verifier key itself, or the contents of the file it names."""
    path = Path(key)
    if "+" not in key or path.is_file():
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise InvalidInput(f"cannot read the key file: {exc.strerror}", field="key") from exc
    return key


@app.command()
def verify(
    receipt: Annotated[Path, typer.Argument(help="A receipt JSON file (`ledger prove`)")],
    key: Annotated[str, typer.Option("--key", help="The log's verifier key, or a file of it")],
) -> None:
    """Check a receipt offline with nothing but it and the log's verifier key.

    Exit 0 and a summary when valid; exit 65 naming what failed otherwise.
    """
    try:
        try:
            bundle: Any = json.loads(receipt.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InvalidInput(f"cannot read the receipt: {exc}", field="receipt") from exc
        verified = verify_receipt(bundle, _read_key(key))
    except ProofInvalid as exc:
        _fail("inclusion proof", exc.detail)
    except SignatureInvalid as exc:
        _fail(f"signature ({exc.field or 'event'})", exc.detail)
    except InvalidInput as exc:
        _fail(f"malformed {exc.field or 'receipt'}", exc.detail)
    head = verified.checkpoint
    typer.echo(
        f"valid: leaf {verified.leaf_index} (signed by key {verified.key_id}) "
        f"is in {head.origin} at size {head.size}, root {b64encode(head.root_hash)}"
    )


def _fail(what: str, detail: str) -> NoReturn:
    typer.echo(f"invalid {what}: {detail}", err=True)
    raise typer.Exit(VERIFY_FAILED)


@app.command()
def audit(
    batch: Annotated[int, typer.Option(min=100, help="Rows read per query")] = 5000,
) -> None:
    """Recompute the log from its rows; exit 0 if clean, else list each finding and exit 1."""

    def action(context: Context) -> None:
        columns = (TextColumn("auditing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, console=error_console, transient=True) as bar:
            task = bar.add_task("audit", total=None)
            report = context.ledger.audit(
                lambda done, total: bar.update(task, completed=done, total=total), batch=batch
            )
        root = b64encode(report.root)
        summary = f"{report.size} entries, {report.checkpoints_checked} checkpoints, root {root}"
        if report.ok:
            typer.echo(f"clean: {summary}")
            return
        for finding in report.findings:
            typer.echo(f"index {finding.index}: {finding.kind}: {finding.detail}")
        more = " (more not shown)" if report.truncated else ""
        raise LedgerTampered(
            f"{len(report.findings)} findings{more}; first bad index {report.first_bad_index}"
        )

    run(action)
