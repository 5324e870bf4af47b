"""Members shared by the signed step documents: strict readers naming the JSON path at fault."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from zerowaste.domain.events import positive_mass
from zerowaste.domain.quantities import parse_decimal, to_kilograms
from zerowaste.errors import InvalidInput, ZeroWasteError

BATCH_URN_PREFIX = "urn:zerowaste:batch:"
#: Members every step document has.
COMMON = {"format", "action", "action_id", "action_time", "note"}
T = TypeVar("T")


def str_member(
    document: Mapping[str, Any], key: str, path: str = "", *, required: bool = True
) -> Any:
    """A string member (None if absent and not required)."""
    value = document.get(key)
    if value is None:
        if required:
            raise InvalidInput("is required", field=f"{path}{key}")
        return None
    if not isinstance(value, str):
        raise InvalidInput("must be a string", field=f"{path}{key}")
    return value


def parsed(text: str, parse: Callable[[str], T], field: str, what: str) -> T:
    """`parse(text)`, or `InvalidInput` saying what `text` should be."""
    try:
        return parse(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not {what}", field=field) from None


def uuid_member(document: Mapping[str, Any], key: str, path: str = "") -> uuid.UUID:
    """A UUID member."""
    return parsed(str_member(document, key, path), uuid.UUID, f"{path}{key}", "a UUID")


def optional_uuid(document: Mapping[str, Any], key: str) -> uuid.UUID | None:
    """A UUID member, or None if absent."""
    text = str_member(document, key, required=False)
    return None if text is None else parsed(text, uuid.UUID, key, "a UUID")


def action_time(document: Mapping[str, Any]) -> datetime:
    """The document's `action_time`, with its offset."""
    at = parsed(
        str_member(document, "action_time"), datetime.fromisoformat, "action_time", "a time"
    )
    if at.tzinfo is None:
        raise InvalidInput("needs a time zone offset (RFC 3339)", field="action_time")
    return at


def day(document: Mapping[str, Any], key: str) -> date:
    """A `YYYY-MM-DD` member."""
    return parsed(str_member(document, key), date.fromisoformat, key, "a date (YYYY-MM-DD)")


def mass_kg(line: Mapping[str, Any], path: str) -> Decimal:
    """The `quantity` and `unit` members as a plausible positive mass in kilograms."""
    amount = parse_decimal(str_member(line, "quantity", path), field=f"{path}quantity")
    kilograms = to_kilograms(amount, str_member(line, "unit", path), field=f"{path}unit")
    return positive_mass(kilograms, field=f"{path}quantity")


def batch_member(line: Mapping[str, Any], path: str) -> uuid.UUID:
    """A `batch` member: a batch URN."""
    text = str_member(line, "batch", path)
    if not text.startswith(BATCH_URN_PREFIX):
        raise InvalidInput(f"must start with {BATCH_URN_PREFIX}", field=f"{path}batch")
    return parsed(text.removeprefix(BATCH_URN_PREFIX), uuid.UUID, f"{path}batch", "a batch URN")


def objects(document: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    """A member holding a list of objects."""
    value = document.get(key)
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise InvalidInput("must be a list of objects", field=key)
    return value


def only(document: Mapping[str, Any], allowed: set[str], path: str = "") -> None:
    """Refuse members outside `allowed`, naming the first stray one."""
    if stray := sorted(set(document) - allowed):
        raise InvalidInput(f"unknown field(s) {', '.join(stray)}", field=f"{path}{stray[0]}")


def with_path(path: str, build: Callable[[], T]) -> T:
    """Run `build`, prefixing the field of any error it raises with `path`."""
    try:
        return build()
    except ZeroWasteError as exc:
        inner = exc.field or ""
        raise type(exc)(exc.detail, field=f"{path}{inner}".rstrip(".")) from exc


def quantity(mass_kg: Decimal) -> dict[str, str]:
    """A mass as `{quantity, unit: KGM}`."""
    return {"quantity": format(mass_kg, "f"), "unit": "KGM"}
