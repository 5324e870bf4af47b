"""`zerowaste manifest print ID --out FILE`: write a manifest's copy of record as a PDF."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated

import typer

from zerowaste.bootstrap import Context
from zerowaste.cli.common import OPERATOR, console, run
from zerowaste.services.manifest_print import copy_pdf

#: Where the receipt URLs in the QR code point when no `--base-url` is given (`zerowaste serve`).
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def print_manifest(
    manifest_id: Annotated[uuid.UUID, typer.Argument(help="The manifest's id")],
    out: Annotated[Path, typer.Option("--out", help="Write the PDF here")],
    base_url: Annotated[
        str, typer.Option("--base-url", help="The platform's public address, for the QR code")
    ] = DEFAULT_BASE_URL,
    as_user: Annotated[
        str | None, typer.Option("--as", help="Act as this user (default: the operator)")
    ] = None,
) -> None:
    """Write the copy of record (A4 PDF, bilingual) with the QR code of its receipt."""

    def action(context: Context) -> tuple[int, str]:
        actor = context.accounts.principal_by_username(as_user) if as_user else OPERATOR
        copy = context.manifest_print.copy_of_record(actor, manifest_id, base_url)
        out.write_bytes(copy_pdf(copy))
        return copy.receipt.leaf_index, str(copy.record["number"])

    leaf, number = run(action)
    console.print(f"manifest {number} written to {out} (receipt of leaf {leaf})")
