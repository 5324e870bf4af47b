"""Mount the web pages and their static assets on the application."""

from __future__ import annotations

from fastapi import FastAPI

from zerowaste.bootstrap import Context


def mount_web(app: FastAPI, context: Context) -> None:
    """Add the web routes and static files to `app`."""
    del app, context
