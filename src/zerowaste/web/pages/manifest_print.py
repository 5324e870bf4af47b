"""The printable copy of record of a manifest: the same sheet as the PDF, with print CSS."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse

from zerowaste.adapters.exporters.qr import qr_svg
from zerowaste.errors import NotAuthenticated
from zerowaste.services.manifest_print import sheet
from zerowaste.web.pages.firm_page import path_id
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of `/manifests/{id}/print`.

    Args:
        renderer: Renders the page; its context holds the services.
    """
    router = page_router(renderer)

    @router.get("/manifests/{manifest_id}/print", response_class=HTMLResponse)
    def manifest_print(request: Request, manifest_id: str) -> HTMLResponse:
        """The copy of record in the visitor's language (parties and their regulators only)."""
        principal = renderer.principal(request)
        if principal is None:
            raise NotAuthenticated("sign in to print a manifest")
        manifest = path_id(manifest_id, "manifest_id")
        base_url = str(request.base_url).rstrip("/")
        copy = renderer.context.manifest_print.copy_of_record(principal, manifest, base_url)
        t = renderer.translator(request)
        page = sheet(copy, t.language)
        values = {
            "sheet": page,
            "manifest_id": manifest,
            "qr": qr_svg(page.qr_payload, title=t("print.qr_label")),
        }
        return renderer.render(request, "manifest_print.html", values)

    return router
