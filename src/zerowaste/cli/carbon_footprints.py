"""`zerowaste carbon process|product-system|footprint`: firms' process data and published PCFs."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer

from zerowaste.adapters.db.product_systems_repository import exchange_json, exchange_of
from zerowaste.bootstrap import Context
from zerowaste.cli.common import AsUser, actor_of, emit, organization_id_of, run
from zerowaste.domain.footprints import Allocation, FootprintStatus, ProductFootprint
from zerowaste.domain.product_systems import CoProduct, Process, ProductSystem
from zerowaste.errors import InvalidInput
from zerowaste.services.footprints import LedgerLink, by_supplier

process_app = typer.Typer(help="Firms' process data for product footprints.", no_args_is_help=True)
system_app = typer.Typer(
    help="Product systems: a product on its top process.", no_args_is_help=True
)
footprint_app = typer.Typer(
    help="Product carbon footprints: compute, list, show.", no_args_is_help=True
)
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON")]
DataFile = Annotated[Path, typer.Argument(help="A JSON file in the API's request shape")]


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"cannot read {path}: {exc}", field="file") from None
    if not isinstance(data, dict):
        raise InvalidInput("the file must hold a JSON object", field="file")
    return data


def _decimal(data: dict[str, Any], name: str, default: str | None = None) -> Decimal:
    raw = data.get(name, default)
    try:
        return Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"{raw!r} is not a number", field=name) from None


def _instant(data: dict[str, Any], name: str) -> datetime:
    try:
        return datetime.fromisoformat(str(data[name]))
    except (KeyError, ValueError):
        raise InvalidInput("needs an ISO 8601 date-time with offset", field=name) from None


def _uuid(data: dict[str, Any], name: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(data[name]))
    except (KeyError, ValueError):
        raise InvalidInput("needs a UUID", field=name) from None


def process_of(data: dict[str, Any], organization_id: uuid.UUID) -> Process:
    """A process draft from the API's JSON shape."""
    try:
        return Process(
            id=uuid.uuid4(),
            organization_id=organization_id,
            site_id=uuid.UUID(data["site_id"]) if data.get("site_id") else None,
            name=str(data.get("name", "")),
            reference_product=str(data.get("reference_product", "")),
            reference_amount=_decimal(data, "reference_amount"),
            unit=str(data.get("unit", "")),
            reference_mass_kg=_decimal(data, "reference_mass_kg"),
            reference_price_cny=_decimal(data, "reference_price_cny", "0"),
            region_code=str(data.get("region_code", "")),
            period_start=_instant(data, "period_start"),
            period_end=_instant(data, "period_end"),
            exchanges=tuple(exchange_of(x) for x in data.get("exchanges", [])),
            co_products=tuple(
                CoProduct(
                    c["name"],
                    _decimal(c, "amount"),
                    c["unit"],
                    _decimal(c, "mass_kg"),
                    _decimal(c, "price_cny"),
                )
                for c in data.get("co_products", [])
            ),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInput(f"malformed process: {exc}", field="exchanges") from None


def _process_row(p: Process) -> dict[str, Any]:
    return {
        "id": str(p.id),
        "name": p.name,
        "product": f"{p.reference_amount} {p.unit} {p.reference_product}",
        "exchanges": len(p.exchanges),
        "from_ledger": sum(1 for x in p.exchanges if x.from_ledger),
    }


def footprint_row(f: ProductFootprint) -> dict[str, Any]:
    """One line of the footprint list."""
    low, high = f.interval_95_kg
    return {
        "id": str(f.id),
        "product": f.product_name,
        "company": f.company_name,
        "version": f.version,
        "status": f.status.value,
        "kg_co2e": str(f.pcf_excluding_biogenic_uptake_kg),
        "interval_95": f"{low}–{high}",
        "per": f"{f.unit_amount} {f.declared_unit}",
    }


@process_app.command("add")
def add_process(
    organization: Annotated[str, typer.Argument(help="The firm's id or credit code")],
    path: DataFile,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Enter a process from a JSON file (exchanges, co-products, ledger_links)."""
    data = _load(path)

    def action(context: Context) -> None:
        draft = process_of(data, organization_id_of(context, organization))
        links = [
            LedgerLink(str(x["subject"]), str(x.get("waste_code", "")), str(x.get("route", "")))
            for x in data.get("ledger_links", [])
        ]
        production = data.get("period_production")
        found = context.footprints.add_process(
            actor_of(context, as_user),
            draft,
            ledger_links=links,
            period_production=_decimal(data, "period_production") if production else None,
        )
        if as_json:
            row = {**_process_row(found), "exchanges": [exchange_json(x) for x in found.exchanges]}
            typer.echo(json.dumps(row, ensure_ascii=False, indent=2))
            return
        emit([_process_row(found)], as_json=False, title="Process added")

    run(action)


@process_app.command("list")
def list_processes(
    organization: Annotated[str | None, typer.Argument(help="The firm (default: yours)")] = None,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """A firm's processes."""

    def action(context: Context) -> None:
        target = organization_id_of(context, organization) if organization else None
        found = context.footprints.processes(actor_of(context, as_user), target)
        emit([_process_row(p) for p in found], as_json=as_json, title="Processes")

    run(action)


@process_app.command("remove")
def remove_process(process_id: uuid.UUID, as_user: AsUser = None) -> None:
    """Delete a process nothing draws on."""

    def action(context: Context) -> None:
        context.footprints.remove_process(actor_of(context, as_user), process_id)
        typer.echo(f"removed {process_id}")

    run(action)


@process_app.command("share")
def share_process(
    process_id: uuid.UUID,
    organization: Annotated[str, typer.Argument(help="The firm to share with")],
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Let another firm use a process as an input of its own."""

    def action(context: Context) -> None:
        shares = context.footprints.share(
            actor_of(context, as_user), process_id, organization_id_of(context, organization)
        )
        rows = [
            {"organization_id": str(s.organization_id), "since": s.shared_at.isoformat()}
            for s in shares
        ]
        emit(rows, as_json=as_json, title="Shared with")

    run(action)


@system_app.command("add")
def add_system(
    organization: Annotated[str, typer.Argument(help="The firm's id or credit code")],
    path: DataFile,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Declare a product system from a JSON file (product_id, name, top_process_id, unit)."""
    data = _load(path)

    def action(context: Context) -> None:
        draft = ProductSystem(
            id=uuid.uuid4(),
            organization_id=organization_id_of(context, organization),
            product_id=str(data.get("product_id", "")),
            name=str(data.get("name", "")),
            top_process_id=_uuid(data, "top_process_id"),
            declared_unit=str(data.get("declared_unit", "")),
            unit_amount=_decimal(data, "unit_amount", "1"),
            reference_flow=_decimal(data, "reference_flow", "1"),
            product_mass_per_unit_kg=_decimal(data, "product_mass_per_unit_kg", "0"),
            allocation=Allocation(data.get("allocation", "mass")),
            classification=str(data.get("classification", "")),
        )
        found = context.footprints.add_system(actor_of(context, as_user), draft)
        emit(
            [{"id": str(found.id), "product_id": found.product_id, "name": found.name}],
            as_json=as_json,
            title="Product system",
        )

    run(action)


@footprint_app.command("compute")
def compute(
    product_system_id: uuid.UUID,
    iterations: Annotated[int, typer.Option(help="Monte Carlo draws")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed")] = 0,
    as_user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Solve a product system and publish its footprint (a new version of the product's)."""

    def action(context: Context) -> None:
        found = context.footprints.compute(
            actor_of(context, as_user), product_system_id, iterations=iterations, seed=seed
        )
        emit([footprint_row(found)], as_json=as_json, title="Footprint published")

    run(action)


@footprint_app.command("list")
def list_footprints(
    all_versions: Annotated[bool, typer.Option("--all", help="Deprecated too")] = False,
    as_json: AsJson = False,
) -> None:
    """Published footprints, newest first."""

    def action(context: Context) -> None:
        status = None if all_versions else FootprintStatus.ACTIVE
        rows = [footprint_row(f) for f in context.footprints.footprints(status=status)]
        emit(rows, as_json=as_json, title="Product footprints")

    run(action)


@footprint_app.command("show")
def show(footprint_id: uuid.UUID, as_json: AsJson = False) -> None:
    """One footprint: ISO 14067 fields, contributions by process and by supplier."""

    def action(context: Context) -> None:
        f = context.footprints.footprint(footprint_id)
        names = context.footprints.organization_names(
            {c.organization_id for c in f.contributions if c.organization_id}
        )
        suppliers = [
            {"supplier": names.get(k, str(k)) if k else "", "kg_co2e": str(v)}
            for k, v in by_supplier(f).items()
        ]
        processes = [{"process": c.label, "kg_co2e": str(c.co2e_kg)} for c in f.contributions]
        fields = {
            **footprint_row(f),
            "boundary": f.boundary,
            "fossil_kg": str(f.fossil_ghg_kg),
            "biogenic_kg": str(f.biogenic_ghg_kg),
            "allocation": f.allocation.value,
            "recycled_content_share": str(f.recycled_content_share),
            "primary_data_share": str(f.primary_data_share),
            "characterization": f.characterization,
            "standards": ", ".join(f.standards),
            "factors": list(f.factor_sources),
        }
        if as_json:
            document = {**fields, "by_process": processes, "by_supplier": suppliers}
            typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
            return
        emit(
            [{"field": k, "value": str(v)} for k, v in fields.items()],
            as_json=False,
            title=f.product_name,
        )
        emit(processes, as_json=False, title="By process")
        emit(suppliers, as_json=False, title="By supplier")

    run(action)
