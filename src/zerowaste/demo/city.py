"""Generate the demo city's registry from a seed: firms, sites, licences, figures and logins."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from zerowaste.demo.archetypes import ARCHETYPES, Archetype
from zerowaste.demo.capacity import licensed_for_intake
from zerowaste.demo.economics import economic_series
from zerowaste.demo.geography import County, county, near, scatter
from zerowaste.demo.model import DemoCity, DemoFirm, DemoSite, ref_of
from zerowaste.demo.names import NameBook
from zerowaste.demo.permits import (
    RENEWAL_LOOKBACK_DAYS,
    Standing,
    demo_permit,
    predecessor,
    standings,
)
from zerowaste.demo.registry import (
    DEMO_PASSWORD,
    REGULATORS,
    SITE_NAMES,
    CreditCodes,
    demo_users,
    regulator_firm,
)
from zerowaste.domain.organizations import NewOrganization, OrganizationRole
from zerowaste.domain.permits import NewPermit
from zerowaste.domain.sites import NewSite, SiteKind
from zerowaste.errors import InvalidInput

#: The day the city is generated for when the caller does not say.
DEFAULT_AS_OF = date(2026, 6, 30)
#: Largest accepted `scale` (about 24,000 ordinary firms).
MAX_SCALE = 100.0


def firm_count(kind: Archetype, scale: float) -> int:
    """How many firms of an archetype a city of `scale` has (at least one of each)."""
    return max(1, round(kind.count * scale)) if kind.scaled else kind.count


class _Builder:
    """Holds the random source and the uniqueness books while the city is generated."""

    def __init__(self, seed: int, as_of: date) -> None:
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.names = NameBook(self.rng)
        self.codes = CreditCodes(self.rng)
        self.permit_serial = 0
        self.chain_master: uuid.UUID | None = None

    def firm(self, kind: Archetype, index: int, home: County, standing: Standing) -> DemoFirm:
        """One firm of `kind` registered in `home`, its licence standing as dealt."""
        rng = self.rng
        name = self.names.firm((home.place_zh, home.place_en), kind.business, kind.legal_form)
        credit_code = self.codes.firm(home.code)
        ref = ref_of(credit_code)
        organization = NewOrganization(
            credit_code=credit_code,
            name=name.zh,
            region_code=home.code,
            industry_code=rng.choice(kind.industry_codes),
            name_en=name.en,
            roles=kind.roles,
        )
        sites = self._sites(kind, home, credit_code)
        permits: tuple[NewPermit, ...] = ()
        if kind.permit is not None:
            self.permit_serial += 1
            current = demo_permit(
                rng,
                kind.permit,
                holder=home,
                site_ref=sites[0].ref,
                as_of=self.as_of,
                serial=self.permit_serial,
                standing=standing,
            )
            permits = (current,)
            if current.valid_from > self.as_of - timedelta(days=RENEWAL_LOOKBACK_DAYS):
                self.permit_serial += 1
                permits = (predecessor(current, kind.permit, home, self.permit_serial), current)
        supplies = None
        if self.chain_master is not None and rng.random() < kind.supplier_share:
            supplies = self.chain_master
        return DemoFirm(
            ref=ref,
            key=f"{kind.key}.{index + 1:03d}",
            archetype=kind.key,
            chain=kind.chain,
            organization=organization,
            sites=sites,
            permits=permits,
            economics=economic_series(rng, kind, ref, self.as_of.year),
            wastes=kind.wastes,
            custodial_key=True,
            supplies=supplies,
        )

    def _sites(self, kind: Archetype, home: County, credit_code: str) -> tuple[DemoSite, ...]:
        rng = self.rng
        latitude, longitude = scatter(rng, home)
        plan = [(kind.site_kind, home, latitude, longitude)]
        hazardous = any("-" in code for code in kind.wastes)
        if OrganizationRole.GENERATOR in kind.roles and hazardous and rng.random() < 0.55:
            plan.append((SiteKind.STORAGE, home, *near(rng, latitude, longitude, home, 0.004)))
        elif kind.site_kind is SiteKind.DEPOT and rng.random() < 0.4:
            plan.append((SiteKind.TRANSFER_STATION, home, *scatter(rng, home)))
        if kind.site_kind is SiteKind.PLANT and rng.random() < 0.2:
            same_prefecture = [
                county(code)
                for code in kind.counties
                if county(code).prefecture_code == home.prefecture_code
            ]
            other = rng.choice(same_prefecture)
            plan.append((SiteKind.PLANT, other, *scatter(rng, other)))
        sites = []
        for number, (site_kind, where, lat, lon) in enumerate(plan):
            label = SITE_NAMES[site_kind]
            if site_kind is SiteKind.PLANT and number:
                label = "二号厂区"
            address = self.names.address(where.name_zh)
            site = NewSite(label, site_kind, where.code, lat, lon, address)
            sites.append(DemoSite(ref_of(f"{credit_code}/site/{number}"), site))
        return tuple(sites)


def generate_city(seed: int = 7, scale: float = 1.0, *, as_of: date = DEFAULT_AS_OF) -> DemoCity:
    """Generate the registry part of the demo city; the same arguments give the same city.

    Args:
        seed: The random seed.
        scale: Multiplier of the number of ordinary generators and suppliers (1.0 gives a
            few hundred firms); facilities, transporters and regulators stay as they are.
        as_of: The day the city is generated for: licences are in force, expiring or lapsed
            relative to it, and economic figures run up to its year. Facility licences
            cover the hazardous waste the city's year of events sends them, with a margin.

    Raises:
        InvalidInput: If `scale` is not above 0 and at most `MAX_SCALE` (field `scale`).
    """
    if not 0 < scale <= MAX_SCALE:
        raise InvalidInput(f"must be above 0 and at most {MAX_SCALE:g}", field="scale")
    builder = _Builder(seed, as_of)
    firms = [regulator_firm(builder.codes, builder.names, spec) for spec in REGULATORS]
    # Licences of facilities that have a sibling of the same kind may be lapsed or expiring;
    # a city's only incinerator or landfill keeps a valid one.
    shared = {k.key: firm_count(k, scale) for k in ARCHETYPES if k.permit and k.count > 1}
    deck = standings(builder.rng, sum(shared.values()))
    for kind in ARCHETYPES:
        for index in range(firm_count(kind, scale)):
            if kind.scaled:
                home = county(builder.rng.choice(kind.counties))
            else:
                home = county(kind.counties[index % len(kind.counties)])
            standing = deck.pop() if kind.key in shared else Standing.VALID
            firm = builder.firm(kind, index, home, standing)
            if OrganizationRole.CHAIN_MASTER in firm.organization.roles:
                builder.chain_master = firm.ref
            firms.append(firm)
    city = DemoCity(
        seed=seed,
        scale=scale,
        as_of=as_of,
        firms=tuple(firms),
        users=demo_users(firms),
        password=DEMO_PASSWORD,
    )
    return licensed_for_intake(city)
