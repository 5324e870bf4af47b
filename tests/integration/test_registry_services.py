"""Registry services on real SQLite and PostgreSQL: validation, scope, nothing stored on error."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from tests.factories import OPERATOR, Factory, credit_code
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.organizations import EconomicRecord, NewOrganization, OrganizationRole
from zerowaste.domain.pages import PageRequest
from zerowaste.domain.permits import NewPermit, PermitActivity, PermitKind
from zerowaste.domain.sites import NewSite, SiteKind
from zerowaste.errors import (
    DuplicateCreditCode,
    Forbidden,
    InvalidInput,
    UnknownIndustry,
    UnknownRegion,
    UnknownWasteCode,
)


def count_orgs(factory: Factory) -> int:
    return len(factory.context.organizations.find(PageRequest(None, 500)).items)


def test_register_and_find(factory: Factory) -> None:
    a = factory.organization(name="苏州甲公司", roles=(OrganizationRole.GENERATOR,))
    b = factory.organization(region_code="330402", roles=(OrganizationRole.UTILIZER,))
    orgs = factory.context.organizations
    assert orgs.get(a.id) == a
    assert [o.id for o in orgs.find(PageRequest(), region_code="320500").items] == [a.id]
    assert [o.id for o in orgs.find(PageRequest(), role=OrganizationRole.UTILIZER).items] == [b.id]
    assert [o.id for o in orgs.find(PageRequest(), text="甲公司").items] == [a.id]


def test_pages_cover_everything_once(factory: Factory) -> None:
    made = {factory.organization().id for _ in range(7)}
    seen: list[object] = []
    page = factory.context.organizations.find(PageRequest(None, 3))
    seen += [o.id for o in page.items]
    while page.next_after:
        page = factory.context.organizations.find(PageRequest(page.next_after, 3))
        seen += [o.id for o in page.items]
    assert sorted(map(str, seen)) == sorted(map(str, made))


def test_duplicate_credit_code_is_refused(factory: Factory) -> None:
    a = factory.organization()
    new = NewOrganization(a.credit_code, "另一家", "320505")
    with pytest.raises(DuplicateCreditCode) as info:
        factory.context.organizations.register(OPERATOR, new)
    assert info.value.field == "credit_code"
    assert count_orgs(factory) == 1


def test_unknown_region_and_industry_store_nothing(factory: Factory) -> None:
    with pytest.raises(UnknownRegion) as info:
        factory.context.organizations.register(
            OPERATOR, NewOrganization(credit_code(), "X", "329999")
        )
    assert info.value.field == "region_code"
    with pytest.raises(UnknownIndustry):
        factory.context.organizations.register(
            OPERATOR, NewOrganization(credit_code(), "X", "320505", "9999")
        )
    assert count_orgs(factory) == 0


def test_regulator_registers_only_in_jurisdiction(factory: Factory) -> None:
    regulator = factory.user(UserRole.REGULATOR, jurisdiction_code="320500")
    assert factory.context.organizations.register(
        regulator, NewOrganization(credit_code(), "X", "320505")
    )
    with pytest.raises(Forbidden):
        factory.context.organizations.register(
            regulator, NewOrganization(credit_code(), "Y", "330402")
        )
    assert count_orgs(factory) == 1


def test_permit_codes_are_checked_against_the_catalog(factory: Factory) -> None:
    org = factory.organization(roles=(OrganizationRole.UTILIZER,))
    permit = factory.permit(org, codes=("hw08", "900-041-49", "HW08"))
    assert permit.waste_codes == ("HW08", "900-041-49")
    assert factory.context.sites.permit(permit.id) == permit
    bad = NewPermit(
        kind=PermitKind.HAZARDOUS_WASTE_BUSINESS,
        number="X-1",
        activities=frozenset({PermitActivity.DISPOSE}),
        waste_codes=("HW08", "999-999-99"),
        annual_capacity_t=Decimal("12.5"),
        valid_from=date(2025, 1, 1),
        valid_to=date(2026, 1, 1),
    )
    with pytest.raises(UnknownWasteCode) as info:
        factory.context.sites.grant_permit(OPERATOR, org.id, bad)
    assert info.value.field == "waste_codes[1]"
    assert len(factory.context.sites.find_permits(PageRequest(), organization_id=org.id).items) == 1


def test_capacity_keeps_every_digit(factory: Factory) -> None:
    org = factory.organization()
    new = NewPermit(
        kind=PermitKind.DANGEROUS_GOODS_TRANSPORT,
        number="T-1",
        activities=frozenset({PermitActivity.TRANSPORT}),
        waste_codes=(),
        annual_capacity_t=Decimal("123456.789"),
        valid_from=date(2025, 1, 1),
        valid_to=date(2027, 1, 1),
    )
    stored = factory.context.sites.grant_permit(OPERATOR, org.id, new)
    assert factory.context.sites.permit(stored.id).annual_capacity_t == Decimal("123456.789")


def test_permit_site_must_be_the_holders(factory: Factory) -> None:
    a, b = factory.organization(), factory.organization()
    site_of_b = factory.site(b)
    new = replace(
        NewPermit(
            kind=PermitKind.HAZARDOUS_WASTE_BUSINESS,
            number="X-2",
            activities=frozenset({PermitActivity.STORE}),
            waste_codes=("HW49",),
            annual_capacity_t=Decimal(1),
            valid_from=date(2025, 1, 1),
            valid_to=date(2026, 1, 1),
        ),
        site_id=site_of_b.id,
    )
    with pytest.raises(InvalidInput) as info:
        factory.context.sites.grant_permit(OPERATOR, a.id, new)
    assert info.value.field == "site_id"


def test_firm_user_adds_sites_only_for_itself(factory: Factory) -> None:
    mine, theirs = factory.organization(), factory.organization()
    me = factory.user(UserRole.FIRM, organization=mine)
    site = NewSite("仓库", SiteKind.STORAGE, "320505", 31.3, 120.6)
    assert factory.context.sites.add_site(me, mine.id, site).organization_id == mine.id
    with pytest.raises(Forbidden):
        factory.context.sites.add_site(me, theirs.id, site)
    with pytest.raises(UnknownRegion):
        factory.context.sites.add_site(me, mine.id, replace(site, region_code="000000"))


def test_economics_are_private_to_firm_and_regulator(factory: Factory) -> None:
    mine, theirs = factory.organization(), factory.organization()
    me = factory.user(UserRole.FIRM, organization=mine)
    other = factory.user(UserRole.FIRM, organization=theirs)
    far_regulator = factory.user(UserRole.REGULATOR, jurisdiction_code="330400")
    near_regulator = factory.user(UserRole.REGULATOR, jurisdiction_code="320000")
    record = EconomicRecord(mine.id, 2025, Decimal("1.5E8"), Decimal("3.1E7"), Decimal(1200), "TNE")
    orgs = factory.context.organizations
    orgs.record_economics(me, record)
    orgs.record_economics(me, replace(record, output_value_cny=Decimal("160000000")))
    assert [r.output_value_cny for r in orgs.economics(near_regulator, mine.id)] == [
        Decimal("160000000")
    ]
    for outsider in (other, far_regulator):
        with pytest.raises(Forbidden):
            orgs.economics(outsider, mine.id)
        with pytest.raises(Forbidden):
            orgs.record_economics(outsider, record)


def test_economics_many_are_stored_together_or_not_at_all(factory: Factory) -> None:
    mine, theirs = factory.organization(), factory.organization()
    me = factory.user(UserRole.FIRM, organization=mine)
    record = EconomicRecord(mine.id, 2024, Decimal("1.5E8"), Decimal("3.1E7"), Decimal(1200), "TNE")
    orgs = factory.context.organizations
    years = [record, replace(record, year=2025, output_value_cny=Decimal("160000000"))]
    assert orgs.record_economics_many(me, years) == years
    assert [(r.year, r.output_value_cny) for r in orgs.economics(me, mine.id)] == [
        (2024, Decimal("1.5E8")),
        (2025, Decimal("160000000")),
    ]
    with pytest.raises(Forbidden):
        orgs.record_economics_many(
            me, [replace(record, year=2026), replace(record, organization_id=theirs.id)]
        )
    assert [r.year for r in orgs.economics(me, mine.id)] == [2024, 2025]


def test_update_organization_rechecks_invariants(factory: Factory) -> None:
    from zerowaste.domain.organizations import OrganizationChanges

    org = factory.organization()
    orgs = factory.context.organizations
    roles = frozenset({OrganizationRole.GENERATOR, OrganizationRole.CHAIN_MASTER})
    changed = orgs.update(OPERATOR, org.id, OrganizationChanges(name="新名称", roles=roles))
    assert orgs.get(org.id) == changed
    assert changed.roles == roles
    assert changed.credit_code == org.credit_code
    with pytest.raises(InvalidInput):
        orgs.update(OPERATOR, org.id, OrganizationChanges(name=" "))
    with pytest.raises(UnknownIndustry):
        orgs.update(OPERATOR, org.id, OrganizationChanges(industry_code="0000"))
    far = factory.user(UserRole.REGULATOR, jurisdiction_code="330400")
    with pytest.raises(Forbidden):
        orgs.update(far, org.id, OrganizationChanges(name="X"))
    assert orgs.get(org.id) == changed


def test_site_update_and_removal(factory: Factory) -> None:
    org, other = factory.organization(), factory.organization()
    site = factory.site(org)
    sites = factory.context.sites
    moved = sites.update_site(
        OPERATOR, org.id, site.id, NewSite("新厂区", SiteKind.STORAGE, "320506", 31.2, 120.5)
    )
    assert sites.site(site.id) == moved
    from zerowaste.errors import Conflict, NotFound

    with pytest.raises(NotFound):
        sites.remove_site(OPERATOR, other.id, site.id)
    licensed = factory.site(org)
    factory.context.sites.grant_permit(
        OPERATOR,
        org.id,
        NewPermit(
            kind=PermitKind.HAZARDOUS_WASTE_BUSINESS,
            number="S-1",
            activities=frozenset({PermitActivity.STORE}),
            waste_codes=("HW49",),
            annual_capacity_t=Decimal(10),
            valid_from=date(2025, 1, 1),
            valid_to=date(2027, 1, 1),
            site_id=licensed.id,
        ),
    )
    with pytest.raises(Conflict):
        sites.remove_site(OPERATOR, org.id, licensed.id)
    sites.remove_site(OPERATOR, org.id, site.id)
    with pytest.raises(NotFound):
        sites.site(site.id)


def test_revoking_a_permit_ends_it(factory: Factory) -> None:
    from zerowaste.errors import InvalidPeriod

    org = factory.organization()
    permit = factory.permit(org)
    sites = factory.context.sites
    with pytest.raises(InvalidPeriod) as info:
        sites.revoke_permit(OPERATOR, org.id, permit.id, date(2031, 1, 1))
    assert info.value.field == "last_day"
    firm = factory.user(UserRole.FIRM, organization=org)
    with pytest.raises(Forbidden):
        sites.revoke_permit(firm, org.id, permit.id, date(2026, 6, 30))
    revoked = sites.revoke_permit(OPERATOR, org.id, permit.id, date(2026, 6, 30))
    assert sites.permit(permit.id) == revoked
    assert not revoked.in_force(date(2026, 7, 1))


def test_empty_string_clears_optional_fields(factory: Factory) -> None:
    from zerowaste.domain.organizations import OrganizationChanges

    org = factory.organization(industry_code="3670")
    orgs = factory.context.organizations
    changed = orgs.update(OPERATOR, org.id, OrganizationChanges(industry_code="", name_en=""))
    assert changed.industry_code is None
    assert changed.name_en is None
    assert orgs.get(org.id) == changed


def test_only_admins_list_every_user(factory: Factory) -> None:
    admin = factory.user(UserRole.ADMIN)
    regulator = factory.user(UserRole.REGULATOR, jurisdiction_code="320500")
    names = {u.username for u in factory.context.accounts.find_users(admin, PageRequest()).items}
    assert {admin.username, regulator.username} <= names
    with pytest.raises(Forbidden):
        factory.context.accounts.find_users(regulator, PageRequest())
