"""`zerowaste market match|allocations|allocation|recommend`: region runs and top-k partners."""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any

import typer

from zerowaste.bootstrap import Context
from zerowaste.cli.common import AsUser, actor_of, console, emit, run
from zerowaste.domain.market_allocations import AllocationLineRecord, AllocationRecord
from zerowaste.domain.pages import PageRequest
from zerowaste.errors import InvalidInput
from zerowaste.services.market import ListingRecommendations

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON")]
#: Lines the summary prints (the JSON form has them all).
TOP_LINES = 15


def _id(text: str, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not an id (a UUID)", field=field) from None


def summary_row(run: AllocationRecord) -> dict[str, Any]:
    """A run's figures as one table row."""
    return {
        "id": str(run.id),
        "region": run.region_code,
        "period": run.period_label,
        "carbon_price": run.carbon_price,
        "objective_cny": round(run.objective_cny, 2),
        "matched_t": round(run.matched_t, 3),
        "disposed_t": round(run.disposed_t, 3),
        "avoided_t_co2e": round(run.avoided_co2e_kg / 1000, 3),
        "candidates": run.candidates,
        "solver": run.solver,
        "created_at": run.created_at.isoformat(timespec="seconds"),
    }


def line_row(line: AllocationLineRecord) -> dict[str, Any]:
    """A line and its explanation as one table row."""
    alternative = line.alternative
    return {
        "line": line.line_no,
        "supply": str(line.supply_listing_id)[:8],
        "demand": str(line.demand_listing_id)[:8] if line.demand_listing_id else "disposal",
        "t": round(line.quantity_t, 3),
        "cny_per_t": round(line.value.get("value_cny_per_t", 0.0), 2),
        "co2e_kg_per_t": round(line.value.get("avoided_co2e_kg_per_t", 0.0), 1),
        "km": round(line.distance_km, 1),
        "binding": ", ".join(line.binding),
        "next_best": alternative["reason"] if alternative else "",
    }


def run_json(run: AllocationRecord) -> dict[str, Any]:
    """A run with its lines as a JSON object."""
    return {
        **summary_row(run),
        "objective_cny": run.objective_cny,
        "avoided_co2e_kg": run.avoided_co2e_kg,
        "params": run.params,
        "filtered_counts": run.filtered_counts,
        "filtered": run.filtered,
        "timings_s": run.timings,
        "lines": [
            {
                "line_no": line.line_no,
                "supply_listing_id": str(line.supply_listing_id),
                "demand_listing_id": (
                    str(line.demand_listing_id) if line.demand_listing_id else None
                ),
                "quantity_t": line.quantity_t,
                "value": line.value,
                "value_cny": line.value_cny,
                "avoided_co2e_kg": line.avoided_co2e_kg,
                "distance_km": line.distance_km,
                "binding": list(line.binding),
                "alternative": line.alternative,
            }
            for line in run.lines
        ],
    }


def show(run: AllocationRecord, as_json: bool) -> None:
    """Print a run: JSON, or its summary, its best lines and the filter counts."""
    if as_json:
        typer.echo(json.dumps(run_json(run), ensure_ascii=False, indent=2, default=str))
        return
    emit([summary_row(run)], as_json=False, title="Allocation")
    ranked = sorted(run.lines, key=lambda line: -line.value_cny)[:TOP_LINES]
    emit([line_row(line) for line in ranked], as_json=False, title="Top lines by value")
    if run.filtered_counts:
        counts = [{"rule": r, "pairs": n} for r, n in sorted(run.filtered_counts.items())]
        emit(counts, as_json=False, title="Filtered out")
    console.print(f"{len(run.lines)} lines; `zerowaste market allocation {run.id}` for all.")


def match(
    region: Annotated[str, typer.Option("--region", help="Region code or prefix: 32, 3205")],
    period: Annotated[str, typer.Option("--period", help="YYYY, YYYY-MM, YYYY-Qn or a/b")],
    carbon_price: Annotated[
        float | None, typer.Option("--carbon-price", help="CNY per t CO2e")
    ] = None,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Allocate a region's open listings over a period; store the run and print it."""

    def action(context: Context) -> None:
        actor = actor_of(context, as_user)
        show(context.market.allocate(actor, region, period, carbon_price), as_json)

    run(action)


def allocations(
    region: Annotated[str | None, typer.Option("--region", help="Only this region")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=500)] = 50,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """List stored allocation runs, newest first."""

    def action(context: Context) -> None:
        actor = actor_of(context, as_user)
        page = context.market.allocations(actor, PageRequest(None, limit), region)
        emit([summary_row(r) for r in page.items], as_json=as_json, title="Allocations")

    run(action)


def allocation(
    allocation_id: Annotated[str, typer.Argument(help="The run's id")],
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Show one stored run: figures, lines with explanations, filtered counts."""

    def action(context: Context) -> None:
        actor = actor_of(context, as_user)
        found = context.market.allocation(actor, _id(allocation_id, "allocation_id"))
        if as_json:
            show(found, True)
            return
        emit([summary_row(found)], as_json=False, title="Allocation")
        emit([line_row(line) for line in found.lines], as_json=False, title="Lines")

    run(action)


def recommendation_rows(found: ListingRecommendations) -> list[dict[str, Any]]:
    """A listing's partners as table rows."""
    rows = []
    for item in found.items:
        partner = found.partners.get(item.partner_id)
        value = item.candidate.value
        rows.append(
            {
                "rank": item.rank,
                "partner": item.partner_id,
                "title": partner.terms.title if partner else "",
                "t": round(item.quantity_t, 3),
                "km": round(item.candidate.distance_km, 1),
                "cny_per_t": round(value.value_cny_per_t, 2),
                "price": round(value.price_cny_per_t, 2),
                "transport": round(value.transport_cny_per_t, 2),
                "carbon": round(value.carbon_value_cny_per_t, 2),
                "note": item.note,
            }
        )
    return rows


def recommend(
    listing_id: Annotated[str, typer.Argument(help="The listing's id")],
    k: Annotated[int, typer.Option("-k", min=1, max=50, help="How many partners")] = 5,
    period: Annotated[str | None, typer.Option("--period", help="Default: the listing's")] = None,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """The best k partners of a listing, with the value breakdown of each."""

    def action(context: Context) -> None:
        actor = actor_of(context, as_user)
        found = context.market.recommend(actor, _id(listing_id, "listing_id"), k, period)
        rows = recommendation_rows(found)
        if as_json:
            document = {
                "listing_id": str(found.listing.id),
                "period": found.period.label,
                "items": rows,
                "filtered_counts": found.filtered_counts,
            }
            typer.echo(json.dumps(document, ensure_ascii=False, indent=2, default=str))
            return
        emit(rows, as_json=False, title=f"Partners of {found.listing.terms.title}")
        if found.filtered_counts:
            counts = [{"rule": r, "pairs": n} for r, n in sorted(found.filtered_counts.items())]
            emit(counts, as_json=False, title="Filtered out")

    run(action)
