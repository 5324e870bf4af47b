"""The whitelist criteria and the admit/remove transitions."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from zerowaste.errors import InvalidInput, NotWhitelistCandidate, WhitelistStateConflict
from zerowaste.oversight.risk import RiskBand
from zerowaste.oversight.whitelist import (
    CRITERIA,
    AlertSummary,
    CandidateInputs,
    Criterion,
    WhitelistAction,
    WhitelistEntry,
    WhitelistState,
    check_change,
    evaluate,
    parse_action,
)

NOW = datetime(2026, 6, 1, tzinfo=UTC)
ORG = uuid.UUID(int=7)
CLEAN = CandidateInputs(
    organization_id=ORG,
    as_of=NOW,
    alerts=(),
    events_last_year=40,
    licence_kinds=frozenset({"hazardous_waste_business"}),
    licence_kinds_in_force=frozenset({"hazardous_waste_business"}),
    manifests_in_transit_since=(NOW - timedelta(days=2),),
    risk_band=RiskBand.LOW,
)


def alert(rule: str, severity: str, state: str, days_ago: int = 10) -> AlertSummary:
    return AlertSummary(rule, severity, state, NOW - timedelta(days=days_ago))


def test_every_criterion_is_stated() -> None:
    assert set(CRITERIA) == set(Criterion)
    assert all(text.strip() for text in CRITERIA.values())


def test_a_clean_firm_meets_every_criterion() -> None:
    evaluation = evaluate(CLEAN)
    assert evaluation.eligible
    assert [r.criterion for r in evaluation.results] == list(Criterion)
    assert evaluation.failed == ()


@pytest.mark.parametrize(
    ("change", "failed"),
    [
        ({"events_last_year": 0}, Criterion.ACTIVE),
        ({"alerts": (alert("weight_gap", "high", "open"),)}, Criterion.NO_HIGH_ALERT),
        ({"alerts": (alert("weight_gap", "high", "resolved"),)}, Criterion.NO_HIGH_ALERT),
        ({"licence_kinds_in_force": frozenset()}, Criterion.LICENCES_VALID),
        ({"manifests_in_transit_since": (NOW - timedelta(days=9),)}, Criterion.TRACEABLE),
        ({"risk_band": RiskBand.MEDIUM}, Criterion.LOW_RISK),
    ],
)
def test_each_criterion_can_fail_alone(change: dict[str, object], failed: Criterion) -> None:
    evaluation = evaluate(replace(CLEAN, **change))  # type: ignore[arg-type]
    assert evaluation.failed == (failed,)
    assert not evaluation.eligible


def test_dismissed_and_old_high_alerts_do_not_count() -> None:
    dismissed = alert("weight_gap", "high", "dismissed")
    old = alert("weight_gap", "high", "resolved", days_ago=400)
    medium = alert("backdated_record", "medium", "open")
    assert evaluate(replace(CLEAN, alerts=(dismissed, old, medium))).eligible


def test_an_open_vanished_batch_breaks_traceability_a_resolved_one_not() -> None:
    vanished = alert("vanished_batch", "high", "acknowledged", days_ago=500)
    assert evaluate(replace(CLEAN, alerts=(vanished,))).failed == (Criterion.TRACEABLE,)
    closed = replace(vanished, state="dismissed")
    assert evaluate(replace(CLEAN, alerts=(closed,))).eligible


def entry(state: WhitelistState) -> WhitelistEntry:
    return WhitelistEntry(ORG, "320505", state, NOW, None, "r", uuid.uuid4())


def test_admit_needs_an_unlisted_candidate_and_a_reason() -> None:
    good = evaluate(CLEAN)
    bad = evaluate(replace(CLEAN, risk_band=RiskBand.HIGH))
    assert check_change(WhitelistAction.ADMIT, None, good, " clean ") == (
        WhitelistState.ADMITTED,
        "clean",
    )
    removed = entry(WhitelistState.REMOVED)
    assert check_change(WhitelistAction.ADMIT, removed, good, "x")[0] is WhitelistState.ADMITTED
    with pytest.raises(WhitelistStateConflict):
        check_change(WhitelistAction.ADMIT, entry(WhitelistState.ADMITTED), good, "again")
    with pytest.raises(NotWhitelistCandidate) as caught:
        check_change(WhitelistAction.ADMIT, None, bad, "please")
    assert "low_risk" in caught.value.detail
    with pytest.raises(InvalidInput) as missing:
        check_change(WhitelistAction.ADMIT, None, good, "   ")
    assert missing.value.field == "reason"


def test_remove_needs_a_listed_firm() -> None:
    listed = entry(WhitelistState.ADMITTED)
    assert check_change(WhitelistAction.REMOVE, listed, None, "alert")[0] is WhitelistState.REMOVED
    for current in (None, entry(WhitelistState.REMOVED)):
        with pytest.raises(WhitelistStateConflict):
            check_change(WhitelistAction.REMOVE, current, None, "gone")


def test_actions_parse_or_name_the_field() -> None:
    assert parse_action("admit") is WhitelistAction.ADMIT
    with pytest.raises(InvalidInput) as caught:
        parse_action("promote")
    assert caught.value.field == "action"
