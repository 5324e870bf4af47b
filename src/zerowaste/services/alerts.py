"""Alerts: raising new findings once, the regulator's workflow, evidence and its receipts."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from zerowaste.adapters.db.alerts_repository import AlertFilter
from zerowaste.adapters.db.events_repository import EventRow
from zerowaste.adapters.db.manifests_repository import ActionRow
from zerowaste.adapters.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.alerts import (
    ALERT,
    Alert,
    AlertAction,
    AlertState,
    AlertStep,
    checked_reason,
    history_of,
)
from zerowaste.domain.pages import Page, PageRequest
from zerowaste.errors import Forbidden, MasterKeyMissing, NotFound
from zerowaste.ledger.receipts import Receipt
from zerowaste.oversight.findings import Finding
from zerowaste.services.authorization import listing_scope
from zerowaste.services.ledger import LedgerService
from zerowaste.services.oversight_steps import OversightStep, log_steps

#: The most evidence events an alert's page proves at once.
MAX_RECEIPTS = 50


@dataclass(frozen=True)
class AlertView:
    """An alert, its history rebuilt from the log, and its evidence events as stored."""

    alert: Alert
    history: list[AlertStep]
    actions: list[ActionRow]
    evidence: list[EventRow]


def raise_document(finding: Finding, parameters: dict[str, str]) -> dict[str, Any]:
    """The members of a `raise` step: the whole finding, so the log alone explains the alert."""
    zh, en = finding.explanation()
    members: dict[str, Any] = {
        "rule_id": finding.rule_id,
        "fingerprint": finding.fingerprint,
        "severity": finding.spec.severity.value,
        "organization_id": str(finding.organization_id),
        "observed_at": finding.observed_at.isoformat(),
        "figures": dict(finding.figures),
        "parameters": parameters,
        "event_ids": [str(e) for e in finding.event_ids],
        "batch_ids": [str(b) for b in finding.batch_ids],
        "explanation_zh": zh,
        "explanation_en": en,
    }
    if finding.manifest_id is not None:
        members["manifest_id"] = str(finding.manifest_id)
    if finding.site_id is not None:
        members["site_id"] = str(finding.site_id)
    return members


class AlertService:
    """Raise, list, show and move alerts; every step is signed and logged."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        ledger: LedgerService,
        clock: Callable[[], datetime],
        parameters: Callable[[str], dict[str, str]],
    ) -> None:
        self._uow = unit_of_work
        self._ledger = ledger
        self._clock = clock
        self._parameters = parameters

    @property
    def log_id(self) -> str:
        """The id of the log the steps go to."""
        return self._ledger.log_id

    def raise_findings(self, findings: Sequence[Finding]) -> list[Alert]:
        """Raise an alert for each finding whose condition was never raised; return the new ones.

        All in one transaction: the signed `raise` steps, the alerts and their evidence.
        """
        unique = list({f.fingerprint: f for f in findings}.values())
        if not unique:
            return []
        now = self._clock()
        with self._uow() as uow:
            uow.events.lock_log(self._ledger.log_id)
            known = uow.alerts.known_fingerprints(f.fingerprint for f in unique)
            fresh = [f for f in unique if f.fingerprint not in known]
            if not fresh:
                return []
            alerts = self._raise_in(uow, fresh, now)
            uow.commit()
        with suppress(MasterKeyMissing):
            self._ledger.maybe_checkpoint()
        return alerts

    def _raise_in(self, uow: UnitOfWork, fresh: list[Finding], now: datetime) -> list[Alert]:
        regions = uow.organizations.regions_of(f.organization_id for f in fresh)
        number = uow.alerts.next_number()
        alerts, steps = [], []
        for offset, finding in enumerate(fresh):
            zh, en = finding.explanation()
            alert = Alert(
                alert_id=uuid.uuid4(),
                number=number + offset,
                rule_id=finding.rule_id,
                fingerprint=finding.fingerprint,
                severity=finding.spec.severity.value,
                state=AlertState.OPEN,
                organization_id=finding.organization_id,
                region_code=regions.get(finding.organization_id, "000000"),
                raised_at=now,
                observed_at=finding.observed_at,
                updated_at=now,
                explanation_zh=zh,
                explanation_en=en,
                figures=dict(finding.figures),
                event_ids=finding.event_ids,
                batch_ids=finding.batch_ids,
                manifest_id=finding.manifest_id,
                site_id=finding.site_id,
            )
            alerts.append(alert)
            members = raise_document(finding, self._parameters(finding.rule_id))
            members["number"] = alert.label
            steps.append(
                OversightStep(
                    ALERT, alert.alert_id, AlertAction.RAISE.value, now, members,
                    finding.organization_id,
                )
            )  # fmt: skip
        log_steps(uow, self._ledger, None, steps, now)
        uow.alerts.add(alerts)
        return alerts

    def find(
        self,
        actor: Principal,
        page: PageRequest,
        *,
        organization_id: uuid.UUID | None = None,
        states: Sequence[AlertState] | None = None,
        rule_id: str | None = None,
        severity: str | None = None,
        region_code: str | None = None,
    ) -> Page[Alert]:
        """A page of alerts, newest first: a firm's own, a regulator's jurisdiction's, or all."""
        with self._uow() as uow:
            where = self._scope(uow, actor, organization_id, region_code)
            return uow.alerts.find(
                page,
                AlertFilter(
                    organization_id=where.organization_id,
                    region_code=where.region_code,
                    states=states,
                    rule_id=rule_id,
                    severity=severity,
                ),
            )

    def counts(self, actor: Principal) -> dict[tuple[str, str], int]:
        """How many alerts per (rule, state) the actor may see."""
        with self._uow() as uow:
            return uow.alerts.counts(self._scope(uow, actor, None, None))

    @staticmethod
    def _scope(
        uow: UnitOfWork,
        actor: Principal,
        organization_id: uuid.UUID | None,
        region_code: str | None,
    ) -> AlertFilter:
        if region_code is not None:
            if not actor.oversees(region_code):
                raise Forbidden("that region is outside your jurisdiction", field="region_code")
            return AlertFilter(region_code=region_code)
        organization_id, region = listing_scope(actor, organization_id)
        if organization_id is not None:
            organization = uow.organizations.get(organization_id)
            if organization is None:
                raise NotFound(f"no organization {organization_id}", field="organization_id")
            if not actor.acts_for(organization.id, organization.region_code):
                raise Forbidden("not an organization you act for", field="organization_id")
        return AlertFilter(organization_id=organization_id, region_code=region)

    def alert(self, actor: Principal, alert_id: uuid.UUID) -> AlertView:
        """One alert with its logged history and evidence, for whoever may see it.

        Raises:
            NotFound: No such alert.
            Forbidden: Not the actor's own alert nor in its jurisdiction.
        """
        with self._uow() as uow:
            alert = self._visible(uow, actor, alert_id)
            actions = uow.manifests.actions_of(alert_id)
            history = history_of([(a.leaf_index, json.loads(a.document)) for a in actions])
            events = uow.events.events_by_id(alert.event_ids)
        evidence = [events[e] for e in alert.event_ids if e in events]
        return AlertView(alert, history, actions, evidence)

    def receipts(self, actor: Principal, alert_id: uuid.UUID) -> list[Receipt]:
        """Receipts of the evidence events, each verifiable offline (`zerowaste ledger verify`)."""
        with self._uow() as uow:
            alert = self._visible(uow, actor, alert_id)
        return [self._ledger.receipt(e) for e in alert.event_ids[:MAX_RECEIPTS]]

    def act(
        self, actor: Principal, alert_id: uuid.UUID, action: AlertAction, reason: str = ""
    ) -> Alert:
        """A regulator of the alert's jurisdiction acknowledges, resolves or dismisses it.

        Raises:
            Forbidden: Not a regulator, or the alert is outside its jurisdiction.
            AlertStateConflict: The step is not allowed from the alert's state.
            InvalidInput: Resolving or dismissing without a reason (field `reason`).
        """
        now = self._clock()
        with self._uow() as uow:
            uow.events.lock_log(self._ledger.log_id)
            alert = self._visible(uow, actor, alert_id)
            if actor.role is not UserRole.REGULATOR or not actor.oversees(alert.region_code):
                raise Forbidden("only a regulator of the alert's jurisdiction moves it")
            reason = checked_reason(reason, required=action is not AlertAction.ACKNOWLEDGE)
            moved = alert.moved(action, now, reason, actor.user_id)
            step = OversightStep(
                ALERT, alert_id, action.value, now, {"state": moved.state.value},
                alert.organization_id, reason,
            )  # fmt: skip
            log_steps(uow, self._ledger, actor, [step], now)
            uow.alerts.put_state(moved)
            uow.commit()
        with suppress(MasterKeyMissing):
            self._ledger.maybe_checkpoint()
        return moved

    @staticmethod
    def _visible(uow: UnitOfWork, actor: Principal, alert_id: uuid.UUID) -> Alert:
        alert = uow.alerts.get(alert_id)
        if alert is None:
            raise NotFound(f"no alert {alert_id}", field="alert_id")
        if not actor.acts_for(alert.organization_id, alert.region_code):
            raise Forbidden("this alert is not yours to see", field="alert_id")
        return alert
