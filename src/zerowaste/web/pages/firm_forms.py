"""Regulators' forms: register and edit a firm, grant and revoke its permits."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.organizations import NewOrganization, Organization, OrganizationChanges
from zerowaste.domain.organizations import OrganizationRole as Role
from zerowaste.domain.permits import NewPermit, PermitActivity, PermitKind
from zerowaste.errors import ZeroWasteError
from zerowaste.web.forms import Form
from zerowaste.web.i18n import Translator
from zerowaste.web.pages.actions import Actions, form_pairs, options, read_form
from zerowaste.web.pages.common import collect, firm_name
from zerowaste.web.pages.firm_page import FirmPage, may_oversee, path_id
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer

REGISTER_FIELDS = (
    "credit_code",
    "name",
    "name_en",
    "region_code",
    "industry_code",
    "roles",
    "jurisdiction_code",
)
EDIT_FIELDS = ("name", "name_en", "industry_code", "roles", "jurisdiction_code")
PERMIT_FIELDS = (
    "kind",
    "number",
    "activities",
    "waste_codes",
    "annual_capacity_t",
    "valid_from",
    "valid_to",
    "site_id",
    "issued_by",
)
FormBody = Annotated[FormData, Depends(read_form)]


def may_register(principal: Principal) -> bool:
    """Whether the principal may register firms (admins, and regulators in their region)."""
    return principal.role in (UserRole.ADMIN, UserRole.REGULATOR)


def _changed(submitted: str | None, current: str | None) -> str | None:
    """Return the new value for `OrganizationChanges`: None keeps, "" clears a set value."""
    if submitted:
        return submitted
    return "" if current else None


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the firm registration, firm edit and permit forms.

    Args:
        renderer: Renders the pages.
    """
    router = page_router(renderer)
    context = renderer.context
    actions = Actions(renderer)
    firm_page = FirmPage(renderer)

    def role_options(t: Translator) -> list[dict[str, str]]:
        return options((r.value, t.enum("role", r)) for r in Role)

    def register_page(request: Request, principal: Principal) -> dict[str, Any]:
        t = renderer.translator(request)
        regions = []
        if principal.jurisdiction_code:
            own = context.registry.region(principal.jurisdiction_code)
            under = context.registry.subregions(own.code)
            regions = options((r.code, r.name_zh) for r in [own, *under])
        return {"active": "firms", "role_options": role_options(t), "region_options": regions}

    @router.get("/firms/new", response_class=HTMLResponse)
    def register_form(request: Request) -> Response:
        """The form registering a firm (regulators and admins)."""
        principal = actions.viewer(request)
        actions.require(may_register(principal))
        form = Form(REGISTER_FIELDS)
        return actions.show(request, "firm_new.html", form, register_page(request, principal))

    @router.post("/firms/new", response_class=HTMLResponse)
    def register(request: Request, data: FormBody) -> Response:
        """Register the firm, then show its page."""
        principal = actions.poster(request, data)
        actions.require(may_register(principal))
        form = Form.submitted(REGISTER_FIELDS, form_pairs(data))
        try:
            new = NewOrganization(
                credit_code=form.text("credit_code", required=True, max_length=40),
                name=form.text("name", required=True),
                region_code=form.text("region_code", required=True, max_length=12),
                industry_code=form.optional_text("industry_code", max_length=12),
                name_en=form.optional_text("name_en"),
                roles=form.choices("roles", Role),
                jurisdiction_code=form.optional_text("jurisdiction_code", max_length=12),
            )
            organization = context.organizations.register(principal, new)
        except ZeroWasteError as exc:
            values = register_page(request, principal)
            return actions.refuse(request, exc, "firm_new.html", form, values)
        return actions.redirect(request, f"/firms/{organization.id}", "flash.firm_registered")

    def overseen(request: Request, principal: Principal, firm_id: str) -> Organization:
        organization = firm_page.organization(firm_id)
        actions.require(may_oversee(principal, organization))
        return organization

    def edit_page(request: Request, organization: Organization) -> dict[str, Any]:
        t = renderer.translator(request)
        return {
            "active": "firms",
            "firm": organization,
            "firm_name": firm_name(organization, t.language),
            "role_options": role_options(t),
        }

    @router.get("/firms/{firm_id}/edit", response_class=HTMLResponse)
    def edit_form(request: Request, firm_id: str) -> Response:
        """The form changing a firm's names, industry and roles (its regulators)."""
        organization = overseen(request, actions.viewer(request), firm_id)
        form = Form(
            EDIT_FIELDS,
            {
                "name": organization.name,
                "name_en": organization.name_en or "",
                "industry_code": organization.industry_code or "",
                "roles": [r.value for r in Role if r in organization.roles],
                "jurisdiction_code": organization.jurisdiction_code or "",
            },
        )
        return actions.show(request, "firm_edit.html", form, edit_page(request, organization))

    @router.post("/firms/{firm_id}/edit", response_class=HTMLResponse)
    def edit(request: Request, firm_id: str, data: FormBody) -> Response:
        """Store the changes, then show the firm's page."""
        principal = actions.poster(request, data)
        organization = overseen(request, principal, firm_id)
        form = Form.submitted(EDIT_FIELDS, form_pairs(data))
        try:
            changes = OrganizationChanges(
                name=form.text("name", required=True),
                name_en=_changed(form.optional_text("name_en"), organization.name_en),
                industry_code=_changed(
                    form.optional_text("industry_code", max_length=12), organization.industry_code
                ),
                roles=form.choices("roles", Role),
                jurisdiction_code=_changed(
                    form.optional_text("jurisdiction_code", max_length=12),
                    organization.jurisdiction_code,
                ),
            )
            context.organizations.update(principal, organization.id, changes)
        except ZeroWasteError as exc:
            values = edit_page(request, organization)
            return actions.refuse(request, exc, "firm_edit.html", form, values)
        return actions.redirect(request, f"/firms/{organization.id}", "flash.firm_updated")

    def permit_page(request: Request, organization: Organization) -> dict[str, Any]:
        t = renderer.translator(request)
        sites = collect(lambda p: context.sites.find_sites(p, organization_id=organization.id))
        return {
            **edit_page(request, organization),
            "kind_options": options((k.value, t.enum("permit_kind", k)) for k in PermitKind),
            "activity_options": options((a.value, t.enum("activity", a)) for a in PermitActivity),
            "site_options": options((str(s.id), s.name) for s in sites),
        }

    @router.get("/firms/{firm_id}/permits/new", response_class=HTMLResponse)
    def permit_form(request: Request, firm_id: str) -> Response:
        """The form granting a permit to a firm (its regulators)."""
        organization = overseen(request, actions.viewer(request), firm_id)
        today = context.clock().date().isoformat()
        form = Form(
            PERMIT_FIELDS, {"kind": PermitKind.HAZARDOUS_WASTE_BUSINESS, "valid_from": today}
        )
        return actions.show(request, "permit_new.html", form, permit_page(request, organization))

    @router.post("/firms/{firm_id}/permits/new", response_class=HTMLResponse)
    def grant(request: Request, firm_id: str, data: FormBody) -> Response:
        """Record the permit, then show the firm's page."""
        principal = actions.poster(request, data)
        organization = overseen(request, principal, firm_id)
        form = Form.submitted(PERMIT_FIELDS, form_pairs(data))
        try:
            new = NewPermit(
                kind=form.choice("kind", PermitKind),
                number=form.text("number", required=True, max_length=100),
                activities=form.choices("activities", PermitActivity),
                waste_codes=form.codes("waste_codes"),
                annual_capacity_t=form.decimal("annual_capacity_t"),
                valid_from=form.day("valid_from"),
                valid_to=form.day("valid_to"),
                site_id=form.identifier("site_id"),
                issued_by=form.text("issued_by"),
            )
            context.sites.grant_permit(principal, organization.id, new)
        except ZeroWasteError as exc:
            values = permit_page(request, organization)
            return actions.refuse(request, exc, "permit_new.html", form, values)
        return actions.redirect(
            request, f"/firms/{organization.id}#permits", "flash.permit_granted"
        )

    @router.post("/firms/{firm_id}/permits/{permit_id}/revoke", response_class=HTMLResponse)
    def revoke(request: Request, firm_id: str, permit_id: str, data: FormBody) -> Response:
        """End a permit on the chosen last day, then show the firm's page again."""
        principal = actions.poster(request, data)
        organization = overseen(request, principal, firm_id)
        permit = path_id(permit_id, "permit_id")
        form = Form.submitted(("last_day",), form_pairs(data))
        try:
            context.sites.revoke_permit(principal, organization.id, permit, form.day("last_day"))
        except ZeroWasteError as exc:
            form.fail(exc, renderer.translator(request))
            inline = {f"revoke-{permit}": form}
            return firm_page.render(request, organization, status=exc.status, inline=inline)
        return actions.redirect(
            request, f"/firms/{organization.id}#permits", "flash.permit_revoked"
        )

    return router
