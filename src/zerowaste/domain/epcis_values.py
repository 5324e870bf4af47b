"""EPCIS 2.0 value types for the Pydantic models: URIs, times, numbers, vocabulary terms.

Each type keeps the value exactly as sent (the models only validate; the stored event is the
document itself), and its error message says what was expected.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator

from zerowaste.domain import cbv

#: The longest URI stored, in UTF-8 bytes (identifiers are indexed; PostgreSQL caps b-tree keys).
MAX_URI_LENGTH = 2000
#: A URI: a scheme, a colon, then no whitespace or characters RFC 3986 never allows.
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
#: RFC 3339 date-time with a mandatory offset (EPCIS 2.0 times are xsd:dateTimeStamp).
RFC3339 = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", flags=re.IGNORECASE
)
TIME_ZONE_OFFSET = re.compile(r"^[+-]((0\d|1[0-3]):[0-5]\d|14:00)$")
UOM = re.compile(r"^[A-Z0-9]{2,3}$")
VERSION = re.compile(r"^\d+(\.\d+)*$")
HEX = re.compile(r"^[A-Fa-f0-9]+$")


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a string")
    return value


def _fits(text: str) -> bool:
    return (
        len(text) <= MAX_URI_LENGTH and len(text.encode("utf-8", "surrogatepass")) <= MAX_URI_LENGTH
    )


def is_uri(value: Any) -> bool:
    """Whether `value` is a string with the shape of an absolute URI (or compact IRI)."""
    return isinstance(value, str) and _fits(value) and bool(URI.match(value))


def check_uri(value: Any) -> str:
    """Return `value` if it is a URI, else raise `ValueError`."""
    text = _string(value)
    if not _fits(text):
        raise ValueError(f"must be at most {MAX_URI_LENGTH} bytes in UTF-8")
    if not URI.match(text):
        raise ValueError("must be a URI (scheme:...)")
    return text


def parse_time(value: str) -> datetime:
    """Parse an RFC 3339 time with offset (`Z` or `±HH:MM`) to an aware datetime.

    Raises:
        ValueError: The text is not such a time or names an impossible date.
    """
    if not RFC3339.match(value):
        raise ValueError("must be an RFC 3339 date-time with an offset")
    try:
        moment = datetime.fromisoformat(value.upper())
        moment.astimezone(UTC)
    except ValueError as exc:
        raise ValueError(f"not a real date-time: {exc}") from None
    except OverflowError:
        raise ValueError("outside the years 1 to 9999 once in UTC") from None
    return moment


def _time(value: Any) -> str:
    text = _string(value)
    parse_time(text)
    return text


def _number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a JSON number")
    return value


def _pattern(pattern: re.Pattern[str], what: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        text = _string(value)
        if not pattern.match(text):
            raise ValueError(f"must be {what}")
        return text

    return check


def _term(words: frozenset[str], reserved: re.Pattern[str], what: str) -> Callable[[Any], str]:
    """A vocabulary value: one of the bare words, or a URI outside the reserved namespace."""

    def check(value: Any) -> str:
        text = _string(value)
        if text in words:
            return text
        if is_uri(text) and not reserved.match(text):
            return text
        if is_uri(text):
            raise ValueError(f"{what} in a reserved GS1 namespace must be written as a bare word")
        raise ValueError(f"must be a standard {what} or a URI of your own vocabulary")

    return check


def _unique(value: list[str]) -> list[str]:
    if len(set(value)) < len(value):
        raise ValueError("must not repeat an identifier")
    return value


Uri = Annotated[str, BeforeValidator(check_uri)]
Time = Annotated[str, BeforeValidator(_time)]
Number = Annotated[int | float, BeforeValidator(_number)]
Text = Annotated[str, BeforeValidator(_string)]
Offset = Annotated[str, BeforeValidator(_pattern(TIME_ZONE_OFFSET, "±HH:MM within ±14:00"))]
Uom = Annotated[str, BeforeValidator(_pattern(UOM, "a UN/CEFACT Rec 20 code (2-3 A-Z0-9)"))]
Version = Annotated[str, BeforeValidator(_pattern(VERSION, "a version such as 2.0"))]
HexBinary = Annotated[str, BeforeValidator(_pattern(HEX, "hexadecimal digits"))]
UniqueUris = Annotated[list[Uri], AfterValidator(_unique)]
BizStep = Annotated[str, BeforeValidator(_term(cbv.BIZ_STEPS, cbv.RESERVED_CBV, "business step"))]
Disposition = Annotated[
    str, BeforeValidator(_term(cbv.DISPOSITIONS, cbv.RESERVED_CBV, "disposition"))
]
BizTransactionType = Annotated[
    str,
    BeforeValidator(
        _term(cbv.BIZ_TRANSACTION_TYPES, cbv.RESERVED_CBV, "business transaction type")
    ),
]
SourceDestinationType = Annotated[
    str,
    BeforeValidator(
        _term(cbv.SOURCE_DESTINATION_TYPES, cbv.RESERVED_CBV, "source/destination type")
    ),
]
ErrorReason = Annotated[
    str, BeforeValidator(_term(cbv.ERROR_REASONS, cbv.RESERVED_CBV, "error reason"))
]
MeasurementType = Annotated[
    str,
    BeforeValidator(_term(cbv.MEASUREMENT_TYPES, cbv.RESERVED_GS1_VOC, "measurement type")),
]
SensorAlertType = Annotated[
    str,
    BeforeValidator(_term(cbv.SENSOR_ALERT_TYPES, cbv.RESERVED_GS1_VOC, "sensor alert type")),
]
Component = Annotated[str, BeforeValidator(_term(cbv.COMPONENTS, cbv.RESERVED_CBV, "component"))]
