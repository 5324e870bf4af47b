"""User administration: the admins' users page, and firm users created by their regulators."""

from __future__ import annotations

import uuid
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from zerowaste.api.pagination import encode_cursor, page_request
from zerowaste.bootstrap import Context
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import Language, NewUser, User, UserRole
from zerowaste.domain.organizations import Organization
from zerowaste.domain.pages import Page, PageRequest
from zerowaste.errors import ZeroWasteError
from zerowaste.web.forms import FieldError, Form
from zerowaste.web.i18n import Translator
from zerowaste.web.pages.actions import Actions, form_pairs, options, read_form
from zerowaste.web.pages.common import firm_name
from zerowaste.web.pages.firm_page import FirmPage, may_oversee, path_id
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer

USER_FIELDS = (
    "username",
    "display_name",
    "password",
    "role",
    "organization",
    "jurisdiction_code",
    "language",
)
FIRM_USER_FIELDS = ("username", "display_name", "password", "language")
ALIASES = {"organization_id": "organization"}
USERS_PER_PAGE = 50
MAX_PASSWORD_LENGTH = 1024
FormBody = Annotated[FormData, Depends(read_form)]


def all_users(context: Context, actor: Principal, page: PageRequest) -> Page[User]:
    """Return a page of every user (the service refuses anyone but an administrator)."""
    return context.accounts.find_users(actor, page)


def _organization_by_code(context: Context, credit_code: str) -> Organization:
    code = credit_code.strip().upper()
    for organization in context.organizations.find(PageRequest(None, 5), text=code).items:
        if organization.credit_code == code:
            return organization
    raise FieldError("form.unknown_organization", "organization")


def _password(form: Form) -> str:
    password = form.value("password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise FieldError("form.too_long", "password", limit=MAX_PASSWORD_LENGTH)
    return password


def _language_options(t: Translator) -> list[dict[str, str]]:
    return options((lang.value, t(f"language.{lang.value}")) for lang in Language)


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the users page (admins) and the firm user form (regulators).

    Args:
        renderer: Renders the pages.
    """
    router = page_router(renderer)
    context = renderer.context
    actions = Actions(renderer)
    firm_page = FirmPage(renderer)

    def users_page(
        request: Request,
        principal: Principal,
        cursor: str = "",
        *,
        form: Form | None = None,
        list_alert: str = "",
        status: int = 200,
    ) -> HTMLResponse:
        t = renderer.translator(request)
        page = all_users(context, principal, page_request(cursor or None, USERS_PER_PAGE))
        names: dict[uuid.UUID, str] = {}
        for user in page.items:
            if user.organization_id and user.organization_id not in names:
                found = context.organizations.get(user.organization_id)
                names[found.id] = firm_name(found, t.language)
        rows = [
            {
                "user": u,
                "organization": names.get(u.organization_id) if u.organization_id else None,
                "created": u.created_at.date().isoformat(),
                "self": u.id == principal.user_id,
            }
            for u in page.items
        ]
        next_cursor = encode_cursor(page.next_after)
        values = {
            "active": "users",
            "rows": rows,
            "list_alert": list_alert,
            "form": form or Form(USER_FIELDS, {"role": UserRole.FIRM, "language": Language.ZH}),
            "role_options": options((r.value, t(f"user_role.{r.value}")) for r in UserRole),
            "language_options": _language_options(t),
            "first_url": request.url.path if cursor else None,
            "next_url": (
                f"{request.url.path}?{urlencode({'cursor': next_cursor})}" if next_cursor else None
            ),
        }
        return renderer.render(request, "admin_users.html", values, status=status)

    @router.get("/admin/users", response_class=HTMLResponse)
    def users(request: Request, cursor: Annotated[str, Query(max_length=400)] = "") -> Response:
        """Every user, with the form creating one (administrators)."""
        principal = actions.viewer(request)
        actions.require(principal.role is UserRole.ADMIN)
        return users_page(request, principal, cursor)

    @router.post("/admin/users", response_class=HTMLResponse)
    def create_user(request: Request, data: FormBody) -> Response:
        """Create the user, then show the users page."""
        principal = actions.poster(request, data)
        actions.require(principal.role is UserRole.ADMIN)
        form = Form.submitted(USER_FIELDS, form_pairs(data), ALIASES)
        try:
            role = form.choice("role", UserRole)
            organization = None
            if code := form.text("organization", max_length=40):
                if role is not UserRole.FIRM:
                    raise FieldError("form.organization_only_firm", "organization")
                organization = _organization_by_code(context, code).id
            new = NewUser(
                username=form.text("username", required=True, max_length=64),
                password=_password(form),
                role=role,
                display_name=form.text("display_name"),
                organization_id=organization,
                jurisdiction_code=form.optional_text("jurisdiction_code", max_length=12),
                language=form.choice("language", Language),
            )
            context.accounts.create_user(principal, new)
        except ZeroWasteError as exc:
            form.fail(exc, renderer.translator(request))
            form.values.pop("password", None)
            return users_page(request, principal, form=form, status=exc.status)
        return actions.redirect(request, "/admin/users", "flash.user_created")

    @router.post("/admin/users/{user_id}/active", response_class=HTMLResponse)
    def set_active(request: Request, user_id: str, data: FormBody) -> Response:
        """Enable or disable a user (`active` is `true` or `false`)."""
        principal = actions.poster(request, data)
        actions.require(principal.role is UserRole.ADMIN)
        submitted = Form.submitted(("active",), form_pairs(data))
        active = submitted.value("active")
        try:
            if active not in ("true", "false"):
                raise FieldError("form.bad_choice", "active")
            context.accounts.set_active(principal, path_id(user_id, "user_id"), active == "true")
        except ZeroWasteError as exc:
            problem = Form(())
            problem.fail(exc, renderer.translator(request))
            return users_page(request, principal, list_alert=problem.alert, status=exc.status)
        flash = "flash.user_enabled" if active == "true" else "flash.user_disabled"
        return actions.redirect(request, "/admin/users", flash)

    def firm_user_page(request: Request, organization: Organization) -> dict[str, Any]:
        t = renderer.translator(request)
        return {
            "active": "firms",
            "firm": organization,
            "firm_name": firm_name(organization, t.language),
            "language_options": _language_options(t),
        }

    def overseen(principal: Principal, firm_id: str) -> Organization:
        organization = firm_page.organization(firm_id)
        actions.require(may_oversee(principal, organization))
        return organization

    @router.get("/firms/{firm_id}/users/new", response_class=HTMLResponse)
    def firm_user_form(request: Request, firm_id: str) -> Response:
        """The form creating a user of a firm (its regulators and administrators)."""
        organization = overseen(actions.viewer(request), firm_id)
        form = Form(FIRM_USER_FIELDS, {"language": Language.ZH})
        values = firm_user_page(request, organization)
        return actions.show(request, "firm_user_form.html", form, values)

    @router.post("/firms/{firm_id}/users/new", response_class=HTMLResponse)
    def create_firm_user(request: Request, firm_id: str, data: FormBody) -> Response:
        """Create the firm's user, then show the firm's page."""
        principal = actions.poster(request, data)
        organization = overseen(principal, firm_id)
        form = Form.submitted(FIRM_USER_FIELDS, form_pairs(data))
        try:
            new = NewUser(
                username=form.text("username", required=True, max_length=64),
                password=_password(form),
                role=UserRole.FIRM,
                display_name=form.text("display_name"),
                organization_id=organization.id,
                language=form.choice("language", Language),
            )
            context.accounts.create_user(principal, new)
        except ZeroWasteError as exc:
            form.values.pop("password", None)
            values = firm_user_page(request, organization)
            return actions.refuse(request, exc, "firm_user_form.html", form, values)
        return actions.redirect(request, f"/firms/{organization.id}#users", "flash.user_created")

    return router
