"""Admission rules without a database: evaluation, unknown values, validation naming fields."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from zerowaste.adapters.db.supplier_indicator_inputs import SupplierInputs
from zerowaste.domain.admission import (
    AdmissionRules,
    Clause,
    Comparator,
    Criterion,
    IndicatorValues,
    Outcome,
    SupplierIndicator,
    YearBasis,
    evaluate,
    rules_from_json,
    rules_to_json,
)
from zerowaste.errors import InvalidInput
from zerowaste.services.admission_defaults import (
    DEFAULT_CLAUSES,
    DEFAULT_CRITERIA,
    demo_year_basis,
)
from zerowaste.services.supplier_indicators import intensity, ledger_values

I = SupplierIndicator  # noqa: E741
MASTER = uuid.UUID(int=1)
FIRM = uuid.UUID(int=2)


def rules(*criteria: Criterion) -> AdmissionRules:
    return AdmissionRules(MASTER, criteria, ())


def values(**found: Decimal | bool | None) -> IndicatorValues:
    return IndicatorValues(FIRM, 2026, {SupplierIndicator(k): v for k, v in found.items()})


def test_admitted_iff_every_required_criterion_is_met() -> None:
    r = rules(
        Criterion(I.WASTE_INTENSITY, Comparator.AT_MOST, Decimal("0.3")),
        Criterion(I.UTILIZATION_RATE, Comparator.AT_LEAST, Decimal("0.6")),
        Criterion(I.WHITELISTED, Comparator.EQUALS, True, required=False),
    )
    verdict = evaluate(
        r,
        values(
            waste_intensity_t_per_10k_cny=Decimal("0.3"),
            utilization_rate=Decimal("0.6"),
            whitelisted=False,
        ),
    )
    assert [x.outcome for x in verdict.results] == [Outcome.MET, Outcome.MET, Outcome.FAILED]
    assert verdict.admitted
    assert verdict.failed == ()
    worse = evaluate(
        r, values(waste_intensity_t_per_10k_cny=Decimal("0.31"), utilization_rate=Decimal(1))
    )
    assert not worse.admitted
    assert [x.criterion.indicator for x in worse.failed] == [I.WASTE_INTENSITY]


def test_an_unknown_value_is_never_met() -> None:
    r = rules(Criterion(I.UTILIZATION_RATE, Comparator.AT_LEAST, Decimal(0)))
    verdict = evaluate(r, values(utilization_rate=None))
    assert verdict.results[0].outcome is Outcome.UNKNOWN
    assert not verdict.admitted
    assert not evaluate(r, values()).admitted
    assert evaluate(rules(), values()).admitted  # no criteria: nothing to fail


def test_counts_compare_exactly() -> None:
    r = rules(Criterion(I.OPEN_ALERTS, Comparator.EQUALS, Decimal(0)))
    assert evaluate(r, values(open_alerts=Decimal(0))).admitted
    assert not evaluate(r, values(open_alerts=Decimal(1))).admitted


MISSING = object()


def crit(indicator: str, comparator: str, threshold: Any = MISSING, **extra: Any) -> dict[str, Any]:
    found = {"indicator": indicator, "comparator": comparator, **extra}
    return found if threshold is MISSING else found | {"threshold": threshold}


@pytest.mark.parametrize(
    ("criterion", "field"),
    [
        (crit("colour", "<=", 1), "indicator"),
        (crit("risk_score", "<", 1), "comparator"),
        (crit("risk_score", "<=", 2), "threshold"),
        (crit("risk_score", "<="), "threshold"),
        (crit("risk_score", "==", 0), "comparator"),
        (crit("open_alerts", "<=", 0.5), "threshold"),
        (crit("open_alerts", "<=", -1), "threshold"),
        (crit("whitelisted", ">=", True), "comparator"),
        (crit("whitelisted", "==", 1), "threshold"),
        (crit("utilization_rate", ">=", "NaN"), "threshold"),
        (crit("utilization_rate", ">=", True), "threshold"),
        (crit("risk_score", "<=", 1, required="y"), "required"),
        (crit("risk_score", "<=", 1, x=1), "x"),
        ("risk_score", ""),
        (crit("risk_score", "<=", "0.5"), "comparator"),
    ],
)
def test_bad_criteria_name_their_field(criterion: Any, field: str) -> None:
    document = {
        "criteria": [{"indicator": "risk_score", "comparator": "<=", "threshold": "0.4"}, criterion]
    }
    with pytest.raises(InvalidInput) as refused:
        rules_from_json(document)
    assert refused.value.field == f"criteria[1].{field}".rstrip(".")


@pytest.mark.parametrize(
    ("clause", "field"),
    [
        ({"key": "A b", "text_zh": "中", "text_en": "en"}, "key"),
        ({"key": "ok", "text_zh": " ", "text_en": "en"}, "text_zh"),
        ({"key": "ok", "text_zh": "中", "text_en": "x" * 2001}, "text_en"),
        ({"key": "ok", "text_zh": "{n}日", "text_en": "en"}, "text_zh"),
        ({"key": "ok", "text_zh": "中", "text_en": "en", "params": []}, "params"),
        ({"key": "ok", "text_zh": "中", "text_en": "en", "params": {"d": [1]}}, "params.d"),
        ({"key": "ok", "text_zh": "中", "text_en": "en", "params": {"Bad": 1}}, "params"),
        ({"key": "ok", "text_en": "en"}, "text_zh"),
    ],
)
def test_bad_clauses_name_their_field(clause: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        rules_from_json({"criteria": [], "clauses": [clause]})
    assert refused.value.field == f"clauses[0].{field}"


def test_repeats_and_the_document_shape_are_refused() -> None:
    same = {"indicator": "risk_score", "comparator": "<=", "threshold": "0.4"}
    with pytest.raises(InvalidInput) as twice:
        rules_from_json({"criteria": [same, same]})
    assert twice.value.field == "criteria[1].comparator"
    clause = {"key": "ok", "text_zh": "中", "text_en": "en"}
    with pytest.raises(InvalidInput) as keys:
        rules_from_json({"criteria": [], "clauses": [clause, clause]})
    assert keys.value.field == "clauses[1].key"
    for document, field in (
        ({}, "criteria"),
        ({"criteria": {}}, "criteria"),
        ({"criteria": [], "year_basis": "last"}, "year_basis"),
        ({"criteria": [], "extra": 1}, "extra"),
    ):
        with pytest.raises(InvalidInput) as refused:
            rules_from_json(document)
        assert refused.value.field == field
    ranged = [
        {"indicator": "risk_score", "comparator": ">=", "threshold": "0.1"},
        {"indicator": "risk_score", "comparator": "<=", "threshold": "0.4"},
    ]
    assert len(rules_from_json({"criteria": ranged})[0]) == 2  # a range is two criteria


def test_clauses_fill_their_parameters_and_the_document_round_trips() -> None:
    clause = Clause(
        "take_back",
        "{days}日内收回，{lab}",
        "Within {days} days, {lab}",
        {"days": 15, "lab": "CMA"},
    )
    assert clause.text("zh") == "15日内收回，CMA"
    assert clause.text("en") == "Within 15 days, CMA"
    stored = AdmissionRules(MASTER, DEFAULT_CRITERIA, DEFAULT_CLAUSES, YearBasis.CURRENT_YEAR)
    criteria, clauses, basis = rules_from_json(rules_to_json(stored))
    assert (criteria, clauses, basis) == (DEFAULT_CRITERIA, DEFAULT_CLAUSES, YearBasis.CURRENT_YEAR)
    assert YearBasis.PREVIOUS_YEAR.year(2027) == 2026
    assert I.UTILIZATION_RATE.direction.value == "higher_is_better"
    assert I.WASTE_INTENSITY.unit == "t/10^4 CNY"


def test_ledger_formulas() -> None:
    inputs = SupplierInputs(
        FIRM,
        2026,
        general_kg=Decimal(3000),
        hazardous_kg=Decimal(1500),
        utilized_kg=Decimal("2996.5"),
        utilized_prior_kg=Decimal(500),
        disposed_kg=Decimal(500),
        output_value_cny=Decimal(50_000_000),
    )
    found = ledger_values(inputs)
    assert found[I.WASTE_INTENSITY] == Decimal("0.000600")
    assert found[I.HAZARDOUS_INTENSITY] == Decimal("0.000300")
    assert found[I.UTILIZATION_RATE] == (Decimal("2996.5") / 5000).quantize(Decimal("0.000001"))
    assert found[I.DISPOSAL_SHARE] == Decimal("0.143000")
    nothing = ledger_values(SupplierInputs(FIRM, 2026))
    assert set(nothing.values()) == {None}
    assert intensity(Decimal(1000), Decimal(0)) is None
    assert intensity(Decimal(1000), None) is None


@pytest.mark.parametrize(
    ("as_of", "basis"),
    [
        (date(2026, 12, 4), YearBasis.CURRENT_YEAR),
        (date(2026, 7, 1), YearBasis.CURRENT_YEAR),
        (date(2026, 6, 30), YearBasis.PREVIOUS_YEAR),
        (date(2027, 1, 15), YearBasis.PREVIOUS_YEAR),
    ],
)
def test_the_demo_reads_the_year_holding_most_of_its_months(as_of: date, basis: YearBasis) -> None:
    assert demo_year_basis(as_of) is basis
