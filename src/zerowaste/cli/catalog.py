"""`zerowaste catalog`: search the hazardous waste list and the other catalogs."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from zerowaste.bootstrap import Context
from zerowaste.cli.common import console, emit, run

app = typer.Typer(
    help="Waste catalogs: hazardous waste list, exemptions, classes.", no_args_is_help=True
)
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
OnDay = Annotated[
    str | None, typer.Option("--on", help="YYYY-MM-DD whose edition applies; today if omitted")
]


def _day(on: str | None) -> date | None:
    return date.fromisoformat(on) if on else None


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Code, category, Chinese or English words")],
    on: OnDay = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 20,
    as_json: JsonFlag = False,
) -> None:
    """Search the hazardous waste list (e.g. `zerowaste catalog search 废矿物油`)."""

    def action(context: Context) -> None:
        edition = context.catalog.edition(_day(on))
        hits = context.catalog.search(text, _day(on), limit)
        rows = [
            {
                "code": e.code,
                "category": e.category,
                "hazard": ",".join(sorted(c.value for c in e.characteristics)),
                "description": e.description_zh,
            }
            for e in hits
        ]
        emit(rows, as_json=as_json, title=f"National Hazardous Waste List, {edition}")
        if edition.provisional and not as_json:
            console.print(f"[yellow]provisional:[/yellow] {edition.note}")

    run(action, migrate=False)


@app.command()
def show(
    code: Annotated[str, typer.Argument(help="8-digit code, e.g. 900-214-08")],
    on: OnDay = None,
    as_json: JsonFlag = False,
) -> None:
    """Show one entry and the exemptions that apply to it."""

    def action(context: Context) -> None:
        entry = context.catalog.get(code, _day(on))
        row = {
            "code": entry.code,
            "category": f"{entry.category} {entry.category_name_zh} ({entry.category_name_en})",
            "industry": entry.industry_source_zh,
            "description": entry.description_zh,
            "hazard": entry.notation,
            "exemptions": len(context.catalog.exemptions(entry.code, _day(on))),
        }
        emit([row], as_json=as_json)

    run(action, migrate=False)


@app.command()
def editions(as_json: JsonFlag = False) -> None:
    """List the editions of the hazardous waste list and their dates."""

    def action(context: Context) -> None:
        rows = [
            {
                "edition": e.name,
                "from": e.effective_from,
                "to": e.effective_to,
                "provisional": e.provisional,
                "note": e.note,
            }
            for e in context.catalog.editions()
        ]
        emit(rows, as_json=as_json)

    run(action, migrate=False)


@app.command()
def crosswalk(
    query: Annotated[str, typer.Argument(help="HW/SW code, EU code, Basel code or words")] = "",
    as_json: JsonFlag = False,
) -> None:
    """Search the EU List of Waste crosswalk."""

    def action(context: Context) -> None:
        rows = [
            {
                "eu_code": c.eu_code,
                "cn": ";".join(c.cn_codes),
                "basel": c.basel_codes,
                "type": c.waste_type_zh,
                "confidence": c.confidence,
            }
            for c in context.catalog.crosswalk(query)
        ]
        emit(rows, as_json=as_json)

    run(action, migrate=False)
