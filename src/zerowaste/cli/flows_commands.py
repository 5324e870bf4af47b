"""`zerowaste flows system|reconcile|substances`: a city's system, any system, a heavy metal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from zerowaste.api.routes.flows import (
    SystemIn,
    city_out,
    reconciliation_out,
    substance_out,
    system_of,
)
from zerowaste.bootstrap import Context
from zerowaste.cli.common import emit, run
from zerowaste.errors import InvalidInput
from zerowaste.flows.reconcile import DEFAULT_ALPHA, Reconciliation
from zerowaste.services.flows import period_or_this_year

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON")]
PeriodOption = Annotated[
    str | None,
    typer.Option(
        "--period", help="2026, 2026-Q2, 2026-03 or 2026-01-01/2026-07-01 (default: this year)"
    ),
]
AlphaOption = Annotated[float, typer.Option("--alpha", help="Significance of the tests")]


def _num(value: float | None, digits: int = 4) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _rows(result: Reconciliation) -> list[dict[str, Any]]:
    return [
        {
            "id": v.variable_id,
            "measured": _num(v.measured),
            "sd": _num(v.sd),
            "reconciled": _num(v.value) if v.determinable else "undetermined",
            "adjustment": _num(v.adjustment),
            "test": _num(v.test_statistic, 2),
            "suspect": "SUSPECT" if v.suspect else "",
        }
        for v in result.variables
    ]


def _verdict(result: Reconciliation) -> str:
    chi = result.chi_square
    if chi.degrees_of_freedom == 0:
        return "χ² test: no redundancy (every measurement is needed to close the balances)"
    verdict = "passed" if chi.passed else "FAILED: gross error suspected"
    names = ", ".join(v.variable_id for v in result.suspects)
    line = (
        f"χ² = {chi.statistic:.4f}, df = {chi.degrees_of_freedom}, p = {chi.p_value:.4g}"
        f" at α = {chi.alpha}: {verdict}"
    )
    return line + (f"; suspect: {names}" if names else "")


def _print(result: Reconciliation, title: str) -> None:
    emit(_rows(result), as_json=False, title=title)
    typer.echo(_verdict(result))


def system(
    region: Annotated[str, typer.Argument(help="GB/T 2260 region code, e.g. 320500")],
    period: PeriodOption = None,
    alpha: AlphaOption = DEFAULT_ALPHA,
    as_json: AsJson = False,
) -> None:
    """A region's waste system from the ledger, reconciled, with the χ² verdict."""

    def action(context: Context) -> None:
        chosen = period_or_this_year(period, context.clock())
        flows = context.flows.city(region, chosen, alpha=alpha)
        if as_json:
            out = city_out(flows).model_dump(mode="json")
            typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
            return
        _print(flows.reconciliation, f"{flows.region.name_zh} {flows.period.label} (t)")

    run(action)


def _load(path: Path) -> SystemIn:
    try:
        raw = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"cannot read a JSON system: {exc}", field="file") from exc
    try:
        return SystemIn.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidInput(first["msg"], field=where or "file") from exc


def reconcile(
    file: Annotated[Path, typer.Argument(help="JSON system: processes, flows (value, sd)")],
    alpha: Annotated[
        float | None, typer.Option("--alpha", help="Significance (default: the file's, or 0.05)")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Reconcile a system from a file: adjusted flows, unknowns, χ² and suspect flows."""

    def action(context: Context) -> None:
        body = _load(file)
        result = context.flows.reconcile(system_of(body), alpha=alpha or body.alpha)
        if as_json:
            out = reconciliation_out(result).model_dump(mode="json")
            typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
            return
        _print(result, body.name or file.name)

    run(action)


def substances(
    region: Annotated[str, typer.Argument(help="GB/T 2260 region code")],
    period: PeriodOption = None,
    substance: Annotated[str, typer.Option("--substance", help="Pb, Cd, Cr or Zn")] = "Pb",
    as_json: AsJson = False,
) -> None:
    """A heavy metal over a region's system: flows, balances and transfer coefficients."""

    def action(context: Context) -> None:
        chosen = period_or_this_year(period, context.clock())
        found = context.flows.substances(region, chosen, substance)
        if as_json:
            out = substance_out(found).model_dump(mode="json")
            typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
            return
        _print(found.layer.reconciliation, f"{substance} — {found.flows.region.name_zh} (t)")
        emit(
            [
                {
                    "process": b.process_id,
                    "in": _num(b.inputs, 6),
                    "out": _num(b.outputs, 6),
                    "stock change": _num(b.stock_change, 6),
                    "transfer coefficients": ", ".join(
                        f"{k} {_num(v, 3)}" for k, v in b.transfer.items()
                    ),
                }
                for b in found.layer.balances
            ],
            as_json=False,
            title="Balances",
        )

    run(action)
