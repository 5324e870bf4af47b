"""`zerowaste carbon cbam`: submit an installation's CBAM activity data, list, show, export."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Annotated, Any

import typer

from zerowaste.bootstrap import Context
from zerowaste.cli.common import actor_of, emit, organization_id_of, run
from zerowaste.domain.cbam_report import CbamReport
from zerowaste.errors import InvalidInput
from zerowaste.services.cbam import to_csv

app = typer.Typer(
    help="CBAM embedded-emissions reports (EU 2023/956, 2023/1773).", no_args_is_help=True
)

AsUser = Annotated[
    str | None, typer.Option("--as", help="Act as this user (default: the operator)")
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON")]


def _id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a report id", field="report_id") from None


def _summary(report: CbamReport) -> dict[str, Any]:
    place = report.results["installation"]
    return {
        "report_id": str(report.id),
        "installation": place["name"],
        "operator": place["operator"],
        "period": report.period,
        "version": report.version,
        "goods": len(report.results["goods"]),
        "embedded_t": sum(
            (float(good["embedded_total_t"]) for good in report.results["goods"]), 0.0
        ),
    }


def _goods(report: CbamReport) -> list[dict[str, Any]]:
    return [
        {
            "cn_code": good["cn_code"],
            "good": good["good"],
            "quantity_t": good["quantity_t"],
            "route": good["production_route"],
            "see_direct": good["see_direct"],
            "see_indirect": good["see_indirect"],
            "see_total": good["see_total"],
            "embedded_total_t": good["embedded_total_t"],
        }
        for good in report.results["goods"]
    ]


@app.command("submit")
def submit(
    file: Annotated[Path, typer.Argument(help="Activity data JSON (see docs/cbam.md)")],
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Compute and store a report from an installation's activity data for a quarter."""

    def action(context: Context) -> None:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InvalidInput(f"cannot read JSON: {exc}", field="file") from None
        report = context.cbam.submit(actor_of(context, as_user), data)
        if as_json:
            typer.echo(
                json.dumps(
                    context.cbam.export_json(actor_of(context, as_user), report.id),
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        emit([_summary(report)], as_json=False, title="CBAM report stored")
        emit(_goods(report), as_json=False, title="SEE, t CO2e per t")

    run(action)


@app.command("list")
def list_reports(
    organization: Annotated[
        str | None, typer.Option("--organization", help="A firm's id or credit code")
    ] = None,
    period: Annotated[str | None, typer.Option("--period", help="A quarter, e.g. 2025-Q3")] = None,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """The reports you may see, newest first."""

    def action(context: Context) -> None:
        organization_id = organization_id_of(context, organization) if organization else None
        found = context.cbam.list(
            actor_of(context, as_user), organization_id=organization_id, period=period
        )
        emit([_summary(report) for report in found], as_json=as_json, title="CBAM reports")

    run(action)


@app.command("show")
def show(
    report_id: Annotated[str, typer.Argument(help="The report's id")],
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """One report: its goods with SEE, and (with --json) the whole document."""

    def action(context: Context) -> None:
        actor = actor_of(context, as_user)
        if as_json:
            document = context.cbam.export_json(actor, _id(report_id))
            typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
            return
        report = context.cbam.get(actor, _id(report_id))
        emit([_summary(report)], as_json=False, title="CBAM report")
        emit(_goods(report), as_json=False, title="SEE, t CO2e per t")

    run(action)


@app.command("export")
def export(
    report_id: Annotated[str, typer.Argument(help="The report's id")],
    format: Annotated[str, typer.Option("--format", help="csv or json")] = "csv",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here (default: stdout)")
    ] = None,
    as_user: AsUser = None,
) -> None:
    """Export a report as CSV (one row per good) or JSON."""

    def action(context: Context) -> None:
        actor = actor_of(context, as_user)
        if format == "csv":
            text = to_csv(context.cbam.get(actor, _id(report_id)))
        elif format == "json":
            document = context.cbam.export_json(actor, _id(report_id))
            text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        else:
            raise InvalidInput(f"{format!r} is not csv or json", field="format")
        if output is None:
            typer.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8")

    run(action)
