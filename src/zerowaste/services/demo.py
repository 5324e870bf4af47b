"""Build the demo city into a fresh database through the registry services."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Protocol

from pydantic import SecretStr
from sqlalchemy import Engine

from zerowaste.adapters.db import migrate
from zerowaste.demo import DemoCity, DemoFirm, generate_city
from zerowaste.demo.permits import EXPIRING_DAYS
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import NewUser, UserRole
from zerowaste.errors import MasterKeyMissing
from zerowaste.services.accounts import AccountService
from zerowaste.services.organizations import OrganizationService
from zerowaste.services.signing_keys import SigningKeyService
from zerowaste.services.sites import SiteService

#: Called as the build goes: (stage, done, total). Stages: `reset`, `firms`, `users`.
Progress = Callable[[str, int, int], None]

#: Acts only to create the demo's administrator, who then registers everything else.
_BUILDER = Principal(user_id=uuid.UUID(int=0), username="demo-builder", role=UserRole.ADMIN)


class _SettingsWithKey(Protocol):
    @property
    def master_key(self) -> SecretStr | None: ...


class DemoTarget(Protocol):
    """What the build needs of the application context (`bootstrap.Context` fits)."""

    @property
    def settings(self) -> _SettingsWithKey:
        """Settings; only the master key is read."""
        ...

    @property
    def engine(self) -> Engine:
        """The database engine to reset."""
        ...

    @property
    def clock(self) -> Callable[[], datetime]:
        """The clock; its date is the day the city is generated for."""
        ...

    @property
    def organizations(self) -> OrganizationService:
        """Registers organizations and their figures."""
        ...

    @property
    def sites(self) -> SiteService:
        """Registers sites and permits."""
        ...

    @property
    def accounts(self) -> AccountService:
        """Creates the demo logins."""
        ...

    @property
    def signing_keys(self) -> SigningKeyService:
        """Creates custodial signing keys."""
        ...

    def migrate(self) -> None:
        """Bring the schema to the newest revision."""
        ...


@dataclass(frozen=True, slots=True)
class DemoLogin:
    """A demo login to print: its username, role and what it may see."""

    username: str
    role: UserRole
    scope: str


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What `build_demo_city` stored, and how long it took."""

    seed: int
    scale: float
    as_of: date
    counts: dict[str, int]
    expired_permits: int
    expiring_permits: int
    logins: tuple[DemoLogin, ...]
    password: str
    seconds: float


def build_demo_city(
    context: DemoTarget, seed: int = 7, scale: float = 1.0, progress: Progress | None = None
) -> DemoSummary:
    """Erase the database and build the demo city into it through the registry services.

    Every record goes through the same validation as an API request, acting as the demo's
    `admin` user. The city is generated for the context clock's date.

    Args:
        context: The application context.
        seed: The random seed; the same seed builds the same city.
        scale: Multiplier of the number of ordinary generators and suppliers.
        progress: Called as the build goes; see `Progress`.

    Raises:
        MasterKeyMissing: If no master key is configured (custodial keys need one); raised
            before anything is erased.
        InvalidInput: If `scale` is out of range (field `scale`), also before erasing.
    """
    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)
    if context.settings.master_key is None:
        raise MasterKeyMissing("set ZEROWASTE_MASTER_KEY: the demo holds custodial signing keys")
    city = generate_city(seed, scale, as_of=context.clock().date())
    report("reset", 0, 1)
    migrate.reset(context.engine)
    context.migrate()
    report("reset", 1, 1)
    admin, *others = city.users
    context.accounts.create_user(_BUILDER, admin)
    actor = context.accounts.principal_by_username(admin.username)
    ids: dict[uuid.UUID, uuid.UUID] = {}
    for done, firm in enumerate(city.firms, start=1):
        ids[firm.ref] = _store_firm(context, actor, firm)
        report("firms", done, len(city.firms))
    for done, user in enumerate(others, start=1):
        organization_id = ids[user.organization_id] if user.organization_id else None
        context.accounts.create_user(actor, replace(user, organization_id=organization_id))
        report("users", done, len(others))
    return _summary(city, time.perf_counter() - started)


def _store_firm(context: DemoTarget, actor: Principal, firm: DemoFirm) -> uuid.UUID:
    """Register one firm with its sites, permits, figures and key; return its real id."""
    organization = context.organizations.register(actor, firm.organization)
    site_ids = {}
    for demo_site in firm.sites:
        site_ids[demo_site.ref] = context.sites.add_site(actor, organization.id, demo_site.site).id
    for permit in firm.permits:
        site_id = site_ids[permit.site_id] if permit.site_id else None
        context.sites.grant_permit(actor, organization.id, replace(permit, site_id=site_id))
    for record in firm.economics:
        context.organizations.record_economics(
            actor, replace(record, organization_id=organization.id)
        )
    if firm.custodial_key:
        context.signing_keys.create_custodial(actor, organization.id)
    return organization.id


def _scope(user: NewUser) -> str:
    if user.role is UserRole.ADMIN:
        return "everything"
    if user.role is UserRole.REGULATOR:
        return f"{user.jurisdiction_code} {user.display_name}"
    return user.display_name


def _summary(city: DemoCity, seconds: float) -> DemoSummary:
    permits = [p for firm in city.firms for p in firm.permits]
    logins = tuple(DemoLogin(user.username, user.role, _scope(user)) for user in city.users)
    soon = city.as_of + timedelta(days=EXPIRING_DAYS)
    return DemoSummary(
        seed=city.seed,
        scale=city.scale,
        as_of=city.as_of,
        counts=city.counts(),
        expired_permits=sum(p.valid_to < city.as_of for p in permits),
        expiring_permits=sum(city.as_of <= p.valid_to < soon for p in permits),
        logins=logins,
        password=city.password,
        seconds=round(seconds, 3),
    )
