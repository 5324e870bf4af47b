"""Evaluation: panel datasets, fixed-effects models with tables, mediation, event studies."""

from __future__ import annotations

import math
import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.evaluation.dataset import DatasetSummary, Panel
from zerowaste.evaluation.event_study import ESTIMATORS, EventStudy
from zerowaste.evaluation.mediation import MAX_REPLICATES, Mediation
from zerowaste.evaluation.panel import ModelResult
from zerowaste.evaluation.tables import TableFormat
from zerowaste.services.evaluation import (
    MAX_CSV_CHARS,
    MAX_PANEL_YEARS,
    MAX_SOURCE,
    StoredDataset,
)

router = APIRouter(prefix="/evaluation", tags=["evaluation"])
signed_in = Depends(allow(Rule.AUTHENTICATED))
regulators = Depends(allow(Rule.REGULATOR))
#: Rows of a dataset its description shows.
PREVIEW_ROWS = 20
Name = Annotated[str, Field(min_length=1, max_length=64)]
Variable = Annotated[str, Field(min_length=1, max_length=40)]


def number(value: float | None) -> float | None:
    """A float for JSON: NaN and infinities become null."""
    return value if value is not None and math.isfinite(value) else None


class DatasetIn(BaseModel):
    """A panel CSV (header `firm,city,year,<variables…>`) with its name and source."""

    name: Name
    source: str = Field(min_length=1, max_length=MAX_SOURCE)
    csv: str = Field(min_length=1, max_length=MAX_CSV_CHARS)


class BalanceOut(BaseModel):
    """Firms, cities, years and whether every firm has every year."""

    firms: int
    cities: int
    years: int
    first_year: int
    last_year: int
    rows: int
    balanced: bool


class DatasetOut(BaseModel):
    """A stored dataset's description."""

    id: uuid.UUID
    name: str
    source: str
    created_by: uuid.UUID | None
    created_at: datetime
    variables: list[str]
    rows: int


class DatasetDetailOut(DatasetOut):
    """A dataset with its balance and its first rows."""

    balance: BalanceOut
    preview: list[dict[str, Any]]


def dataset_out(summary: DatasetSummary) -> DatasetOut:
    """The API form of a dataset's description."""
    return DatasetOut.model_validate(summary, from_attributes=True)


def preview(panel: Panel, rows: int = PREVIEW_ROWS) -> list[dict[str, Any]]:
    """The first rows as JSON objects (missing values null)."""
    found = []
    for record in panel.frame.head(rows).to_dict(orient="records"):
        row: dict[str, Any] = {"firm": record["firm"], "city": record["city"]}
        row["year"] = int(record["year"])
        row |= {v: number(float(record[v])) for v in panel.variables}
        found.append(row)
    return found


def dataset_detail_out(stored: StoredDataset) -> DatasetDetailOut:
    """The API form of a dataset with its balance and first rows."""
    return DatasetDetailOut(
        **dataset_out(stored.summary).model_dump(),
        balance=BalanceOut.model_validate(stored.panel.balance, from_attributes=True),
        preview=preview(stored.panel),
    )


class ModelIn(BaseModel):
    """A model: outcome on regressors with fixed effects; `cluster` adds clustered errors."""

    dataset: Name
    outcome: Variable
    regressors: list[Variable] = Field(min_length=1, max_length=20)
    fixed_effects: list[str] = Field(default=["firm", "year"], max_length=3)
    cluster: str | None = None
    format: TableFormat = TableFormat.HTML


class CoefficientOut(BaseModel):
    """One regressor's estimate with its error, t, p and 95 % interval."""

    name: str
    estimate: float
    se: float | None
    t: float | None
    p: float | None
    ci_low: float | None
    ci_high: float | None


class ModelOut(BaseModel):
    """A fitted model and the convention of its standard errors."""

    outcome: str
    regressors: list[str]
    fixed_effects: list[str]
    cluster: str | None
    vcov: str
    vcov_convention: str
    n: int
    groups: dict[str, int]
    clusters: int | None
    r2: float | None
    r2_within: float | None
    coefficients: list[CoefficientOut]


class ModelsOut(BaseModel):
    """The models side by side (classical errors first) and their table."""

    models: list[ModelOut]
    format: TableFormat
    table: str


def model_out(model: ModelResult) -> ModelOut:
    """The API form of a fitted model."""
    return ModelOut(
        outcome=model.spec.outcome,
        regressors=list(model.spec.regressors),
        fixed_effects=list(model.spec.fixed_effects),
        cluster=model.spec.cluster,
        vcov=model.spec.vcov.value,
        vcov_convention=model.vcov_convention,
        n=model.n,
        groups=model.groups,
        clusters=model.clusters,
        r2=number(model.r2),
        r2_within=number(model.r2_within),
        coefficients=[
            CoefficientOut(
                name=c.name,
                estimate=c.estimate,
                se=number(c.se),
                t=number(c.t),
                p=number(c.p),
                ci_low=number(c.ci_low),
                ci_high=number(c.ci_high),
            )
            for c in model.coefficients
        ],
    )


class MediationIn(BaseModel):
    """Does `treatment` act on `outcome` through `mediator`? Bootstrap with `replicates` > 0."""

    dataset: Name
    outcome: Variable
    treatment: Variable
    mediator: Variable
    controls: list[Variable] = Field(default_factory=list, max_length=20)
    fixed_effects: list[str] = Field(default=["firm", "year"], max_length=3)
    cluster: str | None = None
    replicates: int = Field(default=0, ge=0, le=MAX_REPLICATES)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    format: TableFormat = TableFormat.HTML


class BootstrapOut(BaseModel):
    """The cluster bootstrap's percentile interval of a·b."""

    replicates: int
    seed: int
    cluster: str
    ci_low: float
    ci_high: float
    se: float


class MediationOut(BaseModel):
    """The three steps, c = c′ + a·b (with its rounding gap), Sobel, bootstrap, table."""

    outcome: str
    treatment: str
    mediator: str
    c: float
    a: float
    b: float
    c_prime: float
    indirect: float
    identity_gap: float
    share_mediated: float | None
    sobel_z: float | None
    sobel_p: float | None
    bootstrap: BootstrapOut | None
    steps: list[ModelOut]
    format: TableFormat
    table: str


def mediation_out(result: Mediation, fmt: TableFormat, table: str) -> MediationOut:
    """The API form of a mediation analysis."""
    boot = result.bootstrap
    return MediationOut(
        outcome=result.outcome,
        treatment=result.treatment,
        mediator=result.mediator,
        c=result.c,
        a=result.a,
        b=result.b,
        c_prime=result.c_prime,
        indirect=result.indirect,
        identity_gap=result.identity_gap,
        share_mediated=number(result.share_mediated),
        sobel_z=number(result.sobel_z),
        sobel_p=number(result.sobel_p),
        bootstrap=BootstrapOut(
            replicates=boot.replicates,
            seed=boot.seed,
            cluster=boot.cluster,
            ci_low=boot.ci_low,
            ci_high=boot.ci_high,
            se=boot.se,
        )
        if boot
        else None,
        steps=[model_out(m) for m in (result.total, result.path_a, result.direct)],
        format=fmt,
        table=table,
    )


class EventStudyIn(BaseModel):
    """An event study: `cohort` holds each firm's adoption year (empty or 0: never)."""

    dataset: Name
    outcome: Variable
    cohort: Variable
    leads: int = 4
    lags: int = 4
    controls: list[Variable] = Field(default_factory=list, max_length=20)
    cluster: str = "firm"
    estimators: list[str] = Field(default=list(ESTIMATORS), min_length=1, max_length=2)


class EventCoefficientOut(BaseModel):
    """The effect at one period relative to adoption (−1 is the reference, 0)."""

    period: int
    estimate: float
    se: float | None
    ci_low: float | None
    ci_high: float | None


class EventEstimateOut(BaseModel):
    """One estimator's path, pre-trend F test and average post-adoption effect."""

    estimator: str
    coefficients: list[EventCoefficientOut]
    pretrend_f: float | None
    pretrend_p: float | None
    average_post: float | None
    average_post_se: float | None


class EventStudyOut(BaseModel):
    """Both estimators on one sample."""

    outcome: str
    cohort: str
    leads: int
    lags: int
    n: int
    units: int
    treated_units: int
    cohorts: list[int]
    cluster: str
    clusters: int
    estimates: list[EventEstimateOut]


def event_study_out(study: EventStudy) -> EventStudyOut:
    """The API form of an event study."""
    return EventStudyOut(
        outcome=study.outcome,
        cohort=study.cohort,
        leads=study.leads,
        lags=study.lags,
        n=study.n,
        units=study.units,
        treated_units=study.treated_units,
        cohorts=list(study.cohorts),
        cluster=study.cluster,
        clusters=study.clusters,
        estimates=[
            EventEstimateOut(
                estimator=e.estimator,
                coefficients=[
                    EventCoefficientOut(
                        period=c.period,
                        estimate=c.estimate,
                        se=number(c.se),
                        ci_low=number(c.ci_low),
                        ci_high=number(c.ci_high),
                    )
                    for c in e.coefficients
                ],
                pretrend_f=number(e.pretrend_f),
                pretrend_p=number(e.pretrend_p),
                average_post=number(e.average_post),
                average_post_se=number(e.average_post_se),
            )
            for e in study.estimates
        ],
    )


class PlatformPanelIn(BaseModel):
    """Build the platform panel for years (optionally joined) and store it under `name`."""

    name: Name
    years: list[int] = Field(min_length=1, max_length=MAX_PANEL_YEARS)
    covariates: str | None = Field(default=None, max_length=64)
    on: str = "city"


@router.post("/datasets", response_model=DatasetOut, status_code=201)
def import_dataset(
    request: Request, body: DatasetIn, actor: Annotated[Principal, regulators]
) -> DatasetOut:
    """Validate and store a panel CSV (regulators and admins); errors name `row N: column`."""
    summary = context_of(request).evaluation.import_dataset(actor, body.name, body.csv, body.source)
    return dataset_out(summary)


@router.get("/datasets", response_model=list[DatasetOut])
def list_datasets(request: Request, actor: Annotated[Principal, signed_in]) -> list[DatasetOut]:
    """Every stored dataset, by name (any signed-in user)."""
    return [dataset_out(s) for s in context_of(request).evaluation.datasets()]


@router.get("/datasets/{name}", response_model=DatasetDetailOut)
def get_dataset(
    request: Request, name: str, actor: Annotated[Principal, signed_in]
) -> DatasetDetailOut:
    """A dataset's description, balance and first rows."""
    return dataset_detail_out(context_of(request).evaluation.dataset(name))


@router.post("/platform-panel", response_model=DatasetOut, status_code=201)
def save_platform_panel(
    request: Request, body: PlatformPanelIn, actor: Annotated[Principal, regulators]
) -> DatasetOut:
    """Store the panel built from the ledger and economic records (a regulator's: its region)."""
    summary = context_of(request).evaluation.save_platform_panel(
        actor, body.name, body.years, body.covariates, body.on
    )
    return dataset_out(summary)


@router.post("/models", response_model=ModelsOut)
def fit_model(request: Request, body: ModelIn, actor: Annotated[Principal, signed_in]) -> ModelsOut:
    """Estimate the model (classical errors, clustered beside); the table in `format`."""
    service = context_of(request).evaluation
    models = service.fit(
        body.dataset, body.outcome, body.regressors, body.fixed_effects, body.cluster
    )
    return ModelsOut(
        models=[model_out(m) for m in models],
        format=body.format,
        table=service.table(models, body.format),
    )


@router.post("/mediation", response_model=MediationOut)
def mediation(
    request: Request, body: MediationIn, actor: Annotated[Principal, signed_in]
) -> MediationOut:
    """Stepwise mediation with fixed effects, Sobel's test and a seeded cluster bootstrap."""
    service = context_of(request).evaluation
    result = service.mediation(
        body.dataset,
        body.outcome,
        body.treatment,
        body.mediator,
        body.controls,
        body.fixed_effects,
        body.cluster,
        body.replicates,
        body.seed,
    )
    table = service.table((result.total, result.path_a, result.direct), body.format)
    return mediation_out(result, body.format, table)


@router.post("/event-study", response_model=EventStudyOut)
def event_study(
    request: Request, body: EventStudyIn, actor: Annotated[Principal, signed_in]
) -> EventStudyOut:
    """TWFE event study with binned endpoints (reference −1) and did2s beside it."""
    study = context_of(request).evaluation.event_study(
        body.dataset,
        body.outcome,
        body.cohort,
        body.leads,
        body.lags,
        body.controls,
        body.cluster,
        body.estimators,
    )
    return event_study_out(study)
