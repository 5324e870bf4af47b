"""Signing in with a username and password, and signing out; both forms carry a CSRF token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from zerowaste.errors import Forbidden, NotAuthenticated
from zerowaste.web.routing import page_router
from zerowaste.web.session import (
    CSRF_FIELD,
    csrf_matches,
    csrf_token,
    safe_next,
    sign_in,
    sign_out,
)
from zerowaste.web.templating import PageRenderer


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the sign-in form and the sign-out action.

    Args:
        renderer: Renders the pages.
    """
    router = page_router(renderer)
    accounts = renderer.context.accounts

    def form(
        request: Request, next_page: str, username: str = "", error: str = "", status: int = 200
    ) -> HTMLResponse:
        values = {
            "active": "login",
            "form_token": csrf_token(request, create=True),
            "csrf_field": CSRF_FIELD,
            "next_page": safe_next(next_page),
            "username": username,
            "error": error,
        }
        return renderer.render(request, "login.html", values, status=status)

    @router.get("/login", response_class=HTMLResponse)
    def login_form(
        request: Request, next_page: Annotated[str, Query(alias="next", max_length=500)] = "/"
    ) -> HTMLResponse:
        """The sign-in form."""
        return form(request, next_page)

    @router.post("/login", response_class=HTMLResponse)
    def login(
        request: Request,
        username: Annotated[str, Form(max_length=64)] = "",
        password: Annotated[str, Form(max_length=1024)] = "",
        csrf: Annotated[str, Form(max_length=200)] = "",
        next_page: Annotated[str, Form(alias="next", max_length=500)] = "/",
    ) -> Response:
        """Check the password; on success start a session and go on to `next`."""
        t = renderer.translator(request)
        if not csrf_matches(request, csrf):
            return form(request, next_page, username, t("login.expired"), 403)
        try:
            principal = accounts.login(username.strip(), password)
        except NotAuthenticated:
            return form(request, next_page, username, t("login.failed"), 401)
        sign_in(request, principal)
        root = str(request.scope.get("root_path", "")).rstrip("/")
        return RedirectResponse(root + safe_next(next_page), status_code=303)

    @router.post("/logout")
    def logout(
        request: Request, csrf: Annotated[str, Form(max_length=200)] = ""
    ) -> RedirectResponse:
        """End the session (the form's CSRF token must match)."""
        if not csrf_matches(request, csrf):
            raise Forbidden("the form's security token does not match; reload the page")
        sign_out(request)
        root = str(request.scope.get("root_path", "")).rstrip("/")
        return RedirectResponse(f"{root}/", status_code=303)

    return router
