"""`zerowaste indicators rank` and `chain-evaluation`: supplier scoring and chain evaluation."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from zerowaste.api.routes.scoring import chain_evaluation_out, ranking_out
from zerowaste.bootstrap import Context
from zerowaste.cli.common import AsUser, actor_of, console, emit, organization_id_of, run
from zerowaste.services.scoring import parse_weights

Chain = Annotated[str, typer.Argument(help="The chain master's id or credit code")]
Year = Annotated[
    int | None, typer.Option("--year", help="China calendar year (default: last year)")
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON (the API's shape)")]


def rank(
    chain: Chain,
    year: Year = None,
    criteria: Annotated[
        str | None, typer.Option("--criteria", help="Comma-separated criterion ids")
    ] = None,
    weights: Annotated[
        str | None, typer.Option("--weights", help="Expert weights: id:weight,id:weight")
    ] = None,
    alpha: Annotated[
        float | None, typer.Option("--alpha", help="Blend α·entropy + (1-α)·expert")
    ] = None,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Rank the chain's suppliers by entropy-weight TOPSIS, each distance to the ideal explained."""

    def action(context: Context) -> None:
        chain_id = organization_id_of(context, chain)
        actor = actor_of(context, as_user)
        chosen = criteria.split(",") if criteria else None
        found = context.scoring.rank_suppliers(
            actor, chain_id, year, chosen, parse_weights(weights), alpha
        )
        out = ranking_out(chain_id, found.year, found.criteria, found.ranking, dict(found.names))
        if as_json:
            typer.echo(json.dumps(out.model_dump(mode="json"), ensure_ascii=False, indent=2))
            return
        source = out.weight_source + (f" (α = {out.alpha})" if out.alpha is not None else "")
        console.print(f"{found.year}: entropy-weight TOPSIS, weights from {source}")
        emit(
            [
                {
                    "criterion": c.criterion,
                    "direction": c.direction,
                    "weight": f"{c.weight:.4f}",
                    "entropy weight": "—"
                    if c.entropy_weight is None
                    else f"{c.entropy_weight:.4f}",
                    "expert weight": "—" if c.expert_weight is None else f"{c.expert_weight:.4f}",
                }
                for c in out.criteria
            ],
            as_json=False,
            title="Weights",
        )
        emit(
            [
                {
                    "rank": s.rank,
                    "supplier": s.name,
                    "closeness": f"{s.closeness:.4f}",
                    "D+": f"{s.d_plus:.4f}",
                    "D-": f"{s.d_minus:.4f}",
                    "furthest from ideal on": s.main_gap or "— (at the ideal)",
                }
                for s in out.suppliers
            ],
            as_json=False,
            title="Ranking",
        )
        if out.excluded:
            emit(
                [{"supplier": e.name, "left out": e.reason} for e in out.excluded],
                as_json=False,
                title="Not ranked",
            )

    run(action)


def chain_evaluation(
    chain: Chain, year: Year = None, as_user: AsUser = None, as_json: AsJson = False
) -> None:
    """The chain master's evaluation: member values, chain aggregates, ranks, admission verdicts."""

    def action(context: Context) -> None:
        chain_id = organization_id_of(context, chain)
        found = context.scoring.chain_evaluation(actor_of(context, as_user), chain_id, year)
        out = chain_evaluation_out(found)
        if as_json:
            typer.echo(json.dumps(out.model_dump(mode="json"), ensure_ascii=False, indent=2))
            return
        a = out.aggregates
        console.print(
            f"{out.name}, {out.year}: {a.members} suppliers, {a.generated_t} t generated, "
            f"utilization {a.utilization_rate or '—'}, disposal share {a.disposal_share or '—'}, "
            f"intensity {a.waste_intensity_t_per_10k_cny or '—'} t/10^4 CNY "
            f"({a.with_output_value} with output value)"
        )
        rows = []
        for m in out.members:
            verdict = "—" if m.verdict is None else ("admitted" if m.verdict.admitted else "not")
            rows.append(
                {"rank": m.rank or "—", "supplier": m.name}
                | {k: v if v is not None else "—" for k, v in m.values.items()}
                | {"admission": verdict}
            )
        emit(rows, as_json=False, title="Members")
        if out.ranking_problem:
            console.print(f"No ranking: {out.ranking_problem}")

    run(action)
