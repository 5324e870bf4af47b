"""The demo's fixed parts: regulators, credit codes, site names, logins and demo secrets."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from zerowaste.demo.archetypes import Chain
from zerowaste.demo.geography import (
    HOME_PREFECTURE,
    HOME_PROVINCE,
    NEIGHBOUR_PREFECTURE,
    NEIGHBOUR_PROVINCE,
    county,
)
from zerowaste.demo.model import DemoFirm, DemoSite, ref_of
from zerowaste.demo.names import NameBook
from zerowaste.domain.accounts import NewUser, UserRole
from zerowaste.domain.credit_codes import CHARSET, make_credit_code
from zerowaste.domain.organizations import NewOrganization, OrganizationRole
from zerowaste.domain.sites import NewSite, SiteKind

#: The password of every demo login (printed by `zerowaste demo`; never use it for real data).
DEMO_PASSWORD = "zerowaste-demo"
#: The master key `zerowaste demo` uses for custodial signing keys when none is configured.
#: It is public, so a database built with it protects nothing.
DEMO_MASTER_KEY = "zerowaste-demo-master-key-not-a-secret"

SITE_NAMES = {
    SiteKind.PLANT: "一号厂区",
    SiteKind.STORAGE: "危险废物贮存库",
    SiteKind.TRANSFER_STATION: "中转站",
    SiteKind.RECYCLER: "资源化利用厂区",
    SiteKind.CEMENT_KILN: "熟料生产线",
    SiteKind.INCINERATOR: "焚烧厂",
    SiteKind.LANDFILL: "安全填埋场",
    SiteKind.DEPOT: "车队停车场",
    SiteKind.OFFICE: "办公楼",
}


@dataclass(frozen=True, slots=True)
class RegulatorSpec:
    """A real environmental authority the demo registers (with a fictional credit code)."""

    key: str
    name_zh: str
    name_en: str
    jurisdiction_code: str
    office_county: str | None
    login: str


REGULATORS = (
    RegulatorSpec("regulation.suzhou", "苏州市生态环境局",
                  "Suzhou Municipal Bureau of Ecology and Environment", HOME_PREFECTURE,
                  "320508", "regulator.suzhou"),
    RegulatorSpec("regulation.jiangsu", "江苏省生态环境厅",
                  "Department of Ecology and Environment of Jiangsu Province", HOME_PROVINCE,
                  None, "regulator.jiangsu"),
    RegulatorSpec("regulation.jiaxing", "嘉兴市生态环境局",
                  "Jiaxing Municipal Bureau of Ecology and Environment", NEIGHBOUR_PREFECTURE,
                  "330402", "regulator.jiaxing"),
    RegulatorSpec("regulation.zhejiang", "浙江省生态环境厅",
                  "Department of Ecology and Environment of Zhejiang Province", NEIGHBOUR_PROVINCE,
                  None, "regulator.zhejiang"),
)  # fmt: skip

#: The login of each province's regulator, who decides on cross-province approvals.
PROVINCIAL_REGULATORS = {
    HOME_PROVINCE: "regulator.jiangsu",
    NEIGHBOUR_PROVINCE: "regulator.zhejiang",
}

#: Firm logins: username and the key of the firm it belongs to.
FIRM_LOGINS = (
    ("firm.oem", "automotive.oem.001"),
    ("firm.steel", "steel.works.001"),
    ("firm.pharma", "pharma.api.001"),
    ("firm.pcb", "electronics.pcb.001"),
    ("firm.cement", "building.cement.001"),
    ("firm.incinerator", "waste.incinerator.001"),
    ("firm.solvent", "waste.solvent.001"),
    ("firm.transport", "logistics.hazardous.001"),
    ("firm.jiaxing", "waste.precious.002"),
)


class CreditCodes:
    """Hands out unique, valid unified social credit codes (GB 32100-2015)."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._taken: set[str] = set()

    def _unique(self, authority: str, kind: str, region_code: str, numeric: bool) -> str:
        rng = self._rng
        while True:
            if numeric:
                body = str(rng.randint(1, 7)) + "".join(rng.choices("0123456789", k=7))
            else:  # organization codes issued since 2015 start with MA
                body = "MA" + "".join(rng.choices(CHARSET, k=6))
            code = make_credit_code(authority, kind, region_code, body)
            if code not in self._taken:
                self._taken.add(code)
                return code

    def firm(self, region_code: str) -> str:
        """A company's code (registered by market regulation: 9, enterprise: 1)."""
        return self._unique("9", "1", region_code, numeric=self._rng.random() < 0.4)

    def authority(self, region_code: str) -> str:
        """A government body's code (registered by the staffing office: 1, organ: 1)."""
        return self._unique("1", "1", region_code, numeric=True)


def regulator_firm(codes: CreditCodes, names: NameBook, spec: RegulatorSpec) -> DemoFirm:
    """The organization record of a regulator, with its office as its only site (if any)."""
    names.reserve(spec.name_zh)
    credit_code = codes.authority(spec.jurisdiction_code)
    sites: tuple[DemoSite, ...] = ()
    if spec.office_county is not None:
        office = county(spec.office_county)
        site = NewSite(
            SITE_NAMES[SiteKind.OFFICE],
            SiteKind.OFFICE,
            office.code,
            office.latitude,
            office.longitude,
            names.address(office.name_zh),
        )
        sites = (DemoSite(ref_of(f"{credit_code}/site/0"), site),)
    return DemoFirm(
        ref=ref_of(credit_code),
        key=f"{spec.key}.001",
        archetype=spec.key,
        chain=Chain.REGULATION,
        organization=NewOrganization(
            credit_code=credit_code,
            name=spec.name_zh,
            region_code=spec.jurisdiction_code,
            name_en=spec.name_en,
            roles=frozenset({OrganizationRole.REGULATOR}),
            jurisdiction_code=spec.jurisdiction_code,
        ),
        sites=sites,
        permits=(),
        economics=(),
        wastes=(),
        custodial_key=False,
    )


def demo_users(firms: Sequence[DemoFirm]) -> tuple[NewUser, ...]:
    """The demo logins: an administrator, one regulator per authority, and firm users."""
    users = [NewUser("admin", DEMO_PASSWORD, UserRole.ADMIN, display_name="演示管理员 Demo admin")]
    users += [
        NewUser(
            spec.login,
            DEMO_PASSWORD,
            UserRole.REGULATOR,
            display_name=spec.name_zh,
            jurisdiction_code=spec.jurisdiction_code,
        )
        for spec in REGULATORS
    ]
    by_key = {firm.key: firm for firm in firms}
    for username, key in FIRM_LOGINS:
        firm = by_key.get(key)
        if firm is not None:
            users.append(
                NewUser(
                    username,
                    DEMO_PASSWORD,
                    UserRole.FIRM,
                    display_name=firm.organization.name,
                    organization_id=firm.ref,
                )
            )
    return tuple(users)
