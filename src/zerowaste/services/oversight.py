"""Oversight runs: the periodic sweep over the whole store, and the rules run on each capture."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from zerowaste.adapters.db.alerts_repository import SweepRow
from zerowaste.adapters.db.unit_of_work import UnitOfWorkFactory
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.alerts import Alert
from zerowaste.errors import Forbidden
from zerowaste.oversight.rules import RULES, RuleSettings, RuleSpec, rule
from zerowaste.services.alerts import AlertService
from zerowaste.services.catalog import CatalogService
from zerowaste.services.oversight_detect import capture_findings, sweep_findings


@dataclass(frozen=True)
class SweepReport:
    """What one sweep found and raised."""

    sweep_id: uuid.UUID
    as_of: datetime
    findings: int
    raised: int
    by_rule: dict[str, int]
    raised_by_rule: dict[str, int]
    seconds: float


@dataclass(frozen=True)
class RuleView:
    """A rule of the registry with the parameters in force."""

    spec: RuleSpec
    parameters: dict[str, str]


class OversightService:
    """Runs the rules and hands new findings to the alert service."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        catalog: CatalogService,
        alerts: AlertService,
        clock: Callable[[], datetime],
        settings: RuleSettings,
    ) -> None:
        self._uow = unit_of_work
        self._catalog = catalog
        self._alerts = alerts
        self._clock = clock
        self.settings = settings

    def rules(self) -> list[RuleView]:
        """Every rule with the parameters in force."""
        return [RuleView(spec, self.parameters(spec.rule_id)) for spec in RULES]

    def parameters(self, rule_id: str) -> dict[str, str]:
        """The rule's parameters in force, as strings."""
        return {k: str(v) for k, v in self.settings.parameters(rule_id).items()}

    def sweep(
        self,
        actor: Principal | None = None,
        as_of: datetime | None = None,
        rule_ids: Collection[str] | None = None,
    ) -> SweepReport:
        """Run every rule (or `rule_ids`) over the whole store as of `as_of` (default: now).

        Capture-level rules run too: whatever a capture's listener missed is raised here.

        Raises:
            Forbidden: An actor other than an admin asked (the server's schedule has none).
            NotFound: An unknown rule id (field `rule_id`).
        """
        if actor is not None and actor.role is not UserRole.ADMIN:
            raise Forbidden("only an administrator starts a sweep")
        for rule_id in rule_ids or ():
            rule(rule_id)
        started_at = self._clock()
        at = as_of or started_at
        begun = time.perf_counter()
        with self._uow() as uow:
            findings = sweep_findings(uow, self._catalog, self.settings, at, rule_ids)
        raised = self._alerts.raise_findings(findings)
        report = SweepReport(
            sweep_id=uuid.uuid4(),
            as_of=at,
            findings=len(findings),
            raised=len(raised),
            by_rule=dict(Counter(f.rule_id for f in findings)),
            raised_by_rule=dict(Counter(a.rule_id for a in raised)),
            seconds=round(time.perf_counter() - begun, 3),
        )
        with self._uow() as uow:
            uow.alerts.add_sweep(
                SweepRow(
                    sweep_id=report.sweep_id,
                    as_of=at,
                    started_at=started_at,
                    finished_at=self._clock(),
                    log_size=uow.ledger.head_size(self._alerts.log_id),
                    findings=report.findings,
                    raised=report.raised,
                    by_rule=report.by_rule,
                )
            )
            uow.commit()
        return report

    def latest_sweeps(self, limit: int = 20) -> list[SweepRow]:
        """The latest sweep runs, newest first."""
        with self._uow() as uow:
            return uow.alerts.latest_sweeps(limit)

    def on_captured(self, event_ids: Sequence[uuid.UUID]) -> list[Alert]:
        """Run the capture-level rules on just-stored events; raise what they find."""
        with self._uow() as uow:
            findings = capture_findings(uow, self._catalog, self.settings, event_ids)
        return self._alerts.raise_findings(findings)
