"""Headline figures on pages: significant digits, half up, exact values kept for the title."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zerowaste.web.templating import format_figure


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("0.195265", "0.1953"),
        ("95.752466", "95.75"),
        ("310151.507501", "310,152"),
        ("0.003813", "0.003813"),
        ("1234.5", "1,235"),
        ("20.000000", "20"),
        ("0.000000", "0"),
        ("-0.125", "-0.125"),
    ],
)
def test_a_figure_keeps_four_significant_digits(value: str, shown: str) -> None:
    assert format_figure(Decimal(value)) == shown


def test_floats_and_ints_are_figures_too() -> None:
    assert format_figure(2.0 / 3.0) == "0.6667"
    assert format_figure(12) == "12"
