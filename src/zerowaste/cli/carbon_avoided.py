"""`zerowaste carbon avoided|baselines|chain`: avoided emissions, baselines, chain membership."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Annotated, Any, TypeVar

import typer

from zerowaste.api.routes.carbon import report_out
from zerowaste.bootstrap import Context
from zerowaste.carbon.aggregate import Granularity
from zerowaste.carbon.uncertainty import DEFAULT_ITERATIONS
from zerowaste.cli.common import actor_of, emit, organization_id_of, run
from zerowaste.domain.factors import WasteRoute
from zerowaste.errors import InvalidInput
from zerowaste.services.carbon_report import ReportRow, Scope

_E = TypeVar("_E", Scope, Granularity, WasteRoute)

avoided_app = typer.Typer(
    help="Avoided emissions (inventory beside) of a city, firm, chain, batch or event.",
    invoke_without_command=True,
)
baselines_app = typer.Typer(
    help="Baseline routes: defaults per waste class and regional overrides.",
    invoke_without_command=True,
)
chain_app = typer.Typer(help="Supply chains: a chain master's suppliers.", no_args_is_help=True)

AsUser = Annotated[
    str | None, typer.Option("--as", help="Act as this user (default: the operator)")
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON")]


def _date(text: str | None, field: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a YYYY-MM-DD date", field=field) from None


def _parsed(kind: type[_E], text: str, field: str) -> _E:
    try:
        return kind(text)
    except ValueError:
        allowed = ", ".join(k.value for k in kind)
        raise InvalidInput(f"{text!r} is not one of {allowed}", field=field) from None


def _row(row: ReportRow) -> dict[str, Any]:
    a, i = row.avoided, row.inventory
    return {
        "key": row.key,
        "flows": row.flows,
        "mass_t": f"{row.mass_kg / 1000:.3f}",
        "avoided_t": f"{a.co2e_kg / 1000:.3f}",
        "avoided_95_t": f"{a.interval.low_kg / 1000:.3f} … {a.interval.high_kg / 1000:.3f}"
        if a.interval
        else "",
        "inventory_t": f"{i.co2e_kg / 1000:.3f}",
        "unaccounted": sum(a.unaccounted.values()),
    }


@avoided_app.callback()
def avoided(
    scope: Annotated[
        str, typer.Option("--scope", help="city, firm, chain, batch or event")
    ] = "city",
    scope_id: Annotated[
        str | None, typer.Option("--id", help="Region code, or the firm/chain/batch/event id")
    ] = None,
    period_from: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD")] = None,
    period_to: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD")] = None,
    granularity: Annotated[
        str, typer.Option("--granularity", help="month, quarter or year")
    ] = "month",
    iterations: Annotated[
        int, typer.Option("--iterations", help="Monte Carlo draws")
    ] = DEFAULT_ITERATIONS,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Avoided emissions by period, route and material with 95 % intervals; inventory beside."""

    def action(context: Context) -> None:
        parsed_scope = _parsed(Scope, scope, "scope")
        ref = scope_id
        if parsed_scope in (Scope.FIRM, Scope.CHAIN) and scope_id:
            ref = str(organization_id_of(context, scope_id))
        report = context.carbon.avoided(
            actor_of(context, as_user),
            parsed_scope,
            ref,
            _date(period_from, "from"),
            _date(period_to, "to"),
            _parsed(Granularity, granularity, "granularity"),
            iterations,
        )
        if as_json:
            typer.echo(
                json.dumps(report_out(report).model_dump(mode="json"), ensure_ascii=False, indent=2)
            )
            return
        title = (
            f"{report.scope} {report.scope_id or ''} — t CO2e, avoided and inventory never summed"
        )
        emit([_row(report.total)], as_json=False, title=title)
        emit([_row(r) for r in report.by_period], as_json=False, title="By period")
        emit([_row(r) for r in report.by_route], as_json=False, title="By route")
        emit([_row(r) for r in report.by_material], as_json=False, title="By material")

    run(action)


@baselines_app.callback()
def baselines(ctx: typer.Context, as_json: AsJson = False) -> None:
    """The default baseline of each waste class (with its source) and regional overrides."""
    if ctx.invoked_subcommand is not None:
        return

    def action(context: Context) -> None:
        found = context.carbon.baselines()
        rows = [
            {
                "region": r.region_prefix,
                "subject": r.subject,
                "baseline_route": r.route.value,
                "set_at": r.set_at,
            }
            for r in found.regional
        ] + [
            {
                "region": "default",
                "subject": d.key,
                "baseline_route": d.baseline_route.value,
                "set_at": None,
            }
            for d in found.defaults
        ]
        emit(rows, as_json=as_json, title="Baseline routes (regional first)")

    run(action)


@baselines_app.command("set")
def set_baseline(
    region_code: Annotated[str, typer.Argument(help="Six-digit region code")],
    subject: Annotated[str, typer.Argument(help="A material (waste_oil) or waste code")],
    route: Annotated[str, typer.Argument(help="A waste route, or 'default' to clear")],
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Set a region's baseline route (its regulators or admins)."""

    def action(context: Context) -> None:
        parsed = None if route == "default" else _parsed(WasteRoute, route, "route")
        rule = context.carbon.set_baseline(actor_of(context, as_user), region_code, subject, parsed)
        row = {
            "region": rule.region_prefix if rule else region_code,
            "subject": subject,
            "baseline_route": route,
        }
        emit([row], as_json=as_json, title="Baseline set")

    run(action)


def _member_rows(
    context: Context, chain_master: uuid.UUID, as_user: str | None
) -> list[dict[str, Any]]:
    chain = context.chains.chain(actor_of(context, as_user), chain_master)
    firms = context.organizations.many(m.supplier_id for m in chain.members)
    return [
        {
            "supplier_id": str(m.supplier_id),
            "name": firms[m.supplier_id].name if m.supplier_id in firms else "",
            "since": m.since.isoformat(),
        }
        for m in chain.members
    ]


@chain_app.command("list")
def chain_list(
    chain_master: Annotated[str, typer.Argument(help="The chain master's id or credit code")],
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """The chain master's suppliers."""
    run(
        lambda c: emit(
            _member_rows(c, organization_id_of(c, chain_master), as_user),
            as_json=as_json,
            title="Suppliers",
        )
    )


@chain_app.command("add")
def chain_add(
    chain_master: Annotated[str, typer.Argument(help="The chain master's id or credit code")],
    supplier: Annotated[str, typer.Argument(help="The supplier's id or credit code")],
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Register a supplier in the chain."""

    def action(context: Context) -> None:
        member = context.chains.add(
            actor_of(context, as_user),
            organization_id_of(context, chain_master),
            organization_id_of(context, supplier),
        )
        emit(
            [
                {
                    "chain_master_id": str(member.chain_master_id),
                    "supplier_id": str(member.supplier_id),
                    "since": member.since.isoformat(),
                }
            ],
            as_json=as_json,
            title="Supplier added",
        )

    run(action)


@chain_app.command("remove")
def chain_remove(
    chain_master: Annotated[str, typer.Argument(help="The chain master's id or credit code")],
    supplier: Annotated[str, typer.Argument(help="The supplier's id or credit code")],
    as_user: AsUser = None,
) -> None:
    """Remove a supplier from the chain."""

    def action(context: Context) -> None:
        context.chains.remove(
            actor_of(context, as_user),
            organization_id_of(context, chain_master),
            organization_id_of(context, supplier),
        )
        typer.echo("removed")

    run(action)
