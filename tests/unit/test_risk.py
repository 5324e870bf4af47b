"""The risk score: each factor's formula, the weights, the sum and the bands."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from zerowaste.errors import InvalidInput
from zerowaste.oversight.risk import (
    DEFAULT_WEIGHTS,
    AlertFact,
    Factor,
    PermitFact,
    RiskBand,
    RiskInputs,
    band_of,
    checked_weights,
    recency,
    score,
)

NOW = datetime(2026, 6, 1, tzinfo=UTC)
ORG = uuid.UUID(int=1)


def settled(**fields: object) -> RiskInputs:
    """A firm a year and a half on the record, with no alerts, permits or shipments."""
    values: dict[str, object] = {
        "organization_id": ORG,
        "as_of": NOW,
        "events": 500,
        "first_event_at": NOW - timedelta(days=540),
    }
    values.update(fields)
    return RiskInputs(**values)  # type: ignore[arg-type]


def factor(inputs: RiskInputs, which: Factor) -> float:
    return next(f.value for f in score(inputs).factors if f.factor is which)


def test_the_default_weights_cover_every_factor_and_sum_to_one() -> None:
    assert set(DEFAULT_WEIGHTS) == set(Factor)
    assert sum(DEFAULT_WEIGHTS.values()) == pytest.approx(1.0)


def test_a_clean_settled_firm_scores_zero_and_lists_every_factor() -> None:
    result = score(settled())
    assert [f.factor for f in result.factors] == list(Factor)
    assert result.score == 0
    assert result.band is RiskBand.LOW


def test_the_score_is_the_sum_of_weight_times_factor() -> None:
    alerts = [AlertFact("high", "open", NOW - timedelta(days=10))]
    result = score(settled(alerts=alerts, manifests_due=4, manifests_closed=3))
    for f in result.factors:
        assert 0 <= f.value <= 1
        assert f.contribution == pytest.approx(f.weight * f.value)
    assert result.score == pytest.approx(sum(f.contribution for f in result.factors), abs=1e-6)
    assert factor(settled(manifests_due=4, manifests_closed=3), Factor.OPEN_MANIFESTS) == 0.25


def test_alerts_weigh_by_severity_state_and_age() -> None:
    fresh = NOW - timedelta(hours=1)
    high = factor(settled(alerts=[AlertFact("high", "open", fresh)]), Factor.RECENT_ALERTS)
    low = factor(settled(alerts=[AlertFact("low", "open", fresh)]), Factor.RECENT_ALERTS)
    resolved = factor(settled(alerts=[AlertFact("high", "resolved", fresh)]), Factor.RECENT_ALERTS)
    dismissed = [AlertFact("high", "dismissed", fresh)]
    old = [AlertFact("high", "open", NOW - timedelta(days=400))]
    assert high == pytest.approx(0.5, abs=1e-3)
    assert low == pytest.approx(0.1, abs=1e-3)
    assert resolved == pytest.approx(high / 2, abs=1e-3)
    assert factor(settled(alerts=dismissed), Factor.RECENT_ALERTS) == 0
    assert factor(settled(alerts=old), Factor.RECENT_ALERTS) == 0
    # A dismissed alert (a false positive) does not count in the history either.
    assert factor(settled(alerts=dismissed), Factor.ALERT_HISTORY) == 0
    assert factor(settled(alerts=old), Factor.ALERT_HISTORY) > 0


def test_recency_falls_linearly_over_a_year() -> None:
    assert recency(NOW, NOW) == 1
    assert recency(NOW - timedelta(days=182.5), NOW) == pytest.approx(0.5)
    assert recency(NOW - timedelta(days=366), NOW) == 0
    assert recency(NOW + timedelta(days=1), NOW) == 1


def test_one_open_high_alert_lifts_a_firm_to_medium_two_to_high() -> None:
    one = [AlertFact("high", "open", NOW)]
    assert score(settled(alerts=one)).band is RiskBand.MEDIUM
    assert score(settled(alerts=one * 2)).band is RiskBand.HIGH


def test_a_thin_record_counts_and_fades_over_a_year() -> None:
    assert factor(settled(events=0, first_event_at=None), Factor.THIN_RECORD) == 1
    half = settled(events=10, first_event_at=NOW - timedelta(days=183))
    assert factor(half, Factor.THIN_RECORD) == pytest.approx(0.5, abs=0.01)
    assert factor(settled(), Factor.THIN_RECORD) == 0


def test_only_the_latest_licence_of_a_kind_counts() -> None:
    lapsed = PermitFact("hazardous_waste_business", date(2020, 1, 1), date(2024, 12, 31))
    renewed = PermitFact("hazardous_waste_business", date(2025, 1, 1), date(2029, 12, 31))
    expiring = PermitFact("dangerous_goods_transport", date(2022, 1, 1), date(2026, 7, 1))
    assert factor(settled(permits=[lapsed]), Factor.PERMITS) == 1
    assert factor(settled(permits=[lapsed, renewed]), Factor.PERMITS) == 0
    assert factor(settled(permits=[renewed, expiring]), Factor.PERMITS) == 0.25
    assert factor(settled(), Factor.PERMITS) == 0


def test_hazardous_waste_without_a_store_and_unlicensed_receivers() -> None:
    assert factor(settled(handles_hazardous=True), Factor.NO_STORE) == 1
    assert factor(settled(handles_hazardous=True, has_store=True), Factor.NO_STORE) == 0
    shipped = settled(hazardous_shipped_kg=1000.0, hazardous_to_licensed_kg=750.0)
    assert factor(shipped, Factor.UNLICENSED_RECEIVERS) == 0.25
    assert factor(settled(), Factor.UNLICENSED_RECEIVERS) == 0


def test_bands_have_stated_cut_points() -> None:
    assert band_of(0.0) is RiskBand.LOW
    assert band_of(0.1999) is RiskBand.LOW
    assert band_of(0.2) is RiskBand.MEDIUM
    assert band_of(0.3999) is RiskBand.MEDIUM
    assert band_of(0.4) is RiskBand.HIGH
    assert band_of(1.0) is RiskBand.HIGH


def test_weights_must_be_complete_non_negative_and_sum_to_one() -> None:
    partial = {Factor.RECENT_ALERTS: 1.0}
    negative = dict(DEFAULT_WEIGHTS) | {Factor.RECENT_ALERTS: -0.1, Factor.PERMITS: 0.65}
    heavy = dict(DEFAULT_WEIGHTS) | {Factor.RECENT_ALERTS: 0.9}
    for weights in (partial, negative, heavy):
        with pytest.raises(InvalidInput) as caught:
            checked_weights(weights)
        assert caught.value.field == "weights"
    alerts = [AlertFact("high", "open", NOW)]
    only_alerts = {f: (1.0 if f is Factor.RECENT_ALERTS else 0.0) for f in Factor}
    assert score(settled(alerts=alerts), only_alerts).score == pytest.approx(0.5, abs=1e-3)
