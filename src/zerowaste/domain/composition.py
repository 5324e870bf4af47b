"""Lab composition of a batch: component mass fractions with method, lab and sample date."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from zerowaste.errors import InvalidInput

#: Merged fractions keep nine decimals, rounded down so a merged sum never exceeds one.
FRACTION_STEP = Decimal("0.000000001")
#: The method recorded on a composition derived by a merge (not measured by a lab).
MERGED_METHOD = "mass-weighted merge"
MAX_COMPONENTS = 100
MAX_NAME_LENGTH = 64
_KNOWN = {"fractions", "method", "lab", "sampled_on"}


@dataclass(frozen=True, slots=True)
class Composition:
    """Component → mass fraction (0..1, summing to at most 1) as a lab measured it.

    Attributes:
        fractions: (component, fraction) pairs sorted by component.
        method: The analysis method or standard, e.g. `XRF, GB/T 6730.62`.
        lab: The laboratory that measured it.
        sampled_on: The day the sample was taken.
    """

    fractions: tuple[tuple[str, Decimal], ...]
    method: str
    lab: str
    sampled_on: date

    def __post_init__(self) -> None:
        check_fractions(self.fractions, "composition.fractions")

    def fraction(self, component: str) -> Decimal | None:
        """The fraction of one component, or None if the lab did not report it."""
        return dict(self.fractions).get(component)

    def document(self) -> dict[str, Any]:
        """The JSON form used in `zerowaste.event/1` documents and the batch projection."""
        return {
            "fractions": {name: format(value, "f") for name, value in self.fractions},
            "method": self.method,
            "lab": self.lab,
            "sampled_on": self.sampled_on.isoformat(),
        }

    def to_json(self) -> str:
        """The composition as compact JSON text (the stored projection column)."""
        return json.dumps(self.document(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> Composition | None:
        """Read what `to_json` wrote (None stays None)."""
        return None if not text else parse_composition(json.loads(text), "composition")


def check_fractions(fractions: Iterable[tuple[str, Decimal]], field: str) -> None:
    """Raise `InvalidInput` unless every fraction is in 0..1 and they sum to at most 1."""
    total = Decimal(0)
    count = 0
    for name, value in fractions:
        count += 1
        if not name.strip() or len(name) > MAX_NAME_LENGTH:
            raise InvalidInput(f"component names are 1-{MAX_NAME_LENGTH} characters", field=field)
        if not value.is_finite() or value < 0 or value > 1:
            detail = f"{value} is not a fraction between 0 and 1"
            raise InvalidInput(detail, field=f"{field}.{name}")
        total += value
    if count == 0:
        raise InvalidInput("name at least one component", field=field)
    if count > MAX_COMPONENTS:
        raise InvalidInput(f"at most {MAX_COMPONENTS} components", field=field)
    if total > 1:
        raise InvalidInput(f"fractions sum to {total}, more than 1", field=field)


def _text(document: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> str:
    value = document.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise InvalidInput("must be a non-empty string", field=f"{path}.{key}")
    if len(value) > 200:
        raise InvalidInput("at most 200 characters", field=f"{path}.{key}")
    return value


def _fraction(raw: Any, field: str) -> Decimal:
    if not isinstance(raw, str):
        raise InvalidInput('a fraction is a decimal string such as "0.25"', field=field)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise InvalidInput(f"{raw!r} is not a decimal number", field=field) from None
    if not value.is_finite() or value < 0 or value > 1:
        raise InvalidInput(f"{raw} is not a fraction between 0 and 1", field=field)
    return value


def parse_composition(document: Any, path: str) -> Composition:
    """Parse the JSON form of a composition; errors name the path, e.g. `….fractions.Fe`.

    Args:
        document: `{"fractions": {"Fe": "0.62", …}, "method": …, "lab": …, "sampled_on":
            "YYYY-MM-DD"}`.
        path: The JSON path of the composition, prefixed to the field of any error.
    """
    if not isinstance(document, Mapping):
        raise InvalidInput("must be an object with fractions, method, lab, sampled_on", field=path)
    if stray := sorted(set(document) - _KNOWN):
        raise InvalidInput(f"unknown field(s) {', '.join(stray)}", field=f"{path}.{stray[0]}")
    raw = document.get("fractions")
    if not isinstance(raw, Mapping):
        raise InvalidInput("must map components to fractions", field=f"{path}.fractions")
    where = f"{path}.fractions"
    fractions = tuple(sorted((str(k), _fraction(v, f"{where}.{k}")) for k, v in raw.items()))
    check_fractions(fractions, f"{path}.fractions")
    sampled = _text(document, "sampled_on", path)
    try:
        sampled_on = date.fromisoformat(sampled)
    except ValueError:
        detail = f"{sampled!r} is not a date YYYY-MM-DD"
        raise InvalidInput(detail, field=f"{path}.sampled_on") from None
    return Composition(
        fractions=fractions,
        method=_text(document, "method", path),
        lab=_text(document, "lab", path, required=False),
        sampled_on=sampled_on,
    )


def merged(parts: Iterable[tuple[Composition | None, Decimal]]) -> Composition | None:
    """The mass-weighted average composition of batches joined into one.

    Only components every part reports are kept (a component one lab did not measure is
    unknown in the mix); a part without composition makes the mix unknown (None).

    Args:
        parts: (composition, mass drawn in kg) of each input.
    """
    items = list(parts)
    if not items or any(c is None for c, _ in items):
        return None
    if len({c for c, _ in items}) == 1:  # one batch, or parts of one lab result: unchanged
        return items[0][0]
    known = [(c, m) for c, m in items if c is not None]
    total = sum((m for _, m in known), Decimal(0))
    common = set.intersection(*(set(dict(c.fractions)) for c, _ in known))
    if not common or not total:
        return None
    fractions = tuple(
        (
            name,
            (sum((dict(c.fractions)[name] * m for c, m in known), Decimal(0)) / total).quantize(
                FRACTION_STEP, rounding=ROUND_DOWN
            )
            + 0,
        )
        for name in sorted(common)
    )
    labs = sorted({c.lab for c, _ in known if c.lab})
    return Composition(
        fractions=fractions,
        method=MERGED_METHOD,
        lab=", ".join(labs),
        sampled_on=min(c.sampled_on for c, _ in known),
    )
