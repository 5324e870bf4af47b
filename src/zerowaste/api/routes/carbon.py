"""Avoided emissions with inventory emissions beside: reports, per-event flows, baselines."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from zerowaste.api.pagination import PageOut, page_out, page_request
from zerowaste.api.security import allow, context_of, resolve_principal
from zerowaste.carbon.accounting import Figure, FlowResult
from zerowaste.carbon.aggregate import Granularity
from zerowaste.carbon.uncertainty import DEFAULT_ITERATIONS, MAX_ITERATIONS
from zerowaste.domain.access import Principal, Rule
from zerowaste.domain.factors import Factor, WasteRoute
from zerowaste.domain.pages import DEFAULT_PAGE_SIZE
from zerowaste.services.carbon_report import CarbonReport, ReportRow, Scope, SetFigure

router = APIRouter(tags=["carbon"])
public = Depends(allow(Rule.PUBLIC))
signed_in = Depends(allow(Rule.AUTHENTICATED))
regulator = Depends(allow(Rule.REGULATOR))


class SetOut(BaseModel):
    """One factor set's figure: kg CO2e, its 95 % interval and the factors it used."""

    co2e_kg: Decimal
    low_kg: float | None = Field(description="2.5th percentile of the Monte Carlo draws")
    high_kg: float | None = Field(description="97.5th percentile of the Monte Carlo draws")
    mean_kg: float | None
    factor_refs: list[str]
    accounted_kg: Decimal
    unaccounted: dict[str, int] = Field(description="Flows without a figure, by reason")
    unaccounted_kg: Decimal


class RowOut(BaseModel):
    """A report row: avoided and inventory emissions beside each other, never summed."""

    key: str
    flows: int
    mass_kg: Decimal
    avoided: SetOut
    inventory: SetOut


class FactorOut(BaseModel):
    """A factor a report used, with its provenance."""

    ref: str
    factor_set: str
    subject: str
    route: str
    region: str
    year: int
    value: Decimal
    unit: str
    distribution: str
    source: str
    edition: str
    verification: str


class ReportOut(BaseModel):
    """Avoided emissions of a scope and period, with inventory emissions reported beside."""

    scope: str
    id: str | None
    period_from: date | None
    period_to: date | None
    granularity: str
    iterations: int
    seed: int
    dataset: str
    total: RowOut
    by_period: list[RowOut]
    by_route: list[RowOut]
    by_material: list[RowOut]
    factors: list[FactorOut]


class FigureOut(BaseModel):
    """One flow's figure of one factor set, or why it has none."""

    co2e_kg: Decimal | None
    factor_refs: list[str]
    unaccounted: str | None
    detail: str


class FlowOut(BaseModel):
    """One batch utilized or disposed of by one event, with both figures."""

    event_id: uuid.UUID
    event_type: str
    batch_id: uuid.UUID
    organization_id: uuid.UUID
    generator_id: uuid.UUID
    region_code: str
    event_time: datetime
    waste_code: str | None
    material: str | None
    route: str | None
    baseline_route: str | None
    mass_kg: Decimal
    distance_km: Decimal
    manifest_id: uuid.UUID | None
    avoided: FigureOut
    inventory: FigureOut


class DefaultBaselineOut(BaseModel):
    """The default baseline of a waste code, HW category or SW class, with its source."""

    key: str
    key_kind: str
    material: str
    baseline_route: str
    name: str
    source: str


class RegionalBaselineOut(BaseModel):
    """A region's baseline override."""

    region_prefix: str
    subject: str
    baseline_route: str
    set_by: uuid.UUID | None
    set_at: datetime | None


class BaselinesOut(BaseModel):
    """Defaults and regional overrides."""

    defaults: list[DefaultBaselineOut]
    regional: list[RegionalBaselineOut]


class BaselineIn(BaseModel):
    """A region's baseline for a material or waste code; `route` null restores the default."""

    region_code: str = Field(min_length=6, max_length=6)
    subject: str = Field(min_length=1, max_length=40)
    route: WasteRoute | None


def set_out(figure: SetFigure) -> SetOut:
    """The API form of a set figure."""
    i = figure.interval
    return SetOut(
        co2e_kg=figure.co2e_kg,
        low_kg=i.low_kg if i else None,
        high_kg=i.high_kg if i else None,
        mean_kg=i.mean_kg if i else None,
        factor_refs=list(figure.refs),
        accounted_kg=figure.accounted_kg,
        unaccounted={str(k): v for k, v in figure.unaccounted.items()},
        unaccounted_kg=figure.unaccounted_kg,
    )


def row_out(row: ReportRow) -> RowOut:
    """The API form of a report row."""
    return RowOut(
        key=row.key,
        flows=row.flows,
        mass_kg=row.mass_kg,
        avoided=set_out(row.avoided),
        inventory=set_out(row.inventory),
    )


def factor_out(f: Factor) -> FactorOut:
    """The API form of a factor."""
    return FactorOut(
        ref=f.ref,
        factor_set=f.factor_set.value,
        subject=f.subject,
        route=f.route,
        region=f.region,
        year=f.year,
        value=f.value,
        unit=f.unit,
        distribution=f.distribution.kind.value,
        source=f.source,
        edition=f.edition,
        verification=f.verification.value,
    )


def report_out(report: CarbonReport) -> ReportOut:
    """The API form of a report."""
    return ReportOut(
        scope=report.scope.value,
        id=report.scope_id,
        period_from=report.period_from,
        period_to=report.period_to,
        granularity=report.granularity.value,
        iterations=report.iterations,
        seed=report.seed,
        dataset=report.dataset,
        total=row_out(report.total),
        by_period=[row_out(r) for r in report.by_period],
        by_route=[row_out(r) for r in report.by_route],
        by_material=[row_out(r) for r in report.by_material],
        factors=[factor_out(f) for f in report.factors],
    )


def _figure_out(figure: Figure) -> FigureOut:
    return FigureOut(
        co2e_kg=figure.co2e_kg,
        factor_refs=list(figure.refs),
        unaccounted=figure.unaccounted.value if figure.unaccounted else None,
        detail=figure.detail,
    )


def flow_out(result: FlowResult) -> FlowOut:
    """The API form of a flow with its figures."""
    f = result.flow
    return FlowOut(
        event_id=f.event_id,
        event_type=f.event_type.value,
        batch_id=f.batch_id,
        organization_id=f.organization_id,
        generator_id=f.generator_id,
        region_code=f.region_code,
        event_time=f.event_time,
        waste_code=f.waste_code,
        material=f.material,
        route=f.route.value if f.route else None,
        baseline_route=result.baseline.value if result.baseline else None,
        mass_kg=f.mass_kg,
        distance_km=f.distance_km,
        manifest_id=f.manifest_id,
        avoided=_figure_out(result.avoided),
        inventory=_figure_out(result.inventory),
    )


@router.get("/carbon/avoided", response_model=ReportOut, dependencies=[public])
def avoided(
    request: Request,
    scope: Scope = Scope.CITY,
    id: str | None = Query(
        None, max_length=36, description="Region code, or firm/chain/batch/event id"
    ),
    period_from: date | None = Query(None, alias="from"),
    period_to: date | None = Query(None, alias="to"),
    granularity: Granularity = Granularity.MONTH,
    iterations: int = Query(DEFAULT_ITERATIONS, ge=0, le=MAX_ITERATIONS),
) -> ReportOut:
    """Avoided emissions by period, route and material with 95 % intervals; inventory beside.

    City figures are public aggregates; a firm's are for its users, regulators over its region
    and admins; a chain's for the chain master's users, regulators and admins.
    """
    actor = resolve_principal(request)
    report = context_of(request).carbon.avoided(
        actor, scope, id, period_from, period_to, granularity, iterations
    )
    return report_out(report)


@router.get("/carbon/flows", response_model=PageOut[FlowOut])
def flows(
    request: Request,
    actor: Annotated[Principal, signed_in],
    scope: Scope,
    id: str | None = Query(None, max_length=36),
    period_from: date | None = Query(None, alias="from"),
    period_to: date | None = Query(None, alias="to"),
    cursor: str | None = None,
    limit: int = DEFAULT_PAGE_SIZE,
) -> dict[str, object]:
    """Every utilization and disposal of the scope, per event and batch, with both figures.

    A city's flows name firms, so they are for regulators over the city and admins.
    """
    page = context_of(request).carbon.flows(
        actor, scope, id, period_from, period_to, page_request(cursor, limit)
    )
    return page_out(page, flow_out)


@router.get("/carbon/baselines", response_model=BaselinesOut, dependencies=[public])
def baselines(request: Request) -> BaselinesOut:
    """The default baseline route of each waste class with its source, and regional overrides."""
    found = context_of(request).carbon.baselines()
    return BaselinesOut(
        defaults=[
            DefaultBaselineOut(
                key=d.key,
                key_kind=d.key_kind.value,
                material=d.material,
                baseline_route=d.baseline_route.value,
                name=d.name,
                source=d.source,
            )
            for d in found.defaults
        ],
        regional=[
            RegionalBaselineOut(
                region_prefix=r.region_prefix,
                subject=r.subject,
                baseline_route=r.route.value,
                set_by=r.set_by,
                set_at=r.set_at,
            )
            for r in found.regional
        ],
    )


@router.put("/carbon/baselines", response_model=RegionalBaselineOut | None)
def set_baseline(
    request: Request, body: BaselineIn, actor: Annotated[Principal, regulator]
) -> RegionalBaselineOut | None:
    """Set a region's baseline for a material or waste code (its regulators or admins)."""
    rule = context_of(request).carbon.set_baseline(
        actor, body.region_code, body.subject, body.route
    )
    if rule is None:
        return None
    return RegionalBaselineOut(
        region_prefix=rule.region_prefix,
        subject=rule.subject,
        baseline_route=rule.route.value,
        set_by=rule.set_by,
        set_at=rule.set_at,
    )
