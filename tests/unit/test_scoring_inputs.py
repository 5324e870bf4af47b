"""Parsing criteria and expert weights, and the chain aggregates, by hand."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from zerowaste.adapters.db.supplier_indicator_inputs import SupplierInputs
from zerowaste.errors import InvalidInput
from zerowaste.errors.indicators import UnknownIndicator
from zerowaste.services.scoring import (
    DEFAULT_CRITERIA,
    SupplierIndicatorCriteria,
    aggregate,
    parse_criteria,
    parse_weights,
)

KNOWN = [c.criterion_id for c in SupplierIndicatorCriteria().available()]


def test_criteria() -> None:
    assert parse_criteria(None, KNOWN) == DEFAULT_CRITERIA
    assert parse_criteria(" , ", KNOWN) == DEFAULT_CRITERIA
    assert parse_criteria("utilization_rate, risk_score", KNOWN) == (
        "utilization_rate",
        "risk_score",
    )
    with pytest.raises(UnknownIndicator) as caught:
        parse_criteria("utilization_rate,bogus", KNOWN)
    assert caught.value.field == "criteria"
    with pytest.raises(InvalidInput, match="twice"):
        parse_criteria(["risk_score", "risk_score"], KNOWN)


def test_directions_of_the_supplier_indicators() -> None:
    benefit = {c.criterion_id: c.benefit for c in SupplierIndicatorCriteria().available()}
    assert benefit["utilization_rate"] is True
    assert benefit["whitelisted"] is True
    assert benefit["waste_intensity_t_per_10k_cny"] is False
    assert benefit["risk_score"] is False


def test_weights() -> None:
    assert parse_weights(None) is None
    assert parse_weights("  ") is None
    assert parse_weights("a:2, b:0.5") == {"a": 2.0, "b": 0.5}
    for bad in ("a", "a:", ":1", "a:x", "a:0", "a:-1", "a:nan", "a:inf", "a:1,a:2"):
        with pytest.raises(InvalidInput) as caught:
            parse_weights(bad)
        assert caught.value.field == "weights", bad


def test_aggregates_are_mass_weighted() -> None:
    """Two firms' totals, by hand.

    One: 10 t general (8 utilized, 2 disposed, 5,000 × 10^4 CNY). Two: 2 t hazardous and
    2 t general (3 t utilized, 1 t of it last year's stock; 1 disposed; no output value).

    Utilization (8 + 3) / (14 + 1) = 0.733333; disposal 3 / 14 = 0.214286;
    intensity of the firm with output value 10 / 5000 = 0.002, hazardous 0 / 5000 = 0.
    """
    one = SupplierInputs(
        uuid.uuid4(),
        2026,
        general_kg=Decimal(10_000),
        utilized_kg=Decimal(8_000),
        disposed_kg=Decimal(2_000),
        output_value_cny=Decimal(50_000_000),
    )
    two = SupplierInputs(
        uuid.uuid4(),
        2026,
        general_kg=Decimal(2_000),
        hazardous_kg=Decimal(2_000),
        utilized_kg=Decimal(3_000),
        utilized_prior_kg=Decimal(1_000),
        disposed_kg=Decimal(1_000),
    )
    a = aggregate([one, two])
    assert (a.members, a.with_output_value) == (2, 1)
    assert a.generated_t == Decimal(14)
    assert a.utilization_rate == Decimal("0.733333")
    assert a.disposal_share == Decimal("0.214286")
    assert a.waste_intensity == Decimal("0.002")
    assert a.hazardous_intensity == Decimal(0)
    empty = aggregate([])
    assert empty.utilization_rate is None
    assert empty.waste_intensity is None
