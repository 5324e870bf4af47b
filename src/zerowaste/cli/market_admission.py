"""`zerowaste market admission`: a chain master's supplier admission rules and verdicts."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Annotated, Any

import typer

from zerowaste.bootstrap import Context
from zerowaste.cli.common import AsUser, actor_of, console, emit, organization_id_of, run
from zerowaste.domain.admission import (
    AdmissionRules,
    Verdict,
    YearBasis,
    rules_from_json,
    rules_to_json,
)
from zerowaste.errors import InvalidInput
from zerowaste.services.admission import demo_admission_rules

admission_app = typer.Typer(
    help="Chain-master supplier admission: criteria, standard clauses, verdicts.",
    no_args_is_help=True,
)

Master = Annotated[str, typer.Argument(help="The chain master's id or credit code")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON")]


def _document(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}", field="file") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{path} is not UTF-8 JSON: {exc}", field="file") from None


def _print_rules(rules: AdmissionRules, as_json: bool) -> None:
    if as_json:
        document = {"chain_master_id": str(rules.chain_master_id), "version": rules.version}
        typer.echo(json.dumps(document | rules_to_json(rules), ensure_ascii=False, indent=2))
        return
    console.print(f"Rules version {rules.version}, year basis {rules.year_basis.value}")
    criteria = [
        {
            "indicator": c.indicator.value,
            "test": f"{c.comparator.value} {str(c.threshold).lower()}",
            "unit": c.indicator.unit,
            "required": "yes" if c.required else "no",
        }
        for c in rules.criteria
    ]
    emit(criteria, as_json=False, title="Criteria")
    clauses = [{"key": c.key, "zh": c.text("zh"), "en": c.text("en")} for c in rules.clauses]
    emit(clauses, as_json=False, title="Standard clauses")


def _verdict_rows(context: Context, verdicts: list[Verdict]) -> list[dict[str, Any]]:
    names = context.organizations.many(v.supplier_id for v in verdicts)
    rows = []
    for v in verdicts:
        row: dict[str, Any] = {
            "supplier": names[v.supplier_id].name,
            "supplier_id": str(v.supplier_id),
            "member": v.member,
            "year": v.year,
            "admitted": v.admitted,
        }
        for result in v.results:
            shown = "—" if result.value is None else str(result.value).lower()
            row[result.criterion.indicator.value] = f"{shown} ({result.outcome.value})"
        rows.append(row)
    return rows


def _verdict_json(context: Context, verdicts: list[Verdict]) -> list[dict[str, Any]]:
    names = context.organizations.many(v.supplier_id for v in verdicts)
    return [
        {
            "supplier_id": str(v.supplier_id),
            "name": names[v.supplier_id].name,
            "member": v.member,
            "year": v.year,
            "rules_version": v.rules_version,
            "admitted": v.admitted,
            "results": [
                r.criterion.to_json()
                | {
                    "value": r.value
                    if r.value is None or isinstance(r.value, bool)
                    else str(r.value),
                    "outcome": r.outcome.value,
                }
                for r in v.results
            ],
        }
        for v in verdicts
    ]


@admission_app.command("set")
def set_rules(
    chain_master: Master,
    file: Annotated[
        Path | None, typer.Option("--file", help="A rules JSON file (see docs/admission.md)")
    ] = None,
    defaults: Annotated[
        bool, typer.Option("--defaults", help="Use the platform's default rules instead")
    ] = False,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Store a new version of the chain master's rules."""

    def action(context: Context) -> None:
        master_id = organization_id_of(context, chain_master)
        if defaults == (file is not None):
            raise InvalidInput("give either --file or --defaults", field="file")
        if file is not None:
            criteria, clauses, basis = rules_from_json(_document(file))
        else:
            (criteria, clauses), basis = demo_admission_rules(master_id), YearBasis.PREVIOUS_YEAR
        actor = actor_of(context, as_user)
        rules = context.admission.set_rules(actor, master_id, criteria, clauses, basis)
        _print_rules(rules, as_json)

    run(action)


@admission_app.command("show")
def show(
    chain_master: Master,
    version: Annotated[int | None, typer.Option("--version", min=1, help="One version")] = None,
    as_json: AsJson = False,
) -> None:
    """The chain master's newest rules (or one version)."""
    run(
        lambda c: _print_rules(
            c.admission.rules(organization_id_of(c, chain_master), version), as_json
        )
    )


@admission_app.command("check")
def check(
    chain_master: Master,
    year: Annotated[int | None, typer.Option("--year", help="Default: the year basis")] = None,
    candidate: Annotated[
        list[str] | None, typer.Option("--candidate", help="A firm to check as well (repeat)")
    ] = None,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Every supplier of the chain (and any candidates) against the newest rules."""

    def action(context: Context) -> None:
        master_id = organization_id_of(context, chain_master)
        candidates: list[uuid.UUID] = [organization_id_of(context, c) for c in candidate or ()]
        actor = actor_of(context, as_user)
        verdicts = context.admission.check(actor, master_id, year, candidates)
        if as_json:
            emit(_verdict_json(context, verdicts), as_json=True)
            return
        rows = _verdict_rows(context, verdicts)
        admitted = sum(1 for v in verdicts if v.admitted)
        emit(rows, as_json=False, title=f"Suppliers: {admitted} of {len(verdicts)} admitted")

    run(action)
