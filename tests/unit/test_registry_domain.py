"""Invariants of organizations, sites, permits, users, keys, quantities and access rules."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from zerowaste.domain.access import Principal, Rule, role_may_attempt
from zerowaste.domain.accounts import NewSigningKey, NewUser, UserRole
from zerowaste.domain.organizations import EconomicRecord, NewOrganization, OrganizationRole
from zerowaste.domain.permits import NewPermit, PermitActivity, PermitKind
from zerowaste.domain.quantities import non_negative, parse_decimal, to_kilograms
from zerowaste.domain.regions import in_jurisdiction, region_prefix
from zerowaste.domain.sites import NewSite, SiteKind
from zerowaste.errors import (
    InvalidCoordinates,
    InvalidCreditCode,
    InvalidInput,
    InvalidPeriod,
    InvalidPublicKey,
    InvalidQuantity,
    UnknownRegion,
)

CODE = "91350100M000100Y43"


def permit(**changes: object) -> NewPermit:
    values: dict[str, object] = {
        "kind": PermitKind.HAZARDOUS_WASTE_BUSINESS,
        "number": "JS3205OOD001",
        "activities": frozenset({PermitActivity.COLLECT, PermitActivity.STORE}),
        "waste_codes": ("HW08",),
        "annual_capacity_t": Decimal("1000"),
        "valid_from": date(2025, 1, 1),
        "valid_to": date(2029, 12, 31),
    }
    return NewPermit(**(values | changes))  # type: ignore[arg-type]


def test_permit_ending_before_it_starts_names_valid_to() -> None:
    with pytest.raises(InvalidPeriod) as info:
        permit(valid_to=date(2024, 12, 31))
    assert info.value.field == "valid_to"


@pytest.mark.parametrize("capacity", [Decimal(-1), Decimal("10000001")])
def test_permit_capacity_must_be_plausible(capacity: Decimal) -> None:
    with pytest.raises(InvalidQuantity) as info:
        permit(annual_capacity_t=capacity)
    assert info.value.field == "annual_capacity_t"


def test_transport_licence_cannot_allow_disposal() -> None:
    with pytest.raises(InvalidInput, match="dispose not allowed") as info:
        permit(
            kind=PermitKind.DANGEROUS_GOODS_TRANSPORT,
            activities=frozenset({PermitActivity.DISPOSE}),
        )
    assert info.value.field == "activities"


def test_business_licence_lists_wastes() -> None:
    with pytest.raises(InvalidInput) as info:
        permit(waste_codes=())
    assert info.value.field == "waste_codes"


def test_permit_in_force_is_inclusive() -> None:
    from zerowaste.domain.permits import Permit

    new = permit()
    stored = Permit(
        uuid.uuid4(),
        uuid.uuid4(),
        None,
        new.kind,
        new.number,
        new.activities,
        new.waste_codes,
        new.annual_capacity_t,
        new.valid_from,
        new.valid_to,
        "",
    )
    assert stored.in_force(date(2029, 12, 31))
    assert not stored.in_force(date(2030, 1, 1))


def test_organization_checks_credit_code_and_region() -> None:
    with pytest.raises(InvalidCreditCode):
        NewOrganization("91350100M000100Y44", "X", "350100")
    with pytest.raises(UnknownRegion) as info:
        NewOrganization(CODE, "X", "35010")
    assert info.value.field == "region_code"
    with pytest.raises(InvalidInput) as info:
        NewOrganization(CODE, "  ", "350100")
    assert info.value.field == "name"


def test_only_regulators_have_jurisdiction() -> None:
    regulator = frozenset({OrganizationRole.REGULATOR})
    with pytest.raises(InvalidInput):
        NewOrganization(CODE, "X", "350100", roles=regulator)
    with pytest.raises(InvalidInput):
        NewOrganization(CODE, "X", "350100", jurisdiction_code="350100")
    assert NewOrganization(CODE, "X", "350100", roles=regulator, jurisdiction_code="350100")


@pytest.mark.parametrize(("lat", "lon", "field"), [(91, 120, "latitude"), (31, 181, "longitude")])
def test_site_coordinates_in_wgs84_bounds(lat: float, lon: float, field: str) -> None:
    with pytest.raises(InvalidCoordinates) as info:
        NewSite("厂区", SiteKind.PLANT, "320505", lat, lon)
    assert info.value.field == field


def test_economic_record_refuses_negative_and_absurd_values() -> None:
    org = uuid.uuid4()
    with pytest.raises(InvalidQuantity) as info:
        EconomicRecord(org, 2025, Decimal(-1), Decimal(1), Decimal(1), "TNE")
    assert info.value.field == "output_value_cny"
    with pytest.raises(InvalidQuantity):
        EconomicRecord(org, 2025, Decimal(1), Decimal(10) ** 14, Decimal(1), "TNE")
    with pytest.raises(InvalidInput) as info:
        EconomicRecord(org, 1800, Decimal(1), Decimal(1), Decimal(1), "TNE")
    assert info.value.field == "year"


def test_users_need_the_right_scope() -> None:
    with pytest.raises(InvalidInput) as info:
        NewUser("firm-user", "long-enough-pw", UserRole.FIRM)
    assert info.value.field == "organization_id"
    with pytest.raises(InvalidInput) as info:
        NewUser("reg-user", "long-enough-pw", UserRole.REGULATOR)
    assert info.value.field == "jurisdiction_code"
    with pytest.raises(InvalidInput) as info:
        NewUser("x", "long-enough-pw", UserRole.ADMIN)
    assert info.value.field == "username"
    with pytest.raises(InvalidInput) as info:
        NewUser("admin2", "short", UserRole.ADMIN)
    assert info.value.field == "password"


def test_signing_key_must_be_32_bytes() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(InvalidPublicKey):
        NewSigningKey(b"\x01" * 31, now)
    with pytest.raises(InvalidPeriod):
        NewSigningKey(b"\x01" * 32, now, now)


def test_quantities_are_exact() -> None:
    assert to_kilograms(parse_decimal("1.25", field="q"), "TNE") == Decimal("1250.00")
    with pytest.raises(InvalidQuantity):
        parse_decimal("NaN", field="q")
    with pytest.raises(InvalidQuantity):
        parse_decimal("1e", field="q")
    with pytest.raises(InvalidQuantity):
        to_kilograms(Decimal(1), "LBR")
    with pytest.raises(InvalidQuantity):
        non_negative(Decimal("-0.001"), field="q")


def test_jurisdiction_by_prefix() -> None:
    assert region_prefix("320000") == "32"
    assert region_prefix("320500") == "3205"
    assert in_jurisdiction("320505", "320500")
    assert in_jurisdiction("320505", "320000")
    assert not in_jurisdiction("330402", "320000")


def test_principal_scope() -> None:
    org = uuid.uuid4()
    regulator = Principal(uuid.uuid4(), "r", UserRole.REGULATOR, jurisdiction_code="320500")
    firm = Principal(uuid.uuid4(), "f", UserRole.FIRM, organization_id=org)
    admin = Principal(uuid.uuid4(), "a", UserRole.ADMIN)
    assert regulator.oversees("320505")
    assert not regulator.oversees("330402")
    assert firm.acts_for(org, "330402")
    assert not firm.acts_for(uuid.uuid4(), "320505")
    assert admin.acts_for(uuid.uuid4(), "110101")
    assert not firm.oversees("320505")
    assert role_may_attempt(Rule.PUBLIC, None)
    assert not role_may_attempt(Rule.AUTHENTICATED, None)
    assert not role_may_attempt(Rule.REGULATOR, UserRole.FIRM)
    assert role_may_attempt(Rule.ADMIN, UserRole.ADMIN)
