"""Mount the web pages and their static assets (the app's own, Leaflet's, plotly.js) on the app."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import xstatic.pkg.leaflet
from fastapi import FastAPI, Request, Response
from starlette.exceptions import HTTPException
from starlette.staticfiles import StaticFiles

from zerowaste.api.problems import http_problem
from zerowaste.api.router import API_PREFIX
from zerowaste.api.routes.epcis import EPCIS_PREFIX
from zerowaste.api.routes.pact import PACT_PREFIX, pact_http_error
from zerowaste.bootstrap import Context
from zerowaste.web.pages import (
    account,
    admin_users,
    alerts,
    auth,
    capture_forms,
    carbon,
    carbon_factors,
    carbon_pact,
    catalog,
    cbam,
    epcis,
    evaluation,
    firm_forms,
    firms,
    footprints,
    forecasts,
    home,
    manifest_print,
    manifests,
    market,
    market_admission,
    market_allocations,
    market_contracts,
    market_forms,
    market_scoring,
    oversight_desk,
    site_forms,
    trace,
)
from zerowaste.web.pages import flows as flow_pages
from zerowaste.web.pages import indicators as indicator_pages
from zerowaste.web.pages.trace import PLOTLY_PREFIX
from zerowaste.web.templating import LEAFLET_PREFIX, WEB_STATIC_PREFIX, PageRenderer


def leaflet_directory() -> Path:
    """Return the folder of Leaflet's JavaScript, CSS and images in `xstatic-leaflet`."""
    return Path(xstatic.pkg.leaflet.BASE_DIR)


def plotly_directory() -> Path:
    """Return the folder holding the `plotly.min.js` bundled with the `plotly` package."""
    return Path(str(files("plotly"))) / "package_data"


def mount_web(app: FastAPI, context: Context) -> None:
    """Add the web routes and static files to `app`.

    Args:
        app: The application built by `create_app`.
        context: The application context the pages read through.
    """
    renderer = PageRenderer(context)
    app.state.web_renderer = renderer
    app.mount(
        WEB_STATIC_PREFIX,
        StaticFiles(directory=Path(__file__).parent / "static"),
        name="web-static",
    )
    app.mount(LEAFLET_PREFIX, StaticFiles(directory=leaflet_directory()), name="leaflet")
    app.mount(PLOTLY_PREFIX, StaticFiles(directory=plotly_directory()), name="plotly")
    # The form routes come first: `/firms/new` must not be taken for the page of a firm "new".
    for module in (
        firm_forms,
        site_forms,
        capture_forms,
        admin_users,
        account,
        home,
        firms,
        catalog,
        trace,
        epcis,
        manifest_print,
        manifests,
        alerts,
        oversight_desk,
        carbon_factors,
        cbam,
        footprints,
        carbon,
        carbon_pact,
        market_admission,
        market_forms,
        market,
        market_contracts,
        market_allocations,
        flow_pages,
        market_scoring,
        evaluation,
        forecasts,
        indicator_pages,
        auth,
    ):
        app.include_router(module.build_router(renderer))

    @app.exception_handler(HTTPException)
    async def _unknown_path(request: Request, exc: HTTPException) -> Response:
        """Answer API paths with Problem Details and every other path with an HTML page."""
        if request.url.path.startswith((API_PREFIX, EPCIS_PREFIX + "/")):
            return http_problem(request, exc)
        if request.url.path.startswith(PACT_PREFIX + "/"):  # PACT clients read PACT's shape
            return pact_http_error(exc.status_code, str(exc.detail))
        return renderer.error(request, exc.status_code, str(exc.detail))
