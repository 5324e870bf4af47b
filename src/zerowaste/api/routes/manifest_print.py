"""The printable copy of record of a manifest, as a PDF."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.services.manifest_print import copy_pdf

router = APIRouter(tags=["manifests"])
PDF = "application/pdf"


@router.get(
    "/manifests/{manifest_id}/print.pdf",
    response_class=Response,
    responses={200: {"description": "The copy of record, A4, bilingual", "content": {PDF: {}}}},
)
def manifest_pdf(
    request: Request,
    manifest_id: uuid.UUID,
    actor: Annotated[Principal, Depends(allow(Rule.AUTHENTICATED))],
) -> Response:
    """The manifest's copy of record as a PDF, with a QR code of its latest step's receipt.

    Every party, code, mass and signature; for the manifest's parties and its regions'
    regulators.
    """
    base_url = str(request.base_url).rstrip("/")
    copy = context_of(request).manifest_print.copy_of_record(actor, manifest_id, base_url)
    number = copy.record["number"]
    return Response(
        copy_pdf(copy),
        media_type=PDF,
        headers={"Content-Disposition": f'inline; filename="manifest-{number}.pdf"'},
    )
