"""A firm's own data through forms: its sites, economic figures and signing keys."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from zerowaste.domain.access import Principal
from zerowaste.domain.organizations import EconomicRecord, Organization
from zerowaste.domain.sites import NewSite, Site, SiteKind
from zerowaste.errors import NotFound, ZeroWasteError
from zerowaste.web.forms import Form
from zerowaste.web.pages.actions import Actions, form_pairs, options, read_form
from zerowaste.web.pages.common import firm_name
from zerowaste.web.pages.firm_page import FirmPage, may_act_for, path_id
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer

SITE_FIELDS = ("name", "kind", "region_code", "latitude", "longitude", "address")
ECONOMICS_FIELDS = (
    "year",
    "output_value_cny",
    "industrial_added_value_cny",
    "product_output",
    "product_unit",
)
FormBody = Annotated[FormData, Depends(read_form)]


def _new_site(form: Form) -> NewSite:
    return NewSite(
        name=form.text("name", required=True),
        kind=form.choice("kind", SiteKind),
        region_code=form.text("region_code", required=True, max_length=12),
        latitude=form.number("latitude"),
        longitude=form.number("longitude"),
        address=form.text("address", max_length=500),
    )


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the site, economic figure and signing key forms.

    Every form here is for the firm's own users, its regulators and administrators.

    Args:
        renderer: Renders the pages.
    """
    router = page_router(renderer)
    context = renderer.context
    actions = Actions(renderer)
    firm_page = FirmPage(renderer)

    def own(principal: Principal, firm_id: str) -> Organization:
        organization = firm_page.organization(firm_id)
        actions.require(may_act_for(principal, organization))
        return organization

    def own_site(organization: Organization, site_id: str) -> Site:
        site = context.sites.site(path_id(site_id, "site_id"))
        if site.organization_id != organization.id:
            raise NotFound(f"no site {site_id} of this organization", field="site_id")
        return site

    def page_values(request: Request, organization: Organization, **more: Any) -> dict[str, Any]:
        t = renderer.translator(request)
        return {
            "active": "firms",
            "firm": organization,
            "firm_name": firm_name(organization, t.language),
            "kind_options": options((k.value, t.enum("site_kind", k)) for k in SiteKind),
            **more,
        }

    @router.get("/firms/{firm_id}/sites/new", response_class=HTMLResponse)
    def site_form(request: Request, firm_id: str) -> Response:
        """The form adding a site to a firm."""
        organization = own(actions.viewer(request), firm_id)
        form = Form(SITE_FIELDS, {"region_code": organization.region_code, "kind": SiteKind.PLANT})
        values = page_values(request, organization, site=None)
        return actions.show(request, "site_form.html", form, values)

    @router.post("/firms/{firm_id}/sites/new", response_class=HTMLResponse)
    def add_site(request: Request, firm_id: str, data: FormBody) -> Response:
        """Register the site, then show the firm's page."""
        principal = actions.poster(request, data)
        organization = own(principal, firm_id)
        form = Form.submitted(SITE_FIELDS, form_pairs(data))
        try:
            context.sites.add_site(principal, organization.id, _new_site(form))
        except ZeroWasteError as exc:
            values = page_values(request, organization, site=None)
            return actions.refuse(request, exc, "site_form.html", form, values)
        return actions.redirect(request, f"/firms/{organization.id}#sites", "flash.site_added")

    @router.get("/firms/{firm_id}/sites/{site_id}/edit", response_class=HTMLResponse)
    def site_edit_form(request: Request, firm_id: str, site_id: str) -> Response:
        """The form changing (or removing) one of the firm's sites."""
        organization = own(actions.viewer(request), firm_id)
        site = own_site(organization, site_id)
        form = Form(
            SITE_FIELDS,
            {
                "name": site.name,
                "kind": site.kind,
                "region_code": site.region_code,
                "latitude": repr(site.latitude),
                "longitude": repr(site.longitude),
                "address": site.address,
            },
        )
        values = page_values(request, organization, site=site)
        return actions.show(request, "site_form.html", form, values)

    @router.post("/firms/{firm_id}/sites/{site_id}/edit", response_class=HTMLResponse)
    def update_site(request: Request, firm_id: str, site_id: str, data: FormBody) -> Response:
        """Store the site's new details, then show the firm's page."""
        principal = actions.poster(request, data)
        organization = own(principal, firm_id)
        site = own_site(organization, site_id)
        form = Form.submitted(SITE_FIELDS, form_pairs(data))
        try:
            context.sites.update_site(principal, organization.id, site.id, _new_site(form))
        except ZeroWasteError as exc:
            values = page_values(request, organization, site=site)
            return actions.refuse(request, exc, "site_form.html", form, values)
        return actions.redirect(request, f"/firms/{organization.id}#sites", "flash.site_updated")

    @router.post("/firms/{firm_id}/sites/{site_id}/remove", response_class=HTMLResponse)
    def remove_site(request: Request, firm_id: str, site_id: str, data: FormBody) -> Response:
        """Remove a site no permit names; otherwise show the firm's page with the reason."""
        principal = actions.poster(request, data)
        organization = own(principal, firm_id)
        site = own_site(organization, site_id)
        try:
            context.sites.remove_site(principal, organization.id, site.id)
        except ZeroWasteError as exc:
            form = Form(())
            form.fail(exc, renderer.translator(request))
            inline = {f"site-{site.id}": form}
            return firm_page.render(request, organization, status=exc.status, inline=inline)
        return actions.redirect(request, f"/firms/{organization.id}#sites", "flash.site_removed")

    @router.get("/firms/{firm_id}/economics/new", response_class=HTMLResponse)
    def economics_form(request: Request, firm_id: str) -> Response:
        """The form recording one year's economic figures of a firm."""
        organization = own(actions.viewer(request), firm_id)
        last_year = str(context.clock().year - 1)
        form = Form(ECONOMICS_FIELDS, {"year": last_year, "product_unit": "t"})
        return actions.show(
            request, "economics_form.html", form, page_values(request, organization)
        )

    @router.post("/firms/{firm_id}/economics/new", response_class=HTMLResponse)
    def record_economics(request: Request, firm_id: str, data: FormBody) -> Response:
        """Store (or replace) the year's figures, then show the firm's page."""
        principal = actions.poster(request, data)
        organization = own(principal, firm_id)
        form = Form.submitted(ECONOMICS_FIELDS, form_pairs(data))
        try:
            record = EconomicRecord(
                organization_id=organization.id,
                year=form.integer("year"),
                output_value_cny=form.decimal("output_value_cny"),
                industrial_added_value_cny=form.decimal("industrial_added_value_cny"),
                product_output=form.decimal("product_output"),
                product_unit=form.text("product_unit", required=True, max_length=32),
            )
            context.organizations.record_economics(principal, record)
        except ZeroWasteError as exc:
            values = page_values(request, organization)
            return actions.refuse(request, exc, "economics_form.html", form, values)
        path = f"/firms/{organization.id}#economics"
        return actions.redirect(request, path, "flash.economics_recorded")

    @router.post("/firms/{firm_id}/keys", response_class=HTMLResponse)
    def create_key(request: Request, firm_id: str, data: FormBody) -> Response:
        """Create a custodial signing key (the platform holds its private half)."""
        principal = actions.poster(request, data)
        organization = own(principal, firm_id)
        try:
            context.signing_keys.create_custodial(principal, organization.id)
        except ZeroWasteError as exc:
            return key_refused(request, organization, exc)
        return actions.redirect(request, f"/firms/{organization.id}#keys", "flash.key_created")

    @router.post("/firms/{firm_id}/keys/{key_id}/retire", response_class=HTMLResponse)
    def retire_key(request: Request, firm_id: str, key_id: str, data: FormBody) -> Response:
        """End a signing key's validity now."""
        principal = actions.poster(request, data)
        organization = own(principal, firm_id)
        try:
            key = path_id(key_id, "key_id")
            context.signing_keys.retire(principal, organization.id, key)
        except ZeroWasteError as exc:
            return key_refused(request, organization, exc)
        return actions.redirect(request, f"/firms/{organization.id}#keys", "flash.key_retired")

    def key_refused(request: Request, organization: Organization, exc: ZeroWasteError) -> Response:
        form = Form(())
        form.fail(exc, renderer.translator(request))
        return firm_page.render(request, organization, status=exc.status, inline={"keys": form})

    return router
