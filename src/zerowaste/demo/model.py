"""What the generator returns: a city of registry submissions, linked by reference ids.

The generator cannot know the ids the services will assign, so it gives every firm and site
a deterministic reference id (`ref`). Submissions that point at another record carry the
reference id in place of the real one (`EconomicRecord.organization_id`, `NewPermit.site_id`,
`NewUser.organization_id`); whoever stores the city swaps in the real ids as it goes.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date

from zerowaste.demo.archetypes import Chain
from zerowaste.domain.accounts import NewUser
from zerowaste.domain.organizations import EconomicRecord, NewOrganization, OrganizationRole
from zerowaste.domain.permits import NewPermit
from zerowaste.domain.sites import NewSite

#: The namespace of the demo's reference ids (uuid5 of a firm's credit code or a site path).
REF_NAMESPACE = uuid.UUID("6f1d3c1e-93a4-5b0c-8e0f-7a2b9d4c5e60")


def ref_of(name: str) -> uuid.UUID:
    """The reference id of a demo record named `name` (deterministic)."""
    return uuid.uuid5(REF_NAMESPACE, name)


@dataclass(frozen=True, slots=True)
class DemoSite:
    """A site submission and its reference id."""

    ref: uuid.UUID
    site: NewSite


@dataclass(frozen=True, slots=True)
class DemoFirm:
    """One organization of the demo city with everything registered about it.

    Attributes:
        ref: Reference id (stands in for the organization id until stored).
        key: Stable handle, `<archetype>.<nnn>` (e.g. `automotive.oem.001`).
        archetype: Key of the archetype it was made from.
        chain: Chain or sector.
        organization: The registration.
        sites: Its sites; the first is the main one.
        permits: Its licences; `site_id` holds a site's reference id.
        economics: Yearly figures; `organization_id` holds `ref`.
        wastes: Hazardous waste codes and general solid waste classes it generates.
        custodial_key: Whether the platform holds a signing key for it.
        supplies: Reference id of the chain master it supplies, if any.
    """

    ref: uuid.UUID
    key: str
    archetype: str
    chain: Chain
    organization: NewOrganization
    sites: tuple[DemoSite, ...]
    permits: tuple[NewPermit, ...]
    economics: tuple[EconomicRecord, ...]
    wastes: tuple[str, ...]
    custodial_key: bool
    supplies: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class DemoCity:
    """The generated city: firms and demo logins, all derived from `seed` and `scale`.

    Attributes:
        seed: The random seed.
        scale: Multiplier of the number of ordinary generators and suppliers.
        as_of: The day the city is generated for (permit validity, economic years).
        firms: Every organization, regulators included.
        users: Demo logins; firm users' `organization_id` holds the firm's reference id.
        password: The password of every demo login.
    """

    seed: int
    scale: float
    as_of: date
    firms: tuple[DemoFirm, ...]
    users: tuple[NewUser, ...]
    password: str

    def firm(self, key: str) -> DemoFirm:
        """The firm with this key (KeyError if there is none)."""
        for firm in self.firms:
            if firm.key == key:
                return firm
        raise KeyError(key)

    def firms_of(self, archetype: str) -> tuple[DemoFirm, ...]:
        """The firms made from one archetype."""
        return tuple(firm for firm in self.firms if firm.archetype == archetype)

    @property
    def chain_master(self) -> DemoFirm:
        """The automotive chain master."""
        return next(f for f in self.firms if OrganizationRole.CHAIN_MASTER in f.organization.roles)

    def waste_codes(self) -> set[str]:
        """Every waste code, category and class the city mentions (generated or permitted)."""
        codes = {code for firm in self.firms for code in firm.wastes}
        codes.update(c for firm in self.firms for p in firm.permits for c in p.waste_codes)
        return codes

    def counts(self) -> dict[str, int]:
        """How many of each thing the city holds."""
        roles = Counter(role for f in self.firms for role in f.organization.roles)
        counts = {
            "organizations": len(self.firms),
            "sites": sum(len(f.sites) for f in self.firms),
            "permits": sum(len(f.permits) for f in self.firms),
            "economic_records": sum(len(f.economics) for f in self.firms),
            "signing_keys": sum(f.custodial_key for f in self.firms),
            "users": len(self.users),
        }
        counts.update({f"role:{role.value}": roles[role] for role in OrganizationRole})
        return counts
