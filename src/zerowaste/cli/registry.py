"""`zerowaste registry`: organizations, sites, permits, users and keys."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import date
from typing import Annotated

import typer

from zerowaste.bootstrap import Context
from zerowaste.cli.common import OPERATOR, console, emit, organization_id_of, run
from zerowaste.domain.accounts import NewSigningKey, NewUser, UserRole
from zerowaste.domain.organizations import (
    EconomicRecord,
    NewOrganization,
    OrganizationChanges,
    OrganizationRole,
)
from zerowaste.domain.pages import PageRequest
from zerowaste.domain.permits import NewPermit, PermitActivity, PermitKind
from zerowaste.domain.quantities import parse_decimal
from zerowaste.domain.sites import NewSite, SiteKind
from zerowaste.errors import InvalidInput, InvalidPublicKey

app = typer.Typer(help="Organizations, sites, permits, users and keys.", no_args_is_help=True)
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


@app.command("add-org")
def add_organization(
    credit_code: Annotated[str, typer.Option(help="18-character unified social credit code")],
    name: Annotated[str, typer.Option(help="Registered name")],
    region: Annotated[str, typer.Option(help="GB/T 2260 region code")],
    industry: Annotated[str | None, typer.Option(help="GB/T 4754-2017 code")] = None,
    role: Annotated[list[OrganizationRole] | None, typer.Option(help="Repeat for several")] = None,
    jurisdiction: Annotated[str | None, typer.Option(help="Regulators: region overseen")] = None,
    name_en: Annotated[str | None, typer.Option(help="English name")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Register an organization."""

    def action(context: Context) -> None:
        new = NewOrganization(
            credit_code, name, region, industry, name_en, frozenset(role or ()), jurisdiction
        )
        org = context.organizations.register(OPERATOR, new)
        emit([{"id": org.id, "credit_code": org.credit_code, "name": org.name}], as_json=as_json)

    run(action)


@app.command("update-org")
def update_organization(
    organization: Annotated[str, typer.Argument(help="Organization id or credit code")],
    name: Annotated[str | None, typer.Option()] = None,
    name_en: Annotated[str | None, typer.Option()] = None,
    industry: Annotated[str | None, typer.Option(help="GB/T 4754-2017 code")] = None,
    role: Annotated[
        list[OrganizationRole] | None, typer.Option(help="Replaces all roles; repeat")
    ] = None,
    jurisdiction: Annotated[str | None, typer.Option(help="Regulators: region overseen")] = None,
) -> None:
    """Change an organization's name, industry, roles or jurisdiction."""

    def action(context: Context) -> None:
        changes = OrganizationChanges(
            name, name_en, industry, frozenset(role) if role else None, jurisdiction
        )
        org = context.organizations.update(
            OPERATOR, organization_id_of(context, organization), changes
        )
        console.print(f"updated {org.name} ({', '.join(sorted(org.roles))})")

    run(action)


@app.command("orgs")
def list_organizations(
    region: Annotated[str | None, typer.Option(help="Region code")] = None,
    role: Annotated[OrganizationRole | None, typer.Option(help="Only this role")] = None,
    q: Annotated[str | None, typer.Option(help="Name fragment or credit code prefix")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
    as_json: JsonFlag = False,
) -> None:
    """List organizations."""

    def action(context: Context) -> None:
        page = context.organizations.find(
            PageRequest(None, limit), region_code=region, role=role, text=q
        )
        rows = [
            {
                "id": o.id,
                "credit_code": o.credit_code,
                "name": o.name,
                "region": o.region_code,
                "roles": ",".join(sorted(o.roles)),
            }
            for o in page.items
        ]
        emit(rows, as_json=as_json, title="Organizations")

    run(action)


@app.command("add-site")
def add_site(
    organization: Annotated[str, typer.Argument(help="Organization id or credit code")],
    name: Annotated[str, typer.Option()],
    kind: Annotated[SiteKind, typer.Option()],
    region: Annotated[str, typer.Option(help="GB/T 2260 region code")],
    lat: Annotated[float, typer.Option(help="WGS84 latitude")],
    lon: Annotated[float, typer.Option(help="WGS84 longitude")],
    address: Annotated[str, typer.Option()] = "",
    as_json: JsonFlag = False,
) -> None:
    """Register a site of an organization."""

    def action(context: Context) -> None:
        site = context.sites.add_site(
            OPERATOR,
            organization_id_of(context, organization),
            NewSite(name, kind, region, lat, lon, address),
        )
        emit([{"id": site.id, "name": site.name, "kind": site.kind}], as_json=as_json)

    run(action)


@app.command("remove-site")
def remove_site(
    organization: Annotated[str, typer.Argument(help="Organization id or credit code")],
    site: Annotated[str, typer.Argument(help="Site id")],
) -> None:
    """Remove a site that no permit names."""

    def action(context: Context) -> None:
        org_id = organization_id_of(context, organization)
        context.sites.remove_site(OPERATOR, org_id, _uuid(site, "site_id"))
        console.print("removed")

    run(action)


@app.command("revoke-permit")
def revoke_permit(
    organization: Annotated[str, typer.Argument(help="Organization id or credit code")],
    permit: Annotated[str, typer.Argument(help="Permit id")],
    last_day: Annotated[str, typer.Option(help="Last valid day, YYYY-MM-DD")],
) -> None:
    """End a permit early."""

    def action(context: Context) -> None:
        org_id = organization_id_of(context, organization)
        revoked = context.sites.revoke_permit(
            OPERATOR, org_id, _uuid(permit, "permit_id"), _date(last_day, "last_day")
        )
        console.print(f"permit {revoked.number} now ends {revoked.valid_to}")

    run(action)


def _uuid(text: str, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not an id", field=field) from None


@app.command("add-permit")
def add_permit(
    organization: Annotated[str, typer.Argument(help="Organization id or credit code")],
    kind: Annotated[PermitKind, typer.Option()],
    number: Annotated[str, typer.Option(help="Licence number")],
    activity: Annotated[list[PermitActivity], typer.Option(help="Repeat for several")],
    capacity_t: Annotated[str, typer.Option(help="Licensed tonnes a year")],
    valid_from: Annotated[str, typer.Option(help="YYYY-MM-DD")],
    valid_to: Annotated[str, typer.Option(help="YYYY-MM-DD")],
    code: Annotated[list[str] | None, typer.Option(help="HW code or category; repeat")] = None,
    site: Annotated[str | None, typer.Option(help="Site id")] = None,
    issued_by: Annotated[str, typer.Option()] = "",
    as_json: JsonFlag = False,
) -> None:
    """Record a permit held by an organization."""

    def action(context: Context) -> None:
        new = NewPermit(
            kind=kind,
            number=number,
            activities=frozenset(activity),
            waste_codes=tuple(code or ()),
            annual_capacity_t=parse_decimal(capacity_t, field="annual_capacity_t"),
            valid_from=_date(valid_from, "valid_from"),
            valid_to=_date(valid_to, "valid_to"),
            site_id=_uuid(site, "site_id") if site else None,
            issued_by=issued_by,
        )
        permit = context.sites.grant_permit(
            OPERATOR, organization_id_of(context, organization), new
        )
        emit(
            [{"id": permit.id, "number": permit.number, "valid_to": permit.valid_to}],
            as_json=as_json,
        )

    run(action)


def _date(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a YYYY-MM-DD date", field=field) from None


@app.command("set-economics")
def set_economics(
    organization: Annotated[str, typer.Argument(help="Organization id or credit code")],
    year: Annotated[int, typer.Option()],
    output_value_cny: Annotated[str, typer.Option()],
    added_value_cny: Annotated[str, typer.Option()],
    product_output: Annotated[str, typer.Option()],
    product_unit: Annotated[str, typer.Option(help="e.g. TNE, vehicles")],
) -> None:
    """Record an organization's economic figures for a year."""

    def action(context: Context) -> None:
        record = EconomicRecord(
            organization_id=organization_id_of(context, organization),
            year=year,
            output_value_cny=parse_decimal(output_value_cny, field="output_value_cny"),
            industrial_added_value_cny=parse_decimal(
                added_value_cny, field="industrial_added_value_cny"
            ),
            product_output=parse_decimal(product_output, field="product_output"),
            product_unit=product_unit,
        )
        context.organizations.record_economics(OPERATOR, record)
        console.print(f"recorded {year}")

    run(action)


@app.command("add-user")
def add_user(
    username: Annotated[str, typer.Option()],
    role: Annotated[UserRole, typer.Option()],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    organization: Annotated[str | None, typer.Option(help="Firm users: id or credit code")] = None,
    jurisdiction: Annotated[str | None, typer.Option(help="Regulators: region code")] = None,
    display_name: Annotated[str, typer.Option()] = "",
) -> None:
    """Create a user."""

    def action(context: Context) -> None:
        org_id = organization_id_of(context, organization) if organization else None
        new = NewUser(username, password, role, display_name, org_id, jurisdiction)
        user = context.accounts.create_user(OPERATOR, new)
        console.print(f"created {user.username} ({user.role}) id {user.id}")

    run(action)


@app.command("set-user-active")
def set_user_active(
    username: Annotated[str, typer.Argument()],
    active: Annotated[bool, typer.Option("--active/--disabled", help="Enable or disable")],
) -> None:
    """Enable or disable a user (a disabled user cannot sign in or use API keys)."""

    def action(context: Context) -> None:
        user_id = context.accounts.user_id_by_username(username)
        user = context.accounts.set_active(OPERATOR, user_id, active)
        console.print(f"{user.username} {'enabled' if user.active else 'disabled'}")

    run(action)


@app.command("issue-api-key")
def issue_api_key(
    username: Annotated[str, typer.Argument()],
    name: Annotated[str, typer.Option(help="What the key is for")] = "cli",
) -> None:
    """Issue an API key for a user; the token is printed once."""

    def action(context: Context) -> None:
        principal = context.accounts.principal_by_username(username)
        key, token = context.accounts.issue_api_key(principal, name)
        console.print(f"key {key.id} ({key.prefix}); token, shown once:")
        typer.echo(token)

    run(action)


@app.command("add-signing-key")
def add_signing_key(
    organization: Annotated[str, typer.Argument(help="Organization id or credit code")],
    public_key: Annotated[str | None, typer.Option(help="Raw Ed25519 public key, base64")] = None,
    custodial: Annotated[bool, typer.Option(help="Generate and hold the key pair")] = False,
) -> None:
    """Register a public key, or create a custodial key pair."""

    def action(context: Context) -> None:
        org_id = organization_id_of(context, organization)
        if custodial:
            key = context.signing_keys.create_custodial(OPERATOR, org_id)
        else:
            try:
                raw = base64.b64decode(public_key or "", validate=True)
            except (binascii.Error, ValueError):
                raise InvalidPublicKey("not base64", field="public_key") from None
            key = context.signing_keys.register(
                OPERATOR, org_id, NewSigningKey(raw, context.clock())
            )
        console.print(f"key {key.id}: {base64.b64encode(key.public_key).decode()}")

    run(action)


@app.command("regions")
def regions(
    q: Annotated[str | None, typer.Argument(help="Code prefix or name")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Search GB/T 2260 regions (provinces when no query)."""

    def action(context: Context) -> None:
        found = context.registry.search_regions(q) if q else context.registry.subregions(None)
        emit(
            [{"code": r.code, "name": r.name_zh, "level": r.level} for r in found], as_json=as_json
        )

    run(action)
