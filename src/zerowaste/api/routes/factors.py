"""The factor library: factors and datasets for anyone to read; imports and activation by admins."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from zerowaste.api.pagination import PageOut, page_out, page_request
from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.domain.factor_datasets import FactorDataset, FactorFilter, region_label
from zerowaste.domain.factors import Factor
from zerowaste.domain.pages import DEFAULT_PAGE_SIZE
from zerowaste.errors import InvalidInput

router = APIRouter(prefix="/carbon", tags=["carbon"])
public = Depends(allow(Rule.PUBLIC))
admin = Depends(allow(Rule.ADMIN))
CSV_TYPES = ("text/csv", "text/plain", "application/csv")
#: The web page of a factor; figures elsewhere link to it.
FACTOR_PAGE = "/carbon/factors/{ref}"


class DistributionOut(BaseModel):
    """A factor's uncertainty: kind and parameters, in the factor's unit (GSD for lognormal)."""

    kind: str
    spread: float | None
    low: float | None
    high: float | None


class FactorOut(BaseModel):
    """One factor with its provenance; `set` tells inventory from avoided (never summed)."""

    ref: str
    set: str
    category: str
    subject: str
    route: str
    region: str = Field(description="GLO, CN or a six-digit GB/T 2260 code")
    year: int
    value: Decimal
    unit: str
    distribution: DistributionOut
    interval_95: tuple[float, float]
    source: str
    edition: str
    verification: str
    note: str
    page: str = Field(description="The factor's web page")


class DatasetOut(BaseModel):
    """A stored version of the factor library."""

    dataset_id: uuid.UUID
    name: str
    version: str
    description: str
    created_at: datetime
    created_by: uuid.UUID | None
    is_active: bool
    factor_count: int
    factors_csv: str


def factor_out(factor: Factor) -> FactorOut:
    """The API form of a factor."""
    d = factor.distribution
    return FactorOut(
        ref=factor.ref,
        set=factor.factor_set.value,
        category=factor.category.value,
        subject=factor.subject,
        route=factor.route,
        region=region_label(factor.region),
        year=factor.year,
        value=factor.value,
        unit=factor.unit,
        distribution=DistributionOut(kind=d.kind.value, spread=d.spread, low=d.low, high=d.high),
        interval_95=d.interval_95(float(factor.value)),
        source=factor.source,
        edition=factor.edition,
        verification=factor.verification.value,
        note=factor.note,
        page=FACTOR_PAGE.format(ref=factor.ref),
    )


def dataset_out(dataset: FactorDataset) -> DatasetOut:
    """The API form of a dataset."""
    return DatasetOut(
        dataset_id=dataset.id,
        name=dataset.name,
        version=dataset.version,
        description=dataset.description,
        created_at=dataset.created_at,
        created_by=dataset.created_by,
        is_active=dataset.is_active,
        factor_count=dataset.factor_count,
        factors_csv=f"/api/v1/carbon/factor-datasets/{dataset.id}/factors.csv",
    )


@router.get("/factors", response_model=PageOut[FactorOut], dependencies=[public])
def list_factors(
    request: Request,
    factor_set: Annotated[str, Query(alias="set", description="inventory or avoided")] = "",
    category: str = "",
    subject: str = "",
    route: str = "",
    region: Annotated[str, Query(description="GLO, CN or a GB/T 2260 code")] = "",
    dataset_id: Annotated[uuid.UUID | None, Query(description="Default: the active one")] = None,
    cursor: str | None = None,
    limit: int = DEFAULT_PAGE_SIZE,
) -> dict[str, object]:
    """Factors of a dataset by reference (inventory and avoided come as separate runs)."""
    chosen = FactorFilter.parse(
        factor_set=factor_set, category=category, subject=subject, route=route, region=region
    )
    page = context_of(request).factors.factors(chosen, page_request(cursor, limit), dataset_id)
    return page_out(page, factor_out)


@router.get("/factors/{ref:path}", response_model=FactorOut, dependencies=[public])
def show_factor(request: Request, ref: str, dataset_id: uuid.UUID | None = None) -> FactorOut:
    """One factor by reference, e.g. `avoided/waste_route/steel/recycling/GLO/2023`."""
    return factor_out(context_of(request).factors.factor(ref, dataset_id))


@router.get("/factor-datasets", response_model=list[DatasetOut], dependencies=[public])
def list_datasets(request: Request) -> list[DatasetOut]:
    """Every stored dataset version, newest first; one is active."""
    return [dataset_out(d) for d in context_of(request).factors.datasets()]


async def _csv_of(request: Request) -> tuple[str, dict[str, str]]:
    """The CSV text of a request (a text/csv body or a multipart `file`), and its form fields."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("send the CSV as the multipart field `file`", field="file")
        raw = await upload.read()
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
    elif content_type in CSV_TYPES:
        raw, fields = await request.body(), {}
    else:
        raise InvalidInput("send text/csv or multipart/form-data", field="content-type")
    try:
        return raw.decode("utf-8"), fields
    except UnicodeDecodeError:
        raise InvalidInput("the CSV must be UTF-8", field="file") from None


@router.post(
    "/factor-datasets",
    status_code=201,
    response_model=DatasetOut,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                },
            },
        }
    },
)
async def import_dataset(
    request: Request,
    actor: Annotated[Principal, admin],
    name: str = "",
    version: str = "",
    description: str = "",
    activate: bool = False,
) -> DatasetOut:
    """Import a factor CSV as a new dataset version (nothing stored if any row is invalid).

    `name`, `version`, `description` and `activate` come as query parameters or, with a
    multipart body, as form fields.
    """
    text, fields = await _csv_of(request)
    options: dict[str, Any] = {
        "name": fields.get("name", name),
        "version": fields.get("version", version),
        "description": fields.get("description", description),
        "activate": fields.get("activate", str(activate)).lower() in ("true", "1", "yes", "on"),
    }
    service = context_of(request).factors
    dataset = await run_in_threadpool(
        lambda: service.import_csv(
            actor,
            text,
            options["name"],
            options["version"],
            description=options["description"],
            activate=options["activate"],
        )
    )
    return dataset_out(dataset)


@router.post("/factor-datasets/{dataset_id}/activate", response_model=DatasetOut)
def activate_dataset(
    request: Request, dataset_id: uuid.UUID, actor: Annotated[Principal, admin]
) -> DatasetOut:
    """Make this dataset the active one; every later calculation uses its factors."""
    return dataset_out(context_of(request).factors.activate(actor, dataset_id))


@router.get(
    "/factor-datasets/{dataset_id}/factors.csv",
    response_class=Response,
    dependencies=[public],
    responses={200: {"content": {"text/csv": {}}}},
)
def export_dataset(request: Request, dataset_id: uuid.UUID) -> Response:
    """A dataset's factors as CSV, in the import format."""
    service = context_of(request).factors
    dataset = service.dataset(dataset_id)
    filename = f"factors-{dataset.name}-{dataset.version}.csv".replace(" ", "_")
    return Response(
        service.export_csv(dataset_id),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )
