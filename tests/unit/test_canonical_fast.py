"""The C-encoder fast path of canonical JSON gives the bytes of `rfc8785`, or steps aside."""

from __future__ import annotations

import uuid
from typing import Any

import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from zerowaste.ledger.canonical import MAX_SAFE_INTEGER, _fast_canonical, canonical_json

#: Any text, including controls, escapes, lone surrogates and characters beyond U+FFFF.
TEXT = st.text(st.characters(codec=None), max_size=12)
#: Text biased to where the two encoders could part: controls, quotes, U+E000-U+FFFF, astral.
TRICKY = st.text(
    st.sampled_from(
        [
            "\x00",
            "\x1f",
            "\x7f",
            '"',
            "\\",
            "/",
            "\b",
            "\t",
            "\n",
            "\f",
            "\r",
            "\u2028",
            "\ue000",
            "\uffff",
            "\U0001f600",
            "\ud800",
            "a",
            "Z",
            "é",
            "中",
        ]
    ),
    max_size=6,
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**60), max_value=2**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT
    | TRICKY
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT | TRICKY, inner, max_size=5),
    max_leaves=30,
)


def _reference(document: Any) -> bytes | None:
    try:
        return rfc8785.dumps(document)
    except (rfc8785.CanonicalizationError, UnicodeEncodeError):
        return None


@settings(max_examples=1500, deadline=None)
@given(DOCUMENTS)
def test_fast_path_is_byte_equal_to_rfc8785_whenever_it_answers(document: Any) -> None:
    fast = _fast_canonical(document)
    if fast is not None:
        assert fast == _reference(document)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(TEXT | TRICKY, TEXT | TRICKY | st.integers(-100, 100), max_size=8))
def test_plain_documents_without_astral_or_surrogates_take_the_fast_path(
    document: dict[str, Any],
) -> None:
    text = "".join(f"{k}{v}" for k, v in document.items())
    if any(0xD800 <= ord(c) <= 0xDFFF or ord(c) > 0xFFFF for c in text):
        return
    assert _fast_canonical(document) == rfc8785.dumps(document)


def test_event_documents_take_the_fast_path() -> None:
    event = {
        "format": "zerowaste.event/1",
        "event_id": str(uuid.uuid4()),
        "event_type": "transformed",
        "event_time": "2026-06-01T00:00:00+00:00",
        "outputs": [{"batch": "urn:zerowaste:batch:x", "quantity": "520", "description": "再生油"}],
        "declared_loss": {"quantity": "30", "unit": "KGM"},
    }
    assert _fast_canonical(event) == rfc8785.dumps(event) == canonical_json(event)


def test_what_the_fast_path_leaves_to_the_full_one() -> None:
    assert _fast_canonical({"n": 1.5}) is None
    assert _fast_canonical({"n": MAX_SAFE_INTEGER + 1}) is None
    assert _fast_canonical({1: "x"}) is None
    assert _fast_canonical({"\U0001f600": 1, "\uffff": 2}) is None
    assert _fast_canonical({"k": "\ud800"}) is None
    nested: Any = "x"
    for _ in range(70):
        nested = [nested]
    assert _fast_canonical(nested) is None
    assert canonical_json({"\U0001f600": 1, "\uffff": 2}) == rfc8785.dumps(
        {"\U0001f600": 1, "\uffff": 2}
    )
