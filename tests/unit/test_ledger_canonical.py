"""RFC 8785 canonical JSON known vectors, refusals, and Ed25519 signatures over it."""

from __future__ import annotations

import json
import math
from decimal import Decimal

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from zerowaste.errors import InvalidInput, InvalidPublicKey, SignatureInvalid
from zerowaste.ledger.canonical import canonical_json, canonical_sha256
from zerowaste.ledger.signatures import (
    Signature,
    b64decode,
    decode_public_key,
    encode_public_key,
    generate_private_key,
    public_key_bytes,
    sign,
    sign_document,
    verify,
    verify_document,
)


def test_rfc8785_number_and_string_example() -> None:
    # The worked example of RFC 8785 section 3.2.2.
    document = {
        "numbers": [333333333.33333329, 1e30, 4.50, 2e-3, 0.000000000000000000000000001],
        "string": "\u20ac$\u000f\u000aA'\u0042\u0022\u005c\\\"/",
        "literals": [None, True, False],
    }
    expected = (
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )
    assert canonical_json(document) == expected.encode()


def test_rfc8785_member_order_is_by_utf16_code_units() -> None:
    # The sorting example of RFC 8785 section 3.2.3: U+1F600 (a surrogate pair) sorts before
    # U+FB33 although its code point is larger.
    keys = ["\u20ac", "\r", "\ufb33", "1", "\U0001f600", "\u0080", "\u00f6"]
    order = list(json.loads(canonical_json(dict.fromkeys(keys, 0))))
    assert order == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (1e-7, "1e-7"),
        (0.000001, "0.000001"),
        (-0.0, "0"),
        (100.0, "100"),
        (9007199254740991, "9007199254740991"),
        (float(2**60), "1152921504606847000"),
        (1152921504606847000, "1152921504606847000"),
        (10**21, "1e+21"),
        ("汉字 ü", '"汉字 ü"'),
        ("\u2028\t", '"\u2028\\t"'),
        ({"b": [], "a": {}}, '{"a":{},"b":[]}'),
        ((1, "2"), '[1,"2"]'),
    ],
)
def test_known_values(value: object, text: str) -> None:
    assert canonical_json(value) == text.encode()


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"mass": math.nan}, "$.mass"),
        ({"lines": [{"mass": math.inf}]}, "$.lines[0].mass"),
        ({"n": -math.inf}, "$.n"),
        ({"n": 2**53 + 1}, "$.n"),
        ({"n": 2**60}, "$.n"),
        ({"n": 10**400}, "$.n"),
        ({"n": -(10**30) - 1}, "$.n"),
        ({"mass": Decimal("1.5")}, "$.mass"),
        ({"blob": b"x"}, "$.blob"),
        ({1: "x"}, "$"),
        ({"s": "\ud800"}, "$.s"),
        ({"\udfff": 1}, "$"),
    ],
)
def test_unrepresentable_values_are_refused_naming_the_path(document: object, field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        canonical_json(document)
    assert info.value.field == field


def test_deep_nesting_is_refused() -> None:
    document: object = "leaf"
    for _ in range(70):
        document = [document]
    with pytest.raises(InvalidInput, match="nested"):
        canonical_json(document)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


@given(json_values)
def test_canonical_form_is_a_fixed_point(value: object) -> None:
    encoded = canonical_json(value)
    assert canonical_json(json.loads(encoded)) == encoded
    assert canonical_sha256(value) == canonical_sha256(json.loads(encoded))


def test_rfc8032_test_vector_1() -> None:
    secret = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    public = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    expected = bytes.fromhex(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555"
        "fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    )
    key = Ed25519PrivateKey.from_private_bytes(secret)
    assert public_key_bytes(key) == public
    signature = sign(key, "k1", b"")
    assert signature.raw == expected
    verify(signature, public, b"")


def test_document_signatures_verify_and_tampering_fails() -> None:
    key = generate_private_key()
    public = public_key_bytes(key)
    event = {"type": "generated", "mass_kg": "1250.500", "waste_code": "900-041-49"}
    signature = sign_document(key, "key-1", event)
    verify_document(signature, public, dict(reversed(list(event.items()))))
    with pytest.raises(SignatureInvalid, match="key-1"):
        verify_document(signature, public, {**event, "mass_kg": "1250.501"})
    with pytest.raises(SignatureInvalid):
        verify_document(signature, public_key_bytes(generate_private_key()), event)
    forged = Signature("key-1", "Ed25519", signature.value[:-4] + "AAA=")
    with pytest.raises(SignatureInvalid):
        verify_document(forged, public, event)
    with pytest.raises(SignatureInvalid, match="algorithm"):
        verify_document(Signature("key-1", "RS256", signature.value), public, event)
    with pytest.raises(SignatureInvalid, match="64 bytes"):
        verify_document(Signature("key-1", "Ed25519", "AAAA"), public, event)
    assert Signature.from_json(signature.to_json()) == signature


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"algorithm": "Ed25519", "key_id": "k"},
        {"algorithm": "Ed448", "key_id": "k", "value": "A" * 86 + "=="},
        {"algorithm": "Ed25519", "key_id": "", "value": "A" * 86 + "=="},
        {"algorithm": "Ed25519", "key_id": "k", "value": "AAAA"},
        {"algorithm": "Ed25519", "key_id": "k", "value": "not base64!"},
    ],
)
def test_malformed_signature_objects_are_refused(data: object) -> None:
    with pytest.raises(InvalidInput):
        Signature.from_json(data)


def test_public_key_encodings() -> None:
    public = public_key_bytes(generate_private_key())
    assert decode_public_key(encode_public_key(public)) == public
    for text in ["AAAA", "not base64", encode_public_key(public).rstrip("=")]:
        with pytest.raises(InvalidPublicKey):
            decode_public_key(text)
    with pytest.raises(InvalidPublicKey):
        encode_public_key(public[:31])
    with pytest.raises(InvalidInput, match="canonical"):
        b64decode("AB==", field="x")  # the unused bits are not zero
