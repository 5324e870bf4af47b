"""The signed-in user's own account: who they are, their password and their API keys."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import ApiKey
from zerowaste.errors import ZeroWasteError
from zerowaste.web.forms import FieldError, Form
from zerowaste.web.pages.actions import Actions, form_pairs, read_form
from zerowaste.web.pages.common import RegionNames, firm_name
from zerowaste.web.pages.firm_page import path_id
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer

PASSWORD_FIELDS = ("current_password", "new_password", "confirm_password")
KEY_FIELDS = ("name",)
MAX_PASSWORD_LENGTH = 1024
FormBody = Annotated[FormData, Depends(read_form)]


def _key_view(key: ApiKey) -> dict[str, Any]:
    return {
        "id": key.id,
        "name": key.name,
        "prefix": key.prefix,
        "created": key.created_at.strftime("%Y-%m-%d %H:%M"),
        "revoked": key.revoked_at.strftime("%Y-%m-%d %H:%M") if key.revoked_at else "",
    }


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the account page and its forms (any signed-in user).

    Args:
        renderer: Renders the pages.
    """
    router = page_router(renderer)
    context = renderer.context
    actions = Actions(renderer)

    def account_page(
        request: Request,
        principal: Principal,
        *,
        password_form: Form | None = None,
        key_form: Form | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        t = renderer.translator(request)
        user = context.accounts.user(principal.user_id)
        organization = None
        if user.organization_id:
            found = context.organizations.get(user.organization_id)
            organization = {"id": found.id, "name": firm_name(found, t.language)}
        regions = RegionNames(context)
        values = {
            "active": "account",
            "user": user,
            "organization": organization,
            "jurisdiction": (
                f"{user.jurisdiction_code} {regions(user.jurisdiction_code)}"
                if user.jurisdiction_code
                else None
            ),
            "keys": [_key_view(k) for k in context.accounts.api_keys(principal)],
            "password_form": password_form or Form(PASSWORD_FIELDS),
            "key_form": key_form or Form(KEY_FIELDS),
        }
        return renderer.render(request, "account.html", values, status=status)

    @router.get("/account", response_class=HTMLResponse)
    def account(request: Request) -> Response:
        """The signed-in user's account page."""
        return account_page(request, actions.viewer(request))

    @router.post("/account/password", response_class=HTMLResponse)
    def change_password(request: Request, data: FormBody) -> Response:
        """Change the user's own password after checking the current one."""
        principal = actions.poster(request, data)
        form = Form.submitted(PASSWORD_FIELDS, form_pairs(data))
        try:
            current = form.value("current_password")
            new = form.value("new_password")
            if len(new) > MAX_PASSWORD_LENGTH:
                raise FieldError("form.too_long", "new_password", limit=MAX_PASSWORD_LENGTH)
            if new != form.value("confirm_password"):
                raise FieldError("form.password_mismatch", "confirm_password")
            context.accounts.change_password(principal, current, new)
        except ZeroWasteError as exc:
            form.fail(exc, renderer.translator(request))
            form.values.clear()  # passwords are never sent back
            return account_page(request, principal, password_form=form, status=exc.status)
        return actions.redirect(request, "/account", "flash.password_changed")

    @router.post("/account/api-keys", response_class=HTMLResponse)
    def issue_key(request: Request, data: FormBody) -> Response:
        """Issue an API key and show its token, this once."""
        principal = actions.poster(request, data)
        form = Form.submitted(KEY_FIELDS, form_pairs(data))
        try:
            key, token = context.accounts.issue_api_key(
                principal, form.text("name", required=True, max_length=100)
            )
        except ZeroWasteError as exc:
            form.fail(exc, renderer.translator(request))
            return account_page(request, principal, key_form=form, status=exc.status)
        values = {"active": "account", "key": _key_view(key), "token": token}
        return renderer.render(request, "api_key_issued.html", values)

    @router.post("/account/api-keys/{key_id}/revoke", response_class=HTMLResponse)
    def revoke_key(request: Request, key_id: str, data: FormBody) -> Response:
        """Revoke one of the user's own API keys."""
        principal = actions.poster(request, data)
        try:
            context.accounts.revoke_api_key(principal, path_id(key_id, "key_id"))
        except ZeroWasteError as exc:
            form = Form(KEY_FIELDS)
            form.fail(exc, renderer.translator(request))
            return account_page(request, principal, key_form=form, status=exc.status)
        return actions.redirect(request, "/account", "flash.key_revoked")

    return router
