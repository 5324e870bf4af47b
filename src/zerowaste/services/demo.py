"""Build the demo city into a fresh database through the registry services."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any, Protocol

from pydantic import SecretStr
from sqlalchemy import Engine

from zerowaste.adapters.db import migrate
from zerowaste.adapters.db.bulk_load import rebuildable_writes, refresh_statistics
from zerowaste.demo import DemoCity, DemoFirm, generate_city
from zerowaste.demo.events import MONTHS, plan_events
from zerowaste.demo.geography import HOME_PREFECTURE
from zerowaste.demo.market import market_opens
from zerowaste.demo.permits import EXPIRING_DAYS
from zerowaste.demo.plan import EventPlan
from zerowaste.demo.planner import CST
from zerowaste.demo.registry import PROVINCIAL_REGULATORS
from zerowaste.demo.truth import ground_truth
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import NewUser, UserRole
from zerowaste.errors import MasterKeyMissing
from zerowaste.services.accounts import AccountService
from zerowaste.services.cbam import CbamService
from zerowaste.services.demo_carbon import seed_chains
from zerowaste.services.demo_cbam import seed_cbam
from zerowaste.services.demo_evaluation import DatasetImporter, StatisticsImporter, seed_evaluation
from zerowaste.services.demo_events import (
    EventTarget,
    Ids,
    ReplayClock,
    capture_plan,
    register_demo_keys,
)
from zerowaste.services.demo_footprints import seed_footprints
from zerowaste.services.demo_market import seed_market
from zerowaste.services.demo_transfers import Refusal
from zerowaste.services.footprints import FootprintService
from zerowaste.services.inspection_plans import InspectionPlanService
from zerowaste.services.organizations import OrganizationService
from zerowaste.services.oversight import OversightService
from zerowaste.services.signing_keys import SigningKeyService
from zerowaste.services.sites import SiteService

#: Called as the build goes: (stage, done, total). Stages: `reset`, `firms`, `users`,
#: `keys`, `events`, `oversight`, `market`, `evaluation`.
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

    @property
    def oversight(self) -> OversightService:
        """Sweeps the city once its year is captured."""
        ...

    @property
    def inspection_plans(self) -> InspectionPlanService:
        """Draws the home city's first inspection plan."""
        ...

    @property
    def cbam(self) -> CbamService:
        """Computes the demo installations' CBAM reports."""
        ...

    @property
    def footprints(self) -> FootprintService:
        """Enters the demo chain's processes and publishes its footprints."""
        ...

    @property
    def indicators(self) -> StatisticsImporter:
        """Imports the demo's region statistics."""
        ...

    @property
    def evaluation(self) -> DatasetImporter:
        """Stores the demo's evaluation datasets."""
        ...

    def migrate(self) -> None:
        """Bring the schema to the newest revision."""
        ...

    def with_clock(self, clock: Callable[[], datetime]) -> EventTarget:
        """The services on another clock (events are captured on a replayed clock)."""
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
    events: dict[str, int] = field(default_factory=dict)
    truth: dict[str, Any] = field(default_factory=dict)
    truth_path: Path | None = None
    alerts: dict[str, int] = field(default_factory=dict)
    inspections: int = 0
    market: dict[str, Any] = field(default_factory=dict)
    evaluation: dict[str, Any] = field(default_factory=dict)


#: The home city's regulator draws the first inspection plan, for this many days from as-of.
HOME_REGULATOR = "regulator.suzhou"
INSPECTION_PERIOD_DAYS = 90


def build_demo_city(
    context: DemoTarget,
    seed: int = 7,
    scale: float = 1.0,
    progress: Progress | None = None,
    *,
    truth_path: Path | None = None,
    months: int = MONTHS,
) -> DemoSummary:
    """Erase the database and build the demo city and its year of events into it.

    Every record goes through the same validation as an API request, acting as the demo's
    `admin` user: the registry through the registry services, the events through the capture
    service, signed by each firm. The city is generated for the context clock's date.

    Args:
        context: The application context.
        seed: The random seed; the same seed builds the same city.
        scale: Multiplier of the number of ordinary generators and suppliers.
        progress: Called as the build goes; see `Progress`.
        truth_path: Where to write the planted violations' ground truth (JSON), if anywhere;
            it never goes into the database.
        months: Months of ordinary events (12; 0 builds the registry only, fewer make quick
            tests).

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
    plan = plan_events(city, months) if months else None
    with rebuildable_writes(context.engine):
        summary = _build(context, city, plan, scale, report, truth_path, started)
    refresh_statistics(context.engine)
    return summary


def _build(
    context: DemoTarget,
    city: DemoCity,
    plan: EventPlan | None,
    scale: float,
    report: Progress,
    truth_path: Path | None,
    started: float,
) -> DemoSummary:
    report("reset", 0, 1)
    migrate.reset(context.engine)
    context.migrate()
    report("reset", 1, 1)
    admin, *others = city.users
    context.accounts.create_user(_BUILDER, admin)
    actor = context.accounts.principal_by_username(admin.username)
    ids = Ids({}, {})
    for done, firm in enumerate(city.firms, start=1):
        ids.organizations[firm.ref] = _store_firm(context, actor, firm, ids.sites)
        report("firms", done, len(city.firms))
    for done, user in enumerate(others, start=1):
        organization_id = ids.organizations[user.organization_id] if user.organization_id else None
        context.accounts.create_user(actor, replace(user, organization_id=organization_id))
        report("users", done, len(others))
    seed_cbam(context.cbam, actor, city, ids.sites)
    seed_chains(context, city, ids.organizations)
    summary = _summary(city, time.perf_counter() - started)
    if plan is None:
        return summary
    refusals = _write_events(context, actor, city, plan, ids, report)
    truth = _truth(plan, scale, ids, refusals)
    report("oversight", 0, 1)
    swept = context.oversight.sweep(None, datetime.combine(city.as_of, clock_time(0), CST))
    plan_drawn = context.inspection_plans.draw(
        context.accounts.principal_by_username(HOME_REGULATOR),
        HOME_PREFECTURE,
        city.as_of,
        city.as_of + timedelta(days=INSPECTION_PERIOD_DAYS - 1),
        seed=city.seed,
    )
    report("oversight", 1, 1)
    seed_footprints(context, actor, city, ids.organizations, ids.sites)
    market = seed_market(context, actor, city, ids, report).counts()
    report("evaluation", 0, 1)
    evaluation = seed_evaluation(context, actor, city, plan)
    truth["research_panel"] = evaluation.truth
    report("evaluation", 1, 1)
    if truth_path is not None:
        truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=2), encoding="utf-8")
    return replace(
        summary,
        events=plan.counts(),
        truth=truth,
        truth_path=truth_path,
        alerts=swept.by_rule,
        inspections=len(plan_drawn.draws),
        seconds=round(time.perf_counter() - started, 3),
        market=market,
        evaluation=evaluation.counts(),
    )


def _write_events(
    context: DemoTarget,
    actor: Principal,
    city: DemoCity,
    plan: EventPlan,
    ids: Ids,
    report: Progress,
) -> list[Refusal]:
    """Register the firms' demo keys, then capture the plan on a replayed clock."""
    report("keys", 0, 1)
    valid_from = min(plan.earliest, market_opens(city.as_of)) - timedelta(days=1)
    keys = register_demo_keys(context.signing_keys, actor, city, ids, valid_from)
    report("keys", 1, 1)
    clock = ReplayClock(valid_from)
    regulators = {
        province: context.accounts.principal_by_username(login)
        for province, login in PROVINCIAL_REGULATORS.items()
    }
    return capture_plan(
        context.with_clock(clock), clock, actor, plan, ids, keys, regulators, report
    )


def _truth(plan: EventPlan, scale: float, ids: Ids, refusals: list[Refusal]) -> dict[str, Any]:
    """The ground truth with stored organization ids and each violation's capture status."""
    truth = ground_truth(plan, scale)
    refused = {r.event_id: r for r in refusals}
    for violation in truth["violations"]:
        violation["organization_id"] = str(
            ids.organizations[uuid.UUID(violation["organization_ref"])]
        )
        hits = [refused[uuid.UUID(e)] for e in violation["event_ids"] if uuid.UUID(e) in refused]
        violation["status"] = "refused" if hits else "stored"
        if hits:
            violation["refusal"] = {
                "title": hits[0].title,
                "field": hits[0].field,
                "detail": hits[0].detail,
            }
    return truth


def _store_firm(
    context: DemoTarget, actor: Principal, firm: DemoFirm, site_ids: dict[uuid.UUID, uuid.UUID]
) -> uuid.UUID:
    """Register one firm with its sites, permits, figures and key; return its real id."""
    organization = context.organizations.register(actor, firm.organization)
    for demo_site in firm.sites:
        site_ids[demo_site.ref] = context.sites.add_site(actor, organization.id, demo_site.site).id
    for permit in firm.permits:
        site_id = site_ids[permit.site_id] if permit.site_id else None
        context.sites.grant_permit(actor, organization.id, replace(permit, site_id=site_id))
    context.organizations.record_economics_many(
        actor, [replace(r, organization_id=organization.id) for r in firm.economics]
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
    permits = [firm.permits[-1] for firm in city.firms if firm.permits]  # in force or lapsed
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
