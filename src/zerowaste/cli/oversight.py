"""`zerowaste oversight`: the rulebook, sweeps, and alerts with their evidence and workflow."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from zerowaste.bootstrap import Context
from zerowaste.cli.common import OPERATOR, AsUser, actor_of, console, emit, run
from zerowaste.domain.alerts import AlertAction, AlertState
from zerowaste.domain.pages import PageRequest
from zerowaste.errors import InvalidInput

app = typer.Typer(help="Compliance rules, sweeps and alerts (the regulator's desk).")
alert_app = typer.Typer(help="Alerts: list, show, receipts, acknowledge, resolve, dismiss.")
app.add_typer(alert_app, name="alert")

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON")]


@app.command("rules")
def rules(as_json: AsJson = False) -> None:
    """The rulebook: every rule, its level, severity, legal basis and parameters in force."""

    def action(context: Context) -> None:
        emit(
            [
                {
                    "rule": v.spec.rule_id,
                    "name": f"{v.spec.name_zh} {v.spec.name_en}",
                    "level": v.spec.level.value,
                    "severity": v.spec.severity.value,
                    "legal basis": v.spec.legal_basis,
                    "parameters": ", ".join(f"{k}={p}" for k, p in v.parameters.items()),
                }
                for v in context.oversight.rules()
            ],
            as_json=as_json,
            title="Oversight rules",
        )

    run(action)


@app.command("sweep")
def sweep(
    as_of: Annotated[
        str | None, typer.Option(help="Sweep as of this RFC 3339 instant (default: now)")
    ] = None,
    rule: Annotated[list[str] | None, typer.Option(help="Only these rules (repeatable)")] = None,
    as_json: AsJson = False,
) -> None:
    """Run every rule over the whole ledger and raise the new alerts (the server also does it)."""

    def action(context: Context) -> None:
        at = _instant(as_of) if as_of else None
        report = context.oversight.sweep(OPERATOR, at, rule)
        if as_json:
            typer.echo(json.dumps(vars(report), default=str, indent=2))
            return
        emit(
            [
                {"rule": r, "findings": n, "new alerts": report.raised_by_rule.get(r, 0)}
                for r, n in sorted(report.by_rule.items())
            ],
            as_json=False,
            title=f"Sweep as of {report.as_of.isoformat()}",
        )
        console.print(
            f"{report.findings} findings, {report.raised} new alerts in {report.seconds} s"
        )

    run(action)


def _instant(text: str) -> datetime:
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not an RFC 3339 instant", field="as_of") from None
    if at.tzinfo is None:
        raise InvalidInput("needs a time zone offset", field="as_of")
    return at


@alert_app.command("list")
def list_alerts(
    state: Annotated[list[str] | None, typer.Option(help="open, acknowledged, …")] = None,
    rule: Annotated[str | None, typer.Option(help="Only this rule")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Alerts newest first, as the --as user may see them."""

    def action(context: Context) -> None:
        try:
            states = [AlertState(s) for s in state] if state else None
        except ValueError:
            raise InvalidInput("not an alert state", field="state") from None
        page = context.alerts.find(
            actor_of(context, as_user), PageRequest(None, limit), states=states, rule_id=rule
        )
        emit(
            [
                {
                    "number": a.label,
                    "id": str(a.alert_id),
                    "rule": a.rule_id,
                    "severity": a.severity,
                    "state": a.state.value,
                    "region": a.region_code,
                    "explanation": a.explanation_en,
                }
                for a in page.items
            ],
            as_json=as_json,
            title="Alerts",
        )

    run(action)


@alert_app.command("show")
def show(alert_id: uuid.UUID, as_user: AsUser = None, as_json: AsJson = False) -> None:
    """An alert with its explanation, evidence and history (rebuilt from the log)."""

    def action(context: Context) -> None:
        view = context.alerts.alert(actor_of(context, as_user), alert_id)
        a = view.alert
        if as_json:
            document = {
                "alert_id": str(a.alert_id),
                "number": a.label,
                "rule_id": a.rule_id,
                "state": a.state.value,
                "explanation_zh": a.explanation_zh,
                "explanation_en": a.explanation_en,
                "figures": dict(a.figures),
                "event_ids": [str(e) for e in a.event_ids],
                "history": [
                    {"action": s.action.value, "at": s.action_time.isoformat(),
                     "leaf_index": s.leaf_index, "reason": s.reason}
                    for s in view.history
                ],
            }  # fmt: skip
            typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
            return
        console.print(f"[bold]{a.label}[/bold] {a.rule_id} ({a.severity}, {a.state.value})")
        console.print(a.explanation_zh)
        console.print(a.explanation_en)
        for event in view.evidence:
            console.print(f"  evidence {event.event_type} {event.event_id} leaf {event.leaf_index}")
        for step in view.history:
            console.print(
                f"  {step.action_time.isoformat()} {step.action.value} → "
                f"{step.state_after.value} (leaf {step.leaf_index}) {step.reason}"
            )

    run(action)


@alert_app.command("receipts")
def receipts(
    alert_id: uuid.UUID,
    out: Annotated[Path, typer.Option(help="Write the receipts here (JSON)")],
    as_user: AsUser = None,
) -> None:
    """Write the evidence events' receipts, each checked offline by `zerowaste ledger verify`."""

    def action(context: Context) -> None:
        found = context.alerts.receipts(actor_of(context, as_user), alert_id)
        bundle = {"alert_id": str(alert_id), "receipts": [r.to_json() for r in found]}
        out.write_text(json.dumps(bundle, indent=2), encoding="utf-8")
        console.print(f"{len(found)} receipts written to {out}")

    run(action)


def _act(action: AlertAction, alert_id: uuid.UUID, reason: str, as_user: str | None) -> None:
    def step(context: Context) -> None:
        moved = context.alerts.act(actor_of(context, as_user), alert_id, action, reason)
        console.print(f"{moved.label} is {moved.state.value}")

    run(step)


Reason = Annotated[str, typer.Option(help="Why (required to resolve or dismiss)")]


@alert_app.command("acknowledge")
def acknowledge(alert_id: uuid.UUID, as_user: AsUser = None, reason: Reason = "") -> None:
    """Take the alert up (a regulator of its jurisdiction: --as)."""
    _act(AlertAction.ACKNOWLEDGE, alert_id, reason, as_user)


@alert_app.command("resolve")
def resolve(alert_id: uuid.UUID, reason: Reason = "", as_user: AsUser = None) -> None:
    """Close the alert as a breach dealt with, with a reason."""
    _act(AlertAction.RESOLVE, alert_id, reason, as_user)


@alert_app.command("dismiss")
def dismiss(alert_id: uuid.UUID, reason: Reason = "", as_user: AsUser = None) -> None:
    """Close the alert as a false positive, with a reason."""
    _act(AlertAction.DISMISS, alert_id, reason, as_user)
