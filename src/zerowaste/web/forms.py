"""Submitted form values, their parsing into domain types, and errors shown next to fields."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from zerowaste.domain.quantities import parse_decimal
from zerowaste.errors import InvalidInput, ZeroWasteError
from zerowaste.web.i18n import Translator
from zerowaste.web.messages import MESSAGES

E = TypeVar("E", bound=StrEnum)

#: Longest text accepted in one form field (names, addresses, lists of codes).
MAX_FIELD_LENGTH = 2000
_LIST_SEPARATORS = re.compile(r"[\s,;，、；]+")
_INDEX_SUFFIX = re.compile(r"\[\d+\]$")
#: Conditions whose translated message says everything; the domain's detail is left out.
_SELF_EXPLAINED = frozenset({"master-key-missing"})


class FieldError(InvalidInput):
    """A form value the web layer could not read; carries a message key of the catalog.

    Args:
        key: The message id, such as `form.bad_date`.
        field: The form field it concerns.
        **values: Values for the message's placeholders.
    """

    def __init__(self, key: str, field: str, **values: object) -> None:
        super().__init__(MESSAGES["en"][key].format(**values), field=field)
        self.key = key
        self.values = values


def problem_text(exc: ZeroWasteError, t: Translator) -> str:
    """Return the message shown for an error: translated where the web layer knows it.

    The web layer's own parsing errors are translated whole; a domain error gets the translated
    name of its condition followed by the domain's (English) detail.

    Args:
        exc: The error raised while handling the form.
        t: The translator of the page language.
    """
    if isinstance(exc, FieldError):
        return t(exc.key, **exc.values)
    key = f"problem.{exc.type_slug}"
    if key not in MESSAGES["en"]:
        key = f"error.{exc.status}" if f"error.{exc.status}" in MESSAGES["en"] else "error.other"
    if not exc.detail or exc.type_slug in _SELF_EXPLAINED:
        return t(key)
    return f"{t(key)}: {exc.detail}"


def field_of(exc: ZeroWasteError) -> str | None:
    """Return the form field an error names, without a list index (`waste_codes[2]`)."""
    return _INDEX_SUFFIX.sub("", exc.field) if exc.field else None


class Form:
    """One form's values (as submitted or prefilled) and its errors, for a template.

    Args:
        fields: The names of the form's fields; errors naming others go to the form's alert.
        values: The values by field name (a list for checkboxes and multiple selects).
        aliases: Domain field names that are shown on another field of this form.
    """

    def __init__(
        self,
        fields: Iterable[str],
        values: Mapping[str, str | Iterable[str] | None] | None = None,
        aliases: Mapping[str, str] | None = None,
    ) -> None:
        self.fields = frozenset(fields)
        self.aliases = dict(aliases or {})
        self.values: dict[str, list[str]] = {}
        for name, value in (values or {}).items():
            if value is None:
                self.values[name] = []
            elif isinstance(value, str):
                self.values[name] = [value]
            else:
                self.values[name] = [str(v) for v in value]
        self.errors: dict[str, str] = {}
        self.alert = ""

    @classmethod
    def submitted(
        cls,
        fields: Iterable[str],
        data: Iterable[tuple[str, str]],
        aliases: Mapping[str, str] | None = None,
    ) -> Form:
        """Return the form holding the submitted name-value pairs (files are ignored).

        Args:
            fields: The names of the form's fields.
            data: The submitted pairs, as `FormData.multi_items()` gives them.
            aliases: Domain field names shown on another field.
        """
        form = cls(fields, aliases=aliases)
        for name, value in data:
            if isinstance(value, str):
                form.values.setdefault(name, []).append(value)
        return form

    def value(self, name: str) -> str:
        """Return the field's (first) value, or an empty string."""
        found = self.values.get(name)
        return found[0] if found else ""

    def all(self, name: str) -> list[str]:
        """Return every value of a field (checkboxes, multiple selects)."""
        return list(self.values.get(name, []))

    def selected(self, name: str, option: str) -> bool:
        """Return whether `option` is among the field's values."""
        return option in self.values.get(name, [])

    def error(self, name: str) -> str:
        """Return the error shown next to the field, or an empty string."""
        return self.errors.get(name, "")

    def fail(self, exc: ZeroWasteError, t: Translator) -> None:
        """Record `exc` next to the field it names, or as the form's alert.

        Args:
            exc: The error raised while parsing or storing the form.
            t: The translator of the page language.
        """
        message = problem_text(exc, t)
        named = field_of(exc)
        target = self.aliases.get(named, named) if named else None
        if target and target in self.fields:
            self.errors[target] = message
        else:
            self.alert = f"{named}: {message}" if named else message

    # Parsing: each reader names its field in the error it raises.

    def text(self, name: str, *, required: bool = False, max_length: int = 200) -> str:
        """Return the trimmed text of a field.

        Raises:
            FieldError: If it is required and empty, or longer than `max_length`.
        """
        text = self.value(name).strip()
        if required and not text:
            raise FieldError("form.required", name)
        if len(text) > max_length:
            raise FieldError("form.too_long", name, limit=max_length)
        return text

    def optional_text(self, name: str, *, max_length: int = 200) -> str | None:
        """Return the trimmed text of a field, or None when it is empty."""
        return self.text(name, max_length=max_length) or None

    def decimal(self, name: str) -> Decimal:
        """Return a required decimal number (a comma may group thousands)."""
        raw = self.text(name, required=True, max_length=40).replace(",", "").replace("，", "")
        return parse_decimal(raw, field=name)

    def number(self, name: str) -> float:
        """Return a required floating-point number (coordinates)."""
        raw = self.text(name, required=True, max_length=40)
        try:
            value = float(raw)
        except ValueError:
            raise FieldError("form.bad_number", name) from None
        if value != value or value in (float("inf"), float("-inf")):
            raise FieldError("form.bad_number", name)
        return value

    def integer(self, name: str) -> int:
        """Return a required whole number."""
        raw = self.text(name, required=True, max_length=20)
        if not re.fullmatch(r"-?\d+", raw):
            raise FieldError("form.bad_integer", name)
        return int(raw)

    def day(self, name: str) -> date:
        """Return a required date written `YYYY-MM-DD`."""
        raw = self.text(name, required=True, max_length=20)
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise FieldError("form.bad_date", name) from None

    def choice(self, name: str, enum: type[E]) -> E:
        """Return a required member of `enum` chosen by its value."""
        raw = self.text(name, required=True, max_length=60)
        try:
            return enum(raw)
        except ValueError:
            raise FieldError("form.bad_choice", name) from None

    def choices(self, name: str, enum: type[E]) -> frozenset[E]:
        """Return the members of `enum` ticked in a group of checkboxes (possibly none)."""
        chosen = set()
        for raw in self.all(name):
            try:
                chosen.add(enum(raw.strip()))
            except ValueError:
                raise FieldError("form.bad_choice", name) from None
        return frozenset(chosen)

    def identifier(self, name: str) -> uuid.UUID | None:
        """Return the id chosen in a select, or None when the empty option is chosen."""
        raw = self.text(name, max_length=60)
        if not raw:
            return None
        try:
            return uuid.UUID(raw)
        except ValueError:
            raise FieldError("form.bad_choice", name) from None

    def codes(self, name: str) -> tuple[str, ...]:
        """Return the codes of a field, separated by commas, semicolons, spaces or newlines."""
        raw = self.text(name, max_length=MAX_FIELD_LENGTH)
        return tuple(c.upper() for c in _LIST_SEPARATORS.split(raw) if c)
