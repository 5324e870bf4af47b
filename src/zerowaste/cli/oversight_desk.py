"""The regulator's desk on the command line: risk scores, the whitelist, inspection plans."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Annotated, Any

import typer

from zerowaste.bootstrap import Context
from zerowaste.cli.common import actor_of, emit, organization_id_of, run
from zerowaste.errors import InvalidInput
from zerowaste.oversight.inspection_draw import (
    DEFAULT_BASE_RATE,
    DEFAULT_WHITELISTED_RATE,
    DrawRates,
    InspectionPlan,
    parse_rate,
)
from zerowaste.oversight.whitelist import parse_action
from zerowaste.services.inspection_plans import PlanView
from zerowaste.services.risk import FirmRisk

app = typer.Typer(help="The regulator's desk: risk, whitelist, inspection plans.")
whitelist_app = typer.Typer(help="Whitelist (白名单) candidates and changes.", no_args_is_help=True)
inspections_app = typer.Typer(
    help="Inspection plans (双随机、一公开): draw, list, show, publish.", no_args_is_help=True
)

AsUser = Annotated[
    str | None, typer.Option("--as", help="Act as this user (default: the operator)")
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON")]
Jurisdiction = Annotated[
    str | None, typer.Option("--jurisdiction", help="Region code (default: the user's own)")
]


def _date(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a YYYY-MM-DD date", field=field) from None


def _risk_row(found: FirmRisk) -> dict[str, Any]:
    return {
        "organization_id": str(found.organization.id),
        "name": found.organization.name,
        "score": found.risk.score,
        "band": found.risk.band.value,
    }


def _factors(found: FirmRisk) -> list[dict[str, Any]]:
    return [
        {
            "factor": f.factor.value,
            "value": f.value,
            "weight": f.weight,
            "contribution": round(f.contribution, 6),
            "detail": ", ".join(f"{k}={v}" for k, v in f.detail.items()),
        }
        for f in found.risk.factors
    ]


@app.command("risk")
def risk(
    organization: Annotated[
        str | None, typer.Argument(help="A firm's id or credit code (default: every firm)")
    ] = None,
    jurisdiction: Jurisdiction = None,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """One firm's risk score with every factor's weight, or a jurisdiction's firms by score."""

    def action(context: Context) -> None:
        actor = actor_of(context, as_user)
        if organization is not None:
            found = context.risk.firm(actor, organization_id_of(context, organization))
            if as_json:
                document = {**_risk_row(found), "factors": _factors(found)}
                typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
                return
            emit([_risk_row(found)], as_json=False, title="Risk score")
            emit(_factors(found), as_json=False, title="score = Σ weight × factor")
            return
        rows = [_risk_row(f) for f in context.risk.region(actor, jurisdiction)]
        emit(rows, as_json=as_json, title="Risk scores, highest first")

    run(action)


@whitelist_app.command("candidates")
def candidates(
    jurisdiction: Jurisdiction = None,
    eligible_only: Annotated[bool, typer.Option("--eligible", help="Only eligible firms")] = False,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Every firm against the whitelist criteria (computed now), eligible first."""

    def action(context: Context) -> None:
        found = context.whitelist.candidates(
            actor_of(context, as_user), jurisdiction, eligible_only=eligible_only
        )
        rows = [
            {
                "organization_id": str(c.organization.id),
                "name": c.organization.name,
                "eligible": c.evaluation.eligible,
                "listed": c.listed,
                "fails": ", ".join(c.evaluation.failed),
                "band": c.risk.band.value,
            }
            for c in found
        ]
        emit(rows, as_json=as_json, title="Whitelist candidates")

    run(action)


@whitelist_app.command("list")
def whitelist_list(jurisdiction: Jurisdiction = None, as_json: AsJson = False) -> None:
    """The whitelisted firms (the public list)."""

    def action(context: Context) -> None:
        rows = [
            {
                "organization_id": str(e.organization_id),
                "name": e.name,
                "credit_code": e.credit_code,
                "region_code": e.region_code,
                "since": e.since.isoformat(),
            }
            for e in context.whitelist.listed(jurisdiction)
        ]
        emit(rows, as_json=as_json, title="Whitelist")

    run(action)


def _change(organization: str, action_name: str, reason: str, as_user: str | None) -> None:
    def action(context: Context) -> None:
        entry = context.whitelist.change(
            actor_of(context, as_user),
            organization_id_of(context, organization),
            parse_action(action_name),
            reason,
        )
        typer.echo(f"{entry.state.value} {entry.organization_id} (step {entry.action_id})")

    run(action)


Reason = Annotated[str, typer.Option("--reason", help="Why (required)")]
Organization = Annotated[str, typer.Argument(help="The firm's id or credit code")]


@whitelist_app.command("admit")
def admit(organization: Organization, reason: Reason, as_user: AsUser = None) -> None:
    """Admit a candidate to the whitelist (a signed step)."""
    _change(organization, "admit", reason, as_user)


@whitelist_app.command("remove")
def remove(organization: Organization, reason: Reason, as_user: AsUser = None) -> None:
    """Remove a firm from the whitelist (a signed step)."""
    _change(organization, "remove", reason, as_user)


def _plan_row(plan: InspectionPlan) -> dict[str, Any]:
    return {
        "plan_id": str(plan.plan_id),
        "jurisdiction": plan.jurisdiction_code,
        "period": f"{plan.period_start} – {plan.period_end}",
        "seed": plan.seed,
        "rates": f"whitelisted {plan.rates.whitelisted}, base {plan.rates.base}",
        "firms": len(plan.draws),
        "candidates": len(plan.candidates),
        "published": plan.published_at.isoformat() if plan.published_at else "",
    }


def _result_rows(view: PlanView) -> list[dict[str, Any]]:
    return [
        {
            "organization": r.organization.name,
            "reason": r.draw.reason.value,
            "inspector": r.inspector_name,
            "status": r.status.value,
            "inspection": str(r.inspection.event_id) if r.inspection else "",
            "gap_kg": format(r.inspection.total_gap_kg, "f") if r.inspection else "",
            "gap_alerts": len(r.gap_alert_ids),
        }
        for r in view.results
    ]


@inspections_app.command("draw")
def draw(
    jurisdiction: Annotated[str, typer.Option("--jurisdiction", help="Region code")],
    start: Annotated[str, typer.Option("--start", help="First day, YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--end", help="Last day, YYYY-MM-DD")],
    seed: Annotated[int | None, typer.Option(help="The seed (random if absent)")] = None,
    whitelisted_rate: Annotated[str, typer.Option(help="Share of whitelisted firms")] = str(
        DEFAULT_WHITELISTED_RATE
    ),
    base_rate: Annotated[str, typer.Option(help="Share of other firms")] = str(DEFAULT_BASE_RATE),
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Draw an inspection plan: random firms and inspectors from a recorded seed."""

    def action(context: Context) -> None:
        rates = DrawRates(
            parse_rate(whitelisted_rate, "--whitelisted-rate"), parse_rate(base_rate, "--base-rate")
        )
        plan = context.inspection_plans.draw(
            actor_of(context, as_user),
            jurisdiction,
            _date(start, "--start"),
            _date(end, "--end"),
            seed=seed,
            rates=rates,
        )
        emit([_plan_row(plan)], as_json=as_json, title="Inspection plan drawn")

    run(action)


@inspections_app.command("list")
def plans(
    jurisdiction: Jurisdiction = None, as_user: AsUser = None, as_json: AsJson = False
) -> None:
    """The inspection plans of a jurisdiction, newest period first."""

    def action(context: Context) -> None:
        found = context.inspection_plans.plans(actor_of(context, as_user), jurisdiction)
        emit([_plan_row(p) for p in found], as_json=as_json, title="Inspection plans")

    run(action)


PlanId = Annotated[uuid.UUID, typer.Argument(help="The plan's id")]


@inspections_app.command("show")
def show(plan_id: PlanId, as_user: AsUser = None, as_json: AsJson = False) -> None:
    """A plan with each drawn firm's inspector, inspection, stock gap and gap alerts."""

    def action(context: Context) -> None:
        view = context.inspection_plans.plan(actor_of(context, as_user), plan_id)
        if as_json:
            typer.echo(
                json.dumps(
                    {**_plan_row(view.plan), "results": _result_rows(view)},
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        emit([_plan_row(view.plan)], as_json=False, title="Inspection plan")
        emit(_result_rows(view), as_json=False, title="Assignments")

    run(action)


@inspections_app.command("publish")
def publish(plan_id: PlanId, as_user: AsUser = None) -> None:
    """Publish a plan and its results (a signed step); its public page opens."""

    def action(context: Context) -> None:
        view = context.inspection_plans.publish(actor_of(context, as_user), plan_id)
        typer.echo(f"published {view.plan.plan_id} at {view.plan.published_at}")

    run(action)


app.add_typer(whitelist_app, name="whitelist")
app.add_typer(inspections_app, name="inspections")
