"""RFC 8785 JSON Canonicalization Scheme (JCS) bytes of event documents."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import rfc8785

from zerowaste.errors import InvalidInput

#: Integers up to this magnitude are exact in the IEEE 754 doubles JSON numbers are.
MAX_SAFE_INTEGER = 2**53 - 1

#: How deep documents may nest; deeper ones are refused rather than recursed into.
MAX_DEPTH = 64


def canonical_json(document: Any) -> bytes:
    """Return the RFC 8785 canonical UTF-8 bytes of a JSON value.

    Members are sorted by their UTF-16 code units, no whitespace is emitted, strings use the
    minimal JSON escapes and numbers the ECMAScript shortest round-trip form (`1e+21`, `0.000001`,
    `-0` becomes `0`). Masses and other exact quantities must travel as decimal *strings*
    (`"1234.500"`), never as JSON numbers: a number is a binary double and would round.

    Args:
        document: A JSON value built from dicts with string keys, lists or tuples, strings,
            booleans, None, integers and finite floats. An integer beyond 2**53 - 1 is
            accepted only if the canonical text of the nearest double spells it exactly (as
            `1152921504606847000` or `1e+30` do), so that nothing is silently rounded.

    Returns:
        The canonical bytes, the exact input of signatures and leaf hashes.

    Raises:
        InvalidInput: A value is not representable in JCS (NaN or an infinity, an integer a
            double would round, a non-string key, an unpaired surrogate, another Python type);
            `field` names its JSON path, e.g. `$.lines[2].mass`.
    """
    fast = _fast_canonical(document)
    if fast is not None:
        return fast
    if _check(document, "$", 0):
        document = _exact_floats(document)
    try:
        return rfc8785.dumps(document)
    except (rfc8785.CanonicalizationError, UnicodeEncodeError) as exc:  # pragma: no cover
        raise InvalidInput(f"not canonicalizable: {exc}", field="$") from exc


def canonical_sha256(document: Any) -> bytes:
    """Return SHA-256 of the canonical bytes: equal digests mean equal documents.

    Args:
        document: A JSON value accepted by `canonical_json`.

    Returns:
        The 32-byte digest.
    """
    return hashlib.sha256(canonical_json(document)).digest()


def _check(value: Any, path: str, depth: int) -> bool:
    """Raise `InvalidInput` at the first thing JCS cannot encode; True if a big int is exact."""
    if depth > MAX_DEPTH:
        raise InvalidInput(f"nested deeper than {MAX_DEPTH} levels", field=path)
    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, str):
        _check_text(value, path)
        return False
    if isinstance(value, int):
        if abs(value) <= MAX_SAFE_INTEGER:
            return False
        if _spelled_exactly(value):
            return True
        raise InvalidInput(f"integer {value} would round; send it as a decimal string", field=path)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidInput(f"{value} is not a finite number", field=path)
        return False
    if isinstance(value, Mapping):
        found = False
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidInput(f"object key {key!r} is not a string", field=path)
            _check_text(key, path)
            found = _check(item, f"{path}.{key}", depth + 1) or found
        return found
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        found = False
        for position, item in enumerate(value):
            found = _check(item, f"{path}[{position}]", depth + 1) or found
        return found
    raise InvalidInput(f"{type(value).__name__} is not a JSON type", field=path)


#: The standard library's C encoder, set to JCS's separators and minimal escapes.
_ENCODER = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":")
)


def _plain(document: Any) -> bool:
    """True if `document` is plain: the JSON the platform makes, at most `MAX_DEPTH` deep.

    Plain means dicts with string keys, lists and tuples, strings, bools, None and integers
    within +-(2**53 - 1).
    """
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack:
        value, depth = stack.pop()
        kind = type(value)
        if kind is str or value is None or kind is bool:
            continue
        if kind is int:
            if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
                continue
            return False
        if depth >= MAX_DEPTH:
            return False
        if kind is dict:
            for key, item in value.items():
                if type(key) is not str:
                    return False
                stack.append((item, depth + 1))
        elif kind is list or kind is tuple:
            stack.extend((item, depth + 1) for item in value)
        else:
            return False
    return True


def _fast_canonical(document: Any) -> bytes | None:
    r"""JCS bytes of a plain document by the C JSON encoder, or None to take the full path.

    Over plain documents (see `_plain`) the two agree: `json` escapes exactly `"`, `\` and
    the controls below U+0020 (`\b \t \n \f \r`, else `\u00xx` in lower case)
    as RFC 8785 section 3.2.2.2 does, writes integers in plain decimal like ECMAScript for
    |n| <= 2**53 - 1, and sorts keys by code point, which is UTF-16 code unit order
    (RFC 8785 section 3.2.3) whenever no character lies beyond U+FFFF. Output holding such a
    character, or a lone surrogate (no UTF-8 form), goes the full way. Floats always do.
    `tests/unit/test_canonical_fast.py` checks the byte equality with `rfc8785` by property.
    """
    if not _plain(document):
        return None
    text = _ENCODER.encode(document)
    if not text.isascii() and max(text) > "\uffff":
        return None
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return None


def _spelled_exactly(value: int) -> bool:
    """True if the canonical text of the double nearest `value` denotes `value` exactly."""
    if abs(value) >= 2**1024:
        return False
    return Decimal(rfc8785.dumps(float(value)).decode()) == value


def _exact_floats(value: Any) -> Any:
    """Copy a checked value, turning integers beyond 2**53 - 1 into the doubles equal to them."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SAFE_INTEGER:
        return float(value)
    if isinstance(value, Mapping):
        return {key: _exact_floats(item) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str | bytes | bytearray):
        return [_exact_floats(item) for item in value]
    return value


def _check_text(text: str, path: str) -> None:
    """Refuse strings that are not valid Unicode (unpaired surrogates cannot be UTF-8)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput("string holds an unpaired surrogate", field=path) from None
