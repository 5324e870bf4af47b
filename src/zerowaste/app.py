"""`create_app(settings)`: the one ASGI application serving the API and the web pages."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware

from zerowaste import __version__
from zerowaste.api.idempotency import RequestGuard
from zerowaste.api.problems import install_problem_handlers
from zerowaste.api.router import build_api_router, build_epcis_router, build_pact_router
from zerowaste.bootstrap import Context, build_context
from zerowaste.settings import Settings
from zerowaste.web.site import mount_web

SESSION_COOKIE = "zerowaste_session"
_log = logging.getLogger(__name__)


def resume_epcis_jobs(ctx: Context) -> threading.Thread | None:
    """Run, in a background thread, the EPCIS capture jobs a stop or crash left unfinished."""
    if not ctx.schema_is_current():
        return None  # `zerowaste db upgrade` first; nothing to resume without the tables

    def work() -> None:
        try:
            ctx.epcis_capture.resume()
        except Exception:  # the server keeps serving; the jobs wait for the next start
            _log.exception("resuming EPCIS capture jobs failed")

    thread = threading.Thread(target=work, name="epcis-capture-resume", daemon=True)
    thread.start()
    return thread


async def sweep_periodically(ctx: Context, minutes: float) -> None:
    """Run the oversight sweep every `minutes` (the first one a period after the start)."""
    while True:
        await asyncio.sleep(minutes * 60)
        try:
            report = await asyncio.to_thread(ctx.oversight.sweep)
        except Exception:  # the server keeps serving; the next period tries again
            _log.exception("the scheduled oversight sweep failed")
        else:
            _log.info("oversight sweep: %d findings, %d raised", report.findings, report.raised)


def create_app(settings: Settings | None = None, *, context: Context | None = None) -> FastAPI:
    """Build the application for `settings` (or around a ready `context`, as tests do)."""
    ctx = context or build_context(settings or Settings())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        resume_epcis_jobs(ctx)
        minutes = ctx.settings.oversight_sweep_minutes
        sweeps = asyncio.create_task(sweep_periodically(ctx, minutes)) if minutes else None
        yield
        if sweeps is not None:
            sweeps.cancel()
        if context is None:
            ctx.close()

    app = FastAPI(
        title="ZeroWaste Chain API",
        version=__version__,
        description="Traceability, matching, carbon and evaluation for zero-waste supply chains.",
        lifespan=lifespan,
    )
    app.state.context = ctx
    install_problem_handlers(app)
    app.include_router(build_api_router())
    app.include_router(build_epcis_router())
    app.include_router(build_pact_router())
    mount_web(app, ctx)
    app.add_middleware(RequestGuard, context=lambda: ctx)
    app.add_middleware(
        SessionMiddleware,
        secret_key=ctx.settings.session_secret.get_secret_value(),
        session_cookie=SESSION_COOKIE,
        same_site="lax",
        https_only=False,
    )
    return app
