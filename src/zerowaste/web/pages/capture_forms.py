"""The firm desk's capture forms: record generation, storage, splits, utilization and more."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from zerowaste.domain.access import Principal
from zerowaste.domain.batches import Batch, BatchStatus
from zerowaste.domain.events import DisposalMethod, OutputKind
from zerowaste.domain.organizations import Organization
from zerowaste.errors import NotFound, ZeroWasteError
from zerowaste.web.capture_documents import (
    FIELDS,
    UNITS,
    CaptureKind,
    build_document,
    form_error,
)
from zerowaste.web.forms import Form
from zerowaste.web.i18n import Translator
from zerowaste.web.pages.actions import Actions, form_pairs, options, read_form
from zerowaste.web.pages.common import batch_label, collect, firm_name
from zerowaste.web.pages.firm_page import FirmPage, may_act_for
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer

FormBody = Annotated[FormData, Depends(read_form)]
COMMON_FIELDS = ("event_time", "note")


def capture_kind(raw: str) -> CaptureKind:
    """The form a path names, or `NotFound`."""
    try:
        return CaptureKind(raw)
    except ValueError:
        raise NotFound(f"no capture form {raw}", field="kind") from None


def batch_option(t: Translator, batch: Batch) -> dict[str, str]:
    """A select option naming a held batch by code, id and mass."""
    mass = format(batch.mass_kg.normalize() + 0, "f")
    return {"value": str(batch.batch_id), "label": f"{batch_label(t, batch)} · {mass} kg"}


def _target(kind: CaptureKind, document: dict[str, Any]) -> str | None:
    """The batch the page after a capture shows: what it made, else what it drew on."""
    if kind is CaptureKind.INSPECT:
        return None
    lines = document.get("outputs") or document.get("inputs") or []
    if kind is CaptureKind.CORRECT:
        lines = [document["corrected_mass"]] if "corrected_mass" in document else []
    return str(lines[0]["batch"]).rsplit(":", 1)[-1] if lines else None


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the capture forms (for the firm's users, regulators and admins).

    Events are signed by the platform with the firm's custodial key (`capture_custodial`),
    recording the signed-in user beside the key.

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

    def held(principal: Principal, organization: Organization) -> list[Batch]:
        batches = context.holdings.batches(principal, organization.id)
        return [b for b in batches if b.status is BatchStatus.HELD]

    def page_values(
        request: Request, principal: Principal, organization: Organization, kind: CaptureKind
    ) -> dict[str, Any]:
        t = renderer.translator(request)
        sites = collect(lambda p: context.sites.find_sites(p, organization_id=organization.id))
        return {
            "active": "firms",
            "firm": organization,
            "firm_name": firm_name(organization, t.language),
            "kind": kind.value,
            "fields": FIELDS[kind],
            "site_options": options((str(s.id), s.name) for s in sites),
            "batch_options": [batch_option(t, b) for b in held(principal, organization)],
            "unit_options": options((u, t(f"unit.{u}")) for u in UNITS),
            "output_kind_options": options(
                (k.value, t.enum("output_kind", k)) for k in OutputKind if k is not OutputKind.WASTE
            ),
            "disposal_options": options((d.value, t.enum("disposal", d)) for d in DisposalMethod),
        }

    @router.get("/firms/{firm_id}/capture/{kind}", response_class=HTMLResponse)
    def capture_form(request: Request, firm_id: str, kind: str) -> Response:
        """A blank capture form (`?batch=` and `?event=` preselect a batch and an event)."""
        form_kind = capture_kind(kind)
        principal = actions.viewer(request)
        organization = own(principal, firm_id)
        values = page_values(request, principal, organization, form_kind)
        sites = values["site_options"]
        prefill = {
            "unit": "KGM",
            "site_id": sites[0]["value"] if sites else "",
            "batch_id": request.query_params.get("batch", ""),
            "corrects_event_id": request.query_params.get("event", ""),
            "output_kind": OutputKind.SECONDARY_RAW_MATERIAL.value,
            "disposal_method": DisposalMethod.INCINERATION.value,
        }
        form = Form((*FIELDS[form_kind], *COMMON_FIELDS), prefill)
        return actions.show(request, "capture_form.html", form, values)

    @router.post("/firms/{firm_id}/capture/{kind}", response_class=HTMLResponse)
    def capture(request: Request, firm_id: str, kind: str, data: FormBody) -> Response:
        """Sign and capture the event, then show the batch it made or drew on."""
        form_kind = capture_kind(kind)
        principal = actions.poster(request, data)
        organization = own(principal, firm_id)
        form = Form.submitted((*FIELDS[form_kind], *COMMON_FIELDS), form_pairs(data))
        try:
            batches = {b.batch_id: b for b in held(principal, organization)}
            document = build_document(form_kind, form, organization.id, context.clock(), batches)
            context.capture.capture_custodial(principal, [document])
        except ZeroWasteError as exc:
            values = page_values(request, principal, organization, form_kind)
            error = form_error(form_kind, exc)
            return actions.refuse(request, error, "capture_form.html", form, values)
        batch = _target(form_kind, document)
        path = f"/batches/{batch}" if batch else f"/firms/{organization.id}#holdings"
        return actions.redirect(request, path, f"flash.captured_{form_kind.value}")

    return router
