"""`zerowaste serve`: run the web app and API with uvicorn."""

from __future__ import annotations

import logging
from typing import Annotated

import typer
import uvicorn

from zerowaste.app import create_app
from zerowaste.bootstrap import build_context
from zerowaste.settings import Settings


def serve_app(host: str, port: int) -> None:
    """Migrate the database and serve until interrupted."""
    context = build_context(Settings())
    if not context.schema_is_current():
        context.migrate()
    level = context.settings.log_level.lower()
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    uvicorn.run(create_app(context=context), host=host, port=port, log_level=level)
    context.close()


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
) -> None:
    """Serve the dashboard and the API."""
    serve_app(host, port)
