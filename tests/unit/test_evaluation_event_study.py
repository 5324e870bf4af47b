"""Event studies on simulated staggered adoption: planted effects recovered, pre-trends flagged."""

from __future__ import annotations

import pytest

from tests.evaluation_world import staggered_panel
from zerowaste.errors.evaluation import ModelSpecificationInvalid
from zerowaste.evaluation.event_study import design, dummy_name, event_study

EFFECTS = (1.0, 1.5, 2.0, 2.5, 3.0)


def test_both_estimators_recover_the_planted_path() -> None:
    study = event_study(staggered_panel(), "y", "pilot_year", leads=3, lags=4, cluster="city")
    assert [e.estimator for e in study.estimates] == ["twfe", "did2s"]
    assert study.cohorts
    assert set(study.cohorts) <= {2015, 2017, 2019}
    for estimate in study.estimates:
        by_period = {c.period: c for c in estimate.coefficients}
        assert -1 not in by_period
        for r, effect in enumerate(EFFECTS):
            assert by_period[r].estimate == pytest.approx(effect, abs=0.35), (estimate, r)
        for r in (-3, -2):
            assert abs(by_period[r].estimate) < 0.35
        assert estimate.pretrend_p is not None
        assert estimate.pretrend_p > 0.01
        assert estimate.average_post == pytest.approx(sum(EFFECTS) / 5, abs=0.25)


def test_a_planted_pre_trend_is_flagged() -> None:
    panel = staggered_panel(pretrend=0.4)
    study = event_study(panel, "y", "pilot_year", leads=4, lags=3, cluster="city")
    for estimate in study.estimates:
        assert estimate.pretrend_p is not None
        assert estimate.pretrend_p < 0.01, estimate


def test_endpoints_are_binned_and_never_treated_rows_have_no_dummy() -> None:
    frame = design(staggered_panel().frame, "pilot_year", 2, 1)
    early = frame[(frame["pilot_year"] == 2019) & (frame["year"] == 2012)]
    late = frame[(frame["pilot_year"] == 2015) & (frame["year"] == 2023)]
    never = frame[frame["pilot_year"].isna()]
    assert len(early)
    assert len(late)
    assert (early[dummy_name(-2)] == 1).all()
    assert (late[dummy_name(1)] == 1).all()
    dummies = [dummy_name(p) for p in (-2, 0, 1)]
    assert (never[dummies].to_numpy() == 0).all()
    assert (never["treated_now"] == 0).all()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"outcome": "nope"}, "outcome"),
        ({"cohort": "nope"}, "cohort"),
        ({"leads": 0}, "leads"),
        ({"lags": 11}, "lags"),
        ({"cluster": "year"}, "cluster"),
        ({"estimators": ["bacon"]}, "estimators"),
    ],
)
def test_bad_event_study_requests_name_the_field(kwargs: dict[str, object], field: str) -> None:
    arguments: dict[str, object] = {"outcome": "y", "cohort": "pilot_year"} | kwargs
    outcome, cohort = arguments.pop("outcome"), arguments.pop("cohort")
    with pytest.raises(ModelSpecificationInvalid) as caught:
        event_study(staggered_panel(), outcome, cohort, **arguments)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_a_cohort_changing_within_a_firm_is_refused() -> None:
    panel = staggered_panel()
    panel.frame.loc[0, "pilot_year"] = 2030
    with pytest.raises(ModelSpecificationInvalid) as caught:
        event_study(panel, "y", "pilot_year")
    assert caught.value.field == "cohort"
