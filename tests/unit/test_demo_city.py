"""The demo city generator: deterministic, valid codes, real regions, scaling, plausible data."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from zerowaste.adapters.catalog_files import load_catalog
from zerowaste.adapters.reference_files import read_industries, read_regions
from zerowaste.demo import (
    ARCHETYPES,
    COUNTIES,
    MAX_SCALE,
    PREFECTURE_BOXES,
    Chain,
    DemoCity,
    firm_count,
    generate_city,
)
from zerowaste.demo.geography import COUNTIES_BY_CODE
from zerowaste.domain.accounts import MIN_PASSWORD_LENGTH, UserRole
from zerowaste.domain.catalog import Catalog, is_hazardous_waste_code
from zerowaste.domain.credit_codes import validate_credit_code
from zerowaste.domain.organizations import OrganizationRole
from zerowaste.domain.permits import PermitKind
from zerowaste.domain.regions import IndustryLevel, RegionLevel
from zerowaste.errors import InvalidInput

AS_OF = date(2026, 6, 1)


@pytest.fixture(scope="module")
def city() -> DemoCity:
    return generate_city(7, 1.0, as_of=AS_OF)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_same_seed_gives_the_same_city(city: DemoCity) -> None:
    assert generate_city(7, 1.0, as_of=AS_OF) == city


def test_different_seeds_give_different_cities(city: DemoCity) -> None:
    other = generate_city(8, 1.0, as_of=AS_OF)
    assert {f.organization.credit_code for f in other.firms}.isdisjoint(
        f.organization.credit_code for f in city.firms
    )
    assert [f.organization.name for f in other.firms] != [f.organization.name for f in city.firms]


def test_a_few_hundred_firms_in_every_chain(city: DemoCity) -> None:
    assert 250 <= len(city.firms) <= 350
    assert {f.chain for f in city.firms} == set(Chain)
    roles = Counter(role for f in city.firms for role in f.organization.roles)
    assert roles[OrganizationRole.CHAIN_MASTER] == 1
    assert roles[OrganizationRole.REGULATOR] == 4
    assert roles[OrganizationRole.TRANSPORTER] >= 3
    assert roles[OrganizationRole.DISPOSER] >= 3
    assert city.chain_master.archetype == "automotive.oem"
    suppliers = [f for f in city.firms if f.supplies == city.chain_master.ref]
    assert len(suppliers) > 30
    assert {f.archetype for f in suppliers} <= {a.key for a in ARCHETYPES if a.supplier_share}


def test_credit_codes_are_valid_and_unique(city: DemoCity) -> None:
    codes = [f.organization.credit_code for f in city.firms]
    assert len(set(codes)) == len(codes)
    for firm in city.firms:
        code = firm.organization.credit_code
        assert validate_credit_code(code) == code
        assert code[2:8] == firm.organization.region_code


def test_names_are_unique_and_bilingual(city: DemoCity) -> None:
    names = [f.organization.name for f in city.firms]
    assert len(set(names)) == len(names)
    assert all(f.organization.name_en for f in city.firms)
    assert len({f.key for f in city.firms}) == len(city.firms)
    assert len({f.ref for f in city.firms}) == len(city.firms)


def test_every_waste_code_is_in_the_catalog(city: DemoCity, catalog: Catalog) -> None:
    for code in city.waste_codes():
        if code.startswith("SW"):
            assert catalog.solid_waste_class(code).is_class
        else:
            assert catalog.validate_code_or_category(code, AS_OF) == code
    for firm in city.firms:
        for permit in firm.permits:
            for code in permit.waste_codes:
                assert catalog.validate_code_or_category(code, permit.valid_from) == code


def test_the_wastes_the_brief_names_are_generated(city: DemoCity) -> None:
    generated = {code for f in city.firms for code in f.wastes}
    for code in (
        "900-252-12", "900-214-08", "900-218-08", "336-064-17", "271-001-02", "900-402-06",
        "900-404-06", "900-039-49", "900-045-49", "772-002-18", "SW01", "SW02", "SW06", "SW17",
    ):  # fmt: skip
        assert code in generated


def test_industries_are_real_classes(city: DemoCity) -> None:
    classes = {i.code for i in read_industries() if i.level is IndustryLevel.CLASS}
    for firm in city.firms:
        if OrganizationRole.REGULATOR not in firm.organization.roles:
            assert firm.organization.industry_code in classes


def test_demo_counties_are_every_real_county_of_the_two_prefectures() -> None:
    regions = {r.code: r for r in read_regions()}
    for prefecture in PREFECTURE_BOXES:
        real = {
            r.code
            for r in regions.values()
            if r.parent_code == prefecture and r.level is RegionLevel.COUNTY
        }
        assert {c.code for c in COUNTIES if c.prefecture_code == prefecture} == real
    for county in COUNTIES:
        assert regions[county.code].name_zh == county.name_zh
        assert PREFECTURE_BOXES[county.prefecture_code].contains(county.latitude, county.longitude)


def test_sites_lie_in_their_county_and_its_prefecture_box(city: DemoCity) -> None:
    for firm in city.firms:
        regulator = OrganizationRole.REGULATOR in firm.organization.roles
        assert (0 if regulator else 1) <= len(firm.sites) <= 3
        for demo_site in firm.sites:
            site = demo_site.site
            county = COUNTIES_BY_CODE[site.region_code]
            box = PREFECTURE_BOXES[county.prefecture_code]
            assert box.contains(site.latitude, site.longitude), (firm.key, site)
            assert site.region_code[:4] == firm.organization.region_code[:4]
            assert site.address.startswith(county.name_zh)


def test_firms_are_registered_in_suzhou_or_jiaxing(city: DemoCity) -> None:
    regions = Counter(f.organization.region_code[:4] for f in city.firms)
    assert regions["3205"] > 4 * regions["3304"] > 0


def test_licences_cover_facilities_and_some_lapse(city: DemoCity) -> None:
    permits = [(f, p) for f in city.firms for p in f.permits]
    holders = {f.archetype for f, _ in permits}
    assert {"waste.incinerator", "waste.landfill", "building.cement", "waste.solvent"} <= holders
    for firm, permit in permits:
        assert permit.site_id == firm.sites[0].ref
        assert permit.valid_from >= date(2021, 1, 1)
        assert permit.annual_capacity_t > 0
        if OrganizationRole.TRANSPORTER in firm.organization.roles:
            assert permit.kind is PermitKind.DANGEROUS_GOODS_TRANSPORT
        else:
            assert permit.kind is PermitKind.HAZARDOUS_WASTE_BUSINESS
    current = [f.permits[-1] for f in city.firms if f.permits]
    lapsed = [p for p in current if p.valid_to < AS_OF]
    expiring = [p for p in current if AS_OF <= p.valid_to < AS_OF + timedelta(days=90)]
    assert 1 <= len(lapsed) <= len(current) // 4
    assert 1 <= len(expiring) <= len(current) // 4
    for firm in city.firms:  # a renewed licence comes with the one it replaced
        for before, after in zip(firm.permits, firm.permits[1:], strict=False):
            assert before.valid_to + timedelta(days=1) == after.valid_from
            assert before.waste_codes == after.waste_codes
        if firm.permits and firm.permits[-1].valid_from > AS_OF - timedelta(days=400):
            assert len(firm.permits) == 2
    for key in ("waste.incinerator.001", "waste.landfill.001"):
        assert city.firm(key).permits[-1].valid_from <= AS_OF <= city.firm(key).permits[-1].valid_to
    assert len({p.number for _, p in permits}) == len(permits)


def test_economic_figures_cover_six_years_and_grow_plausibly(city: DemoCity) -> None:
    for firm in city.firms:
        if OrganizationRole.REGULATOR in firm.organization.roles:
            assert firm.economics == ()
            continue
        assert [r.year for r in firm.economics] == list(range(2021, 2027))
        assert all(r.organization_id == firm.ref for r in firm.economics)
        for earlier, later in zip(firm.economics, firm.economics[1:], strict=False):
            assert 0.75 < later.output_value_cny / earlier.output_value_cny < 1.5
        for record in firm.economics:
            assert 0 < record.industrial_added_value_cny < record.output_value_cny
            assert record.product_output > 0
    oem = city.chain_master.economics
    assert oem[-1].output_value_cny > oem[0].output_value_cny


def test_demo_logins(city: DemoCity) -> None:
    users = {u.username: u for u in city.users}
    assert users["admin"].role is UserRole.ADMIN
    assert users["regulator.suzhou"].jurisdiction_code == "320500"
    assert users["regulator.jiaxing"].jurisdiction_code == "330400"
    assert users["regulator.zhejiang"].jurisdiction_code == "330000"
    assert users["firm.oem"].organization_id == city.chain_master.ref
    refs = {f.ref for f in city.firms}
    firm_users = [u for u in city.users if u.role is UserRole.FIRM]
    assert len(firm_users) >= 5
    assert all(u.organization_id in refs for u in firm_users)
    assert len(city.password) >= MIN_PASSWORD_LENGTH
    assert all(u.password == city.password for u in city.users)


def test_custodial_keys_for_every_firm_but_regulators(city: DemoCity) -> None:
    for firm in city.firms:
        is_regulator = OrganizationRole.REGULATOR in firm.organization.roles
        assert firm.custodial_key is not is_regulator


@pytest.mark.parametrize("scale", [0.1, 0.5, 2.0])
def test_scale_multiplies_ordinary_firms_only(city: DemoCity, scale: float) -> None:
    scaled = generate_city(7, scale, as_of=AS_OF)
    fixed = [a for a in ARCHETYPES if not a.scaled]
    for kind in ARCHETYPES:
        expected = firm_count(kind, scale)
        assert len(scaled.firms_of(kind.key)) == expected
        assert expected == (max(1, round(kind.count * scale)) if kind.scaled else kind.count)
    ordinary = sum(a.count for a in ARCHETYPES if a.scaled)
    scaled_ordinary = sum(len(scaled.firms_of(a.key)) for a in ARCHETYPES if a.scaled)
    assert scaled_ordinary == pytest.approx(ordinary * scale, rel=0.25)
    assert sum(len(scaled.firms_of(a.key)) for a in fixed) == sum(a.count for a in fixed)
    assert scaled.counts()["organizations"] == len(scaled.firms)


@pytest.mark.parametrize("scale", [0, -1.0, MAX_SCALE + 1])
def test_scale_out_of_range_is_refused(scale: float) -> None:
    with pytest.raises(InvalidInput) as caught:
        generate_city(7, scale)
    assert caught.value.field == "scale"


def test_hazardous_codes_are_told_apart_from_classes(city: DemoCity) -> None:
    codes = city.waste_codes()
    assert any(is_hazardous_waste_code(c) for c in codes)
    classes = {c for c in codes if c.startswith("SW")}
    assert classes == {"SW01", "SW02", "SW03", "SW06", "SW07", "SW17", "SW59"}
