"""Page routes: product errors and bad input become friendly HTML pages, never JSON."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from zerowaste.api.security import allow
from zerowaste.domain.access import Rule
from zerowaste.errors import NotAuthenticated, ZeroWasteError
from zerowaste.web.templating import PageRenderer

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def _describe(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        location = [str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body")]
        parts.append(f"{'.'.join(location) or 'input'}: {error.get('msg', 'invalid')}")
    return "; ".join(parts)


def login_redirect(request: Request) -> RedirectResponse:
    """Send an anonymous visitor of a signed-in page to the sign-in form, and back after it.

    A GET comes back to the same page; a form post, whose values are lost, to the home page.
    """
    root = str(request.scope.get("root_path", "")).rstrip("/")
    target = "/"
    if request.method in ("GET", "HEAD"):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    query = urlencode({"next": target}) if target != "/" else ""
    return RedirectResponse(f"{root}/login" + (f"?{query}" if query else ""), status_code=303)


def page_router(renderer: PageRenderer) -> APIRouter:
    """Return a router of public pages whose routes answer errors with the HTML error page.

    Every page declares the `public` access rule (pages themselves decide what a signed-in
    principal may additionally see, as the firm page does with economic figures, and form pages
    check their user before showing or storing anything). A page raising `NotAuthenticated`
    sends the visitor to the sign-in form.

    Args:
        renderer: Renders the error page in the visitor's language.
    """

    class PageRoute(APIRoute):
        """A page route: catches product errors and validation failures."""

        def get_route_handler(self) -> Handler:
            """Wrap FastAPI's handler so failures render as HTML."""
            handler = super().get_route_handler()

            async def guarded(request: Request) -> Response:
                try:
                    return await handler(request)
                except NotAuthenticated:
                    return login_redirect(request)
                except ZeroWasteError as exc:
                    detail = f"{exc.field}: {exc.detail}" if exc.field else exc.detail
                    return await run_in_threadpool(renderer.error, request, exc.status, detail)
                except RequestValidationError as exc:
                    return await run_in_threadpool(renderer.error, request, 422, _describe(exc))

            return guarded

    return APIRouter(
        route_class=PageRoute,
        include_in_schema=False,
        dependencies=[Depends(allow(Rule.PUBLIC))],
    )
