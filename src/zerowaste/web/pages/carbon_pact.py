"""The firm's PACT page: its published footprints (PACT JSON each), its clients, partner URLs."""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from zerowaste.adapters.exporters.pact_events import REQUEST_CREATED
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.pact import PactClient, PactEvent
from zerowaste.errors import InvalidInput, ZeroWasteError
from zerowaste.web.forms import Form
from zerowaste.web.pages.actions import Actions, form_pairs, read_form
from zerowaste.web.pages.firm_page import path_id
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer

CLIENT_FIELDS = ("organization", "name")
FormBody = Annotated[FormData, Depends(read_form)]
_TIME = "%Y-%m-%d %H:%M"


def _client_view(client: PactClient) -> dict[str, Any]:
    return {
        "client_id": client.client_id,
        "name": client.name,
        "created": client.created_at.strftime(_TIME),
        "revoked": client.revoked_at.strftime(_TIME) if client.revoked_at else "",
    }


def _event_view(event: PactEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "answerable": event.event_type == REQUEST_CREATED,
        "type": event.event_type.removeprefix("org.wbcsd.pact.ProductFootprint."),
        "event_id": event.event_id,
        "source": event.source,
        "received": event.received_at.strftime(_TIME),
    }


def _footprint_view(document: dict[str, Any]) -> dict[str, Any]:
    pcf = document["pcf"]
    return {
        "id": document["id"],
        "product": document["productNameCompany"],
        "product_id": document["productIds"][0],
        "status": document["status"],
        "created": document["created"][:10],
        "period": f"{pcf['referencePeriodStart'][:10]} – {pcf['referencePeriodEnd'][:10]}",
        "pcf": pcf["pcfExcludingBiogenicUptake"],
        "unit": f"{pcf['declaredUnitAmount']} {pcf['declaredUnitOfMeasurement']}",
        "geography": pcf.get("geographyCountrySubdivision") or pcf.get("geographyCountry"),
    }


def endpoints(request: Request) -> dict[str, str]:
    """The URLs a data recipient configures (PACT v3 "Host System": base URL, token URL)."""
    base = str(request.base_url).rstrip("/") + "/pact"
    return {
        "base": base,
        "token": base + "/auth/token",
        "footprints": base + "/3/footprints",
        "events": base + "/3/events",
    }


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the PACT page, its client forms and the JSON downloads.

    Args:
        renderer: Renders the pages.
    """
    router = page_router(renderer)
    context = renderer.context
    actions = Actions(renderer)

    def owner_of(principal: Principal, organization: str) -> uuid.UUID | None:
        if organization.strip():
            return path_id(organization.strip(), "organization")
        return principal.organization_id

    def page(
        request: Request,
        principal: Principal,
        owner: uuid.UUID | None,
        *,
        form: Form | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        values: dict[str, Any] = {
            "active": "carbon",
            "endpoints": endpoints(request),
            "owner": None,
            "form": form or Form(CLIENT_FIELDS, {"organization": str(owner or "")}),
        }
        if owner is not None:
            organization = context.organizations.get(owner)
            documents = context.pact.published(principal, owner)
            manages = principal.role is UserRole.ADMIN or principal.organization_id == owner
            values |= {
                "owner": {"id": owner, "name": organization.name},
                "footprints": [_footprint_view(d) for d in documents],
                "manages": manages,
                "clients": [_client_view(c) for c in context.pact.clients(principal, owner)],
                "events": [_event_view(e) for e in context.pact.events(principal, owner)],
            }
        return renderer.render(request, "carbon_pact.html", values, status=status)

    @router.get("/carbon/pact", response_class=HTMLResponse)
    def pact_page(
        request: Request, organization: Annotated[str, Query(max_length=64)] = ""
    ) -> Response:
        """The firm's footprints as PACT publishes them, its clients and the partner URLs."""
        principal = actions.viewer(request)
        return page(request, principal, owner_of(principal, organization))

    @router.get("/carbon/pact/{footprint_id}.json")
    def pact_json(request: Request, footprint_id: str) -> Response:
        """One footprint as a PACT v3 ProductFootprint file."""
        principal = actions.viewer(request)
        document = context.pact.export(principal, path_id(footprint_id, "footprint_id"))
        body = json.dumps(document, ensure_ascii=False, indent=2)
        disposition = f'attachment; filename="pact-{document["id"]}.json"'
        return Response(
            body, media_type="application/json", headers={"Content-Disposition": disposition}
        )

    @router.get("/carbon/pact/events/{event_id}/answer.json")
    def answer_json(request: Request, event_id: str) -> Response:
        """The CloudEvent answering a received request, to send to the data recipient."""
        principal = actions.viewer(request)
        wanted = path_id(event_id, "event_id")
        document = context.pact.answer(principal, wanted, endpoints(request)["events"])
        body = json.dumps(document, ensure_ascii=False, indent=2)
        disposition = f'attachment; filename="pact-answer-{wanted}.json"'
        return Response(
            body, media_type="application/cloudevents+json",
            headers={"Content-Disposition": disposition},
        )  # fmt: skip

    @router.post("/carbon/pact/clients", response_class=HTMLResponse)
    def add_client(request: Request, data: FormBody) -> Response:
        """Admit a data recipient and show its secret, this once."""
        principal = actions.poster(request, data)
        form = Form.submitted(CLIENT_FIELDS, form_pairs(data))
        owner = None
        try:
            owner = owner_of(principal, form.value("organization"))
            if owner is None:
                raise InvalidInput("choose the firm", field="organization")
            name = form.text("name", required=True, max_length=200)
            client, secret = context.pact.register_client(principal, owner, name)
        except ZeroWasteError as exc:
            form.fail(exc, renderer.translator(request))
            return page(request, principal, owner, form=form, status=exc.status)
        values = {
            "active": "carbon",
            "client": _client_view(client),
            "secret": secret,
            "owner": owner,
            "endpoints": endpoints(request),
        }
        return renderer.render(request, "pact_client_issued.html", values)

    @router.post("/carbon/pact/clients/{client_id}/revoke", response_class=HTMLResponse)
    def revoke_client(request: Request, client_id: str, data: FormBody) -> Response:
        """Revoke a client of the firm."""
        principal = actions.poster(request, data)
        client = context.pact.revoke_client(principal, client_id[:40])
        return actions.redirect(
            request, f"/carbon/pact?organization={client.organization_id}", "pact.revoked"
        )

    return router
