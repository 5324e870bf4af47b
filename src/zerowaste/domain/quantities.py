"""Quantities as decimals; masses normalized to kilograms, never floats."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from zerowaste.errors import InvalidQuantity

#: UN/CEFACT Recommendation 20 common codes for the mass units accepted, in kilograms.
#: Decimal exponents beyond this (1E+31, 1E-31) are refused: no quantity here is that large or
#: small, and arithmetic on them would overflow the decimal context.
MAX_MAGNITUDE = 30
MASS_UNITS_KG = {"KGM": Decimal(1), "TNE": Decimal(1000), "GRM": Decimal("0.001")}


def parse_decimal(value: str | int | Decimal, *, field: str) -> Decimal:
    """Parse a decimal string, refusing floats' artefacts, NaN and infinities."""
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise InvalidQuantity(f"{value!r} is not a decimal number", field=field) from exc
    if not number.is_finite():
        raise InvalidQuantity(f"{value!r} is not a finite number", field=field)
    if number and abs(number.adjusted()) > MAX_MAGNITUDE:
        raise InvalidQuantity(f"{value!r} is out of range", field=field)
    return number


def non_negative(value: Decimal, *, field: str, maximum: Decimal | None = None) -> Decimal:
    """Return `value` if it is >= 0 (and <= `maximum`), else raise `InvalidQuantity`."""
    if value < 0:
        raise InvalidQuantity(f"must not be negative, got {value}", field=field)
    if maximum is not None and value > maximum:
        raise InvalidQuantity(f"{value} exceeds the plausible maximum {maximum}", field=field)
    return value


def to_kilograms(amount: Decimal, unit: str, *, field: str = "unit") -> Decimal:
    """Convert a mass in a UN/CEFACT unit to kilograms."""
    try:
        factor = MASS_UNITS_KG[unit]
    except KeyError:
        raise InvalidQuantity(
            f"unknown mass unit {unit!r}; use one of {', '.join(MASS_UNITS_KG)}", field=field
        ) from None
    return amount * factor
