"""`zerowaste carbon factors`: list, show, import, export and activate factor datasets."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Annotated, Any

import typer

from zerowaste.bootstrap import Context
from zerowaste.cli.common import actor_of, emit, run
from zerowaste.domain.factor_datasets import FactorDataset, FactorFilter, region_label
from zerowaste.domain.factors import Factor
from zerowaste.domain.pages import MAX_PAGE_SIZE, PageRequest
from zerowaste.errors import InvalidInput

app = typer.Typer(
    help="The factor library: factors, datasets, CSV import and export.", no_args_is_help=True
)

AsUser = Annotated[
    str | None, typer.Option("--as", help="Act as this user (default: the operator)")
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON")]
DatasetOption = Annotated[
    str | None, typer.Option("--dataset", help="Dataset id (default: the active one)")
]


def _dataset_id(text: str | None) -> uuid.UUID | None:
    if text is None:
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a dataset id", field="dataset") from None


def factor_row(factor: Factor) -> dict[str, Any]:
    """A factor as a flat row (the JSON output of `list` and `show`)."""
    d = factor.distribution
    low, high = d.interval_95(float(factor.value))
    return {
        "ref": factor.ref,
        "set": factor.factor_set.value,
        "category": factor.category.value,
        "subject": factor.subject,
        "route": factor.route,
        "region": region_label(factor.region),
        "year": factor.year,
        "value": str(factor.value),
        "unit": factor.unit,
        "distribution": d.kind.value,
        "spread": d.spread,
        "low": d.low,
        "high": d.high,
        "interval_95": [low, high],
        "source": factor.source,
        "edition": factor.edition,
        "verification": factor.verification.value,
        "note": factor.note,
    }


def dataset_row(dataset: FactorDataset) -> dict[str, Any]:
    """A dataset as a flat row."""
    return {
        "dataset_id": str(dataset.id),
        "name": dataset.name,
        "version": dataset.version,
        "active": dataset.is_active,
        "factors": dataset.factor_count,
        "created_at": dataset.created_at.isoformat(),
        "description": dataset.description,
    }


def _short(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("ref", "value", "unit", "distribution", "verification")
    return {k: row[k] for k in keys}


@app.command("list")
def list_factors(
    factor_set: Annotated[str, typer.Option("--set", help="inventory or avoided")] = "",
    category: Annotated[str, typer.Option("--category")] = "",
    subject: Annotated[str, typer.Option("--subject")] = "",
    route: Annotated[str, typer.Option("--route")] = "",
    region: Annotated[str, typer.Option("--region", help="GLO, CN or a GB/T 2260 code")] = "",
    dataset: DatasetOption = None,
    as_json: AsJson = False,
) -> None:
    """Every factor matching the filters; inventory and avoided are printed as separate tables."""

    def action(context: Context) -> None:
        chosen = FactorFilter.parse(
            factor_set=factor_set, category=category, subject=subject, route=route, region=region
        )
        rows: list[dict[str, Any]] = []
        after: str | None = None
        while True:
            page = context.factors.factors(
                chosen, PageRequest(after, MAX_PAGE_SIZE), _dataset_id(dataset)
            )
            rows += [factor_row(f) for f in page.items]
            if page.next_after is None:
                break
            after = page.next_after
        if as_json:
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for name in ("inventory", "avoided"):
            part = [_short(r) for r in rows if r["set"] == name]
            if part:
                emit(part, as_json=False, title=f"{name} factors (never summed with the other set)")

    run(action)


@app.command("show")
def show(
    ref: Annotated[str, typer.Argument(help="e.g. avoided/waste_route/steel/recycling/GLO/2023")],
    dataset: DatasetOption = None,
    as_json: AsJson = False,
) -> None:
    """One factor with its source, edition, distribution and note."""

    def action(context: Context) -> None:
        row = factor_row(context.factors.factor(ref, _dataset_id(dataset)))
        if as_json:
            typer.echo(json.dumps(row, ensure_ascii=False, indent=2))
            return
        emit([{"field": k, "value": v} for k, v in row.items()], as_json=False, title=ref)

    run(action)


@app.command("datasets")
def datasets(as_json: AsJson = False) -> None:
    """Every stored dataset version, newest first."""

    def action(context: Context) -> None:
        emit(
            [dataset_row(d) for d in context.factors.datasets()],
            as_json=as_json,
            title="Factor datasets",
        )

    run(action)


@app.command("import")
def import_csv(
    path: Annotated[Path, typer.Argument(help="The factor CSV", exists=True, dir_okay=False)],
    name: Annotated[str, typer.Option("--name", help="Dataset name")],
    version: Annotated[str, typer.Option("--version", help="Dataset version")],
    description: Annotated[str, typer.Option("--description")] = "",
    activate: Annotated[bool, typer.Option("--activate", help="Make it the active one")] = False,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Import a factor CSV as a new dataset version; nothing is stored if any row is invalid."""

    def action(context: Context) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise InvalidInput("the CSV must be UTF-8", field="file") from None
        stored = context.factors.import_csv(
            actor_of(context, as_user),
            text,
            name,
            version,
            description=description,
            activate=activate,
        )
        emit([dataset_row(stored)], as_json=as_json, title="Imported")

    run(action)


@app.command("export")
def export_csv(
    dataset: DatasetOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here (default: stdout)")
    ] = None,
) -> None:
    """A dataset's factors as CSV (the import format)."""

    def action(context: Context) -> None:
        text = context.factors.export_csv(_dataset_id(dataset))
        if output is None:
            typer.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8")

    run(action)


@app.command("activate")
def activate(
    dataset: Annotated[str, typer.Argument(help="Dataset id")],
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Make a dataset the active one."""

    def action(context: Context) -> None:
        dataset_id = _dataset_id(dataset)
        assert dataset_id is not None
        stored = context.factors.activate(actor_of(context, as_user), dataset_id)
        emit([dataset_row(stored)], as_json=as_json, title="Active")

    run(action)
