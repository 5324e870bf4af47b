"""`zerowaste market listing`: list a supply or demand from a JSON file, search, show, withdraw."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Annotated, Any

import typer

from zerowaste.bootstrap import Context
from zerowaste.cli.common import AsUser, actor_of, emit, run
from zerowaste.domain.listing_documents import listing_document, parse_listing
from zerowaste.domain.listings import Listing, ListingSide, ListingState
from zerowaste.domain.pages import PageRequest
from zerowaste.errors import InvalidInput

app = typer.Typer(
    help="Market listings: what firms offer (supply) or want (demand).", no_args_is_help=True
)
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON")]
ListingFile = Annotated[
    Path, typer.Option("--file", "-f", help="A JSON file in the API's request shape")
]


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"cannot read {path}: {exc}", field="file") from None
    if not isinstance(data, dict):
        raise InvalidInput("the file must hold a JSON object", field="file")
    data.pop("version", None)
    return data


def listing_json(listing: Listing) -> dict[str, Any]:
    """A listing as the API returns it (decimals as strings)."""
    return {
        "id": str(listing.id),
        "version": listing.version,
        "state": listing.state.value,
        "region_code": listing.region_code,
        "latitude": listing.latitude,
        "longitude": listing.longitude,
        **listing_document(listing.terms),
        "created_at": listing.created_at.isoformat(),
        "updated_at": listing.updated_at.isoformat(),
    }


def listing_row(listing: Listing) -> dict[str, Any]:
    """One line of the listing table."""
    terms = listing.terms
    if terms.supply is not None:
        codes, amount = terms.supply.waste_code, terms.supply.quantity_t
        basis, price = terms.supply.basis, terms.supply.price_cny_per_t
    else:
        assert terms.demand is not None
        codes, amount = ", ".join(terms.demand.accepted_codes), terms.demand.capacity_t
        basis, price = terms.demand.basis, terms.demand.price_cny_per_t
    return {
        "id": str(listing.id),
        "side": terms.side.value,
        "state": listing.state.value,
        "codes": codes,
        "t": f"{amount}/{basis.value}",
        "cny_per_t": str(price),
        "region": listing.region_code,
    }


def detail_rows(listing: Listing) -> list[dict[str, Any]]:
    """The listing's fields as (field, value) rows, for `show`."""
    terms = listing.terms
    part = terms.supply or terms.demand
    assert part is not None
    fields: dict[str, Any] = {
        "id": listing.id,
        "title": terms.title,
        "side": terms.side.value,
        "state": listing.state.value,
        "version": listing.version,
        "organization": terms.organization_id,
        "site": terms.site_id,
        "region": listing.region_code,
        "available": f"{terms.available_from} .. {terms.available_to}",
        "expires_on": terms.expires_on,
    }
    document = listing_document(terms)[terms.side.value]
    for name, value in document.items():
        if name not in ("composition", "limits"):
            fields[name] = ", ".join(map(str, value)) if isinstance(value, list) else value
    return [{"field": k, "value": v} for k, v in fields.items()]


def _show(listing: Listing, as_json: bool, title: str) -> None:
    if as_json:
        typer.echo(json.dumps(listing_json(listing), ensure_ascii=False, indent=2))
        return
    emit([listing_row(listing)], as_json=False, title=title)


@app.command("add")
def add(path: ListingFile, as_user: AsUser = None, as_json: AsJson = False) -> None:
    """List a supply or demand from a JSON file (see docs/market.md for the shape)."""

    def action(context: Context) -> None:
        new = parse_listing(_load(path))
        listing = context.listings.create(actor_of(context, as_user), new)
        _show(listing, as_json, "Listing added")

    run(action)


@app.command("edit")
def edit(
    listing_id: uuid.UUID,
    path: ListingFile,
    version: Annotated[int, typer.Option("--version", help="The version being replaced")],
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Replace an open listing's terms from a JSON file."""

    def action(context: Context) -> None:
        actor = actor_of(context, as_user)
        listing = context.listings.edit(actor, listing_id, version, parse_listing(_load(path)))
        _show(listing, as_json, "Listing edited")

    run(action)


@app.command("list")
def list_listings(
    side: Annotated[ListingSide | None, typer.Option("--side", help="supply or demand")] = None,
    code: Annotated[str | None, typer.Option("--code", help="Code, category or class")] = None,
    region: Annotated[str | None, typer.Option("--region", help="Region code")] = None,
    state: Annotated[ListingState | None, typer.Option("--state", help="Listing state")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=500)] = 100,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Search the listings (the operator sees all; `--as` a user sees what that user sees)."""

    def action(context: Context) -> None:
        page = context.listings.find(
            actor_of(context, as_user),
            PageRequest(limit=limit),
            side=side,
            code=code,
            region_code=region,
            state=state,
        )
        if as_json:
            rows = [listing_json(item) for item in page.items]
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        emit([listing_row(item) for item in page.items], as_json=False, title="Listings")

    run(action)


@app.command("show")
def show(listing_id: uuid.UUID, as_user: AsUser = None, as_json: AsJson = False) -> None:
    """One listing with its terms."""

    def action(context: Context) -> None:
        listing = context.listings.get(actor_of(context, as_user), listing_id)
        if as_json:
            _show(listing, True, "")
            return
        emit(detail_rows(listing), as_json=False, title=listing.terms.title)
        terms = listing.terms
        ranges = terms.supply.composition if terms.supply else ()
        if terms.demand is not None:
            ranges = terms.demand.limits
        if ranges:
            rows = [{"component": r.component, "low": r.low, "high": r.high} for r in ranges]
            emit(rows, as_json=False, title="Composition" if terms.supply else "Limits")

    run(action)


@app.command("withdraw")
def withdraw(
    listing_id: uuid.UUID,
    version: Annotated[int | None, typer.Option("--version", help="Only from this version")] = None,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Withdraw an open listing (kept, never matched again)."""

    def action(context: Context) -> None:
        listing = context.listings.withdraw(actor_of(context, as_user), listing_id, version)
        _show(listing, as_json, "Listing withdrawn")

    run(action)
