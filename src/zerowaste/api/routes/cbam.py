"""CBAM embedded-emissions reports: submit an installation's quarter, read, export CSV and JSON."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.domain.cbam_report import CbamReport
from zerowaste.services.cbam import to_csv

router = APIRouter(tags=["carbon"])
firm = Depends(allow(Rule.ORGANIZATION))
CSV = "text/csv"


class CbamGoodOut(BaseModel):
    """A good of the report: CN code, quantity, route, SEE (t CO2e/t) and embedded t CO2e."""

    cn_code: str
    good: str
    quantity_t: str
    production_route: str
    see_direct: str
    see_indirect: str
    see_total: str
    embedded_total_t: str


class CbamReportOut(BaseModel):
    """A CBAM report: installation, quarter, version, goods and the full computed document."""

    report_id: uuid.UUID
    organization_id: uuid.UUID
    site_id: uuid.UUID
    period: str
    version: int
    created_at: datetime
    created_by: uuid.UUID | None
    goods: list[CbamGoodOut]
    document: dict[str, Any] = Field(description="Goods, processes, precursors, electricity, price")


def report_out(report: CbamReport) -> CbamReportOut:
    """The API form of a report."""
    return CbamReportOut(
        report_id=report.id,
        organization_id=report.organization_id,
        site_id=report.site_id,
        period=report.period,
        version=report.version,
        created_at=report.created_at,
        created_by=report.created_by,
        goods=[
            CbamGoodOut(**{key: good[key] for key in CbamGoodOut.model_fields})
            for good in report.results["goods"]
        ],
        document=report.results,
    )


def _csv_response(report: CbamReport) -> Response:
    return Response(
        to_csv(report),
        media_type=CSV,
        headers={
            "Content-Disposition": f'attachment; filename="cbam-{report.period}-'
            f'v{report.version}-{report.id}.csv"'
        },
    )


@router.post("/carbon/cbam/reports", status_code=201, response_model=CbamReportOut)
def submit(
    request: Request,
    actor: Annotated[Principal, firm],
    body: Annotated[dict[str, Any], Body(description="Activity data: site, period, processes")],
) -> CbamReportOut:
    """Submit an installation's activity data for a quarter; the report is computed and kept.

    Only the installation's own firm submits. A bad value is refused naming its field, and
    nothing is stored. Submitting the same installation and quarter again adds a version.
    """
    return report_out(context_of(request).cbam.submit(actor, body))


@router.get("/carbon/cbam/reports", response_model=list[CbamReportOut])
def list_reports(
    request: Request,
    actor: Annotated[Principal, firm],
    organization_id: uuid.UUID | None = None,
    site_id: uuid.UUID | None = None,
    period: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[CbamReportOut]:
    """Reports newest first: a firm sees its own, a regulator its region's, an admin all."""
    found = context_of(request).cbam.list(
        actor,
        organization_id=organization_id,
        site_id=site_id,
        period=period,
        limit=limit,
        offset=offset,
    )
    return [report_out(report) for report in found]


@router.get(
    "/carbon/cbam/reports/{report_id}.csv",
    response_class=Response,
    responses={200: {"description": "One row per good", "content": {CSV: {}}}},
)
def report_csv(
    request: Request, report_id: uuid.UUID, actor: Annotated[Principal, firm]
) -> Response:
    """The report as CSV, one row per good (precursors and electricity factors in columns)."""
    return _csv_response(context_of(request).cbam.get(actor, report_id))


@router.get("/carbon/cbam/reports/{report_id}.json")
def report_json(
    request: Request, report_id: uuid.UUID, actor: Annotated[Principal, firm]
) -> JSONResponse:
    """The report as a JSON document (the export format), with its identity and version."""
    document = context_of(request).cbam.export_json(actor, report_id)
    return JSONResponse(
        document,
        headers={"Content-Disposition": f'attachment; filename="cbam-{report_id}.json"'},
    )


@router.get(
    "/carbon/cbam/reports/{report_id}",
    response_model=CbamReportOut,
    responses={200: {"content": {CSV: {}}}},
)
def report(
    request: Request,
    report_id: uuid.UUID,
    actor: Annotated[Principal, firm],
    format: Literal["json", "csv"] = "json",
) -> Any:
    """One report; `?format=csv` gives the CSV export instead."""
    found = context_of(request).cbam.get(actor, report_id)
    if format == "csv":
        return _csv_response(found)
    return report_out(found)
