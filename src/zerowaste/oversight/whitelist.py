"""The whitelist (白名单): which firms qualify by stated criteria, and admitting or removing them.

A firm is a candidate when it meets every criterion of `CRITERIA`; each evaluation lists what
it meets and what it fails, with the figure read. A regulator admits a candidate or removes a
listed firm, with a reason; each change is a signed oversight step, so the list can be rebuilt
from the ledger. Whitelisted firms are drawn for inspection at a lower rate (inspection_draw).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from zerowaste.domain.alerts import checked_reason
from zerowaste.errors import InvalidInput, NotWhitelistCandidate, WhitelistStateConflict
from zerowaste.oversight.risk import RECENT_DAYS, RiskBand

#: Rules whose open alerts break traceability: the record lost sight of the waste.
TRACEABILITY_RULES = frozenset({"vanished_batch", "overdue_in_transit"})
#: A shipped manifest may stay in transit this many days (the `overdue_in_transit` default).
TRANSIT_DAYS = 7
#: Alert states that count against a firm: all but a dismissal (a false positive).
VALID_STATES = frozenset({"open", "acknowledged", "resolved"})
OPEN_STATES = frozenset({"open", "acknowledged"})


class Criterion(StrEnum):
    """The stated criteria a whitelist candidate meets."""

    ACTIVE = "active"
    NO_HIGH_ALERT = "no_high_alert"
    LICENCES_VALID = "licences_valid"
    TRACEABLE = "traceable"
    LOW_RISK = "low_risk"


#: What each criterion demands, in English (the web page translates them).
CRITERIA: dict[Criterion, str] = {
    Criterion.ACTIVE: "At least one signed event in the last 12 months.",
    Criterion.NO_HIGH_ALERT: "No high-severity alert in the last 12 months that is open, "
    "acknowledged or resolved (dismissed false positives do not count).",
    Criterion.LICENCES_VALID: "Every kind of licence the firm holds has one in force today.",
    Criterion.TRACEABLE: "No open vanished-batch or overdue-in-transit alert, and every "
    f"manifest it shipped is received or closed, or in transit under {TRANSIT_DAYS} days.",
    Criterion.LOW_RISK: "Its risk score is in the low band.",
}


class WhitelistState(StrEnum):
    """A firm's place on the whitelist."""

    ADMITTED = "admitted"
    REMOVED = "removed"


class WhitelistAction(StrEnum):
    """The signed steps of the whitelist."""

    ADMIT = "admit"
    REMOVE = "remove"


@dataclass(frozen=True, slots=True)
class AlertSummary:
    """One alert of the firm, as the criteria read it."""

    rule_id: str
    severity: str
    state: str
    raised_at: datetime


@dataclass(frozen=True, slots=True)
class CandidateInputs:
    """What the criteria read about one firm.

    Attributes:
        organization_id: The firm.
        as_of: The instant of evaluation.
        alerts: Its alerts.
        events_last_year: Events it signed in the last 12 months.
        licence_kinds: Kinds of licence it has ever held.
        licence_kinds_in_force: Kinds with a licence in force today.
        manifests_in_transit_since: When each of its manifests now in transit was issued.
        risk_band: The band of its risk score.
    """

    organization_id: uuid.UUID
    as_of: datetime
    alerts: Sequence[AlertSummary]
    events_last_year: int
    licence_kinds: frozenset[str]
    licence_kinds_in_force: frozenset[str]
    manifests_in_transit_since: Sequence[datetime]
    risk_band: RiskBand


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """One criterion: met or not, and the figure that decided it."""

    criterion: Criterion
    met: bool
    detail: str


@dataclass(frozen=True, slots=True)
class Evaluation:
    """A firm against every criterion."""

    organization_id: uuid.UUID
    results: tuple[CriterionResult, ...]

    @property
    def eligible(self) -> bool:
        """Whether every criterion is met."""
        return all(r.met for r in self.results)

    @property
    def failed(self) -> tuple[Criterion, ...]:
        """The criteria not met."""
        return tuple(r.criterion for r in self.results if not r.met)


def evaluate(inputs: CandidateInputs) -> Evaluation:
    """Check a firm against every criterion of `CRITERIA`."""
    since = inputs.as_of - timedelta(days=RECENT_DAYS)
    high = [
        a
        for a in inputs.alerts
        if a.severity == "high" and a.state in VALID_STATES and a.raised_at >= since
    ]
    lost = [a for a in inputs.alerts if a.rule_id in TRACEABILITY_RULES and a.state in OPEN_STATES]
    limit = inputs.as_of - timedelta(days=TRANSIT_DAYS)
    overdue = [t for t in inputs.manifests_in_transit_since if t < limit]
    lapsed = sorted(inputs.licence_kinds - inputs.licence_kinds_in_force)
    results = (
        CriterionResult(
            Criterion.ACTIVE, inputs.events_last_year > 0, f"{inputs.events_last_year} events"
        ),
        CriterionResult(Criterion.NO_HIGH_ALERT, not high, f"{len(high)} high-severity alerts"),
        CriterionResult(
            Criterion.LICENCES_VALID,
            not lapsed,
            f"lapsed: {', '.join(lapsed)}" if lapsed else f"{len(inputs.licence_kinds)} kinds",
        ),
        CriterionResult(
            Criterion.TRACEABLE,
            not lost and not overdue,
            f"{len(lost)} open traceability alerts, {len(overdue)} manifests overdue",
        ),
        CriterionResult(
            Criterion.LOW_RISK, inputs.risk_band is RiskBand.LOW, f"band {inputs.risk_band.value}"
        ),
    )
    return Evaluation(inputs.organization_id, results)


@dataclass(frozen=True, slots=True)
class WhitelistEntry:
    """The projection of a firm's latest whitelist step."""

    organization_id: uuid.UUID
    region_code: str
    state: WhitelistState
    changed_at: datetime
    changed_by: uuid.UUID | None
    reason: str
    action_id: uuid.UUID

    @property
    def listed(self) -> bool:
        """Whether the firm is on the whitelist now."""
        return self.state is WhitelistState.ADMITTED


def check_change(
    action: WhitelistAction,
    current: WhitelistEntry | None,
    evaluation: Evaluation | None,
    reason: str,
) -> tuple[WhitelistState, str]:
    """The state after a regulator's step, and the reason stripped.

    Admitting needs a firm not listed that meets every criterion; removing a listed firm.

    Raises:
        InvalidInput: No reason, or one too long (field `reason`).
        WhitelistStateConflict: Admitting a listed firm or removing one not listed.
        NotWhitelistCandidate: Admitting a firm that fails a criterion (they are named).
    """
    text = checked_reason(reason, required=True)
    listed = current is not None and current.listed
    if action is WhitelistAction.ADMIT:
        if listed:
            raise WhitelistStateConflict("the firm is on the whitelist already", field="action")
        if evaluation is None or not evaluation.eligible:
            failed = ", ".join(evaluation.failed) if evaluation else "unknown"
            raise NotWhitelistCandidate(f"fails the criteria: {failed}", field="organization_id")
        return WhitelistState.ADMITTED, text
    if not listed:
        raise WhitelistStateConflict("the firm is not on the whitelist", field="action")
    return WhitelistState.REMOVED, text


def parse_action(value: str) -> WhitelistAction:
    """`admit` or `remove`; `InvalidInput` (field `action`) otherwise."""
    try:
        return WhitelistAction(value)
    except ValueError:
        raise InvalidInput(f"{value!r} is not admit or remove", field="action") from None


def since_of(entry: WhitelistEntry) -> date:
    """The day a listed firm was admitted."""
    return entry.changed_at.date()
