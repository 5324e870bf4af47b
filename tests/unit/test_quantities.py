"""Property tests for exact quantities: decimals survive text, units convert without loss."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zerowaste.domain.quantities import MASS_UNITS_KG, non_negative, parse_decimal, to_kilograms
from zerowaste.errors import InvalidQuantity

finite = st.decimals(
    allow_nan=False, allow_infinity=False, places=6, min_value=-(10**12), max_value=10**12
)


@given(finite)
def test_decimal_text_round_trip(value: Decimal) -> None:
    assert parse_decimal(str(value), field="q") == value


@given(finite, st.sampled_from(sorted(MASS_UNITS_KG)))
def test_unit_conversion_is_exact_and_reversible(value: Decimal, unit: str) -> None:
    kilograms = to_kilograms(value, unit)
    assert kilograms / MASS_UNITS_KG[unit] == value


@given(finite)
def test_non_negative_accepts_exactly_the_non_negative(value: Decimal) -> None:
    if value >= 0:
        assert non_negative(value, field="q") == value
    else:
        with pytest.raises(InvalidQuantity):
            non_negative(value, field="q")


@pytest.mark.parametrize("text", ["inf", "-Infinity", "NaN", "sNaN", "", "1,5", "0x10"])
def test_non_numbers_are_refused_naming_the_field(text: str) -> None:
    with pytest.raises(InvalidQuantity) as info:
        parse_decimal(text, field="annual_capacity_t")
    assert info.value.field == "annual_capacity_t"
