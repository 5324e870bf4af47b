"""`zerowaste evaluate` panel commands: datasets, models with tables, mediation, event studies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from zerowaste.api.routes.evaluation import (
    dataset_detail_out,
    dataset_out,
    event_study_out,
    mediation_out,
    model_out,
    preview,
)
from zerowaste.bootstrap import Context
from zerowaste.cli.common import AsUser, actor_of, console, emit, run
from zerowaste.errors import InvalidInput
from zerowaste.evaluation.event_study import ESTIMATORS
from zerowaste.evaluation.tables import TableFormat

Dataset = Annotated[str, typer.Argument(help="The dataset's name")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON")]
Outcome = Annotated[str, typer.Option("--outcome", help="The outcome variable")]
FixedEffects = Annotated[
    list[str] | None,
    typer.Option("--fe", help="A fixed effect: firm, city or year (repeat; 'none' for none)"),
]
Cluster = Annotated[
    str | None, typer.Option("--cluster", help="Cluster errors by firm or city (shown beside)")
]
Controls = Annotated[list[str] | None, typer.Option("--control", help="A control (repeat)")]
Format = Annotated[TableFormat, typer.Option("--format", help="Table format")]


def _fixed_effects(given: list[str] | None) -> list[str]:
    if not given:
        return ["firm", "year"]
    return [] if [g.lower() for g in given] == ["none"] else given


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}", field="file") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text", field="file") from None


def _dump(document: object) -> None:
    typer.echo(json.dumps(document, ensure_ascii=False, indent=2, default=str))


def dataset_import(
    name: Annotated[str, typer.Argument(help="A name for the dataset")],
    file: Annotated[Path, typer.Argument(help="The CSV: firm,city,year,<variables…>")],
    source: Annotated[str, typer.Option("--source", help="Where the data come from")],
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Validate and store a panel dataset (all or nothing)."""

    def action(context: Context) -> None:
        summary = context.evaluation.import_dataset(
            actor_of(context, as_user), name, _read(file), source
        )
        if as_json:
            _dump(dataset_out(summary).model_dump(mode="json"))
            return
        console.print(
            f"Stored {summary.name}: {summary.rows} rows, variables {', '.join(summary.variables)}"
        )

    run(action)


def datasets(as_json: AsJson = False) -> None:
    """List the stored datasets."""

    def action(context: Context) -> None:
        rows = [dataset_out(s).model_dump(mode="json") for s in context.evaluation.datasets()]
        for row in rows:
            row["variables"] = ", ".join(row["variables"]) if not as_json else row["variables"]
        emit(rows, as_json=as_json, title="Evaluation datasets")

    run(action)


def dataset(name: Dataset, as_json: AsJson = False) -> None:
    """Show a dataset: source, balance and first rows."""

    def action(context: Context) -> None:
        stored = context.evaluation.dataset(name)
        if as_json:
            _dump(dataset_detail_out(stored).model_dump(mode="json"))
            return
        b = stored.panel.balance
        console.print(f"{stored.summary.name} — {stored.summary.source}")
        shape = "balanced" if b.balanced else "unbalanced"
        console.print(
            f"{b.rows} rows: {b.firms} firms, {b.cities} cities, "
            f"{b.first_year}-{b.last_year} ({shape})"
        )
        emit(preview(stored.panel, 10), as_json=False, title="First rows")

    run(action)


def model(
    name: Dataset,
    outcome: Outcome,
    regressor: Annotated[list[str], typer.Option("--regressor", help="A regressor (repeat)")],
    fe: FixedEffects = None,
    cluster: Cluster = None,
    fmt: Format = TableFormat.TEXT,
    as_json: AsJson = False,
) -> None:
    """Estimate a fixed-effects model; print its regression table (classical, clustered beside)."""

    def action(context: Context) -> None:
        service = context.evaluation
        models = service.fit(name, outcome, regressor, _fixed_effects(fe), cluster)
        table = service.table(models, fmt)
        if as_json:
            _dump(
                {
                    "models": [model_out(m).model_dump(mode="json") for m in models],
                    "format": fmt.value,
                    "table": table,
                }
            )
            return
        typer.echo(table, nl=False)

    run(action)


def mediation(
    name: Dataset,
    outcome: Outcome,
    treatment: Annotated[str, typer.Option("--treatment", help="The driver D")],
    mediator: Annotated[str, typer.Option("--mediator", help="The mediator M")],
    control: Controls = None,
    fe: FixedEffects = None,
    cluster: Cluster = None,
    replicates: Annotated[int, typer.Option("--replicates", help="Bootstrap replicates")] = 0,
    seed: Annotated[int, typer.Option("--seed", help="Bootstrap seed")] = 0,
    fmt: Format = TableFormat.TEXT,
    as_json: AsJson = False,
) -> None:
    """Stepwise mediation: c = c′ + a·b, Sobel's test, a cluster bootstrap of a·b."""

    def action(context: Context) -> None:
        service = context.evaluation
        result = service.mediation(
            name, outcome, treatment, mediator, control or [], _fixed_effects(fe), cluster,
            replicates, seed,
        )  # fmt: skip
        table = service.table((result.total, result.path_a, result.direct), fmt)
        if as_json:
            _dump(mediation_out(result, fmt, table).model_dump(mode="json"))
            return
        typer.echo(table, nl=False)
        typer.echo(
            f"c = {result.c:.6f} = c′ {result.c_prime:.6f} + a·b {result.indirect:.6f} "
            f"(a = {result.a:.6f}, b = {result.b:.6f}; gap {result.identity_gap:.1e})"
        )
        typer.echo(f"Sobel z = {result.sobel_z:.4f}, p = {result.sobel_p:.4g}")
        if result.bootstrap:
            boot = result.bootstrap
            typer.echo(
                f"Cluster bootstrap by {boot.cluster} ({boot.replicates} draws, seed {boot.seed}):"
                f" 95% CI of a·b [{boot.ci_low:.6f}, {boot.ci_high:.6f}]"
            )

    run(action)


def event_study(
    name: Dataset,
    outcome: Outcome,
    cohort: Annotated[str, typer.Option("--cohort", help="The adoption-year variable")],
    leads: Annotated[int, typer.Option("--leads", help="Leads (binned at −leads)")] = 4,
    lags: Annotated[int, typer.Option("--lags", help="Lags (binned at +lags)")] = 4,
    control: Controls = None,
    cluster: Annotated[str, typer.Option("--cluster", help="firm or city")] = "firm",
    estimator: Annotated[
        list[str] | None, typer.Option("--estimator", help="twfe and/or did2s (repeat)")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Event study of staggered adoption: TWFE and did2s, with the pre-trend test."""

    def action(context: Context) -> None:
        study = context.evaluation.event_study(
            name, outcome, cohort, leads, lags, control or [], cluster,
            estimator or list(ESTIMATORS),
        )  # fmt: skip
        if as_json:
            _dump(event_study_out(study).model_dump(mode="json"))
            return
        console.print(
            f"{study.n} rows, {study.units} firms ({study.treated_units} adopt; cohorts "
            f"{', '.join(map(str, study.cohorts))}), {study.clusters} {study.cluster} clusters"
        )
        for e in study.estimates:
            rows = [
                {
                    "period": c.period,
                    "estimate": f"{c.estimate:.4f}",
                    "se": f"{c.se:.4f}",
                    "95% CI": f"[{c.ci_low:.4f}, {c.ci_high:.4f}]",
                }
                for c in e.coefficients
            ]
            emit(rows, as_json=False, title=f"{e.estimator} (reference period −1)")
            if e.pretrend_p is not None:
                typer.echo(f"Pre-trend F = {e.pretrend_f:.3f}, p = {e.pretrend_p:.4g}")
            typer.echo(f"Average post effect {e.average_post:.4f} ({e.average_post_se:.4f})")

    run(action)


def platform_panel(
    name: Annotated[str, typer.Argument(help="A name for the stored panel")],
    year: Annotated[list[int], typer.Option("--year", help="A year (repeat)")],
    covariates: Annotated[
        str | None, typer.Option("--covariates", help="A dataset to join")
    ] = None,
    on: Annotated[str, typer.Option("--on", help="Join on firm or city")] = "city",
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Build the panel from the ledger and economic records and store it as a dataset."""

    def action(context: Context) -> None:
        summary = context.evaluation.save_platform_panel(
            actor_of(context, as_user), name, year, covariates, on
        )
        if as_json:
            _dump(dataset_out(summary).model_dump(mode="json"))
            return
        console.print(f"Stored {summary.name}: {summary.rows} firm-years ({summary.source})")

    run(action)
