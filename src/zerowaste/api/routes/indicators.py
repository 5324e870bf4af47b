"""Indicators: the registry, values per firm, chain or city and period, trends, statistics."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Principal, Rule
from zerowaste.domain.indicators import IndicatorDefinition, IndicatorLevel, IndicatorValue, Period
from zerowaste.domain.statistics import RegionStatistic
from zerowaste.errors import InvalidInput

router = APIRouter(tags=["indicators"])
public = Depends(allow(Rule.PUBLIC))
regulator = Depends(allow(Rule.REGULATOR))
CSV_TYPES = ("text/csv", "text/plain", "application/csv")


class DefinitionOut(BaseModel):
    """One indicator of the registry: what it is, how it is computed and from what."""

    indicator_id: str
    name_zh: str
    name_en: str
    formula: str
    unit: str
    scope: str = Field(description="The 口径: what is counted and what is not")
    levels: list[str]
    direction: str
    family: str
    origin: str = Field(description="platform, statistics or combined")
    source: str
    statistics: list[str]
    zero_waste_city: bool


class InputOut(BaseModel):
    """One figure a value was computed from."""

    name: str
    value: Decimal | None
    unit: str
    origin: str


class TargetOut(BaseModel):
    """A city's target for the indicator, and whether the value meets it."""

    year: int
    value: Decimal
    source: str
    met: bool | None


class ValueOut(BaseModel):
    """An indicator's value for one subject and period, or why there is none."""

    indicator_id: str
    level: str
    subject: str
    period: str
    value: Decimal | None
    unit: str
    numerator: Decimal | None
    denominator: Decimal | None
    missing: str | None
    inputs: list[InputOut]
    notes: list[str]
    target: TargetOut | None = None


class StatisticOut(BaseModel):
    """An uploaded statistic."""

    region_code: str
    year: int
    statistic: str
    value: Decimal
    unit: str
    source: str


class ImportOut(BaseModel):
    """How many statistics an upload stored."""

    imported: int


def definition_out(d: IndicatorDefinition) -> DefinitionOut:
    """The API form of a definition."""
    return DefinitionOut(
        indicator_id=d.indicator_id,
        name_zh=d.name_zh,
        name_en=d.name_en,
        formula=d.formula,
        unit=d.unit,
        scope=d.scope,
        levels=[v.value for v in d.levels],
        direction=d.direction.value,
        family=d.family.value,
        origin=d.origin.value,
        source=d.source,
        statistics=list(d.statistics),
        zero_waste_city=d.zero_waste_city,
    )


def value_out(request: Request, v: IndicatorValue) -> ValueOut:
    """The API form of a value (with the city's target, for city values)."""
    service = context_of(request).indicators
    definition = service.definition(v.indicator_id)
    found, met = service.judge(v)
    target = None
    if found is not None:
        target = TargetOut(year=found.year, value=found.value, source=found.source, met=met)
    return ValueOut(
        indicator_id=v.indicator_id,
        level=v.level.value,
        subject=v.subject,
        period=v.period.label,
        value=v.value,
        unit=definition.unit,
        numerator=v.numerator,
        denominator=v.denominator,
        missing=v.missing,
        inputs=[
            InputOut(name=i.name, value=i.value, unit=i.unit, origin=i.origin) for i in v.inputs
        ],
        notes=list(v.notes),
        target=target,
    )


def statistic_out(s: RegionStatistic) -> StatisticOut:
    """The API form of a statistic."""
    return StatisticOut(
        region_code=s.region_code,
        year=s.year,
        statistic=s.kind.value,
        value=s.value,
        unit=s.kind.unit,
        source=s.source,
    )


def _level(raw: str) -> IndicatorLevel:
    try:
        return IndicatorLevel(raw)
    except ValueError:
        raise InvalidInput("level must be firm, chain or city", field="level") from None


def _ids(raw: str) -> list[str] | None:
    return [p.strip() for p in raw.split(",") if p.strip()] or None


@router.get("/indicators", response_model=list[DefinitionOut], dependencies=[public])
def list_indicators(request: Request, level: str = "") -> list[DefinitionOut]:
    """Every indicator of the registry (defined at `level`, if given)."""
    chosen = _level(level) if level else None
    return [definition_out(d) for d in context_of(request).indicators.definitions(chosen)]


@router.get("/indicators/values", response_model=list[ValueOut])
def indicator_values(
    request: Request,
    actor: Annotated[Principal | None, public],
    level: Annotated[str, Query(description="firm, chain or city")],
    subject: Annotated[str, Query(description="organization id, chain master id or region code")],
    period: Annotated[str, Query(description="2026, 2026-Q2, 2026-03 or a date range")],
    indicators: Annotated[str, Query(description="comma-separated ids; all of the level")] = "",
) -> list[ValueOut]:
    """Values for one subject and period: cities for anyone, firms and chains access-checked."""
    values = context_of(request).indicators.values(
        actor, _level(level), subject, Period.parse(period), _ids(indicators)
    )
    return [value_out(request, v) for v in values]


@router.get("/indicators/{indicator_id}", response_model=DefinitionOut, dependencies=[public])
def show_indicator(request: Request, indicator_id: str) -> DefinitionOut:
    """One indicator of the registry."""
    return definition_out(context_of(request).indicators.definition(indicator_id))


@router.get("/cities/{region}/indicators", response_model=list[ValueOut], dependencies=[public])
def city_indicators(
    request: Request,
    region: str,
    period: Annotated[str, Query(description="2026, 2026-Q2, 2026-03 or a date range")],
    indicators: str = "",
) -> list[ValueOut]:
    """The city indicator set for a period, each against the city's target (public)."""
    values = context_of(request).indicators.values(
        None, IndicatorLevel.CITY, region, Period.parse(period), _ids(indicators)
    )
    return [value_out(request, v) for v in values]


@router.get("/cities/{region}/trend", response_model=list[ValueOut], dependencies=[public])
def city_trend(
    request: Request,
    region: str,
    indicator: str,
    periods: Annotated[str, Query(description="comma-separated periods, e.g. 2024,2025,2026")],
) -> list[ValueOut]:
    """One city indicator over several periods (public)."""
    parsed = [Period.parse(p) for p in periods.split(",") if p.strip()]
    values = context_of(request).indicators.city_trend(region, indicator, parsed)
    return [value_out(request, v) for v in values]


async def _statistics_csv(request: Request) -> str:
    """The CSV of an upload: a text/csv body, or JSON `{"csv": "..."}`."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput("the CSV must be UTF-8", field="csv") from None
    if content_type in CSV_TYPES:
        return text
    if content_type == "application/json":
        try:
            body = json.loads(text)
        except ValueError:
            raise InvalidInput("the body is not JSON", field="csv") from None
        if not isinstance(body, dict) or not isinstance(body.get("csv"), str):
            raise InvalidInput('send {"csv": "<the CSV text>"}', field="csv")
        return str(body["csv"])
    raise InvalidInput("send text/csv or application/json", field="content-type")


@router.post(
    "/statistics",
    status_code=201,
    response_model=ImportOut,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {"csv": {"type": "string"}},
                        "required": ["csv"],
                    }
                },
            },
        }
    },
)
async def import_statistics(request: Request, actor: Annotated[Principal, regulator]) -> ImportOut:
    """Upload region statistics (`region_code,year,statistic,value,source`), all or nothing.

    Regulators for regions in their jurisdiction, admins for any; a row replaces the value of
    its region, year and statistic.
    """
    text = await _statistics_csv(request)
    service = context_of(request).indicators
    count = await run_in_threadpool(lambda: service.import_statistics(actor, text))
    return ImportOut(imported=count)


@router.get("/statistics", response_model=list[StatisticOut], dependencies=[public])
def list_statistics(request: Request, region: str, year: int | None = None) -> list[StatisticOut]:
    """A region's uploaded statistics (of `year`, if given)."""
    return [statistic_out(s) for s in context_of(request).indicators.statistics(region, year)]
