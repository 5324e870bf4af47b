"""Alerts: a rule's finding under a regulator's workflow, open until resolved or dismissed.

open → acknowledged → resolved | dismissed; an open alert may also be resolved or dismissed
at once. Resolving or dismissing needs a reason. Every step, the raising included, is a
signed `zerowaste.oversight/1` document in the ledger, so an alert's history can be rebuilt
from the log alone (`history_of`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from zerowaste.errors import AlertStateConflict, InvalidInput

#: The signed document format of oversight steps (alerts, whitelist, inspection plans).
OVERSIGHT_FORMAT = "zerowaste.oversight/1"
#: The `subject` of alert steps in `workflow_actions`.
ALERT = "alert"
#: The longest reason or note kept with a step.
MAX_REASON_CHARS = 2000


class AlertState(StrEnum):
    """Where an alert is in its workflow."""

    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"

    @property
    def is_closed(self) -> bool:
        """Whether the alert is resolved or dismissed."""
        return self in (AlertState.RESOLVED, AlertState.DISMISSED)


class AlertAction(StrEnum):
    """The signed steps of an alert."""

    RAISE = "raise"
    ACKNOWLEDGE = "acknowledge"
    RESOLVE = "resolve"
    DISMISS = "dismiss"


_TARGET = {
    AlertAction.ACKNOWLEDGE: AlertState.ACKNOWLEDGED,
    AlertAction.RESOLVE: AlertState.RESOLVED,
    AlertAction.DISMISS: AlertState.DISMISSED,
}
_ALLOWED = {
    AlertAction.ACKNOWLEDGE: (AlertState.OPEN,),
    AlertAction.RESOLVE: (AlertState.OPEN, AlertState.ACKNOWLEDGED),
    AlertAction.DISMISS: (AlertState.OPEN, AlertState.ACKNOWLEDGED),
}


@dataclass(frozen=True, slots=True)
class Alert:
    """The projection of one alert.

    Attributes:
        alert_id: The alert's id.
        number: Its sequence number (shown as `label`), in the order alerts were raised.
        rule_id: The rule breached.
        fingerprint: Rule and subject: the condition, raised once.
        severity: The rule's severity when raised.
        state: Where it is in the workflow.
        organization_id: The organization answerable.
        region_code: That organization's region (it scopes who sees the alert).
        raised_at: When it was raised.
        observed_at: When the condition was seen to hold.
        updated_at: The time of its latest step.
        explanation_zh: The plain explanation in Chinese.
        explanation_en: The same in English.
        figures: The numbers that show the breach.
        event_ids: The evidence events.
        batch_ids: The batches concerned.
        manifest_id: The manifest concerned, if any.
        site_id: The site concerned, if any.
        reason: The reason given when it was resolved or dismissed.
        closed_by: The user who resolved or dismissed it.
    """

    alert_id: uuid.UUID
    number: int
    rule_id: str
    fingerprint: str
    severity: str
    state: AlertState
    organization_id: uuid.UUID
    region_code: str
    raised_at: datetime
    observed_at: datetime
    updated_at: datetime
    explanation_zh: str
    explanation_en: str
    figures: Mapping[str, str] = field(default_factory=dict)
    event_ids: tuple[uuid.UUID, ...] = ()
    batch_ids: tuple[uuid.UUID, ...] = ()
    manifest_id: uuid.UUID | None = None
    site_id: uuid.UUID | None = None
    reason: str = ""
    closed_by: uuid.UUID | None = None

    @property
    def label(self) -> str:
        """The human alert number, e.g. `AL-000042`."""
        return f"AL-{self.number:06d}"

    def moved(
        self, action: AlertAction, at: datetime, reason: str, user_id: uuid.UUID | None
    ) -> Alert:
        """The alert after a regulator's step.

        Raises:
            AlertStateConflict: The step is not allowed from the current state.
            InvalidInput: Resolving or dismissing without a reason (field `reason`).
        """
        if action is AlertAction.RAISE or self.state not in _ALLOWED[action]:
            raise AlertStateConflict(
                f"alert {self.alert_id} is {self.state.value}; cannot {action.value} it",
                field="action",
            )
        reason = checked_reason(reason, required=action is not AlertAction.ACKNOWLEDGE)
        target = _TARGET[action]
        closing = target.is_closed
        return replace(
            self,
            state=target,
            updated_at=at,
            reason=reason if closing else self.reason,
            closed_by=user_id if closing else self.closed_by,
        )


def alert_fields(alert: Alert) -> dict[str, Any]:
    """The alert's plain members, common to its stored row and its API form.

    Left out: `number`, `fingerprint`, `event_ids` and `batch_ids`, which each form shows
    its own way (or not at all).

    Args:
        alert: The alert.

    Returns:
        Its members by name, the state by its value and the figures as a new dict.
    """
    return {
        "alert_id": alert.alert_id,
        "rule_id": alert.rule_id,
        "severity": alert.severity,
        "state": alert.state.value,
        "organization_id": alert.organization_id,
        "region_code": alert.region_code,
        "site_id": alert.site_id,
        "manifest_id": alert.manifest_id,
        "raised_at": alert.raised_at,
        "observed_at": alert.observed_at,
        "updated_at": alert.updated_at,
        "explanation_zh": alert.explanation_zh,
        "explanation_en": alert.explanation_en,
        "figures": dict(alert.figures),
        "reason": alert.reason,
        "closed_by": alert.closed_by,
    }


def checked_reason(reason: str, *, required: bool) -> str:
    """The reason stripped; `InvalidInput` (field `reason`) if required and blank, or too long."""
    text = reason.strip()
    if required and not text:
        raise InvalidInput("a reason is required", field="reason")
    if len(text) > MAX_REASON_CHARS:
        raise InvalidInput(f"at most {MAX_REASON_CHARS} characters", field="reason")
    return text


@dataclass(frozen=True, slots=True)
class AlertStep:
    """One step of an alert's history, as the ledger holds it."""

    action: AlertAction
    action_time: datetime
    leaf_index: int
    user_id: uuid.UUID | None
    jurisdiction_code: str | None
    reason: str
    state_after: AlertState


def history_of(documents: Sequence[tuple[int, Mapping[str, Any]]]) -> list[AlertStep]:
    """An alert's steps rebuilt from its logged documents ((leaf index, document), log order).

    Raises:
        AlertStateConflict: The documents do not form a valid history (the log disagrees
            with the workflow).
    """
    steps: list[AlertStep] = []
    state: AlertState | None = None
    for leaf_index, document in documents:
        action = AlertAction(document["action"])
        if action is AlertAction.RAISE:
            if state is not None:
                raise AlertStateConflict("raised twice", field="action")
            state = AlertState.OPEN
        else:
            if state is None or state not in _ALLOWED[action]:
                raise AlertStateConflict(f"{action.value} after {state}", field="action")
            state = _TARGET[action]
        user = document.get("regulator_user_id")
        steps.append(
            AlertStep(
                action=action,
                action_time=datetime.fromisoformat(document["action_time"]),
                leaf_index=leaf_index,
                user_id=uuid.UUID(user) if user else None,
                jurisdiction_code=document.get("jurisdiction_code"),
                reason=document.get("reason", ""),
                state_after=state,
            )
        )
    return steps
