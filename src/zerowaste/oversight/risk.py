"""A firm's risk score: a stated weighted sum of factors in [0, 1], each shown with its weight.

score = Σ weight_i · factor_i, the weights summing to 1, so the score lies in [0, 1] too.
Every factor is computed from the firm's alerts, history, permits and ledger by a formula
stated here; the result lists each factor's value, weight and contribution, so a regulator
(and the firm) can see why a firm scores what it does. The weights are a policy choice, not a
law: they are set here with their rationale and may be tuned per deployment (`RiskWeights`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from zerowaste.errors import InvalidInput

#: Alerts older than this are not counted in the recent-alerts factor (12 months).
RECENT_DAYS = 365
#: A licence ending within this many days counts as expiring (one quarter: the renewal lead
#: time the licence measures ask for is "30 working days before expiry"; a quarter warns early).
EXPIRING_DAYS = 90
#: Manifests issued this recently are not yet expected to be closed (two weeks of grace:
#: twice the seven-day transit limit of the `overdue_in_transit` rule).
CLOSE_GRACE_DAYS = 14

#: How much one alert weighs by severity (high counts five times low).
SEVERITY_POINTS: Mapping[str, float] = {"high": 1.0, "medium": 0.5, "low": 0.2}
#: How much one alert counts by state: open or acknowledged fully; resolved (the breach was
#: real, then put right) half; dismissed (a false positive) not at all.
STATE_FACTOR: Mapping[str, float] = {
    "open": 1.0,
    "acknowledged": 1.0,
    "resolved": 0.5,
    "dismissed": 0.0,
}
#: Recency-weighted alert points at which the recent-alerts factor reaches 1: two fresh
#: open high-severity alerts (say over-storage and a vanished batch) make a firm high-risk.
ALERT_SATURATION = 2.0
#: Valid (not dismissed) alerts per year of activity at which the alert-history factor is 1.
HISTORY_SATURATION = 6.0
#: Months of recorded activity after which a firm's record is no longer "thin".
FULL_RECORD_MONTHS = 12


class RiskBand(StrEnum):
    """Low, medium or high risk, by the cut points of `band_of`."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


#: Cut points: a score below LOW_BELOW is low, below HIGH_FROM medium, else high. One fresh
#: open high-severity alert (0.20 from recent alerts alone) lifts a firm out of the low band;
#: two of them (0.40) make it high; lapsed licences and unlicensed receivers add to that.
LOW_BELOW = 0.20
HIGH_FROM = 0.40


def band_of(score: float) -> RiskBand:
    """The band of a score: low below 0.20, medium below 0.40, high from 0.40."""
    if score < LOW_BELOW:
        return RiskBand.LOW
    if score < HIGH_FROM:
        return RiskBand.MEDIUM
    return RiskBand.HIGH


class Factor(StrEnum):
    """The factors of the score, in the order they are shown."""

    RECENT_ALERTS = "recent_alerts"
    ALERT_HISTORY = "alert_history"
    THIN_RECORD = "thin_record"
    PERMITS = "permits"
    NO_STORE = "no_store"
    UNLICENSED_RECEIVERS = "unlicensed_receivers"
    OPEN_MANIFESTS = "open_manifests"


#: The default weights and why. They sum to 1.
DEFAULT_WEIGHTS: Mapping[Factor, float] = {
    # What the rules found lately is the strongest sign: 40 %.
    Factor.RECENT_ALERTS: 0.40,
    # A long record of valid alerts says the firm breaches repeatedly: 10 %.
    Factor.ALERT_HISTORY: 0.10,
    # A firm with under a year of records is less known, not proven bad: 5 %.
    Factor.THIN_RECORD: 0.05,
    # Lapsed or expiring licences of a licence-holding firm: 15 %.
    Factor.PERMITS: 0.15,
    # Hazardous waste generated with no storage site to keep it in (固废法 第八十一条): 5 %.
    Factor.NO_STORE: 0.05,
    # Hazardous mass shipped to receivers with no licence covering it (第八十条): 15 %.
    Factor.UNLICENSED_RECEIVERS: 0.15,
    # Manifests past their grace not closed: traceability gaps (转移办法): 10 %.
    Factor.OPEN_MANIFESTS: 0.10,
}


@dataclass(frozen=True, slots=True)
class AlertFact:
    """One alert of the firm, as the score reads it."""

    severity: str
    state: str
    raised_at: datetime


@dataclass(frozen=True, slots=True)
class PermitFact:
    """One licence of the firm: its kind and the day it ends."""

    kind: str
    valid_from: date
    valid_to: date


@dataclass(frozen=True, slots=True)
class RiskInputs:
    """Everything the score reads about one firm, gathered by the adapter.

    Attributes:
        organization_id: The firm.
        as_of: The instant the score is computed for.
        alerts: Every alert of the firm (any age, any state).
        events: How many events the firm signed.
        first_event_at: Its first event, if any.
        permits: Its licences.
        handles_hazardous: Whether it generated or held hazardous waste.
        has_store: Whether it has a storage site (storage, transfer station, depot) or a
            licence to store.
        hazardous_shipped_kg: Hazardous mass it shipped on manifests in the last 12 months.
        hazardous_to_licensed_kg: Of that, what went to receivers licensed for it that day.
        manifests_due: Its manifests (as generator) of the last 12 months past the grace.
        manifests_closed: Of those, how many are received or closed.
    """

    organization_id: uuid.UUID
    as_of: datetime
    alerts: Sequence[AlertFact] = ()
    events: int = 0
    first_event_at: datetime | None = None
    permits: Sequence[PermitFact] = ()
    handles_hazardous: bool = False
    has_store: bool = False
    hazardous_shipped_kg: float = 0.0
    hazardous_to_licensed_kg: float = 0.0
    manifests_due: int = 0
    manifests_closed: int = 0


@dataclass(frozen=True, slots=True)
class FactorScore:
    """One factor: its value in [0, 1], its weight, their product and what it was read from."""

    factor: Factor
    value: float
    weight: float
    detail: Mapping[str, str] = field(default_factory=dict)

    @property
    def contribution(self) -> float:
        """The weight times the value."""
        return self.weight * self.value


@dataclass(frozen=True, slots=True)
class RiskScore:
    """A firm's score, band and factors."""

    organization_id: uuid.UUID
    as_of: datetime
    factors: tuple[FactorScore, ...]

    @property
    def score(self) -> float:
        """Σ weight · factor, in [0, 1]."""
        return round(sum(f.contribution for f in self.factors), 6)

    @property
    def band(self) -> RiskBand:
        """The band of the score."""
        return band_of(self.score)


def checked_weights(weights: Mapping[Factor, float]) -> dict[Factor, float]:
    """Weights for every factor, non-negative and summing to 1.

    Raises:
        InvalidInput: A factor missing, a negative weight, or a sum other than 1 (field
            `weights`).
    """
    if set(weights) != set(Factor):
        missing = sorted(set(Factor) - set(weights))
        raise InvalidInput(f"give a weight for every factor (missing {missing})", field="weights")
    if any(w < 0 for w in weights.values()):
        raise InvalidInput("weights must not be negative", field="weights")
    if abs(sum(weights.values()) - 1.0) > 1e-9:
        raise InvalidInput("weights must sum to 1", field="weights")
    return {f: float(weights[f]) for f in Factor}


def _clip(value: float) -> float:
    return max(0.0, min(1.0, value))


def recency(raised_at: datetime, as_of: datetime) -> float:
    """1 for an alert raised now, falling linearly to 0 at 12 months old (and before)."""
    age_days = (as_of - raised_at).total_seconds() / 86400
    if age_days < 0:
        return 1.0
    return _clip(1 - age_days / RECENT_DAYS)


def _recent_alerts(inputs: RiskInputs) -> tuple[float, dict[str, str]]:
    points = 0.0
    counted = 0
    for alert in inputs.alerts:
        weight = STATE_FACTOR.get(alert.state, 1.0) * SEVERITY_POINTS.get(alert.severity, 0.5)
        fresh = recency(alert.raised_at, inputs.as_of)
        if weight and fresh:
            counted += 1
            points += weight * fresh
    value = _clip(points / ALERT_SATURATION)
    return value, {"alerts_counted": str(counted), "points": f"{points:.3f}"}


def months_active(inputs: RiskInputs) -> float:
    """Months from the firm's first event to `as_of` (0 with no events)."""
    if inputs.first_event_at is None:
        return 0.0
    return max(0.0, (inputs.as_of - inputs.first_event_at).days / 30.4375)


def _alert_history(inputs: RiskInputs) -> tuple[float, dict[str, str]]:
    valid = sum(1 for a in inputs.alerts if STATE_FACTOR.get(a.state, 1.0) > 0)
    months = max(1.0, months_active(inputs))
    per_year = valid * 12 / months
    value = _clip(per_year / HISTORY_SATURATION)
    return value, {"valid_alerts": str(valid), "per_year": f"{per_year:.2f}"}


def _thin_record(inputs: RiskInputs) -> tuple[float, dict[str, str]]:
    months = months_active(inputs)
    value = 1.0 if inputs.events == 0 else _clip(1 - months / FULL_RECORD_MONTHS)
    return value, {"events": str(inputs.events), "months_active": f"{months:.1f}"}


def _permits(inputs: RiskInputs) -> tuple[float, dict[str, str]]:
    # Only a firm's latest licence of each kind matters: a renewed licence replaces the old.
    latest: dict[str, PermitFact] = {}
    for permit in inputs.permits:
        if permit.kind not in latest or permit.valid_to > latest[permit.kind].valid_to:
            latest[permit.kind] = permit
    today = inputs.as_of.date()
    lapsed = sum(1 for p in latest.values() if p.valid_to < today)
    soon = today + timedelta(days=EXPIRING_DAYS)
    expiring = sum(1 for p in latest.values() if today <= p.valid_to <= soon)
    value = (lapsed + 0.5 * expiring) / len(latest) if latest else 0.0
    detail = {"kinds": str(len(latest)), "lapsed": str(lapsed), "expiring": str(expiring)}
    return _clip(value), detail


def _no_store(inputs: RiskInputs) -> tuple[float, dict[str, str]]:
    value = 1.0 if inputs.handles_hazardous and not inputs.has_store else 0.0
    return value, {
        "handles_hazardous": str(inputs.handles_hazardous).lower(),
        "has_store": str(inputs.has_store).lower(),
    }


def _unlicensed_receivers(inputs: RiskInputs) -> tuple[float, dict[str, str]]:
    shipped = inputs.hazardous_shipped_kg
    licensed = min(inputs.hazardous_to_licensed_kg, shipped)
    value = 1 - licensed / shipped if shipped > 0 else 0.0
    return _clip(value), {"shipped_kg": f"{shipped:.3f}", "to_licensed_kg": f"{licensed:.3f}"}


def _open_manifests(inputs: RiskInputs) -> tuple[float, dict[str, str]]:
    due = inputs.manifests_due
    closed = min(inputs.manifests_closed, due)
    value = 1 - closed / due if due else 0.0
    return _clip(value), {"due": str(due), "closed": str(closed)}


_FORMULAS = {
    Factor.RECENT_ALERTS: _recent_alerts,
    Factor.ALERT_HISTORY: _alert_history,
    Factor.THIN_RECORD: _thin_record,
    Factor.PERMITS: _permits,
    Factor.NO_STORE: _no_store,
    Factor.UNLICENSED_RECEIVERS: _unlicensed_receivers,
    Factor.OPEN_MANIFESTS: _open_manifests,
}


def score(inputs: RiskInputs, weights: Mapping[Factor, float] = DEFAULT_WEIGHTS) -> RiskScore:
    """The firm's risk score: every factor's value, weight and contribution, and their sum.

    Raises:
        InvalidInput: The weights are not a valid set (field `weights`).
    """
    checked = checked_weights(weights)
    factors = []
    for factor in Factor:
        value, detail = _FORMULAS[factor](inputs)
        factors.append(FactorScore(factor, round(value, 6), checked[factor], detail))
    return RiskScore(inputs.organization_id, inputs.as_of, tuple(factors))
