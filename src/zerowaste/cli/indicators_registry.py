"""`zerowaste indicators list|show|values|city|statistics-import|statistics`: the registry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from zerowaste.bootstrap import Context
from zerowaste.cli.common import AsUser, actor_of, console, emit, organization_id_of, run
from zerowaste.domain.indicators import IndicatorDefinition, IndicatorLevel, IndicatorValue, Period
from zerowaste.errors import InvalidInput

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON")]
PeriodOption = Annotated[
    str, typer.Option("--period", help="2026, 2026-Q2, 2026-03 or 2026-01-01/2026-07-01")
]
Ids = Annotated[
    str, typer.Option("--indicators", help="Comma-separated indicator ids (default: all)")
]


def _definition_json(d: IndicatorDefinition) -> dict[str, Any]:
    return {
        "indicator_id": d.indicator_id,
        "name_zh": d.name_zh,
        "name_en": d.name_en,
        "formula": d.formula,
        "unit": d.unit,
        "scope": d.scope,
        "levels": [v.value for v in d.levels],
        "direction": d.direction.value,
        "family": d.family.value,
        "origin": d.origin.value,
        "source": d.source,
        "statistics": list(d.statistics),
        "zero_waste_city": d.zero_waste_city,
    }


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _value_json(context: Context, v: IndicatorValue) -> dict[str, Any]:
    definition = context.indicators.definition(v.indicator_id)
    found: dict[str, Any] = {
        "indicator_id": v.indicator_id,
        "level": v.level.value,
        "subject": v.subject,
        "period": v.period.label,
        "value": _text(v.value),
        "unit": definition.unit,
        "numerator": _text(v.numerator),
        "denominator": _text(v.denominator),
        "missing": v.missing,
        "inputs": [
            {"name": i.name, "value": _text(i.value), "unit": i.unit, "origin": i.origin}
            for i in v.inputs
        ],
        "notes": list(v.notes),
    }
    target, met = context.indicators.judge(v)
    if target is not None:
        found["target"] = {"year": target.year, "value": str(target.value), "met": met}
    return found


def _print_values(context: Context, values: list[IndicatorValue], as_json: bool) -> None:
    rows = [_value_json(context, v) for v in values]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    emit(
        [
            {
                "indicator": r["indicator_id"],
                "value": r["value"] if r["value"] is not None else f"— ({r['missing']})",
                "unit": r["unit"],
                "target": (r.get("target") or {}).get("value"),
                "met": (r.get("target") or {}).get("met"),
            }
            for r in rows
        ],
        as_json=False,
        title=f"{values[0].level.value} {values[0].subject} {values[0].period.label}"
        if values
        else "",
    )


def _ids(raw: str) -> list[str] | None:
    return [p.strip() for p in raw.split(",") if p.strip()] or None


def list_indicators(
    level: Annotated[str, typer.Option("--level", help="firm, chain or city")] = "",
    as_json: AsJson = False,
) -> None:
    """Every indicator of the registry, with its unit, origin and source."""

    def action(context: Context) -> None:
        try:
            chosen = IndicatorLevel(level) if level else None
        except ValueError:
            raise InvalidInput("level must be firm, chain or city", field="level") from None
        found = context.indicators.definitions(chosen)
        if as_json:
            typer.echo(
                json.dumps([_definition_json(d) for d in found], ensure_ascii=False, indent=2)
            )
            return
        rows = [
            {
                "id": d.indicator_id,
                "name": d.name_zh,
                "unit": d.unit,
                "levels": ",".join(v.value for v in d.levels),
                "family": d.family.value,
                "origin": d.origin.value,
                "无废城市": "yes" if d.zero_waste_city else "",
            }
            for d in found
        ]
        emit(rows, as_json=False, title="Indicator registry")

    run(action, migrate=False)


def show_indicator(
    indicator_id: Annotated[str, typer.Argument(help="The indicator id")],
    as_json: AsJson = False,
) -> None:
    """One indicator: formula, scope (口径), origin and source."""

    def action(context: Context) -> None:
        document = _definition_json(context.indicators.definition(indicator_id))
        if as_json:
            typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
            return
        for key, value in document.items():
            console.print(f"[bold]{key}[/bold]: {value}")

    run(action, migrate=False)


def values(
    level: Annotated[str, typer.Argument(help="firm, chain or city")],
    subject: Annotated[str, typer.Argument(help="Firm id or credit code, chain master, region")],
    period: PeriodOption,
    indicators: Ids = "",
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Indicator values of one firm, chain or city for a period, with their inputs."""

    def action(context: Context) -> None:
        try:
            chosen = IndicatorLevel(level)
        except ValueError:
            raise InvalidInput("level must be firm, chain or city", field="level") from None
        who = subject
        if chosen is not IndicatorLevel.CITY:
            who = str(organization_id_of(context, subject))
        found = context.indicators.values(
            actor_of(context, as_user), chosen, who, Period.parse(period), _ids(indicators)
        )
        _print_values(context, found, as_json)

    run(action)


def city(
    region: Annotated[str, typer.Argument(help="Six-digit region code, e.g. 320500")],
    period: PeriodOption,
    indicators: Ids = "",
    as_json: AsJson = False,
) -> None:
    """The city indicator set for a period, against the city's targets."""

    def action(context: Context) -> None:
        found = context.indicators.values(
            None, IndicatorLevel.CITY, region, Period.parse(period), _ids(indicators)
        )
        _print_values(context, found, as_json)

    run(action)


def statistics_import(
    file: Annotated[Path, typer.Argument(help="CSV: region_code,year,statistic,value,source")],
    as_user: AsUser = None,
) -> None:
    """Upload region statistics from a CSV file, all or nothing."""

    def action(context: Context) -> None:
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(f"cannot read {file}: {exc.strerror}", field="file") from None
        except UnicodeDecodeError:
            raise InvalidInput(f"{file} is not UTF-8", field="file") from None
        count = context.indicators.import_statistics(actor_of(context, as_user), text)
        console.print(f"Imported {count} statistics from {file}")

    run(action)


def statistics(
    region: Annotated[str, typer.Argument(help="Six-digit region code")],
    year: Annotated[int | None, typer.Option("--year", help="One year only")] = None,
    as_json: AsJson = False,
) -> None:
    """A region's uploaded statistics."""

    def action(context: Context) -> None:
        rows = [
            {
                "region_code": s.region_code,
                "year": s.year,
                "statistic": s.kind.value,
                "value": str(s.value),
                "unit": s.kind.unit,
                "source": s.source,
            }
            for s in context.indicators.statistics(region, year)
        ]
        emit(rows, as_json=as_json, title=f"Statistics of {region}")

    run(action)
