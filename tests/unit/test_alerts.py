"""The alert workflow, its history rebuilt from step documents, and the rule registry."""

from __future__ import annotations

import string
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from zerowaste.domain.alerts import (
    MAX_REASON_CHARS,
    Alert,
    AlertAction,
    AlertState,
    history_of,
)
from zerowaste.errors import AlertStateConflict, InvalidInput, NotFound
from zerowaste.oversight.rules import RULES, RuleLevel, RuleSettings, rule

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def alert(state: AlertState = AlertState.OPEN) -> Alert:
    return Alert(
        alert_id=uuid.uuid4(),
        number=7,
        rule_id="weight_gap",
        fingerprint="weight_gap|manifest:x",
        severity="high",
        state=state,
        organization_id=uuid.uuid4(),
        region_code="320505",
        raised_at=NOW,
        observed_at=NOW,
        updated_at=NOW,
        explanation_zh="",
        explanation_en="",
    )


def test_an_alert_moves_open_acknowledged_closed_and_not_back() -> None:
    user = uuid.uuid4()
    taken = alert().moved(AlertAction.ACKNOWLEDGE, NOW, "", user)
    assert taken.state is AlertState.ACKNOWLEDGED
    assert taken.closed_by is None
    closed = taken.moved(AlertAction.DISMISS, NOW, " scale was recalibrated ", user)
    assert (closed.state, closed.reason, closed.closed_by) == (
        AlertState.DISMISSED,
        "scale was recalibrated",
        user,
    )
    for action in AlertAction:
        with pytest.raises(AlertStateConflict):
            closed.moved(action, NOW, "again", user)
    with pytest.raises(AlertStateConflict):
        taken.moved(AlertAction.ACKNOWLEDGE, NOW, "", user)
    assert alert().moved(AlertAction.RESOLVE, NOW, "fined", user).state is AlertState.RESOLVED
    assert alert().label == "AL-000007"


@pytest.mark.parametrize("action", [AlertAction.RESOLVE, AlertAction.DISMISS])
def test_closing_needs_a_reason_of_bounded_length(action: AlertAction) -> None:
    for reason in ("", "  \n"):
        with pytest.raises(InvalidInput) as caught:
            alert().moved(action, NOW, reason, None)
        assert caught.value.field == "reason"
    with pytest.raises(InvalidInput):
        alert().moved(action, NOW, "x" * (MAX_REASON_CHARS + 1), None)


def step(action: str, minutes: int, **members: str) -> dict[str, str]:
    at = (NOW + timedelta(minutes=minutes)).isoformat()
    return {"action": action, "action_time": at, **members}


def test_history_is_rebuilt_from_the_logged_documents_and_checked() -> None:
    regulator = str(uuid.uuid4())
    steps = history_of(
        [
            (3, step("raise", 0)),
            (9, step("acknowledge", 5, regulator_user_id=regulator, jurisdiction_code="320500")),
            (12, step("resolve", 9, regulator_user_id=regulator, reason="removed")),
        ]
    )
    assert [(s.leaf_index, s.state_after) for s in steps] == [
        (3, AlertState.OPEN),
        (9, AlertState.ACKNOWLEDGED),
        (12, AlertState.RESOLVED),
    ]
    assert steps[0].user_id is None
    assert steps[1].user_id == uuid.UUID(regulator)
    assert steps[2].reason == "removed"
    for broken in (
        [(1, step("acknowledge", 0))],
        [(1, step("raise", 0)), (2, step("raise", 1))],
        [(1, step("raise", 0)), (2, step("dismiss", 1)), (3, step("resolve", 2))],
    ):
        with pytest.raises(AlertStateConflict):
            history_of(broken)


def test_every_rule_is_complete_and_its_templates_name_known_figures() -> None:
    assert len({r.rule_id for r in RULES}) == len(RULES) >= 13
    for spec in RULES:
        assert all((spec.name_zh, spec.name_en, spec.explanation_zh, spec.explanation_en))
        assert spec.legal_basis
        assert isinstance(spec.level, RuleLevel)
        names = {
            name
            for template in (spec.finding_en, spec.finding_zh)
            for _, name, _, _ in string.Formatter().parse(template)
            if name
        }
        zh, en = spec.explain(dict.fromkeys(names - set(spec.parameters), "1"))
        assert "{" not in zh + en
    assert rule("over_storage").parameters["max_days"] == Decimal(365)
    with pytest.raises(NotFound):
        rule("no_such_rule")


def test_rule_parameters_are_overridden_by_settings_and_checked() -> None:
    settings = RuleSettings.parse("over_storage.max_days=300, weight_gap.tolerance=0.05")
    assert settings.value("over_storage", "max_days") == Decimal(300)
    assert settings.value("weight_gap", "tolerance") == Decimal("0.05")
    assert settings.value("backdated_record", "max_days") == Decimal(30)
    assert RuleSettings.parse("").parameters("weight_gap") == {"tolerance": Decimal("0.02")}
    for bad, field in (
        ("over_storage.nope=1", "over_storage.nope"),
        ("weight_gap.tolerance=abc", "weight_gap.tolerance"),
        ("weight_gap.tolerance=NaN", "weight_gap.tolerance"),
    ):
        with pytest.raises(InvalidInput) as caught:
            RuleSettings.parse(bad)
        assert caught.value.field == field
    with pytest.raises(NotFound):
        RuleSettings.parse("nothing.max_days=1")
