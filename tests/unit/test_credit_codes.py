"""Unified social credit codes, checked against python-stdnum's independent implementation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc

from zerowaste.domain.credit_codes import (
    CHARSET,
    credit_check_char,
    make_credit_code,
    organization_check_char,
    validate_credit_code,
)
from zerowaste.errors import InvalidCreditCode

# The example code printed in explanations of GB 32100-2015.
KNOWN_VALID = "91350100M000100Y43"


def test_known_code_validates() -> None:
    assert uscc.is_valid(KNOWN_VALID)
    assert validate_credit_code(KNOWN_VALID) == KNOWN_VALID


def test_lower_case_and_spaces_are_normalized() -> None:
    assert validate_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y4", "must be 18 characters"),
        ("91350100M000100Y44", "check character is '4', expected '3'"),
        ("91350100I000100Y43", "characters not allowed: I"),
        ("Z1350100M000100Y43", "characters not allowed: Z"),
        ("B1350100M000100Y43", "unknown registering authority 'B'"),
        ("913501A0M000100Y43", "numeric region code"),
        ("91350100M000100X43", "organization code check character"),
    ],
)
def test_bad_codes_say_why(code: str, reason: str) -> None:
    with pytest.raises(InvalidCreditCode, match=reason) as info:
        validate_credit_code(code, field="credit_code")
    assert info.value.field == "credit_code"


body = st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8)
region = st.text(alphabet="0123456789", min_size=6, max_size=6)


@given(authority=st.sampled_from("159"), kind=st.sampled_from("123"), region=region, body=body)
def test_made_codes_agree_with_stdnum(authority: str, kind: str, region: str, body: str) -> None:
    code = make_credit_code(authority, kind, region, body)
    assert code[16] == organization_check_char(body)
    assert validate_credit_code(code) == code
    assert uscc.is_valid(code)


@given(st.text(alphabet=CHARSET, min_size=17, max_size=17))
def test_check_character_matches_stdnum(first17: str) -> None:
    assert credit_check_char(first17) == uscc.calc_check_digit(first17)


@given(st.text(alphabet=CHARSET, min_size=18, max_size=18))
def test_never_accepts_what_stdnum_rejects(code: str) -> None:
    try:
        validate_credit_code(code)
    except InvalidCreditCode:
        return
    assert uscc.is_valid(code)


@given(
    code=st.sampled_from(["91350100M000100Y43"]),
    position=st.integers(0, 17),
    replacement=st.sampled_from(CHARSET),
)
def test_any_single_substitution_is_caught(code: str, position: int, replacement: str) -> None:
    mutated = code[:position] + replacement + code[position + 1 :]
    if mutated == code:
        return
    with pytest.raises(InvalidCreditCode):
        validate_credit_code(mutated)
