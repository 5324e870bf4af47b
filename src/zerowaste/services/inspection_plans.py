"""Inspection plans (双随机、一公开): signed random draws, live results, signed publication."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from zerowaste.adapters.db.inspection_plans_repository import period_bounds
from zerowaste.adapters.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.inspections import Inspection
from zerowaste.domain.organizations import Organization
from zerowaste.errors import (
    Forbidden,
    InvalidInput,
    MasterKeyMissing,
    NotFound,
    PlanAlreadyPublished,
)
from zerowaste.oversight.inspection_draw import (
    MAX_SEED,
    PLAN_TIMEZONE,
    AssignmentStatus,
    Draw,
    DrawCandidate,
    DrawRates,
    InspectionPlan,
    check_period,
    check_seed,
    draw,
    plan_day,
    status_of,
)
from zerowaste.oversight.risk import RiskBand
from zerowaste.services.ledger import LedgerService
from zerowaste.services.oversight_steps import INSPECTION_PLAN, OversightStep, log_steps
from zerowaste.services.risk import firms_of, jurisdiction_of, scores_of

#: The most plans one listing returns.
MAX_PLANS = 200


@dataclass(frozen=True, slots=True)
class AssignmentResult:
    """One drawn firm, its inspector and what came of it.

    Attributes:
        draw: The firm, why it was drawn and its inspector.
        organization: The firm.
        inspector_name: The inspector's name.
        status: Drawn, done or missed, as of now.
        inspection: The first inspection in the period by someone other than the firm.
        gap_alert_ids: The `inspection_stock_gap` alerts that inspection raised.
    """

    draw: Draw
    organization: Organization
    inspector_name: str
    status: AssignmentStatus
    inspection: Inspection | None
    gap_alert_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True, slots=True)
class PlanView:
    """A plan with every assignment's result."""

    plan: InspectionPlan
    results: tuple[AssignmentResult, ...]


def _draw_members(plan: InspectionPlan) -> dict[str, Any]:
    return {
        "plan_jurisdiction": plan.jurisdiction_code,
        "period_start": plan.period_start.isoformat(),
        "period_end": plan.period_end.isoformat(),
        "seed": str(plan.seed),
        "rates": plan.rates.as_members(),
        "candidates": [c.as_members() for c in plan.candidates],
        "inspectors": [str(i) for i in plan.inspectors],
        "draws": [
            {
                "organization_id": str(d.organization_id),
                "reason": d.reason.value,
                "inspector_user_id": str(d.inspector_user_id),
            }
            for d in plan.draws
        ],
    }


def _results(uow: UnitOfWork, plan: InspectionPlan, today: date) -> tuple[AssignmentResult, ...]:
    ids = [d.organization_id for d in plan.draws]
    start, end = period_bounds(plan.period_start, plan.period_end, PLAN_TIMEZONE)
    found = uow.inspection_plans.inspections_of(ids, start, end)
    chosen = {o: inspections[0] for o, inspections in found.items() if inspections}
    alerts = uow.inspection_plans.gap_alerts(i.event_id for i in chosen.values())
    organizations = uow.organizations.many(ids)
    names = uow.inspection_plans.user_names(d.inspector_user_id for d in plan.draws)
    results = []
    for d in plan.draws:
        inspection = chosen.get(d.organization_id)
        status = status_of(inspection is not None, plan.period_end, today)
        results.append(
            AssignmentResult(
                draw=d,
                organization=organizations[d.organization_id],
                inspector_name=names.get(d.inspector_user_id, ""),
                status=status,
                inspection=inspection,
                gap_alert_ids=tuple(alerts.get(inspection.event_id, ())) if inspection else (),
            )
        )
    return tuple(results)


class InspectionPlanService:
    """Draws, lists, shows and publishes inspection plans."""

    def __init__(
        self, unit_of_work: UnitOfWorkFactory, ledger: LedgerService, clock: Callable[[], datetime]
    ) -> None:
        self._uow = unit_of_work
        self._ledger = ledger
        self._clock = clock

    def draw(
        self,
        actor: Principal,
        jurisdiction_code: str,
        start: date,
        end: date,
        seed: int | None = None,
        rates: DrawRates | None = None,
    ) -> InspectionPlan:
        """Draw a plan for a jurisdiction and period: a signed `draw` step, projected.

        Firms: every high-risk firm, and ⌈rate × n⌉ of the whitelisted and of the other firms;
        inspectors: the jurisdiction's active regulator users, dealt at random.

        Raises:
            InvalidInput: A bad region code, period or seed (field named).
            UnknownRegion: No such region.
            Forbidden: The actor is not an admin or a regulator over the jurisdiction.
            NoInspectors: Firms were drawn but the jurisdiction has no regulator user.
        """
        rates = rates or DrawRates()
        check_period(start, end)
        seed = check_seed(secrets.randbelow(MAX_SEED + 1) if seed is None else seed)
        now = self._clock()
        if not jurisdiction_code:
            raise InvalidInput("name the plan's jurisdiction", field="jurisdiction_code")
        # The draw reads the whole jurisdiction; it does so before taking the log's lock, so
        # captures wait only for the signing and the writes.
        with self._uow() as uow:
            jurisdiction = jurisdiction_of(uow, actor, jurisdiction_code)
            assert jurisdiction is not None
            ids = firms_of(uow, jurisdiction)
            _, scores = scores_of(uow, ids, now)
            entries = uow.whitelist.of_organizations(ids)
            inspectors = tuple(uow.inspection_plans.regulator_users(jurisdiction))
        candidates = tuple(
            DrawCandidate(i, i in entries and entries[i].listed, scores[i].band is RiskBand.HIGH)
            for i in ids
        )
        plan = InspectionPlan(
            plan_id=uuid.uuid4(),
            jurisdiction_code=jurisdiction,
            period_start=start,
            period_end=end,
            seed=seed,
            rates=rates,
            candidates=candidates,
            inspectors=inspectors,
            draws=tuple(draw(candidates, inspectors, rates, seed)),
            created_at=now,
            created_by=actor.user_id,
            action_id=uuid.uuid4(),
        )
        step = OversightStep(INSPECTION_PLAN, plan.plan_id, "draw", now, _draw_members(plan))
        with self._uow() as uow:
            uow.events.lock_log(self._ledger.log_id)
            (row,) = log_steps(uow, self._ledger, actor, [step], now)
            plan = replace(plan, action_id=row.action_id)
            uow.inspection_plans.add(plan)
            uow.commit()
        with suppress(MasterKeyMissing):
            self._ledger.maybe_checkpoint()
        return plan

    def plans(self, actor: Principal, jurisdiction_code: str | None = None) -> list[InspectionPlan]:
        """The plans within the actor's (or a named) jurisdiction, newest period first."""
        with self._uow() as uow:
            jurisdiction = jurisdiction_of(uow, actor, jurisdiction_code)
            return uow.inspection_plans.find(jurisdiction, limit=MAX_PLANS)

    def _get(self, uow: UnitOfWork, plan_id: uuid.UUID) -> InspectionPlan:
        plan = uow.inspection_plans.get(plan_id)
        if plan is None:
            raise NotFound(f"no inspection plan {plan_id}", field="plan_id")
        return plan

    @staticmethod
    def _require(actor: Principal, plan: InspectionPlan) -> None:
        if actor.role not in (UserRole.ADMIN, UserRole.REGULATOR) or not actor.oversees(
            plan.jurisdiction_code
        ):
            raise Forbidden("this plan is outside your jurisdiction", field="plan_id")

    def plan(self, actor: Principal, plan_id: uuid.UUID) -> PlanView:
        """A plan with its results as of now, for its regulators and admins.

        Raises:
            NotFound: No such plan (field `plan_id`).
            Forbidden: The plan's jurisdiction is not the actor's.
        """
        with self._uow() as uow:
            plan = self._get(uow, plan_id)
            self._require(actor, plan)
            return PlanView(plan, _results(uow, plan, plan_day(self._clock())))

    def publish(self, actor: Principal, plan_id: uuid.UUID) -> PlanView:
        """Make a plan and its results public: a signed `publish` step recording the results.

        The public page shows the results as of each visit; the step (and the assignments'
        stored status) keeps them as they stood at publication.

        Raises:
            NotFound, Forbidden: As `plan`.
            PlanAlreadyPublished: It is public already.
        """
        now = self._clock()
        with self._uow() as uow:
            uow.events.lock_log(self._ledger.log_id)
            plan = self._get(uow, plan_id)
            self._require(actor, plan)
            if plan.published:
                raise PlanAlreadyPublished("the plan is public already", field="plan_id")
            results = _results(uow, plan, plan_day(now))
            members = {
                "results": [
                    {
                        "organization_id": str(r.draw.organization_id),
                        "status": r.status.value,
                        "inspection_event_id": str(r.inspection.event_id) if r.inspection else None,
                        "gap_alert_ids": [str(a) for a in r.gap_alert_ids],
                    }
                    for r in results
                ]
            }
            step = OversightStep(INSPECTION_PLAN, plan.plan_id, "publish", now, members)
            log_steps(uow, self._ledger, actor, [step], now)
            plan = replace(
                plan,
                published_at=now,
                published_by=actor.user_id,
                statuses={r.draw.organization_id: r.status for r in results},
                inspection_ids={
                    r.draw.organization_id: r.inspection.event_id
                    for r in results
                    if r.inspection is not None
                },
            )
            uow.inspection_plans.publish(plan)
            view = PlanView(plan, _results(uow, plan, plan_day(now)))
            uow.commit()
        with suppress(MasterKeyMissing):
            self._ledger.maybe_checkpoint()
        return view

    def public_plans(self) -> list[InspectionPlan]:
        """The published plans (anyone may read them), newest period first."""
        with self._uow() as uow:
            return uow.inspection_plans.find(None, published_only=True, limit=MAX_PLANS)

    def public_plan(self, plan_id: uuid.UUID) -> PlanView:
        """A published plan with its results; an unpublished one is not found.

        Raises:
            NotFound: No such published plan (field `plan_id`).
        """
        with self._uow() as uow:
            plan = self._get(uow, plan_id)
            if not plan.published:
                raise NotFound(f"no published inspection plan {plan_id}", field="plan_id")
            return PlanView(plan, _results(uow, plan, plan_day(self._clock())))
