"""Inspection plans and assignments as projected from their signed steps, and their results."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select, update

from zerowaste.adapters.db.findings_repository import inspections_with_lines
from zerowaste.adapters.db.id_lists import in_list, rows_in
from zerowaste.adapters.db.oversight_tables import (
    alert_evidence,
    alerts,
    inspection_assignments,
    inspection_plans,
)
from zerowaste.adapters.db.tables import inspections, users
from zerowaste.domain.inspections import Inspection
from zerowaste.domain.regions import region_prefix
from zerowaste.oversight.inspection_draw import (
    AssignmentStatus,
    Draw,
    DrawCandidate,
    DrawRates,
    DrawReason,
    InspectionPlan,
)

#: The rule whose alerts report an inspection's counted-vs-ledger gap.
STOCK_GAP_RULE = "inspection_stock_gap"


def plan_body(plan: InspectionPlan) -> dict[str, Any]:
    """The JSON body stored with a plan: rates, candidates, inspectors, publication."""
    body: dict[str, Any] = {
        "rates": plan.rates.as_members(),
        "candidates": [c.as_members() for c in plan.candidates],
        "inspectors": [str(i) for i in plan.inspectors],
    }
    if plan.published_at is not None:
        body["published_at"] = plan.published_at.isoformat()
        body["published_by"] = str(plan.published_by) if plan.published_by else None
    return body


def _plan(row: Any, assignments: list[Any]) -> InspectionPlan:
    body = row.body if isinstance(row.body, dict) else json.loads(row.body)
    published = body.get("published_at")
    by = body.get("published_by")
    order = {DrawReason.HIGH_RISK: 0, DrawReason.RANDOM: 1}
    draws = sorted(
        (Draw(a.organization_id, DrawReason(a.reason), a.inspector_user_id) for a in assignments),
        key=lambda d: (order[d.reason], str(d.organization_id)),
    )
    return InspectionPlan(
        plan_id=row.plan_id,
        jurisdiction_code=row.jurisdiction_code,
        period_start=row.period_start,
        period_end=row.period_end,
        seed=int(row.seed),
        rates=DrawRates(Decimal(body["rates"]["whitelisted"]), Decimal(body["rates"]["base"])),
        candidates=tuple(
            DrawCandidate(uuid.UUID(c["organization_id"]), c["whitelisted"], c["high_risk"])
            for c in body["candidates"]
        ),
        inspectors=tuple(uuid.UUID(i) for i in body["inspectors"]),
        draws=tuple(draws),
        created_at=row.created_at,
        created_by=row.created_by,
        action_id=row.action_id,
        published_at=datetime.fromisoformat(published) if published else None,
        published_by=uuid.UUID(by) if by else None,
        statuses={a.organization_id: AssignmentStatus(a.status) for a in assignments},
        inspection_ids={
            a.organization_id: a.inspection_event_id for a in assignments if a.inspection_event_id
        },
    )


def period_bounds(start: date, end: date, tz: Any) -> tuple[datetime, datetime]:
    """The instants from the first day's start to the day after the last (half open)."""
    return datetime.combine(start, time(), tz), datetime.combine(
        end + timedelta(days=1), time(), tz
    )


class InspectionPlanRepository:
    """Reads and writes of `inspection_plans`, `inspection_assignments` and their results."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, plan: InspectionPlan) -> None:
        """Store a drawn plan and its assignments (status `drawn`)."""
        self._connection.execute(
            inspection_plans.insert().values(
                plan_id=plan.plan_id,
                jurisdiction_code=plan.jurisdiction_code,
                period_start=plan.period_start,
                period_end=plan.period_end,
                seed=plan.seed,
                body=plan_body(plan),
                created_at=plan.created_at,
                created_by=plan.created_by,
                action_id=plan.action_id,
            )
        )
        if plan.draws:
            self._connection.execute(
                inspection_assignments.insert(),
                [
                    {
                        "plan_id": plan.plan_id,
                        "organization_id": d.organization_id,
                        "inspector_user_id": d.inspector_user_id,
                        "reason": d.reason.value,
                        "status": AssignmentStatus.DRAWN.value,
                        "inspection_event_id": None,
                    }
                    for d in plan.draws
                ],
            )

    def get(self, plan_id: uuid.UUID) -> InspectionPlan | None:
        """The plan with this id, if any."""
        row = self._connection.execute(
            select(inspection_plans).where(inspection_plans.c.plan_id == plan_id)
        ).first()
        if row is None:
            return None
        assignments = list(
            self._connection.execute(
                select(inspection_assignments).where(inspection_assignments.c.plan_id == plan_id)
            )
        )
        return _plan(row, assignments)

    def find(
        self,
        jurisdiction_code: str | None = None,
        *,
        published_only: bool = False,
        limit: int = 200,
    ) -> list[InspectionPlan]:
        """Plans within a jurisdiction (all if None), newest period first."""
        query = select(inspection_plans)
        if jurisdiction_code:
            prefix = region_prefix(jurisdiction_code)
            query = query.where(inspection_plans.c.jurisdiction_code.startswith(prefix))
        rows = list(
            self._connection.execute(
                query.order_by(
                    inspection_plans.c.period_start.desc(), inspection_plans.c.created_at.desc()
                ).limit(limit)
            )
        )
        by_plan: dict[uuid.UUID, list[Any]] = {row.plan_id: [] for row in rows}
        query_a = in_list(inspection_assignments.c.plan_id, inspection_assignments)
        for a in rows_in(self._connection, query_a, by_plan):
            by_plan[a.plan_id].append(a)
        plans = [_plan(row, by_plan[row.plan_id]) for row in rows]
        return [p for p in plans if p.published] if published_only else plans

    def publish(self, plan: InspectionPlan) -> None:
        """Record a plan's publication and each assignment's result as published."""
        self._connection.execute(
            update(inspection_plans)
            .where(inspection_plans.c.plan_id == plan.plan_id)
            .values(body=plan_body(plan))
        )
        for organization_id, status in plan.statuses.items():
            self._connection.execute(
                update(inspection_assignments)
                .where(inspection_assignments.c.plan_id == plan.plan_id)
                .where(inspection_assignments.c.organization_id == organization_id)
                .values(
                    status=status.value,
                    inspection_event_id=plan.inspection_ids.get(organization_id),
                )
            )

    def inspections_of(
        self, organization_ids: Iterable[uuid.UUID], start: datetime, end: datetime
    ) -> dict[uuid.UUID, list[Inspection]]:
        """Inspections by someone other than the firm itself at its sites in [start, end)."""
        query = (
            in_list(inspections.c.site_organization_id, inspections)
            .where(inspections.c.inspected_at >= start)
            .where(inspections.c.inspected_at < end)
            .where(inspections.c.inspector_id != inspections.c.site_organization_id)
        )
        heads = sorted(
            rows_in(self._connection, query, organization_ids),
            key=lambda r: (r.inspected_at, str(r.event_id)),
        )
        found: dict[uuid.UUID, list[Inspection]] = {}
        for inspection in inspections_with_lines(self._connection, heads):
            found.setdefault(inspection.site_organization_id, []).append(inspection)
        return found

    def gap_alerts(self, event_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
        """The `inspection_stock_gap` alerts whose evidence names each inspection event."""
        query = (
            in_list(alert_evidence.c.ref_id, alert_evidence.c.ref_id, alerts.c.alert_id)
            .join(alerts, alerts.c.alert_id == alert_evidence.c.alert_id)
            .where(alerts.c.rule_id == STOCK_GAP_RULE)
        )
        found: dict[uuid.UUID, list[uuid.UUID]] = {}
        for row in rows_in(self._connection, query, event_ids):
            found.setdefault(row.ref_id, []).append(row.alert_id)
        return found

    def regulator_users(self, jurisdiction_code: str) -> list[uuid.UUID]:
        """The active regulator users whose jurisdiction lies within `jurisdiction_code`."""
        query = (
            select(users.c.id)
            .where(users.c.role == "regulator")
            .where(users.c.active.is_(True))
            .where(users.c.jurisdiction_code.startswith(region_prefix(jurisdiction_code)))
            .order_by(users.c.id)
        )
        return list(self._connection.execute(query).scalars())

    def user_names(self, user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
        """Each user's display name (its username if it has none)."""
        query = in_list(users.c.id, users.c.id, users.c.display_name, users.c.username)
        return {
            row.id: row.display_name or row.username
            for row in rows_in(self._connection, query, user_ids)
        }
