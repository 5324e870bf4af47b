"""`zerowaste demo`: build the demo city into the default database and serve it."""

from __future__ import annotations

from typing import Annotated

import typer

from zerowaste.cli.common import console
from zerowaste.cli.serve import serve_app


def demo(
    seed: Annotated[int, typer.Option(help="Random seed; the same seed builds the same city")] = 7,
    scale: Annotated[float, typer.Option(help="Multiply the number of firms")] = 1.0,
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve after building")] = True,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
) -> None:
    """Build the demo city from scratch, print a summary and the logins, then serve it."""
    console.print(f"demo city seed={seed} scale={scale} (generator arrives with the demo module)")
    if serve:
        serve_app(host, port)
